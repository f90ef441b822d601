package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/internal/config"
	"github.com/roostchat/roost/store/sqlite"
)

// openCore opens the data directory of an admin command (creating it on
// first use) and returns a Core over its database. SQLite in WAL mode lets
// it run beside a running roost serve.
func openCore(cmd *cobra.Command) (*core.Core, func(), error) {
	cfg, err := config.Load(cmd.Flags(), os.LookupEnv)
	if err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return nil, nil, err
	}
	st, err := sqlite.Open(cmd.Context(), filepath.Join(cfg.Data, dbFile))
	if err != nil {
		return nil, nil, err
	}
	secret, err := loadOrCreateSecret(filepath.Join(cfg.Data, secretFile))
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return &core.Core{Store: st, Secret: secret}, func() { st.Close() }, nil
}

func newAppCmd() *cobra.Command {
	app := &cobra.Command{
		Use:   "app",
		Short: "Manage the API clients (api_id, api_hash) allowed to connect",
		Long: `Register API clients. Outside --dev, a client must present a registered api_id
and its api_hash (initConnection, auth.sendCode), or it gets API_ID_INVALID.`,
	}
	var title string
	create := &cobra.Command{
		Use:   "create",
		Short: "Register an API client and print its api_id and api_hash",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, done, err := openCore(cmd)
			if err != nil {
				return err
			}
			defer done()
			a, err := c.CreateApp(context.WithoutCancel(cmd.Context()), title)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "api_id: %d\napi_hash: %s\n", a.ID, a.Hash)
			return err
		},
	}
	create.Flags().StringVar(&title, "title", "", "the client's name, for the operator")
	create.MarkFlagRequired("title")
	config.AddDataFlags(create.Flags())
	app.AddCommand(create)
	return app
}

func newBotCmd() *cobra.Command {
	bot := &cobra.Command{
		Use:   "bot",
		Short: "Manage bot accounts",
	}
	var username, name string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a bot account and print its token",
		Long: `Create a bot account and print its token ID:SECRET, which logs in over the Bot API
and over MTProto (auth.importBotAuthorization). The username must be a valid
Telegram username ending in "bot". Works while roost serve runs on the same
data directory.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, done, err := openCore(cmd)
			if err != nil {
				return err
			}
			defer done()
			_, token, err := c.CreateBot(context.WithoutCancel(cmd.Context()), 0, username, name)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), token)
			return err
		},
	}
	create.Flags().StringVar(&username, "username", "", "the bot's username, ending in bot (e.g. weather_bot)")
	create.Flags().StringVar(&name, "name", "", "the bot's display name (default: the username)")
	create.MarkFlagRequired("username")
	config.AddDataFlags(create.Flags())
	bot.AddCommand(create)
	return bot
}
