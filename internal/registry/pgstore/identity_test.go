package pgstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/pgstore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// TestActorIsDatabaseUser: with ActorIsDatabaseUser, the author and the
// reviewer are the database logins that wrote, not names in the request.
// Ada cannot approve her own version by calling herself bob, and bob's
// approval is recorded as bob's whatever name is left out.
func TestActorIsDatabaseUser(t *testing.T) {
	c := needCluster(t)
	url := c.newDatabase(t)
	if err := pgstore.Migrate(t.Context(), url); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"ada", "bob"} {
		// Superuser keeps the test about identity, not grants.
		if _, err := conn.Exec(t.Context(), "CREATE ROLE "+role+" LOGIN SUPERUSER"); err != nil && !strings.Contains(err.Error(), "already exists") {
			t.Fatal(err)
		}
	}
	_ = conn.Close(context.Background())
	as := func(user string) *pgstore.Store {
		return open(t, strings.Replace(url, "://relay@", "://"+user+"@", 1), pgstore.Options{ActorIsDatabaseUser: true})
	}
	ada, bob := as("ada"), as("bob")
	defer func() { _ = ada.Close(); _ = bob.Close() }()
	ctx := t.Context()

	req := registrytest.Request(fnPay, "1.0.0", "", "v1")
	v, err := ada.Publish(ctx, req)
	if err != nil || v.Author != "ada" {
		t.Fatalf("Publish as ada = %+v, %v; want author ada", v, err)
	}
	req = registrytest.Request(fnPay, "1.1.0", "bob", "v1.1")
	if _, err := ada.Publish(ctx, req); !errors.Is(err, registry.ErrInvalid) ||
		err.Error() != `the PostgreSQL registry records the database user ada as who publishes my-team/payments@1.1.0, so it cannot record "bob"; connect as that user instead` {
		t.Errorf("Publish as ada naming bob = %v", err)
	}
	if _, err := ada.Apply(ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "bob", To: registry.Approved}); !errors.Is(err, registry.ErrInvalid) {
		t.Errorf("ada approving as bob = %v, want ErrInvalid", err)
	}
	if _, err := ada.Apply(ctx, registry.Change{Function: fnPay, Version: "1.0.0", To: registry.Approved}); !errors.Is(err, registry.ErrSelfApproval) {
		t.Errorf("ada approving her own version = %v, want ErrSelfApproval", err)
	}
	v, err = bob.Apply(ctx, registry.Change{Function: fnPay, Version: "1.0.0", To: registry.Approved})
	if err != nil || v.Reviewer != "bob" {
		t.Errorf("bob approving = %+v, %v; want reviewer bob", v, err)
	}
	if err := bob.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
}
