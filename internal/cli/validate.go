package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/source"
	"github.com/relay-dev/relay/internal/validate"
)

// ValidateOptions holds `relay contract validate`'s validated inputs.
type ValidateOptions struct {
	IO *iostreams.IOStreams
	// Files are the contracts as given; "-" is standard input.
	Files []string
	// Kind forces the contract kind of documents without a marker.
	Kind            load.Kind
	AllowRemoteRefs bool
	Outputs         []output
	// MaxFiles is --max-files: how many files one contract may span.
	MaxFiles int
	// MaxTotalBytes is --max-total-bytes: how many bytes one contract's
	// files may hold together; 0 means load.DefaultMaxTotalBytes.
	MaxTotalBytes int
}

// validateFlags are the raw flag values, checked by (*validateFlags).options.
type validateFlags struct {
	kind, output    string
	formats         []string
	allowRemoteRefs bool
	maxFiles        int
	maxTotalBytes   byteSize
}

const validateLong = `Check that each contract is a valid document of its kind: OpenAPI 3.0 and
3.1 (structure, then kin-openapi's semantic checks), Swagger 2.0, JSON
Schema and function contracts (their meta-schemas), and AsyncAPI 2.x and
3.x (the structure its specifications require). Every problem is reported
with the file and line of the node it is about, also in files reached
through $ref: unknown or misspelt fields, values of the wrong kind,
missing required fields, $refs to the wrong kind of object, unknown schema
types, undeclared path parameters, and more.

The text format prints one line per problem, file:line:col: message,
then a summary. --format F[=PATH] is repeatable (text, json, sarif, github,
gitlab, junit); --output PATH takes the one format written without =PATH.

The exit code is 0 when every file is valid, 1 when any is invalid or
could not be loaded, and 2 for a usage error.`

const validateExample = `  relay contract validate api.yaml
  relay contract validate docs/contracts/*.yml --format sarif=reports/validate.sarif --format text
  relay contract validate --kind openapi fragment.yaml`

func newCmdValidate(ios *iostreams.IOStreams, runF func(*ValidateOptions) error) *cobra.Command {
	var f validateFlags
	cmd := &cobra.Command{
		Use:     "validate FILE...",
		Short:   "Check that contracts are valid documents of their kind",
		Long:    validateLong,
		Example: validateExample,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts, err := f.options(ios, args)
			if err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runValidate(cmd.Context(), opts)
		}),
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.StringArrayVar(&f.formats, "format", nil, "report format `F[=PATH]`, repeatable: "+
		strings.Join(report.ValidationFormats(), " ")+" (default text)")
	fl.StringVar(&f.output, "output", "", "write the one format without =PATH to `PATH` instead of standard output")
	fl.StringVar(&f.kind, "kind", "", "contract `KIND` for documents without a marker: openapi, swagger, jsonschema, function, asyncapi")
	fl.BoolVar(&f.allowRemoteRefs, "allow-remote-refs", false, "allow $ref to http(s) URLs")
	fl.IntVar(&f.maxFiles, "max-files", load.DefaultMaxFiles, "most files one contract may span through $ref (`N`)")
	f.maxTotalBytes = load.DefaultMaxTotalBytes
	fl.Var(&f.maxTotalBytes, "max-total-bytes", "most bytes one contract's files may hold together, such as 256MiB")
	return cmd
}

