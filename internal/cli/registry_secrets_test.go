package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/relay-dev/relay/internal/registry"
)

// TestMalformedWebhookURLNeverLeaks: a webhook URL is a credential, and a
// malformed one (pasted with its newline, a bad escape, a bad port, an
// IPv6 host without brackets) must never be echoed, neither on stderr nor
// in the audit trail's notify-failed event.
func TestMalformedWebhookURLNeverLeaks(t *testing.T) {
	malformed := map[string]string{
		"trailing newline": "https://hooks.example/services/T0/B0/s3cr3t\n",
		"bad escape":       "https://hooks.example/services/T0/B0/s3cr3t%zz",
		"bad port":         "https://hooks.example:99999/services/T0/B0/s3cr3t",
		"port not numeric": "https://hooks.example:80a/services/T0/B0/s3cr3t",
		"bare IPv6 host":   "http://fe80::1/services/T0/B0/s3cr3t",
		"zoned IPv6 host":  "http://[fe80::1%25en0]:99999/services/T0/B0/s3cr3t",
		"space in host":    "https://hooks example/services/T0/B0/s3cr3t",
	}
	for name, u := range malformed {
		t.Run(name, func(t *testing.T) {
			a := approve(t, "", u)
			assert.Equal(t, exitInput, a.code, a.stderr)
			assert.Contains(t, a.stderr, "relay: $"+NotifyEnv+": the webhook ")
			assert.Contains(t, a.stderr, "; nothing was recorded")
			assert.Equal(t, []string{"publish 1.0.0"}, a.trail(t), "a malformed URL is refused before the decision")
			assertNoWebhookSecret(t, a)
		})
	}
	// A well-formed URL that cannot be reached is a failed delivery,
	// audited without the URL's secrets.
	a := approve(t, "", "https://user:pa55@127.0.0.1:1/services/T0/B0/s3cr3t")
	assert.Equal(t, 0, a.code, a.stderr)
	assert.Equal(t, []string{"publish 1.0.0", "approve 1.0.0", "notify-failed 1.0.0"}, a.trail(t))
	assertNoWebhookSecret(t, a)
}

// assertNoWebhookSecret fails if stderr or the audit trail repeats the
// webhook URL's path or password.
func assertNoWebhookSecret(t *testing.T, a approval) {
	t.Helper()
	events, err := a.store.Audit(context.Background(), registry.AuditFilter{})
	assert.NoError(t, err)
	var trail strings.Builder
	for _, e := range events {
		trail.WriteString(e.Detail + "\n")
	}
	for _, secret := range []string{"s3cr3t", "pa55", "T0/B0"} {
		assert.NotContains(t, a.stderr, secret, "stderr leaks the webhook URL")
		assert.NotContains(t, trail.String(), secret, "the audit trail leaks the webhook URL")
	}
}

// TestRegistryURLSecretsNeverLeak: a database URL's password (in the
// userinfo, with a raw @ in it, or as ?password=) and a keyword/value
// DSN's password never reach a message, whatever fails.
func TestRegistryURLSecretsNeverLeak(t *testing.T) {
	ctx := context.Background()
	for _, loc := range []string{
		"postgres://relay:s3cr3t@127.0.0.1:1/db?connect_timeout=5",
		"postgres://relay:s3c@r3t@127.0.0.1:1/db?connect_timeout=5",
		"postgres://relay@127.0.0.1:1/db?password=s3cr3t&connect_timeout=5",
		"postgresql://relay@127.0.0.1:1/db?sslmode=disable&password=s3cr3t",
		"postgres://relay:s3cr3t@127.0.0.1:notaport/db",
		"postgres://relay:s3cr3t@[::1/db",
		"postgres://relay:s3c%zzr3t@127.0.0.1:1/db",
		"postgres://relay@127.0.0.1:1/db?password=s3c%zzr3t",
		"postgres://relay:s3cr3t@127.0.0.1:1/db\n",
		"mysql://relay:s3cr3t@127.0.0.1/db",
		"mysql://relay@127.0.0.1/db?password=s3cr3t",
		"mysql://relay:s3c@r3t@127.0.0.1/db",
		"host=127.0.0.1 port=1 user=relay password=s3cr3t dbname=db connect_timeout=5",
		"host=127.0.0.1 port=1 password='s3c r3t' dbname=db connect_timeout=5",
		`host=127.0.0.1 port=notaport password='s3c\\' r3t' dbname=db`,
		"host=127.0.0.1 port=notaport password=s3cr3t",
	} {
		_, err := openRegistry(ctx, loc, nil)
		if err == nil {
			t.Errorf("%q opened", loc)
			continue
		}
		for _, secret := range []string{"s3cr3t", "r3t", "s3c"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%q: the message leaks the password: %v", loc, err)
				break
			}
		}
	}
}

// TestKeywordValueDSNIsPostgreSQL: libpq's keyword/value form is a
// PostgreSQL connection string, never a file-store directory named after
// it (with the password in its name).
func TestKeywordValueDSNIsPostgreSQL(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, loc := range []string{
		"host=127.0.0.1 port=1 user=relay password=s3cr3t dbname=db connect_timeout=5",
		"dbname=relay",
		"  host = 127.0.0.1 port=1 connect_timeout=5",
	} {
		_, err := openRegistry(context.Background(), loc, nil)
		if err == nil || !strings.Contains(err.Error(), "cannot connect to the registry database") {
			t.Errorf("%q: %v, want pgstore's connection error", loc, err)
		}
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("a file store was created at %q", e.Name())
	}
	// A directory whose name merely contains = is still a file store.
	s, err := openRegistry(context.Background(), filepath.Join(t.TempDir(), "a=b"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
}
