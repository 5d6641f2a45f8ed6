package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/relay-dev/relay/internal/registry"
)

// ErrSchema is returned when the database's schema is not the one this
// binary needs: not migrated yet, migrated by a newer relay, or migrated
// from other files.
var ErrSchema = errors.New("registry database schema mismatch")

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one embedded schema step.
type migration struct {
	version int
	name    string // the file name, e.g. 0001_init.sql
	sql     string
	sha256  string
}

// migrations parses the embedded files once: NNNN_name.sql, numbered from 1
// without gaps.
var migrations = sync.OnceValues(func() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n < 1 {
			return nil, fmt.Errorf("embedded migration %s is not named NNNN_name.sql", base)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: n, name: base, sql: string(b), sha256: registry.FileSHA256(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("embedded migrations are not numbered 1, 2, 3…: %s is number %d", m.name, i+1)
		}
	}
	return out, nil
})

// SchemaVersion is the schema version this binary needs: the number of its
// last migration.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    integer     PRIMARY KEY,
	name       text        NOT NULL,
	sha256     text        NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// Migrate brings the schema of the database at url up to SchemaVersion. It
// is idempotent, and concurrent migrators take turns on an advisory lock,
// so running it from several deploy jobs at once is safe.
func Migrate(ctx context.Context, url string) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		_, _, err = parseConfig(url, Options{}) // the same refusal, without echoing the string
		return err
	}
	b := applyBounds(&cfg.Config, Options{})
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return connectError(ctx, err, &cfg.Config, b)
	}
	// Closing the session also releases its advisory lock.
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1, $2)", lockClass, lockMigrate); err != nil {
		var pgErr *pgconn.PgError
		if ctx.Err() == nil && errors.As(err, &pgErr) && pgErr.Code == "55P03" {
			return fmt.Errorf("cannot migrate: another migrator held the registry's migration lock longer than %s; "+
				"let it finish and run migrate again, or look for a stuck relay registry migrate",
				bound(b.lock, "lock_timeout"))
		}
		return fmt.Errorf("cannot lock the registry database for migration: %w", err)
	}
	if _, err := conn.Exec(ctx, createMigrationsTable); err != nil {
		return fmt.Errorf("cannot create schema_migrations: %w", err)
	}
	applied, err := appliedMigrations(ctx, conn)
	if err != nil {
		return err
	}
	if err := compareApplied(applied, ms); err != nil {
		return err
	}
	for _, m := range ms[len(applied):] {
		if err := apply(ctx, conn, m); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one migration and records it, in one transaction.
func apply(ctx context.Context, conn *pgx.Conn, m migration) error {
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)", m.version, m.name, m.sha256)
		return err
	})
	if err != nil {
		return fmt.Errorf("migration %s failed and was rolled back: %w", m.name, err)
	}
	return nil
}

// appliedMigrations lists schema_migrations in version order; a database
// without the table has applied none.
func appliedMigrations(ctx context.Context, conn *pgx.Conn) ([]migration, error) {
	rows, err := conn.Query(ctx, "SELECT version, name, sha256 FROM schema_migrations ORDER BY version")
	var out []migration
	if err == nil {
		// Depending on the query mode, a missing table is reported here.
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (migration, error) {
			var m migration
			err := r.Scan(&m.version, &m.name, &m.sha256)
			return m, err
		})
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read schema_migrations: %w", err)
	}
	return out, nil
}

// compareApplied insists that the database applied a prefix of the
// embedded migrations, byte for byte.
func compareApplied(applied, embedded []migration) error {
	for i, a := range applied {
		if a.version != i+1 {
			return registry.Errorf(ErrSchema, "the registry database's schema_migrations skips from version %d to %d; it was not written by relay", i, a.version)
		}
		if i >= len(embedded) {
			return registry.Errorf(ErrSchema, "the registry database schema is at version %d, newer than version %d that this relay knows: upgrade relay",
				applied[len(applied)-1].version, len(embedded))
		}
		if e := embedded[i]; a.sha256 != e.sha256 {
			return registry.Errorf(ErrSchema, "the registry database applied migration %d (%s) from a different file than this relay's %s; it was migrated by another build",
				a.version, a.name, e.name)
		}
	}
	return nil
}

// checkSchema is Open's check: the database must be exactly at
// SchemaVersion, with the embedded migrations.
func checkSchema(ctx context.Context, conn *pgx.Conn) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	applied, err := appliedMigrations(ctx, conn)
	if err != nil {
		return err
	}
	if err := compareApplied(applied, ms); err != nil {
		return err
	}
	if len(applied) < len(ms) {
		return registry.Errorf(ErrSchema, "the registry database schema is at version %d, relay needs %d: run `relay registry migrate`",
			len(applied), len(ms))
	}
	return nil
}
