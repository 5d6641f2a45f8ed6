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

const validAPI = `openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    get:
      responses:
        '200': {description: the pets}
`

// reponses misspells responses: relay used to call it "success response
// removed".
const invalidAPI = `openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    get:
      reponses:
        '200': {description: the pets}
`

func memSide(name, text string) check.Side {
	return check.Side{Open: func(context.Context) (load.Options, error) {
		return load.Options{FS: fstest.MapFS{name: {Data: []byte(text)}}, Path: name, Display: name}, nil
	}}
}

func TestInvalidRevisionIsRefusedByDefault(t *testing.T) {
	in := check.Input{Base: memSide("base.yaml", validAPI), Revision: memSide("rev.yaml", invalidAPI), Now: now}
	_, err := check.Run(context.Background(), in)
	var inv *check.InvalidError
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, "rev.yaml", inv.Display)
	assert.Equal(t, load.OpenAPI, inv.Kind)
	require.NotEmpty(t, inv.Problems)
	assert.Equal(t, finding.Location{File: "rev.yaml", Line: 6, Column: 7}, inv.Problems[0].Location)
	assert.Contains(t, err.Error(), "rev.yaml is not a valid openapi contract")
}

func TestWarnComparesAnInvalidRevision(t *testing.T) {
	in := check.Input{Base: memSide("base.yaml", validAPI), Revision: memSide("rev.yaml", invalidAPI), Now: now,
		Validate: check.ValidateWarn}
	res, err := check.Run(context.Background(), in)
	require.NoError(t, err)
	require.NotNil(t, res.Report.Validation)
	assert.Empty(t, res.Report.Validation.Base)
	require.NotEmpty(t, res.Report.Validation.Revision)
	assert.Contains(t, res.Report.Validation.Revision[0].Message, "reponses")
	assert.NotEmpty(t, res.Report.Changes, "the diff still ran")
}

func TestInvalidBaseIsAWarningEvenWhenStrict(t *testing.T) {
	in := check.Input{Base: memSide("base.yaml", invalidAPI), Revision: memSide("rev.yaml", validAPI), Now: now}
	res, err := check.Run(context.Background(), in)
	require.NoError(t, err)
	require.NotNil(t, res.Report.Validation)
	require.NotEmpty(t, res.Report.Validation.Base)
	assert.Equal(t, "base.yaml", res.Report.Validation.Base[0].Location.File)
	assert.Empty(t, res.Report.Validation.Revision)
}

func TestValidateOffValidatesNothing(t *testing.T) {
	in := check.Input{Base: memSide("base.yaml", invalidAPI), Revision: memSide("rev.yaml", invalidAPI), Now: now,
		Validate: check.ValidateOff}
	res, err := check.Run(context.Background(), in)
	require.NoError(t, err)
	assert.Nil(t, res.Report.Validation)
}

func TestValidateOneSide(t *testing.T) {
	first, err := check.Run(context.Background(), check.Input{Base: memSide("a.yaml", invalidAPI),
		Revision: memSide("b.yaml", invalidAPI), Validate: check.ValidateOff, Now: now})
	require.NoError(t, err)
	_, err = check.Validate(context.Background(), first.Revision, check.ValidateStrict)
	var inv *check.InvalidError
	require.ErrorAs(t, err, &inv)
	probs, err := check.Validate(context.Background(), first.Revision, check.ValidateWarn)
	require.NoError(t, err)
	assert.NotEmpty(t, probs)
	probs, err = check.Validate(context.Background(), first.Revision, check.ValidateOff)
	require.NoError(t, err)
	assert.Empty(t, probs)
}
