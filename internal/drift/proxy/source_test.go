package proxy

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/drift"
	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
)

const fn = "my-team/pets"

func publishApproved(t *testing.T, s registry.Store, version, body string) {
	t.Helper()
	ctx := context.Background()
	_, err := s.Publish(ctx, registry.PublishRequest{Function: fn, Version: version, Kind: "openapi",
		Main: "api.yaml", Files: map[string][]byte{"api.yaml": []byte(body)}, Author: "ann"})
	require.NoError(t, err)
	_, err = s.Apply(ctx, registry.Change{Function: fn, Version: version, Actor: "bob", To: registry.Approved})
	require.NoError(t, err)
}

// versionChecker flags every exchange with a rule naming the version it
// was built from.
func versionChecker(_ context.Context, v registry.Version) (Checker, error) {
	if string(v.Files[v.Main]) == "broken" {
		return nil, errors.New("api.yaml:1:1: not a contract")
	}
	return checkFunc(func(_ context.Context, ex drift.Exchange) []event.Event {
		return []event.Event{{Operation: ex.Method + " " + pathOf(ex.URL), Rule: "judged-by-" + v.Version,
			Direction: event.Response}}
	}), nil
}

// TestApprovalWhileRunningSwapsTheContract plays the check: a new
// version is approved in the file store while the proxy runs, and the
// next events are judged against it.
func TestApprovalWhileRunningSwapsTheContract(t *testing.T) {
	store, err := filestore.Open(t.TempDir(), filestore.Options{})
	require.NoError(t, err)
	publishApproved(t, store, "1.2.0", "openapi: 3.0.3 # v1")
	src := &RegistrySource{Store: store, Function: fn, Build: versionChecker, Interval: time.Millisecond}
	h := start(t, petsUpstream(), nil, func(o *Options, _ *Timeouts) { o.Source = src })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go src.Watch(ctx)
	waitLog(t, h, "judging against my-team/pets@1.2.0 now")
	get(t, h.url+"/pets/1")
	assert.Equal(t, "judged-by-1.2.0", recv(t, "an event", h.emitted.events).Rule)

	publishApproved(t, store, "1.3.0", "openapi: 3.0.3 # v2")
	waitLog(t, h, "judging against my-team/pets@1.3.0 now")
	get(t, h.url+"/pets/1")
	assert.Equal(t, "judged-by-1.3.0", recv(t, "an event", h.emitted.events).Rule)
}

type fakeStore struct {
	v   registry.Version
	err error
}

func (f *fakeStore) Active(context.Context, string) (registry.Version, error) { return f.v, f.err }

func TestRegistrySourceKeepsTheOldVersionWhenTheNewOneCannotBeBuilt(t *testing.T) {
	st := &fakeStore{v: registry.Version{Function: fn, Version: "1.2.0", Main: "a", SHA256: "1",
		Files: map[string][]byte{"a": []byte("ok")}}}
	logs := make(chan string, 10)
	src := &RegistrySource{Store: st, Function: fn, Build: versionChecker,
		Logf: func(f string, a ...any) { logs <- fmt.Sprintf(f, a...) }}
	_, name, err := src.Current(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "my-team/pets@1.2.0", name)

	st.v = registry.Version{Function: fn, Version: "1.3.0", Main: "a", SHA256: "2", Files: map[string][]byte{"a": []byte("broken")}}
	changed, err := src.poll(context.Background())
	assert.False(t, changed)
	require.EqualError(t, err, "cannot judge traffic against my-team/pets@1.3.0: api.yaml:1:1: not a contract")
	_, name, err = src.Current(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "my-team/pets@1.2.0", name, "the last good version stays in charge")

	changed, err = src.poll(context.Background())
	assert.False(t, changed)
	require.NoError(t, err, "a version that failed to build is reported once, not at every poll")
}

func TestRegistrySourceWithoutAnActiveVersion(t *testing.T) {
	src := &RegistrySource{Store: &fakeStore{err: registry.ErrNotFound}, Function: fn, Build: versionChecker}
	_, _, err := src.Current(context.Background())
	require.EqualError(t, err, "my-team/pets has no approved version in the registry: publish and approve one")
}

func TestNewRefusesARelativeUpstream(t *testing.T) {
	_, err := New(Options{Source: StaticSource{}, Emitter: newCollect()})
	require.EqualError(t, err, "the upstream must be an absolute URL such as http://127.0.0.1:8080")
}
