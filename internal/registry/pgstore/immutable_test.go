//go:build unix

package pgstore_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/pgstore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// appGrants are the privileges the package doc tells operators to give the
// role relay runs as (roles belong to the cluster, so it may exist already).
const appGrants = `DO $$ BEGIN CREATE ROLE relay_app LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
GRANT SELECT, INSERT ON audit_events TO relay_app;
GRANT SELECT, INSERT, UPDATE ON function_contract_versions TO relay_app;
GRANT SELECT ON schema_migrations TO relay_app`

// asRole rewrites a cluster URL to log in as role.
func asRole(t *testing.T, raw, role string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	return u.String()
}

// seeded returns a database holding 1.0.0 approved and 1.1.0 pending, and
// a store on it opened as the least-privileged application role.
func seeded(t *testing.T) (string, *pgstore.Store) {
	t.Helper()
	c := needCluster(t)
	dbURL := c.newDatabase(t)
	if err := pgstore.Migrate(t.Context(), dbURL); err != nil {
		t.Fatal(err)
	}
	execSQL(t, dbURL, appGrants)
	s := open(t, asRole(t, dbURL, "relay_app"), pgstore.Options{Clock: registrytest.NewClock().Now})
	t.Cleanup(func() { _ = s.Close() })
	ctx := t.Context()
	for _, v := range []string{"1.0.0", "1.1.0"} {
		if _, err := s.Publish(ctx, registrytest.Request(fnPay, v, "alice", v)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "bob", Reason: "ok", To: registry.Approved}); err != nil {
		t.Fatal(err)
	}
	return dbURL, s
}

// TestSchemaGuards tries, as the application role and as the superuser
// with triggers in force, every write that would rewrite history; each
// must be refused by the schema, and the store must be intact afterwards.
func TestSchemaGuards(t *testing.T) {
	dbURL, s := seeded(t)
	app := asRole(t, dbURL, "relay_app")
	ctx := t.Context()
	head, err := s.Audit(ctx, registry.AuditFilter{})
	if err != nil || len(head) != 3 {
		t.Fatalf("Audit: %d events, %v", len(head), err)
	}
	last := head[2]
	refused := []struct{ name, sql string }{
		{"change a file", "UPDATE function_contract_versions SET file_contents[1] = 'x'::bytea WHERE version = '1.0.0'"},
		{"change the sha256", "UPDATE function_contract_versions SET sha256 = repeat('a', 64) WHERE version = '1.0.0'"},
		{"change the kind", "UPDATE function_contract_versions SET kind = 'asyncapi' WHERE version = '1.0.0'"},
		{"change the main file", "UPDATE function_contract_versions SET main = 'paths/pets.yaml' WHERE version = '1.0.0'"},
		{"renumber a version", "UPDATE function_contract_versions SET version = '9.9.9' WHERE version = '1.0.0'"},
		{"move a version", "UPDATE function_contract_versions SET function = 'x/y' WHERE version = '1.0.0'"},
		{"change the author", "UPDATE function_contract_versions SET author = 'mallory' WHERE version = '1.0.0'"},
		{"backdate a version", "UPDATE function_contract_versions SET created_at = created_at - interval '1 day' WHERE version = '1.0.0'"},
		{"change the diff", `UPDATE function_contract_versions SET diff = '{"verdict":"breaking"}' WHERE version = '1.0.0'`},
		{"approve without an event", "UPDATE function_contract_versions SET status = 'approved', reviewer = 'bob' WHERE version = '1.1.0'"},
		{"approve with another version's event", "UPDATE function_contract_versions SET status = 'approved', last_seq = 2 WHERE version = '1.1.0'"},
		{"skip the lifecycle", "UPDATE function_contract_versions SET status = 'withdrawn' WHERE version = '1.1.0'"},
		{"un-approve", "UPDATE function_contract_versions SET status = 'pending' WHERE version = '1.0.0'"},
		{"rewrite a review", "UPDATE function_contract_versions SET reviewer = 'mallory' WHERE version = '1.0.0'"},
		{"delete a version", "DELETE FROM function_contract_versions WHERE version = '1.1.0'"},
		{"insert an approved version", `INSERT INTO function_contract_versions (function, version, kind, main, file_paths, file_contents,
			sha256, author, created_at, status, last_seq) VALUES ('my-team/payments', '2.0.0', 'openapi', 'a', '{a}', '{x}',
			repeat('b', 64), 'alice', now(), 'approved', 1)`},
		{"insert a version without its event", `INSERT INTO function_contract_versions (function, version, kind, main, file_paths,
			file_contents, sha256, author, created_at, status, last_seq) VALUES ('my-team/payments', '2.0.0', 'openapi', 'a', '{a}',
			'{x}', repeat('b', 64), 'alice', now(), 'pending', 1)`},
		{"edit an event", "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2"},
		{"delete an event", "DELETE FROM audit_events WHERE seq = 3"},
		{"fork the chain", "INSERT INTO audit_events (seq, time, actor, action, function, version, detail, prev_hash, hash) " +
			"VALUES (4, now(), 'm', 'approve', 'my-team/payments', '1.1.0', '', '" + head[1].Hash + "', repeat('c', 64))"},
		{"leave a gap", "INSERT INTO audit_events (seq, time, actor, action, function, version, detail, prev_hash, hash) " +
			"VALUES (5, now(), 'm', 'approve', 'my-team/payments', '1.1.0', '', '" + last.Hash + "', repeat('c', 64))"},
		{"link to a wrong hash", "INSERT INTO audit_events (seq, time, actor, action, function, version, detail, prev_hash, hash) " +
			"VALUES (4, now(), 'm', 'approve', 'my-team/payments', '1.1.0', '', repeat('d', 64), repeat('c', 64))"},
		{"truncate the log", "TRUNCATE audit_events CASCADE"},
		{"truncate the versions", "TRUNCATE function_contract_versions"},
		{"switch triggers off", "SET session_replication_role = replica"},
		{"disable the triggers", "ALTER TABLE audit_events DISABLE TRIGGER ALL"},
	}
	for _, as := range []struct{ role, url string }{{"relay_app", app}, {"superuser", dbURL}} {
		for _, r := range refused {
			if as.role == "superuser" && (strings.HasPrefix(r.name, "switch") || strings.HasPrefix(r.name, "disable")) {
				continue // a superuser or owner can; that is what the hash chain is for
			}
			err := tryExec(t, as.url, r.sql)
			if err == nil {
				t.Errorf("as %s, %s: the database allowed it", as.role, r.name)
				continue
			}
			t.Logf("as %s, %s: %v", as.role, r.name, err)
		}
	}
	if err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit after the refused writes: %v", err)
	}
	if v, err := s.Active(ctx, fnPay); err != nil || v.Version != "1.0.0" {
		t.Errorf("Active after the refused writes: %s, %v", v.Version, err)
	}
	if _, err := s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "bob", To: registry.Approved}); err != nil {
		t.Errorf("the store cannot write after the refused writes: %v", err)
	}
}

