package check_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/report"
)

var now = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// fileSide reads a file of testdata/examples.
func fileSide(rel string) check.Side {
	return check.Side{Open: func(context.Context) (load.Options, error) {
		p := filepath.Join("..", "..", "testdata", "examples", filepath.FromSlash(rel))
		return load.Options{FS: os.DirFS(filepath.Dir(p)), Path: filepath.Base(p), Display: rel}, nil
	}}
}

func petstore() check.Input {
	return check.Input{Base: fileSide("petstore/base.yaml"), Revision: fileSide("petstore/revision.yaml"),
		Tool: report.Tool{Name: "relay", Version: "test"}, Now: now}
}

func TestRunOnThePetstoreExample(t *testing.T) {
	res, err := check.Run(context.Background(), petstore())
	require.NoError(t, err)
	s := res.Report.Summary
	assert.Equal(t, []int{2, 1, 3, 1}, []int{s.Breaking, s.Warning, s.NonBreaking, s.Info})
	assert.Equal(t, report.ExitBreaking, s.ExitCode)
	assert.Equal(t, finding.Breaking, res.FailOn)
	assert.Equal(t, "petstore/base.yaml", res.Report.Base.Source)
	assert.Equal(t, "1.4.0", res.Report.Revision.Version)
	assert.Len(t, res.Classified, 7)
	assert.Equal(t, "operation-removed", res.Report.Changes[0].ID)
	assert.Equal(t, 85, res.Report.Changes[0].Base.Line)
}

// TestPolicyIsApplied: ignores drop findings, severity re-levels them, the
// file's fail-on sets the threshold; Classified keeps the unfiltered list.
func TestPolicyIsApplied(t *testing.T) {
	cfg, err := config.Parse(".relay.yaml", []byte(`ignore:
  - {rule: operation-removed, reason: agreed with clients}
  - {rule: response-property-removed, operation: "GET /nowhere", reason: stale}
severity:
  request-parameter-added-required: info
fail-on: warning
`))
	require.NoError(t, err)
	pol, err := check.NewPolicy(cfg)
	require.NoError(t, err)
	in := petstore()
	in.Policy = pol
	res, err := check.Run(context.Background(), in)
	require.NoError(t, err)
	for _, c := range res.Report.Changes {
		assert.NotEqual(t, "operation-removed", c.ID)
	}
	assert.Len(t, res.Classified, 7)
	assert.Equal(t, finding.Warning, res.FailOn)
	require.Len(t, res.Report.StaleIgnores, 1)
	assert.Equal(t, "response-property-removed", res.Report.StaleIgnores[0].Rule)
	in.FailOn, in.FailOnSet = finding.Breaking, true
	res, err = check.Run(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, finding.Breaking, res.FailOn, "an explicit --fail-on beats the file")
}

// TestBaseFailsFirst: a broken base is reported before the revision is
// even opened, so it is never mistaken for an empty contract.
func TestBaseFailsFirst(t *testing.T) {
	opened := false
	in := petstore()
	in.Base = check.Side{Open: func(context.Context) (load.Options, error) {
		return load.Options{FS: fstest.MapFS{"api.yaml": {Data: []byte("openapi: 3.0.3\ninfo: [\n")}},
			Path: "api.yaml", Display: "git:main:api.yaml"}, nil
	}}
	in.Revision = check.Side{Open: func(context.Context) (load.Options, error) {
		opened = true
		return load.Options{}, errors.New("unreachable")
	}}
	_, err := check.Run(context.Background(), in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "git:main:api.yaml")
	assert.False(t, opened, "the revision was opened after the base failed")
}

// TestLoadedSidesAreNotLoadedAgain: a side the caller holds is compared
// as is.
func TestLoadedSidesAreNotLoadedAgain(t *testing.T) {
	first, err := check.Run(context.Background(), petstore())
	require.NoError(t, err)
	in := petstore()
	in.Revision = check.Side{Loaded: first.Revision, Open: func(context.Context) (load.Options, error) {
		t.Fatal("Open called for a loaded side")
		return load.Options{}, nil
	}}
	res, err := check.Run(context.Background(), in)
	require.NoError(t, err)
	assert.Same(t, first.Revision.Doc, res.Revision.Doc)
	assert.Equal(t, first.Report.Summary, res.Report.Summary)
}

func TestCancelledRunStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := check.Run(ctx, petstore())
	assert.ErrorIs(t, err, context.Canceled)
}
