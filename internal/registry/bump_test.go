package registry_test

import (
	"errors"
	"testing"

	"github.com/relay-dev/relay/internal/registry"
)

func TestNextVersionFirst(t *testing.T) {
	none := registry.Version{}
	cases := []struct{ given, doc, want string }{
		{"0.3.0", "2.1.0", "0.3.0"}, // --version wins
		{"", "2.1.0", "2.1.0"},      // else the contract's own version
		{"", "2.1.0-beta.1", "2.1.0-beta.1"},
		{"", "v2", "1.0.0"}, // not semver: the default
		{"", "", "1.0.0"},
	}
	for _, c := range cases {
		got, err := registry.NextVersion(c.given, none, nil, c.doc)
		if err != nil || got != c.want {
			t.Errorf("NextVersion(%q, first, doc %q) = %q, %v; want %q", c.given, c.doc, got, err, c.want)
		}
	}
	_, err := registry.NextVersion("v1.0", none, nil, "1.0.0")
	if !errors.Is(err, registry.ErrInvalid) {
		t.Errorf("an invalid first version: %v, want ErrInvalid", err)
	}
}

var active = registry.Version{Function: "my-team/payments", Version: "1.4.2", Status: registry.Approved}

func diffOf(verdict string) *registry.DiffSummary {
	return &registry.DiffSummary{Base: "1.4.2", Verdict: verdict}
}

func TestNextVersionPicksTheSmallestBump(t *testing.T) {
	for verdict, want := range map[string]string{
		"breaking": "2.0.0", "warning": "1.5.0", "non-breaking": "1.5.0", "info": "1.4.3", "none": "1.4.3",
	} {
		got, err := registry.NextVersion("", active, diffOf(verdict), "9.9.9")
		if err != nil || got != want {
			t.Errorf("%s: NextVersion = %q, %v; want %q", verdict, got, err, want)
		}
	}
	pre := registry.Version{Function: "t/f", Version: "2.0.0-rc.1"}
	if got, err := registry.NextVersion("", pre, diffOf("info"), ""); err != nil || got != "2.0.0" {
		t.Errorf("after a prerelease: %q, %v; want its release 2.0.0", got, err)
	}
}

func TestNextVersionAcceptsEnoughOfABump(t *testing.T) {
	cases := []struct{ verdict, given string }{
		{"breaking", "2.0.0"}, {"breaking", "2.0.0-rc.1"}, {"breaking", "3.1.4"},
		{"non-breaking", "1.5.0"}, {"non-breaking", "2.0.0"}, {"warning", "1.6.0"},
		{"info", "1.4.3"}, {"none", "1.4.10"},
	}
	for _, c := range cases {
		got, err := registry.NextVersion(c.given, active, diffOf(c.verdict), "")
		if err != nil || got != c.given {
			t.Errorf("%s as %s: %q, %v", c.verdict, c.given, got, err)
		}
	}
}

func TestNextVersionRefuses(t *testing.T) {
	cases := []struct{ verdict, given, msg string }{
		{"breaking", "1.5.0", "my-team/payments@1.5.0 is a minor bump, but the diff against 1.4.2 is breaking: publish it as 2.0.0 or higher"},
		{"breaking", "1.4.3", "my-team/payments@1.4.3 is a patch bump, but the diff against 1.4.2 is breaking: publish it as 2.0.0 or higher"},
		{"warning", "1.4.3", "my-team/payments@1.4.3 is a patch bump, but the diff against 1.4.2 is warning: publish it as 1.5.0 or higher"},
		{"non-breaking", "1.4.9", "my-team/payments@1.4.9 is a patch bump, but the diff against 1.4.2 is non-breaking: publish it as 1.5.0 or higher"},
		{"info", "1.4.2", "my-team/payments@1.4.2 must be greater than the active version 1.4.2 (the smallest allowed is 1.4.3)"},
		{"info", "1.4.2-rc.1", "my-team/payments@1.4.2-rc.1 must be greater than the active version 1.4.2 (the smallest allowed is 1.4.3)"},
		{"breaking", "0.9.0", "my-team/payments@0.9.0 must be greater than the active version 1.4.2 (the smallest allowed is 2.0.0)"},
		{"info", "1.4", `version "1.4" is not MAJOR.MINOR.PATCH[-PRERELEASE]: it needs exactly three numbers`},
	}
	for _, c := range cases {
		got, err := registry.NextVersion(c.given, active, diffOf(c.verdict), "")
		if err == nil || err.Error() != c.msg || !errors.Is(err, registry.ErrInvalid) || got != "" {
			t.Errorf("%s as %s: %q, %v\nwant error %q", c.verdict, c.given, got, err, c.msg)
		}
	}
	if _, err := registry.NextVersion("2.0.0", active, nil, ""); !errors.Is(err, registry.ErrInvalid) {
		t.Errorf("without the diff against the active version: %v, want ErrInvalid", err)
	}
}

func TestBumpFor(t *testing.T) {
	for verdict, want := range map[string]registry.Bump{
		"breaking": registry.BumpMajor, "warning": registry.BumpMinor, "non-breaking": registry.BumpMinor,
		"info": registry.BumpPatch, "none": registry.BumpPatch, "": registry.BumpPatch,
	} {
		if got := registry.BumpFor(verdict); got != want {
			t.Errorf("BumpFor(%q) = %s, want %s", verdict, got, want)
		}
	}
}
