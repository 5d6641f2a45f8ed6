package iostreams

import "testing"

func TestColorWanted(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	cases := []struct {
		name string
		tty  bool
		env  map[string]string
		want bool
	}{
		{"tty", true, nil, true},
		{"pipe", false, nil, false},
		{"no-color", true, map[string]string{"NO_COLOR": "1"}, false},
		{"dumb", true, map[string]string{"TERM": "dumb"}, false},
		{"force", false, map[string]string{"CLICOLOR_FORCE": "1"}, true},
		{"force-zero", false, map[string]string{"CLICOLOR_FORCE": "0"}, false},
	}
	for _, c := range cases {
		if got := colorWanted(c.tty, env(c.env)); got != c.want {
			t.Errorf("%s: colorWanted = %v, want %v", c.name, got, c.want)
		}
	}
}
