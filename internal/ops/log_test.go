package ops

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestLoggerRedacts(t *testing.T) {
	var buf bytes.Buffer
	log := NewLogger(&buf, slog.LevelInfo, false)
	log.Info("login",
		"auth_key", []byte{1, 2, 3},
		"bot_token", "123:ABC",
		"api_hash", "deadbeef",
		"Password", "hunter2",
		"note", Secret("s3cr3t"),
		slog.Group("req", "token", "t0k"),
		"auth_key_id", int64(42),
	)
	log.Debug("hidden", "x", 1)
	out := buf.String()
	for _, leak := range []string{"123:ABC", "deadbeef", "hunter2", "s3cr3t", "t0k", "[1 2 3]", "hidden"} {
		if strings.Contains(out, leak) {
			t.Errorf("log leaks %q: %s", leak, out)
		}
	}
	for _, want := range []string{"auth_key=[REDACTED]", "bot_token=[REDACTED]", "note=[REDACTED]",
		"req.token=[REDACTED]", "auth_key_id=42", "msg=login"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q: %s", want, out)
		}
	}
}

func TestLoggerSource(t *testing.T) {
	var buf bytes.Buffer
	NewLogger(&buf, slog.LevelDebug, true).Debug("here")
	if !strings.Contains(buf.String(), "source=") || !strings.Contains(buf.String(), "level=DEBUG") {
		t.Errorf("dev logger line = %s", buf.String())
	}
}