// options checks the flags and arguments; every problem is a usage error.
func (f *validateFlags) options(ios *iostreams.IOStreams, args []string) (*ValidateOptions, error) {
	if len(args) == 0 {
		return nil, usageErrorf("missing the contract to validate: give one or more FILEs (- for standard input)")
	}
	for _, a := range args {
		if a == "" {
			return nil, usageErrorf("an argument is empty; give each contract as a path, or - for standard input")
		}
	}
	if countOf(args, stdinName) > 1 {
		return nil, usageErrorf("standard input (-) can be read only once")
	}
	if f.maxFiles < 1 {
		return nil, usageErrorf("--max-files must be at least 1, not %d", f.maxFiles)
	}
	opts := &ValidateOptions{IO: ios, Files: args, AllowRemoteRefs: f.allowRemoteRefs, MaxFiles: f.maxFiles,
		MaxTotalBytes: int(f.maxTotalBytes)}
	var err error
	if opts.Kind, err = parseKind(f.kind); err != nil {
		return nil, err
	}
	if opts.Outputs, err = planOutputs(f.formats, f.output); err != nil {
		return nil, err
	}
	for _, o := range opts.Outputs {
		if !slices.Contains(report.ValidationFormats(), o.Format) {
			return nil, usageErrorf("--format %s is not a validation format (want one of: %s)",
				o.Format, strings.Join(report.ValidationFormats(), ", "))
		}
	}
	return opts, nil
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// runValidate validates every file, writes the reports, and exits 1 when
// any file is not valid.
func runValidate(ctx context.Context, opts *ValidateOptions) error {
	results := make([]report.ValidationResult, len(opts.Files))
	for i, file := range opts.Files {
		r, err := opts.validateFile(ctx, file)
		if err != nil {
			return err
		}
		results[i] = r
	}
	v := report.NewValidation(report.Tool{Name: "relay", Version: Version()}, results)
	if err := writeValidation(opts.IO, opts.Outputs, v); err != nil {
		return err
	}
	if v.Summary.ExitCode != report.ExitValid {
		return &verdictError{code: v.Summary.ExitCode}
	}
	return nil
}

// validateFile loads one contract the way the diff does and validates it.
// A file that cannot be loaded is a result too (unloadable, with the
// loader's message); only a failure of the validator itself is an error.
func (opts *ValidateOptions) validateFile(ctx context.Context, file string) (report.ValidationResult, error) {
	var lo load.Options
	var err error
	if file == stdinName {
		lo, err = stdinLoadOptions(ctx, opts.IO, "given")
	} else {
		lo, err = fileLoadOptions(file, "given")
	}
	if err != nil {
		return unloadable(file, err), nil
	}
	lo.Kind = opts.Kind
	lo.Limits.MaxFiles = opts.MaxFiles
	lo.Limits.MaxTotalBytes = opts.MaxTotalBytes
	if opts.AllowRemoteRefs {
		lo.Fetch = fetchRemoteRef
	}
	// A schema that breaks its meta-schema is an invalid document, which
	// validate reports as such, not a file that could not be loaded.
	lo.DeferContractCheck = true
	doc, err := load.Load(lo)
	if err != nil {
		return unloadable(file, err), nil
	}
	printLoadWarnings(opts.IO.ErrOut, doc)
	probs, err := validate.Document(ctx, doc)
	if err != nil {
		return report.ValidationResult{}, fmt.Errorf("validating %s: %w", file, err)
	}
	return report.ValidationResult{Source: file, Kind: string(doc.Kind), SpecVersion: doc.SpecVersion,
		SHA256: doc.SHA256, Problems: probs}, nil
}

// unloadable records a file the loader refused, at the position its error
// names (none for a file that does not exist).
func unloadable(file string, err error) report.ValidationResult {
	p := finding.Problem{Message: err.Error(), Location: finding.Location{File: file}}
	var se *source.Error
	if errors.As(err, &se) {
		p.Message = se.Msg
		p.Location = finding.Location{File: se.Pos.File, Line: se.Pos.Line, Column: se.Pos.Col}
	}
	return report.ValidationResult{Source: file, Status: report.StatusUnloadable, Problems: []finding.Problem{p}}
}

// writeValidation renders every report before writing any, so a render
// failure leaves no half-updated set of files behind.
func writeValidation(ios *iostreams.IOStreams, outs []output, v *report.Validation) error {
	return renderThenWrite(ios, outs, func(o output) (renderer[*report.Validation], error) {
		return report.LookupValidation(o.Format)
	}, v)
}
