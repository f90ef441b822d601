package ops

import (
	"io"
	"log/slog"
	"strings"
)

// Redacted replaces the value of attributes whose key names a secret.
const Redacted = "[REDACTED]"

// secretKeys are attribute keys whose values are never written, whatever
// their type: a second line of defence behind "do not log secrets".
var secretKeys = map[string]bool{
	"auth_key": true, "password": true, "passwd": true, "token": true,
	"secret": true, "private_key": true, "phone_code": true,
}

// secretSuffixes extend secretKeys to keys such as bot_token or api_hash.
var secretSuffixes = []string{"_token", "_secret", "_password", "_hash", "_private_key"}

// IsSecretKey reports whether the logger redacts attributes named key.
func IsSecretKey(key string) bool {
	k := strings.ToLower(key)
	if secretKeys[k] {
		return true
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(k, s) {
			return true
		}
	}
	return false
}

// Secret is a string that logs as [REDACTED] under any key.
type Secret string

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

// NewLogger returns the server logger: text lines on w (stderr in the
// server) at level and above, with source positions if addSource is set
// (development mode), and secret-named attributes redacted.
func NewLogger(w io.Writer, level slog.Leveler, addSource bool) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		Level:     level,
		AddSource: addSource,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if IsSecretKey(a.Key) && a.Value.Kind() != slog.KindGroup {
				return slog.String(a.Key, Redacted)
			}
			return a
		},
	}))
}
