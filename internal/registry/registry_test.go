package registry_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/registry"
)

func TestValidateFunction(t *testing.T) {
	for _, ok := range []string{"my-team/payments", "a/b", "t1/n_2.v3", "0/0", "team/" + strings.Repeat("x", 100)} {
		if err := registry.ValidateFunction(ok); err != nil {
			t.Errorf("ValidateFunction(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "/", "a", "a/", "/b", "a/b/c", "A/b", "a/B", "../b", "a/..", "..", ".a/b", "a/.b",
		"a/b\x00", "a /b", "a/b-é", "-a/b", "team/" + strings.Repeat("x", 101)} {
		if err := registry.ValidateFunction(bad); !errors.Is(err, registry.ErrInvalid) {
			t.Errorf("ValidateFunction(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestParseRef(t *testing.T) {
	fn, v, err := registry.ParseRef("my-team/payments@1.4.0")
	if err != nil || fn != "my-team/payments" || v != "1.4.0" {
		t.Errorf("ParseRef = %q %q %v", fn, v, err)
	}
	if fn, v, err := registry.ParseRef("my-team/payments"); err != nil || fn != "my-team/payments" || v != "" {
		t.Errorf("ParseRef without version = %q %q %v", fn, v, err)
	}
	for _, bad := range []string{"my-team/payments@", "my-team/payments@v1", "My/x@1.0.0"} {
		if _, _, err := registry.ParseRef(bad); !errors.Is(err, registry.ErrInvalid) {
			t.Errorf("ParseRef(%q) = %v", bad, err)
		}
	}
}

// TestBundleSHA256 pins the scheme: for each path in byte order, path,
// NUL, 8-byte big-endian length, content.
func TestBundleSHA256(t *testing.T) {
	files := map[string][]byte{"b.yaml": []byte("B"), "a.yaml": []byte("A\x00")}
	want := registry.FileSHA256([]byte("a.yaml\x00\x00\x00\x00\x00\x00\x00\x00\x02A\x00" + "b.yaml\x00\x00\x00\x00\x00\x00\x00\x00\x01B"))
	if got := registry.BundleSHA256(files); got != want {
		t.Errorf("BundleSHA256 = %s, want %s", got, want)
	}
	// Moving a byte across the file boundary changes the hash.
	shifted := map[string][]byte{"a.yaml": []byte("A"), "b.yaml": []byte("\x00B")}
	if registry.BundleSHA256(shifted) == want {
		t.Error("the encoding is ambiguous across file boundaries")
	}
}

func TestTransitions(t *testing.T) {
	all := []registry.Status{registry.Pending, registry.Approved, registry.Rejected, registry.Deprecated, registry.Withdrawn}
	allowed := map[[2]registry.Status]bool{
		{registry.Pending, registry.Approved}: true, {registry.Pending, registry.Rejected}: true,
		{registry.Approved, registry.Deprecated}: true, {registry.Approved, registry.Withdrawn}: true,
		{registry.Deprecated, registry.Withdrawn}: true,
	}
	for _, from := range all {
		for _, to := range all {
			if got := registry.CanTransition(from, to); got != allowed[[2]registry.Status{from, to}] {
				t.Errorf("CanTransition(%s, %s) = %v", from, to, got)
			}
		}
	}
	err := registry.CheckTransition("t/f", "1.0.0", registry.Pending, registry.Withdrawn)
	if !errors.Is(err, registry.ErrBadTransition) || err.Error() != "cannot mark t/f@1.0.0 withdrawn: it is pending, and only approved or deprecated versions can be" {
		t.Errorf("CheckTransition: %v", err)
	}
}

func TestSelectActive(t *testing.T) {
	vs := []registry.Version{
		{Version: "2.0.0", Status: registry.Withdrawn},
		{Version: "1.10.0", Status: registry.Deprecated},
		{Version: "1.9.0", Status: registry.Approved},
		{Version: "3.0.0", Status: registry.Pending},
		{Version: "2.1.0", Status: registry.Rejected},
	}
	if i := registry.SelectActive(vs); i != 1 {
		t.Errorf("SelectActive = %d, want 1 (1.10.0, deprecated but live)", i)
	}
	if i := registry.SelectActive(vs[3:]); i != -1 {
		t.Errorf("SelectActive with nothing approved = %d", i)
	}
}

func chain(n int) []registry.Event {
	var out []registry.Event
	var prev *registry.Event
	for i := range n {
		e := registry.Chain(prev, registry.Event{Time: time.Date(2026, 1, 1, 0, 0, i, 500, time.UTC), Actor: "a",
			Action: registry.ActionPublish, Function: "t/f", Version: "1.0.0", Detail: `<&> "quoted"`})
		out = append(out, e)
		prev = &out[len(out)-1]
	}
	return out
}

func TestChain(t *testing.T) {
	events := chain(4)
	if err := registry.VerifyChain(events); err != nil {
		t.Fatal(err)
	}
	if events[0].PrevHash != registry.GenesisHash || events[3].Seq != 4 {
		t.Errorf("chain: %+v", events[0])
	}
	tamper := map[string]func([]registry.Event) []registry.Event{
		"edited detail": func(es []registry.Event) []registry.Event { es[2].Detail = "x"; return es },
		"edited time":   func(es []registry.Event) []registry.Event { es[2].Time = es[2].Time.Add(time.Nanosecond); return es },
		"removed event": func(es []registry.Event) []registry.Event { return append(es[:1], es[2:]...) },
		"swapped":       func(es []registry.Event) []registry.Event { es[1], es[2] = es[2], es[1]; return es },
		"rehashed but unlinked": func(es []registry.Event) []registry.Event {
			es[2].Actor = "mallory"
			es[2].Hash = registry.HashEvent(es[2])
			return es
		},
	}
	for name, f := range tamper {
		err := registry.VerifyChain(f(chain(4)))
		if !errors.Is(err, registry.ErrTampered) || !strings.Contains(err.Error(), "event") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestHashEventStable pins the canonical form: a change to it would break
// every stored chain.
func TestHashEventStable(t *testing.T) {
	e := registry.Event{Seq: 1, Time: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.FixedZone("x", 3600)), Actor: "alice",
		Action: registry.ActionApprove, Function: "t/f", Version: "1.0.0", Detail: "<ok> & fine", PrevHash: registry.GenesisHash}
	want := registry.FileSHA256([]byte(`{"seq":1,"time":"2026-01-02T02:04:05.000006Z","actor":"alice","action":"approve",` +
		`"function":"t/f","version":"1.0.0","detail":"<ok> & fine","prevHash":"` + registry.GenesisHash + `"}`))
	if got := registry.HashEvent(e); got != want {
		t.Errorf("HashEvent = %s, want %s", got, want)
	}
}

func TestClockStamp(t *testing.T) {
	c := registry.Clock(func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("x", 7200)) })
	got := c.Stamp()
	if got.Location() != time.UTC || got.Nanosecond() != 123456000 || got.Hour() != 1 {
		t.Errorf("Stamp = %s", got)
	}
}

// TestHashEventSigned pins the signed form: the unsigned fields, then the
// signature's time and text, so adding, editing or dropping a signature
// breaks the chain while unsigned events keep their old hashes.
func TestHashEventSigned(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	e := registry.Event{Seq: 1, Time: at, Actor: "alice@example.com", Action: registry.ActionApprove, Function: "t/f",
		Version: "1.0.0", PrevHash: registry.GenesisHash, Signature: &registry.Signature{SignedAt: at, Armored: "SIG"}}
	want := registry.FileSHA256([]byte(`{"seq":1,"time":"2026-01-02T03:04:05Z","actor":"alice@example.com","action":"approve",` +
		`"function":"t/f","version":"1.0.0","detail":"","prevHash":"` + registry.GenesisHash + `",` +
		`"signedAt":"2026-01-02T03:04:05Z","signature":"SIG"}`))
	if got := registry.HashEvent(e); got != want {
		t.Errorf("HashEvent = %s, want %s", got, want)
	}
	chained := registry.Chain(nil, e)
	for name, edit := range map[string]func(*registry.Event){
		"signature dropped":  func(e *registry.Event) { e.Signature = nil },
		"signature replaced": func(e *registry.Event) { e.Signature = &registry.Signature{SignedAt: at, Armored: "OTHER"} },
		"signed time moved": func(e *registry.Event) {
			e.Signature = &registry.Signature{SignedAt: at.Add(time.Second), Armored: "SIG"}
		},
	} {
		forged := chained
		edit(&forged)
		if err := registry.CheckLink(nil, forged, 1); !errors.Is(err, registry.ErrTampered) {
			t.Errorf("%s: CheckLink = %v, want ErrTampered", name, err)
		}
	}
}

func TestApprovalPayload(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.FixedZone("x", 3600))
	got := string(registry.ApprovalPayload("my-team/pay", "2.0.0", "abc", registry.ActionApprove, "alice@example.com", at))
	want := "relay-approval/v1\nfunction my-team/pay\nversion 2.0.0\nsha256 abc\ndecision approve\n" +
		"reviewer alice@example.com\ntime 2026-01-02T02:04:05.000006Z\n"
	if got != want {
		t.Errorf("ApprovalPayload =\n%s\nwant\n%s", got, want)
	}
	if ns := registry.SignatureNamespace("my-team/pay"); ns != "relay-approval@my-team" {
		t.Errorf("SignatureNamespace = %q", ns)
	}
}

// TestSignNote: a sign note round-trips, is the one new note Note accepts,
// and anything else in a sign event's detail is not a signature.
func TestSignNote(t *testing.T) {
	s := registry.Signature{SignedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Armored: "SIG"}
	got, ok := registry.ParseSignNote(registry.SignNote(s))
	if !ok || !got.SignedAt.Equal(s.SignedAt) || got.Armored != "SIG" {
		t.Errorf("ParseSignNote(SignNote) = %+v, %v", got, ok)
	}
	for _, bad := range []string{"", "SIG", `{"armored":"SIG"}`, `{"signedAt":"2026-01-02T03:04:05Z"}`} {
		if _, ok := registry.ParseSignNote(bad); ok {
			t.Errorf("ParseSignNote(%q) accepted it", bad)
		}
	}
	if err := registry.CheckNote("t/f", "1.0.0", registry.ActionSign); err != nil {
		t.Errorf("CheckNote(sign) = %v", err)
	}
}
