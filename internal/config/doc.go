// Package config resolves the settings of roost commands from four
// sources, highest precedence first: command-line flags, ROOST_*
// environment variables, a config file, and built-in defaults.
//
// The config file is plain text, one "name = value" per line, using the
// flag names (see FileFormat); it is the file given by --config
// (ROOST_CONFIG), or else roost.conf in the data directory if that exists.
// Load resolves; Serve.Validate checks the result.
package config
