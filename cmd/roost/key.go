package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/roostchat/roost/internal/config"
	"github.com/roostchat/roost/mtproto/crypto"
)

func newKeyCmd() *cobra.Command {
	key := &cobra.Command{
		Use:   "key",
		Short: "Manage the server's RSA key",
		Long: `Manage the RSA key that clients use to start the auth key handshake. Clients
must be built or configured with its public half.`,
	}
	public := &cobra.Command{
		Use:   "public",
		Short: "Print the RSA public key (PKCS#1 PEM) and its fingerprint",
		Long: `Print the server's RSA public key as a PKCS#1 PEM block ("BEGIN RSA PUBLIC
KEY"), the form Telegram clients embed, followed by its fingerprint: the
lower 64 bits of SHA1 of the key's TL serialization, which clients match
against server_public_key_fingerprints.

The key file is --rsa-key, by default rsa-key.pem in the data directory.
Flags also read ROOST_DATA, ROOST_RSA_KEY and ROOST_CONFIG and the config file,
as roost serve does.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(cmd.Flags(), os.LookupEnv)
			if err != nil {
				return err
			}
			pemText, fingerprint, err := publicKey(cfg.RSAKey)
			if err != nil {
				return fmt.Errorf("public key of %s: %w", cfg.RSAKey, err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%sfingerprint: %016x (%d)\n", pemText, uint64(fingerprint), fingerprint)
			return err
		},
	}
	config.AddKeyFlags(public.Flags())
	key.AddCommand(public)
	return key
}

// publicKey reads the RSA private key file at path and returns the public
// key as PKCS#1 PEM (ending in a newline) and its fingerprint.
func publicKey(path string) (pemText []byte, fingerprint int64, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	k, err := crypto.ParseServerKeyPEM(b)
	if err != nil {
		return nil, 0, err
	}
	return k.PublicPEM(), k.Fingerprint(), nil
}

// loadOrCreateKey reads the server's RSA key, generating and saving one
// (mode 0600) on first start.
func loadOrCreateKey(path string) (*crypto.ServerKey, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return crypto.ParseServerKeyPEM(b)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	k, err := crypto.GenerateServerKey()
	if err != nil {
		return nil, err
	}
	pemText, err := k.PrivatePEM()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, pemText, 0o600); err != nil {
		return nil, fmt.Errorf("save generated RSA key: %w", err)
	}
	return k, nil
}

// secretFile holds the key of the access hashes handed to clients, in the
// data directory; it must survive restarts.
const secretFile = "access-hash.key"

// loadOrCreateSecret reads the 32-byte secret at path, creating it (mode
// 0600) on first start.
func loadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if len(b) != 32 {
			return nil, fmt.Errorf("%s: %d bytes, want 32", path, len(b))
		}
		return b, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	b = make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("save access-hash secret: %w", err)
	}
	return b, nil
}
