package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relay-dev/relay/internal/registry"
)

// session is one write, inside its transaction and under the chain lock.
type session struct {
	tx   pgx.Tx
	head *registry.Event // the chain's last event; nil for an empty log
	h    *history        // the function being written
	rows map[string]row  // its rows, locked FOR UPDATE
}

// write runs do in a transaction that holds the chain lock, on a state
// read after the lock was granted: the whole chain verified, and the
// function's rows locked and matching the log. do's changes and its audit
// event commit together.
func (s *Store) write(ctx context.Context, function, version string, do func(*session) (registry.Version, error)) (registry.Version, error) {
	if err := ctx.Err(); err != nil {
		return registry.Version{}, err
	}
	var out registry.Version
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		// SET cannot take a bind parameter; the value is a formatted integer.
		if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d", s.lockTimeout.Milliseconds())); err != nil {
			return err
		}
		sess, err := begin(ctx, tx, function)
		if err != nil {
			return err
		}
		out, err = do(sess)
		return err
	})
	if err != nil {
		return registry.Version{}, s.dbError(ctx, err, "write "+registry.Ref(function, version))
	}
	return out, nil
}

// begin takes the chain lock and reads and checks the state.
func begin(ctx context.Context, tx pgx.Tx, function string) (*session, error) {
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", lockClass, lockChain); err != nil {
		return nil, err
	}
	head, events, err := verifyChain(ctx, tx, function)
	if err != nil {
		return nil, err
	}
	h, err := replay(function, events)
	if err != nil {
		return nil, err
	}
	rows, err := functionRows(ctx, tx, function, true)
	if err != nil {
		return nil, err
	}
	if err := h.checkRows(rows, true); err != nil {
		return nil, err
	}
	return &session{tx: tx, head: head, h: h, rows: rows}, nil
}

// appendEvent chains e after the head and inserts it.
func (sess *session) appendEvent(ctx context.Context, e registry.Event) (registry.Event, error) {
	e = registry.Chain(sess.head, e)
	_, err := sess.tx.Exec(ctx, "INSERT INTO audit_events ("+eventColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		e.Seq, e.Time, e.Actor, string(e.Action), e.Function, e.Version, e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		return e, err
	}
	sess.head = &e
	// The caller checked the event against the state, so it applies.
	return e, sess.h.apply(e)
}

// Publish stores a new pending version and its publish event.
func (s *Store) Publish(ctx context.Context, req registry.PublishRequest) (registry.Version, error) {
	var err error
	if req.Author, err = s.actor(req.Author, "publishes "+registry.Ref(req.Function, req.Version)); err != nil {
		return registry.Version{}, err
	}
	v, diff, err := newVersion(req)
	if err != nil {
		return registry.Version{}, err
	}
	return s.write(ctx, v.Function, v.Version, func(sess *session) (registry.Version, error) {
		if err := sess.checkNew(v); err != nil {
			return registry.Version{}, err
		}
		v.CreatedAt = s.clock.Stamp()
		e, err := sess.appendEvent(ctx, registry.Event{Time: v.CreatedAt, Actor: v.Author, Action: registry.ActionPublish,
			Function: v.Function, Version: v.Version, Detail: v.SHA256})
		if err != nil {
			return registry.Version{}, err
		}
		paths, contents := bundleColumns(v.Files)
		_, err = sess.tx.Exec(ctx, `INSERT INTO function_contract_versions
			(function, version, kind, main, file_paths, file_contents, sha256, author, created_at, diff, status, last_seq)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			v.Function, v.Version, v.Kind, v.Main, paths, contents, v.SHA256, v.Author, v.CreatedAt, diff, string(v.Status), e.Seq)
		if err != nil {
			return registry.Version{}, err
		}
		v.Files = registry.CloneFiles(v.Files)
		return v, nil
	})
}

// newVersion validates a request and turns it into a pending version and
// its diff summary as the jsonb parameter: JSON text, or nil for NULL. (A
// string, not bytes: under the simple protocol bytes are sent as bytea.)
func newVersion(req registry.PublishRequest) (registry.Version, any, error) {
	if err := registry.ValidateRef(req.Function, req.Version); err != nil {
		return registry.Version{}, nil, err
	}
	ref := registry.Ref(req.Function, req.Version)
	if strings.TrimSpace(req.Author) == "" {
		return registry.Version{}, nil, registry.Errorf(registry.ErrInvalid, "%s needs an author", ref)
	}
	if strings.TrimSpace(req.Kind) == "" {
		return registry.Version{}, nil, registry.Errorf(registry.ErrInvalid, "%s needs a contract kind", ref)
	}
	if err := registry.ValidateBundle(ref, req.Main, req.Files); err != nil {
		return registry.Version{}, nil, err
	}
	var diff any
	var d *registry.DiffSummary
	if req.Diff != nil {
		copied := *req.Diff
		d = &copied
		b, _ := json.Marshal(d) // a struct of strings and ints: cannot fail
		diff = string(b)
	}
	files := registry.CloneFiles(req.Files)
	return registry.Version{Function: req.Function, Version: req.Version, Kind: req.Kind, Main: req.Main, Files: files,
		SHA256: registry.BundleSHA256(files), Status: registry.Pending, Author: req.Author, Diff: d}, diff, nil
}

// bundleColumns splits a bundle into the parallel arrays of its row. A nil
// file is stored as empty bytes: the schema refuses NULL elements.
func bundleColumns(files map[string][]byte) ([]string, [][]byte) {
	paths := make([]string, 0, len(files))
	contents := make([][]byte, 0, len(files))
	for p, b := range files {
		if b == nil {
			b = []byte{}
		}
		paths, contents = append(paths, p), append(contents, b)
	}
	return paths, contents
}

// checkNew refuses a version number the function has, or content it has
// under another number, with the file store's words.
func (sess *session) checkNew(v registry.Version) error {
	if old := sess.h.versions[v.Version]; old != nil {
		return registry.Errorf(registry.ErrExists, "%s already exists (%s); published content never changes, so publish it under a new version number",
			v.Ref(), old.v.Status)
	}
	for _, old := range sess.h.list() {
		if old.SHA256 == v.SHA256 {
			return registry.Errorf(registry.ErrIdentical, "%s is identical to %s (%s, sha256 %s); there is nothing new to publish",
				v.Ref(), old.Ref(), old.Status, short(v.SHA256))
		}
	}
	return nil
}

func short(sum string) string { return sum[:min(12, len(sum))] }

// optTime is a nullable timestamptz: NULL for the zero time.
func optTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