// tryExec runs sql in a transaction that it rolls back, and returns the
// database's error; a statement that succeeds changes nothing either.
func tryExec(t *testing.T, url, sql string) error {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	tx, err := conn.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	_, err = tx.Exec(t.Context(), sql)
	var pgErr *pgconn.PgError
	if err != nil && !errors.As(err, &pgErr) {
		t.Fatalf("%s: not a database refusal: %v", sql, err)
	}
	return err
}

// TestTamperDetected alters the database behind the store's back, with
// triggers off, in ways the conformance suite does not, and checks that
// reads and writes notice.
func TestTamperDetected(t *testing.T) {
	cases := []struct {
		name   string
		sql    string
		reads  error // what Get 1.0.0 returns
		writes error // what Approve 1.1.0 returns
	}{
		{"swap content and its sha256 together", `UPDATE function_contract_versions
			SET file_contents[1] = 'x'::bytea, sha256 = repeat('e', 64) WHERE version = '1.0.0'`,
			registry.ErrTampered, registry.ErrTampered},
		{"delete a version's row", "DELETE FROM function_contract_versions WHERE version = '1.0.0'",
			registry.ErrTampered, registry.ErrTampered},
		{"delete an event in the middle", "DELETE FROM audit_events WHERE seq = 2",
			registry.ErrTampered, registry.ErrTampered},
		{"rewrite an event and its hash", "UPDATE audit_events SET actor = 'mallory', hash = repeat('f', 64) WHERE seq = 2",
			registry.ErrTampered, registry.ErrTampered},
		{"reject the approved version in its row", "UPDATE function_contract_versions SET status = 'withdrawn' WHERE version = '1.0.0'",
			nil, registry.ErrConflict},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			dbURL, s := seeded(t)
			tamper(t, dbURL, c.sql)
			_, err := s.Get(t.Context(), fnPay, "1.0.0")
			if !errors.Is(err, c.reads) || (c.reads == nil) != (err == nil) {
				t.Errorf("Get: %v, want %v", err, c.reads)
			}
			_, err = s.Apply(t.Context(), registry.Change{Function: fnPay, Version: "1.1.0", Actor: "bob", To: registry.Approved})
			if !errors.Is(err, c.writes) {
				t.Errorf("Approve: %v, want %v", err, c.writes)
			}
			if err != nil && !strings.Contains(err.Error(), fnPay) && !strings.Contains(err.Error(), "event") {
				t.Errorf("Approve's error names neither the function nor an event: %v", err)
			}
		})
	}
}

// TestEmptyFile stores a file whose content is nil: the schema refuses NULL
// elements, so the store must write empty bytes, and read them back.
func TestEmptyFile(t *testing.T) {
	s := openNew(t, needCluster(t), pgstore.Options{})
	defer s.Close()
	req := registrytest.Request(fnPay, "1.0.0", "alice", "x")
	req.Files["schemas/empty.json"] = nil
	if _, err := s.Publish(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	v, err := s.Get(t.Context(), fnPay, "1.0.0")
	if err != nil || len(v.Files["schemas/empty.json"]) != 0 || v.SHA256 != registry.BundleSHA256(req.Files) {
		t.Errorf("Get: %v, %q", err, v.Files["schemas/empty.json"])
	}
}
