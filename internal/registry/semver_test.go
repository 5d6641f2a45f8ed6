package registry_test

import (
	"errors"
	"testing"

	"github.com/relay-dev/relay/internal/registry"
)

func TestParseVersion(t *testing.T) {
	for _, s := range []string{"0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
		"1.0.0-x.7.z.92", "1.0.0-x-y-z.--", "99999999999999999999.0.0"} {
		v, err := registry.ParseVersion(s)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", s, err)
			continue
		}
		if v.String() != s {
			t.Errorf("ParseVersion(%q).String() = %q", s, v.String())
		}
	}
	for _, s := range []string{"", "1", "1.2", "1.2.3.4", "v1.2.3", "01.2.3", "1.02.3", "1.2.03", "1.2.3-",
		"1.2.3-01", "1.2.3-a..b", "1.2.3-a_b", "1.2.3+meta", "1.2.3-a+meta", " 1.2.3", "1.2.3 ", "a.b.c", "-1.2.3", "1.-2.3"} {
		if _, err := registry.ParseVersion(s); !errors.Is(err, registry.ErrInvalid) {
			t.Errorf("ParseVersion(%q) = %v, want ErrInvalid", s, err)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	// Each is lower than the next (semver.org §11, plus numeric widths).
	order := []string{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
		"1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.9.0", "1.10.0", "2.0.0", "10.0.0", "100.0.0"}
	for i := range order {
		for j := range order {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := registry.CompareVersions(order[i], order[j]); got != want {
				t.Errorf("CompareVersions(%s, %s) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
	if registry.CompareVersions("bad", "0.0.0") != -1 || registry.CompareVersions("0.0.0", "bad") != 1 {
		t.Error("invalid versions must sort first")
	}
}

func TestBump(t *testing.T) {
	cases := []struct {
		from, to string
		want     registry.Bump
	}{
		{"1.4.2", "2.0.0", registry.BumpMajor},
		{"1.4.2", "2.0.0-rc.1", registry.BumpMajor},
		{"1.4.2", "1.5.0", registry.BumpMinor},
		{"1.4.2", "1.4.3", registry.BumpPatch},
		{"1.4.2", "1.4.2-rc.1", registry.BumpPatch},
	}
	for _, c := range cases {
		from, _ := registry.ParseVersion(c.from)
		to, _ := registry.ParseVersion(c.to)
		if got := registry.BumpOf(from, to); got != c.want {
			t.Errorf("BumpOf(%s, %s) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
	next := map[string][3]string{
		"1.4.2":      {"1.4.3", "1.5.0", "2.0.0"},
		"0.9.9":      {"0.9.10", "0.10.0", "1.0.0"},
		"1.5.0-rc.1": {"1.5.0", "1.6.0", "2.0.0"},
		"9.99.999":   {"9.99.1000", "9.100.0", "10.0.0"},
	}
	for s, want := range next {
		v, _ := registry.ParseVersion(s)
		for b, w := range want {
			if got := v.Next(registry.Bump(b)).String(); got != w {
				t.Errorf("%s.Next(%d) = %s, want %s", s, b, got, w)
			}
		}
	}
}
