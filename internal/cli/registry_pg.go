package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/registry/pgstore"
)

// newCmdRegistry is the `relay registry` group: administration of a shared
// registry database.
func newCmdRegistry(ios *iostreams.IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "registry <command>",
		Short: "Administer a shared contract registry",
		RunE:  groupRunE,
	}
	var url string
	migrate := &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the PostgreSQL registry's schema",
		Long: `Apply relay's embedded schema migrations to the PostgreSQL database named by
--registry or $` + RegistryEnv + `. It is safe to run again and from several
places at once (a database lock serialises migrators). The file store needs no
migration.`,
		Args: cobra.NoArgs,
		RunE: runE(func(_ *cobra.Command, _ []string) error {
			loc := registryLocation(url, nil)
			if !isPostgres(schemeOf(loc)) {
				return fmt.Errorf("%s is a file store, which needs no migration; migrate takes a postgres:// URL", loc)
			}
			if err := pgstore.Migrate(context.Background(), loc); err != nil {
				return err
			}
			fmt.Fprintf(ios.ErrOut, "registry schema is at version %d\n", pgstore.SchemaVersion())
			return nil
		}),
	}
	migrate.Flags().StringVar(&url, "registry", "", "the database `URL` (postgres://…; default $"+RegistryEnv+")")
	cmd.AddCommand(migrate)
	return cmd
}

// schemeOf returns the URL scheme of loc, or "" for a plain path.
func schemeOf(loc string) string {
	scheme, _, ok := strings.Cut(loc, "://")
	if !ok || strings.ContainsAny(scheme, "/.\\") {
		return ""
	}
	return scheme
}
