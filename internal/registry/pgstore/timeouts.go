package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Every wait on the database is bounded, so that a hung server, a port
// that swallows packets or a session that holds a lock never hangs a CI
// job: connecting (connect_timeout), each statement (statement_timeout)
// and each lock a statement waits for (lock_timeout). The URL's own
// settings win (?connect_timeout=5&statement_timeout=30s, or libpq's
// PGCONNECT_TIMEOUT); Options fill in the rest, then the defaults below.

// The default bounds.
const (
	DefaultConnectTimeout   = 10 * time.Second
	DefaultStatementTimeout = time.Minute
	DefaultLockTimeout      = 30 * time.Second
)

// bounds are the waits one store runs with, for its messages.
type bounds struct {
	connect, statement, lock time.Duration
	// connectFromURL says the connect bound was the URL's (or
	// PGCONNECT_TIMEOUT's) connect_timeout.
	connectFromURL bool
}

// parseConfig parses the connection string and applies the bounds to
// every connection the pool will open.
func parseConfig(url string, opts Options) (*pgxpool.Config, bounds, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message repeats the string with its best guess at the
		// password masked; a string it cannot parse is exactly where that
		// guess fails, so none of it is shown.
		return nil, bounds{}, errors.New("the registry URL is not a valid PostgreSQL connection string (check its quoting, " +
			"port and parameters); it is not shown because it may hold a password")
	}
	return cfg, applyBounds(&cfg.ConnConfig.Config, opts), nil
}

// applyBounds sets the connect timeout and the session's statement and
// lock timeouts where the connection string left them unset.
func applyBounds(c *pgconn.Config, opts Options) bounds {
	b := bounds{connect: c.ConnectTimeout, connectFromURL: c.ConnectTimeout > 0}
	if !b.connectFromURL {
		b.connect = orDefault(opts.ConnectTimeout, DefaultConnectTimeout)
		c.ConnectTimeout = b.connect
	}
	b.statement = sessionBound(c, "statement_timeout", orDefault(opts.StatementTimeout, DefaultStatementTimeout))
	b.lock = sessionBound(c, "lock_timeout", orDefault(opts.LockTimeout, DefaultLockTimeout))
	return b
}

// sessionBound sets a timeout setting for the session unless the
// connection string sets it; it returns the bound in force, or 0 when the
// string's value is not a plain number of milliseconds (the server parses
// units; messages then just name the setting).
func sessionBound(c *pgconn.Config, name string, d time.Duration) time.Duration {
	if v, ok := c.RuntimeParams[name]; ok {
		if ms, err := time.ParseDuration(v + "ms"); err == nil {
			return ms
		}
		return 0
	}
	c.RuntimeParams[name] = fmt.Sprint(d.Milliseconds())
	return d
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// within names a bound for a message: "within 30s (statement_timeout)".
func within(d time.Duration, setting string) string {
	return "within " + bound(d, setting)
}

// bound names a bound: "30s (lock_timeout)", or "its lock_timeout" when
// its value is not known as a duration.
func bound(d time.Duration, setting string) string {
	if d <= 0 {
		return "its " + setting
	}
	return fmt.Sprintf("%s (%s)", d, setting)
}

// connectError words a failed connection. A timeout says what was waited
// for; any other failure keeps the driver's message, which names the
// user, database and host, never the password (a password it misread, as
// part of the host say, is masked wherever it appears).
func connectError(ctx context.Context, err error, c *pgconn.Config, b bounds) error {
	msg := err.Error()
	if ctx.Err() == nil && pgconn.Timeout(err) {
		addr := fmt.Sprintf("%s:%d", c.Host, c.Port)
		how := fmt.Sprintf("%s accepted the connection but did not answer", addr)
		if strings.Contains(msg, "dial error") {
			how = fmt.Sprintf("%s did not accept a connection", addr)
		}
		hint := "connect_timeout, from the registry URL"
		if !b.connectFromURL {
			hint = "set ?connect_timeout=SECONDS in the registry URL to wait longer"
		}
		return fmt.Errorf("cannot connect to the registry database: %s within %s (%s); is it a PostgreSQL server, and is it up?", how, b.connect, hint)
	}
	if c.Password != "" {
		msg = strings.ReplaceAll(msg, c.Password, "xxxxx")
	}
	return errors.New("cannot connect to the registry database: " + msg)
}

// schemaError words Open's schema check failing: a bound that expired says
// so like any read; anything else (ErrSchema above all) is kept as is.
func schemaError(ctx context.Context, err error, b bounds) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "57014" || pgErr.Code == "55P03") {
		return (&Store{bounds: b}).dbError(ctx, err, "read the registry's schema version")
	}
	return err
}
