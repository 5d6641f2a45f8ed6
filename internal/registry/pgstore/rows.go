package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relay-dev/relay/internal/registry"
)

// row is a function_contract_versions row, without the review columns,
// which are a copy of the log's (only status and last_seq are compared).
type row struct {
	version, kind, main, sha256, author string
	createdAt                           time.Time
	diff                                []byte
	status                              registry.Status
	lastSeq                             int64
	// paths and contents are the bundle, read only when asked for.
	paths    []string
	contents [][]byte
}

const rowColumns = "version, kind, main, sha256, author, created_at, diff, status, last_seq"

func scanRow(r pgx.Row, withFiles bool) (row, error) {
	var w row
	var status string
	dest := []any{&w.version, &w.kind, &w.main, &w.sha256, &w.author, &w.createdAt, &w.diff, &status, &w.lastSeq}
	if withFiles {
		dest = append(dest, &w.paths, &w.contents)
	}
	err := r.Scan(dest...)
	w.status, w.createdAt = registry.Status(status), w.createdAt.UTC()
	return w, err
}

// functionRows reads every row of function, without the bundles; forUpdate
// locks them for the rest of the transaction.
func functionRows(ctx context.Context, q querier, function string, forUpdate bool) (map[string]row, error) {
	sql := "SELECT " + rowColumns + " FROM function_contract_versions WHERE function = $1"
	if forUpdate {
		sql += " FOR UPDATE"
	}
	rows, err := q.Query(ctx, sql, function)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]row{}
	for rows.Next() {
		w, err := scanRow(rows, false)
		if err != nil {
			return nil, err
		}
		out[w.version] = w
	}
	return out, rows.Err()
}

// versionRow reads one row with its bundle; ok is false when there is none.
func versionRow(ctx context.Context, q querier, function, version string) (w row, ok bool, err error) {
	w, err = scanRow(q.QueryRow(ctx, "SELECT "+rowColumns+", file_paths, file_contents FROM function_contract_versions WHERE function = $1 AND version = $2",
		function, version), true)
	if errors.Is(err, pgx.ErrNoRows) {
		return row{}, false, nil
	}
	return w, err == nil, err
}

// checkRow compares a row with the log's record of its version: the
// permanent columns must match the publish event (ErrTampered), and with
// strict the status must be the log's (ErrConflict).
func (h *history) checkRow(w row, strict bool) error {
	ref := registry.Ref(h.function, w.version)
	en := h.versions[w.version]
	switch {
	case en == nil:
		return registry.Errorf(registry.ErrTampered, "%s has a row in function_contract_versions but no publish event in the audit log", ref)
	case w.sha256 != en.v.SHA256 || w.author != en.v.Author || !w.createdAt.Equal(en.v.CreatedAt):
		return registry.Errorf(registry.ErrTampered, "the row of %s does not match its publish event: its sha256, author or time was changed", ref)
	case strict && (w.status != en.v.Status || w.lastSeq != en.lastSeq):
		return registry.Errorf(registry.ErrConflict, "the row of %s says %s (event %d), but the audit log says %s (event %d); it was changed outside relay",
			ref, w.status, w.lastSeq, en.v.Status, en.lastSeq)
	}
	return nil
}

// checkRows checks every row and that every version of the log has one.
func (h *history) checkRows(rows map[string]row, strict bool) error {
	for _, w := range rows {
		if err := h.checkRow(w, strict); err != nil {
			return err
		}
	}
	for version := range h.versions {
		if _, ok := rows[version]; !ok {
			return missingRow(registry.Ref(h.function, version))
		}
	}
	return nil
}

func missingRow(ref string) error {
	return registry.Errorf(registry.ErrTampered, "%s is in the audit log but its row is missing from function_contract_versions", ref)
}

// checkActive compares the active version by the rows' statuses with the
// active version by the log.
func (h *history) checkActive(rows map[string]row) error {
	vs := make([]registry.Version, 0, len(rows))
	for _, w := range rows {
		vs = append(vs, registry.Version{Version: w.version, Status: w.status})
	}
	byRows := ""
	if i := registry.SelectActive(vs); i >= 0 {
		byRows = vs[i].Version
	}
	if byLog := h.active(); byRows != byLog {
		return registry.Errorf(registry.ErrConflict, "the rows of %s make %s active, but the audit log makes %s active; a row was changed outside relay",
			h.function, orNone(byRows), orNone(byLog))
	}
	return nil
}

func orNone(version string) string {
	if version == "" {
		return "no version"
	}
	return version
}

// version combines the log's record of a version with its row.
func (h *history) version(w row) (registry.Version, error) {
	v := h.versions[w.version].v
	v.Kind, v.Main = w.kind, w.main
	if w.diff != nil {
		var d registry.DiffSummary
		if err := json.Unmarshal(w.diff, &d); err != nil {
			return registry.Version{}, registry.Errorf(registry.ErrTampered, "the diff summary of %s is not valid: %v", v.Ref(), err)
		}
		v.Diff = &d
	}
	if w.paths == nil {
		return v, nil
	}
	files := make(map[string][]byte, len(w.paths))
	for i, p := range w.paths {
		if i < len(w.contents) {
			files[p] = w.contents[i]
		}
	}
	if len(files) != len(w.paths) || len(w.contents) != len(w.paths) || registry.BundleSHA256(files) != v.SHA256 {
		return registry.Version{}, registry.Errorf(registry.ErrTampered, "the files of %s do not add up to its published sha256 %s", v.Ref(), v.SHA256)
	}
	v.Files = files
	return v, nil
}
