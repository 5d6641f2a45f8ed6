package cli

import (
	"runtime/debug"
	"testing"
)

func TestVersionFromBuildInfo(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"module version", debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: vcs("0123456789abcdef", "false")}, "v1.2.3"},
		{"vcs revision", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0123456789abcdef0123", "false")}, "0123456789ab"},
		{"dirty tree", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0123456789abcdef0123", "true")}, "0123456789ab-dirty"},
		{"nothing known", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
	}
	for _, tt := range tests {
		if got := versionFromBuildInfo(&tt.info); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestVersionLinkTimeOverride(t *testing.T) {
	old := version
	t.Cleanup(func() { version = old })
	version = "v9.9.9"
	if got := Version(); got != "v9.9.9" {
		t.Errorf("Version() = %q, want the -ldflags value v9.9.9", got)
	}
}

func TestVersionLine(t *testing.T) {
	tests := []struct {
		b    buildInfo
		want string
	}{
		{buildInfo{Version: "v1.2.3", Commit: "0123456789ab"}, "relay v1.2.3 (commit 0123456789ab)"},
		{buildInfo{Version: "v1.2.3", Commit: "0123456789ab", Dirty: true}, "relay v1.2.3 (commit 0123456789ab, modified)"},
		{buildInfo{Version: "0123456789ab-dirty", Commit: "0123456789ab", Dirty: true}, "relay 0123456789ab-dirty"},
		{buildInfo{Version: "v1.2.3-4-g0123456", Commit: "0123456789ab"}, "relay v1.2.3-4-g0123456"},
		{buildInfo{Version: "4b0b37a-dirty", Commit: "4b0b37a21c5e"}, "relay 4b0b37a-dirty"},
		{buildInfo{Version: "v1.2.3", Commit: "abc"}, "relay v1.2.3 (commit abc)"},
		{buildInfo{Version: "dev"}, "relay dev"},
	}
	for _, tt := range tests {
		if got := versionLine(tt.b); got != tt.want {
			t.Errorf("versionLine(%+v) = %q, want %q", tt.b, got, tt.want)
		}
	}
}

func TestVersionLinkTimeCommit(t *testing.T) {
	oldV, oldC := version, commit
	t.Cleanup(func() { version, commit = oldV, oldC })
	version, commit = "v9.9.9", "fedcba9876543210fedcba"
	if got := versionLine(buildVersion()); got != "relay v9.9.9 (commit fedcba987654)" {
		t.Errorf("versionLine = %q, want the -ldflags version and commit", got)
	}
}
