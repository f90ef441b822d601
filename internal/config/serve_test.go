package config

import (
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// env returns a LookupEnv over a map.
func env(m map[string]string) LookupEnv {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// flags returns serve's flag set parsed from args.
func flags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	AddServeFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	return fs
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadDefaults(t *testing.T) {
	t.Chdir(t.TempDir()) // no ./roost-data/roost.conf
	s, err := Load(flags(t), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Serve{
		Data: DefaultData, MTProto: DefaultMTProto, HTTP: DefaultHTTP,
		RSAKey: filepath.Join(DefaultData, DefaultRSAKeyName), DC: DefaultDC,
		LogLevel: slog.LevelInfo,
	}
	s.origins = nil
	if !reflect.DeepEqual(s, want) {
		t.Errorf("defaults = %+v, want %+v", s, want)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
}

// TestPrecedence sets every option in the file, and then in the
// environment and on the command line, and checks which one wins.
func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, filepath.Join(dir, "etc", "roost.conf"), `
# every option
data = d-file
mtproto = 127.0.0.1:1001
http = 127.0.0.1:1002
rsa-key = k-file.pem
dc = 1
public-addr = file.example:1
dev = true
log-level = warn
code-webhook = http://file.example/codes
`)
	fileVals := Serve{
		Data: filepath.Join(dir, "etc", "d-file"), MTProto: "127.0.0.1:1001", HTTP: "127.0.0.1:1002",
		RSAKey: filepath.Join(dir, "etc", "k-file.pem"), DC: 1, PublicAddr: "file.example:1",
		Dev: true, LogLevel: slog.LevelWarn, File: cfg, CodeWebhook: "http://file.example/codes",
	}
	envVals := map[string]string{
		"ROOST_CONFIG": cfg, "ROOST_DATA": "d-env", "ROOST_MTPROTO": "127.0.0.1:2001",
		"ROOST_HTTP": "127.0.0.1:2002", "ROOST_RSA_KEY": "k-env.pem", "ROOST_DC": "3",
		"ROOST_PUBLIC_ADDR": "env.example:2", "ROOST_DEV": "false", "ROOST_LOG_LEVEL": "error",
		"ROOST_CODE_WEBHOOK": "http://env.example/codes",
	}
	envWant := Serve{
		Data: "d-env", MTProto: "127.0.0.1:2001", HTTP: "127.0.0.1:2002", RSAKey: "k-env.pem", DC: 3,
		PublicAddr: "env.example:2", Dev: false, LogLevel: slog.LevelError, File: cfg,
		CodeWebhook: "http://env.example/codes",
	}
	args := []string{"--data", "d-flag", "--mtproto", "127.0.0.1:3001", "--http", "127.0.0.1:3002",
		"--rsa-key", "k-flag.pem", "--dc", "4", "--public-addr", "flag.example:3", "--dev", "--log-level", "debug",
		"--code-webhook", "http://flag.example/codes"}
	flagWant := Serve{
		Data: "d-flag", MTProto: "127.0.0.1:3001", HTTP: "127.0.0.1:3002", RSAKey: "k-flag.pem", DC: 4,
		PublicAddr: "flag.example:3", Dev: true, LogLevel: slog.LevelDebug, File: cfg,
		CodeWebhook: "http://flag.example/codes",
	}

	check := func(name string, got Serve, err error, want Serve, origin Origin) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, o := range options {
			if o.name != OptConfig && got.Origin(o.name) != origin {
				t.Errorf("%s: origin of %s = %s, want %s", name, o.name, got.Origin(o.name), origin)
			}
		}
		got.origins = nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
		}
	}
	s, err := Load(flags(t, "--config", cfg), env(nil))
	check("file", s, err, fileVals, FromFile)
	s, err = Load(flags(t), env(envVals))
	check("env over file", s, err, envWant, FromEnv)
	s, err = Load(flags(t, args...), env(envVals))
	check("flags over env", s, err, flagWant, FromFlag)

	// An empty environment variable counts as unset.
	blank := map[string]string{"ROOST_CONFIG": cfg, "ROOST_DC": ""}
	s, err = Load(flags(t), env(blank))
	if err != nil || s.DC != 1 || s.Origin(OptDC) != FromFile {
		t.Errorf("empty ROOST_DC: dc = %d from %s, %v; want 1 from file", s.DC, s.Origin(OptDC), err)
	}
}

func TestDataDirConfig(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	writeFile(t, filepath.Join(data, FileName), "dc = 5\nrsa-key = keys/rsa.pem\n")
	s, err := Load(flags(t, "--data", data), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if s.DC != 5 || s.RSAKey != filepath.Join(data, "keys", "rsa.pem") || s.File != filepath.Join(data, FileName) {
		t.Errorf("from data dir config: %+v", s)
	}
	// An explicit --config replaces the data directory's file.
	other := writeFile(t, filepath.Join(t.TempDir(), "other.conf"), "http = 127.0.0.1:9\n")
	s, err = Load(flags(t, "--data", data, "--config", other), env(nil))
	if err != nil || s.DC != DefaultDC || s.HTTP != "127.0.0.1:9" {
		t.Errorf("with --config: %+v, %v", s, err)
	}
	// The data directory's file cannot move the data directory.
	writeFile(t, filepath.Join(data, FileName), "data = /elsewhere\n")
	if _, err := Load(flags(t, "--data", data), env(nil)); err == nil || !strings.Contains(err.Error(), "cannot be set") {
		t.Errorf("data in data dir config: err = %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, filepath.Join(dir, "bad.conf"), "dc = two\n")
	for _, c := range []struct {
		name string
		args []string
		env  map[string]string
		want string // in the error
	}{
		{"missing config", []string{"--config", filepath.Join(dir, "nope.conf")}, nil, "nope.conf"},
		{"file dc", []string{"--config", bad}, nil, "bad.conf:1: dc"},
		{"env dc", nil, map[string]string{"ROOST_DC": "x", "ROOST_DATA": dir}, "ROOST_DC"},
		{"env dev", nil, map[string]string{"ROOST_DEV": "maybe", "ROOST_DATA": dir}, "ROOST_DEV"},
		{"flag level", []string{"--log-level", "loud", "--data", dir}, nil, "--log-level"},
	} {
		_, err := Load(flags(t, c.args...), env(c.env))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

func TestKeyFlags(t *testing.T) {
	fs := pflag.NewFlagSet("key", pflag.ContinueOnError)
	AddKeyFlags(fs)
	if fs.Lookup(OptDC) != nil || fs.Lookup(OptRSAKey) == nil {
		t.Fatal("key flags: wrong set")
	}
	if err := fs.Parse([]string{"--data", "/srv/roost"}); err != nil {
		t.Fatal(err)
	}
	s, err := Load(fs, env(map[string]string{"ROOST_DC": "3"}))
	if err != nil {
		t.Fatal(err)
	}
	if s.RSAKey != filepath.Join("/srv/roost", DefaultRSAKeyName) || s.DC != 3 {
		t.Errorf("key load = %+v", s)
	}
}

func TestFlagUsageNamesEnv(t *testing.T) {
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	AddServeFlags(fs)
	usage := fs.FlagUsages()
	for _, o := range options {
		if !strings.Contains(usage, EnvVar(o.name)) {
			t.Errorf("usage lacks %s", EnvVar(o.name))
		}
	}
}
