package cli

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"

	"github.com/relay-dev/relay/internal/iostreams"
)

// hangingListener accepts TCP connections on 127.0.0.1 and never answers.
func hangingListener(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	})
	return l.Addr().(*net.TCPAddr).Port
}

// runRelay runs one relay command line in-process and returns its exit
// code and stderr. The context is the test's safety net against a hang;
// nothing asserts on how long the command took.
func runRelay(t *testing.T, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ios, _, _, stderr := iostreams.Test()
	code := execute(ctx, func() *cobra.Command { return newRootCmd(ios) }, args, ios)
	return code, stderr.String()
}

// TestRegistryConnectTimeout: a PostgreSQL registry that accepts the
// connection and never answers makes every registry command fail (exit 1)
// with a sentence saying what it waited for, instead of hanging; the
// URL's connect_timeout sets the bound, and the password stays hidden.
func TestRegistryConnectTimeout(t *testing.T) {
	port := hangingListener(t)
	url := fmt.Sprintf("postgres://relay:s3cr3t@127.0.0.1:%d/registry?sslmode=disable&connect_timeout=1", port)
	want := fmt.Sprintf("relay: cannot connect to the registry database: 127.0.0.1:%d accepted the connection but did not answer within 1s (connect_timeout, from the registry URL)", port)
	for _, args := range [][]string{
		{"contract", "versions", "t/f", "--registry", url},
		{"contract", "approve", "t/f@1.0.0", "--reviewer", "bob", "--registry", url},
		{"registry", "migrate", "--registry", url},
		{"contract", "versions", "t/f", "--registry", fmt.Sprintf("host=127.0.0.1 port=%d user=relay password=s3cr3t dbname=registry sslmode=disable connect_timeout=1", port)},
	} {
		code, stderr := runRelay(t, args...)
		assert.Equal(t, exitInput, code, "%v: %s", args, stderr)
		assert.Contains(t, stderr, want, args)
		assert.NotContains(t, stderr, "s3cr3t", args)
	}
}

// TestMigrateRefusesOtherSchemesWithoutLeaking: migrate words its
// refusals like the other registry commands, password masked.
func TestMigrateRefusesOtherSchemesWithoutLeaking(t *testing.T) {
	code, stderr := runRelay(t, "registry", "migrate", "--registry", "mysql://relay:s3cr3t@127.0.0.1/db?password=s3cr3t")
	assert.Equal(t, exitInput, code, stderr)
	assert.Contains(t, stderr, `unknown registry URL scheme "mysql"`)
	assert.NotContains(t, stderr, "s3cr3t")
}
