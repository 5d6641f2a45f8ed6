package cli

import (
	"errors"
	"net/url"
	"regexp"
	"strings"

	"github.com/relay-dev/relay/internal/registry/notify"
)

// Registry locations are credentials: a PostgreSQL URL or keyword/value
// connection string may carry a password, in the userinfo, in a
// ?password= parameter, or as password=…. Every location is parsed with
// the standard library before use, and what reaches a message is either
// url.URL.Redacted with the password parameter masked too, or a fixed
// description: an unparsable URL is never echoed, since the parser cannot
// say which part of it is the password.

// kvKeyword matches the start of libpq's keyword/value form: a keyword,
// optional spaces, then =.
var kvKeyword = regexp.MustCompile(`^\s*([a-z_]+)\s*=`)

// libpqKeywords are the connection parameters libpq (and pgx) accept in a
// keyword/value string; a location starting with one of them followed by
// = is a PostgreSQL connection string, not a directory name.
var libpqKeywords = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "password": true,
	"passfile": true, "channel_binding": true, "connect_timeout": true, "client_encoding": true,
	"options": true, "application_name": true, "fallback_application_name": true, "keepalives": true,
	"keepalives_idle": true, "keepalives_interval": true, "keepalives_count": true, "tcp_user_timeout": true,
	"replication": true, "gssencmode": true, "sslmode": true, "requiressl": true, "sslcompression": true,
	"sslcert": true, "sslkey": true, "sslpassword": true, "sslrootcert": true, "sslcrl": true, "sslcrldir": true,
	"sslsni": true, "requirepeer": true, "ssl_min_protocol_version": true, "ssl_max_protocol_version": true,
	"krbsrvname": true, "gsslib": true, "service": true, "target_session_attrs": true,
	"load_balance_hosts": true, "statement_timeout": true, "lock_timeout": true,
}

// isKeywordValueDSN reports whether loc is libpq's keyword/value form
// (host=db.internal dbname=registry …).
func isKeywordValueDSN(loc string) bool {
	m := kvKeyword.FindStringSubmatch(loc)
	return m != nil && libpqKeywords[m[1]]
}

// kvDescription names a keyword/value connection string in messages
// without repeating it: only its host and dbname, which are no secret.
func kvDescription(dsn string) string {
	var parts []string
	for _, f := range strings.Fields(dsn) {
		k, v, ok := strings.Cut(f, "=")
		if ok && (k == "host" || k == "dbname") && v != "" && !strings.ContainsAny(v, `'\`) {
			parts = append(parts, k+"="+v)
		}
	}
	if len(parts) == 0 {
		return "the PostgreSQL connection string"
	}
	return "the PostgreSQL connection string (" + strings.Join(parts, " ") + ")"
}

// parseRegistryURL parses a scheme://… location with net/url. Its error
// says what is wrong without quoting any of the URL.
func parseRegistryURL(loc string) (*url.URL, error) {
	u, err := url.Parse(loc)
	if err == nil {
		return u, nil
	}
	return nil, errors.New("the registry URL is not valid: " + notify.URLReason(err) + "; it is not shown because it may hold a password")
}

// checkRegistryQuery refuses a query string net/url cannot fully parse:
// the driver would silently drop the bad pair, which may be the password
// or a setting the user relies on.
func checkRegistryQuery(u *url.URL) error {
	if _, err := url.ParseQuery(u.RawQuery); err != nil {
		return errors.New("the registry URL is not valid: its query has an invalid %-escape (write a literal % as %25); it is not shown because it may hold a password")
	}
	return nil
}

// redactURL is a location as messages may show it: the password in the
// userinfo and in a password parameter masked, an unparsable URL or a
// keyword/value string never repeated.
func redactURL(loc string) string {
	if !strings.Contains(loc, "://") {
		if isKeywordValueDSN(loc) {
			return kvDescription(loc)
		}
		return loc // a directory
	}
	u, err := url.Parse(loc)
	if err != nil {
		return "the registry URL (not shown: it may hold a password)"
	}
	return redactedURL(u)
}

// redactedURL is u.Redacted with a password query parameter masked too.
func redactedURL(u *url.URL) string {
	c := *u
	q, err := url.ParseQuery(c.RawQuery)
	if err != nil {
		c.RawQuery = "…" // ParseQuery drops a bad pair, which may be the password
		return c.Redacted()
	}
	if q.Has("password") || q.Has("sslpassword") {
		for _, k := range []string{"password", "sslpassword"} {
			if q.Has(k) {
				q.Set(k, "xxxxx")
			}
		}
		c.RawQuery = q.Encode()
	}
	return c.Redacted()
}
