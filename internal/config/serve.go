package config

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/pflag"
)

// Origin tells which source an option's value came from.
type Origin string

// Origins, in precedence order.
const (
	FromFlag    Origin = "flag"
	FromEnv     Origin = "env"
	FromFile    Origin = "file"
	FromDefault Origin = "default"
)

// Serve is the resolved configuration of roost serve.
type Serve struct {
	// Data is the data directory.
	Data string
	// MTProto is the listen address of the MTProto server.
	MTProto string
	// HTTP is the listen address of the HTTP server.
	HTTP string
	// RSAKey is the path of the handshake's RSA private key.
	RSAKey string
	// DC is the datacenter id announced to clients.
	DC int
	// PublicAddr is the host:port clients are told to use; empty means the
	// address the MTProto listener is bound to (see AdvertisedAddr).
	PublicAddr string
	// CodeWebhook is the URL login codes are POSTed to; empty: none.
	CodeWebhook string
	// Dev enables development mode.
	Dev bool
	// LogLevel is the minimum level logged.
	LogLevel slog.Level
	// File is the config file that was read; empty if none.
	File string

	origins map[string]Origin
}

// Origin returns where the option called name got its value.
func (s Serve) Origin(name string) Origin {
	if o, ok := s.origins[name]; ok {
		return o
	}
	return FromDefault
}

// LookupEnv reads an environment variable, as os.LookupEnv does.
type LookupEnv func(key string) (string, bool)

// Load resolves every option of roost serve with the precedence flag >
// environment > config file > default. fs holds the parsed flags; options
// it does not define come from the other sources. env is usually
// os.LookupEnv; an empty variable counts as unset. Load does not validate:
// call Validate.
func Load(fs *pflag.FlagSet, env LookupEnv) (Serve, error) {
	if env == nil {
		env = os.LookupEnv
	}
	r := resolver{fs: fs, env: env, origins: make(map[string]Origin)}

	// The config file is found first: it may set the data directory.
	cfgPath, _ := r.flagOrEnv(OptConfig)
	if cfgPath != "" {
		if err := r.readFile(cfgPath, true); err != nil {
			return Serve{}, err
		}
	}
	data := r.text(OptData)
	if cfgPath == "" {
		if err := r.readFile(filepath.Join(data, FileName), false); err != nil {
			return Serve{}, err
		}
		if e, ok := r.file[OptData]; ok {
			return Serve{}, fmt.Errorf("%s:%d: data cannot be set in the data directory's own config file", r.fileName, e.line)
		}
	}

	s := Serve{
		Data:        data,
		MTProto:     r.text(OptMTProto),
		HTTP:        r.text(OptHTTP),
		PublicAddr:  r.text(OptPublicAddr),
		CodeWebhook: r.text(OptCodeHook),
		RSAKey:      r.text(OptRSAKey),
		File:        r.fileName,
		origins:     r.origins,
	}
	var err error
	if s.RSAKey == "" {
		s.RSAKey = filepath.Join(s.Data, DefaultRSAKeyName)
	}
	if s.DC, err = r.integer(OptDC); err != nil {
		return Serve{}, err
	}
	if s.Dev, err = r.boolean(OptDev); err != nil {
		return Serve{}, err
	}
	switch level := r.text(OptLogLevel); {
	case level != "":
		if err := s.LogLevel.UnmarshalText([]byte(level)); err != nil {
			return Serve{}, fmt.Errorf("%s: %w", r.where(OptLogLevel), err)
		}
	case s.Dev:
		s.LogLevel = slog.LevelDebug
	default:
		s.LogLevel = slog.LevelInfo
	}
	return s, nil
}

// resolver looks options up in the sources in precedence order.
type resolver struct {
	fs       *pflag.FlagSet
	env      LookupEnv
	file     map[string]entry
	fileName string
	fileDir  string
	origins  map[string]Origin
}

// flagOrEnv returns an option's value from the flags or the environment.
func (r *resolver) flagOrEnv(name string) (string, Origin) {
	if r.fs != nil {
		if f := r.fs.Lookup(name); f != nil && f.Changed {
			return f.Value.String(), FromFlag
		}
	}
	if v, ok := r.env(EnvVar(name)); ok && v != "" {
		return v, FromEnv
	}
	return "", FromDefault
}

// readFile loads the config file at path; a missing file is an error only
// if required.
func (r *resolver) readFile(path string, required bool) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	entries, err := parseFile(f, path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	r.file, r.fileName, r.fileDir = entries, path, filepath.Dir(path)
	return nil
}

// text returns an option's value as text, recording its origin.
func (r *resolver) text(name string) string {
	o, _ := lookup(name)
	v, origin := r.flagOrEnv(name)
	if origin == FromDefault {
		if e, ok := r.file[name]; ok {
			v, origin = e.value, FromFile
			if o.kind == kindPath && v != "" && !filepath.IsAbs(v) {
				v = filepath.Join(r.fileDir, v)
			}
		} else {
			v = o.def
		}
	}
	r.origins[name] = origin
	return v
}

func (r *resolver) integer(name string) (int, error) {
	v := r.text(name)
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not an integer", r.where(name), v)
	}
	return n, nil
}

func (r *resolver) boolean(name string) (bool, error) {
	v := r.text(name)
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s: %q is not a boolean (true, false, 1, 0)", r.where(name), v)
	}
	return b, nil
}

// where names the source of an option for error messages.
func (r *resolver) where(name string) string {
	switch r.origins[name] {
	case FromFlag:
		return "--" + name
	case FromEnv:
		return EnvVar(name)
	case FromFile:
		return fmt.Sprintf("%s:%d: %s", r.fileName, r.file[name].line, name)
	}
	return name
}
