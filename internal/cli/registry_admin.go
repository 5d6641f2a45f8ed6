package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/registry/pgstore"
)

// newCmdRegistry is the `relay registry` group: administration of a shared
// registry database, and the file registry's git merge driver.
func newCmdRegistry(ios *iostreams.IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "registry <command>",
		Short: "Administer a shared contract registry",
		RunE:  groupRunE,
	}
	cmd.AddCommand(newCmdMigrate(ios, nil), newCmdMergeDriver(ios, nil), newCmdRepair(ios, nil))
	return cmd
}

// MigrateOptions holds `relay registry migrate`'s inputs; of the shared
// registry options it uses the location.
type MigrateOptions struct {
	RegistryOptions
}

func newCmdMigrate(ios *iostreams.IOStreams, runF func(*MigrateOptions) error) *cobra.Command {
	opts := &MigrateOptions{}
	opts.IO = ios
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the PostgreSQL registry's schema",
		Long: `Apply relay's embedded schema migrations to the PostgreSQL database named by
--registry or $` + RegistryEnv + `. It is safe to run again and from several
places at once (a database lock serialises migrators). The file store needs no
migration.`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runMigrate(cmd.Context(), opts)
		}),
	}
	cmd.Flags().StringVar(&opts.Registry, "registry", "", "the database `URL` (postgres://…; default $"+RegistryEnv+")")
	return cmd
}

func runMigrate(ctx context.Context, opts *MigrateOptions) error {
	loc := registryLocation(opts.Registry, opts.Getenv)
	conn, isPG, err := postgresConn(loc)
	if err != nil {
		return err
	}
	if !isPG {
		return fmt.Errorf("%s is a file store, which needs no migration; migrate takes a postgres:// URL", loc)
	}
	if err := pgstore.Migrate(ctx, conn); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "registry schema is at version %d\n", pgstore.SchemaVersion())
	return nil
}
