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

func TestSetColorMode(t *testing.T) {
	cases := []struct {
		mode      string
		start     bool
		want      bool
		wantError bool
	}{
		{"always", false, true, false},
		{"never", true, false, false},
		{"auto", true, true, false},
		{"auto", false, false, false},
		{"sometimes", true, true, true},
	}
	for _, c := range cases {
		s, _, _, _ := Test()
		s.SetColorEnabled(c.start)
		err := s.SetColorMode(c.mode)
		if (err != nil) != c.wantError {
			t.Errorf("SetColorMode(%q) error = %v, want error: %v", c.mode, err, c.wantError)
		}
		if got := s.ColorEnabled(); got != c.want {
			t.Errorf("SetColorMode(%q) from %v: ColorEnabled = %v, want %v", c.mode, c.start, got, c.want)
		}
	}
}
