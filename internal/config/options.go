package config

import "strings"

// Option names: flag names (--data), config file keys (data = …) and, as
// EnvVar spells them, environment variables (ROOST_DATA).
const (
	OptData       = "data"
	OptMTProto    = "mtproto"
	OptHTTP       = "http"
	OptRSAKey     = "rsa-key"
	OptDC         = "dc"
	OptPublicAddr = "public-addr"
	OptDev        = "dev"
	OptLogLevel   = "log-level"
	OptConfig     = "config"
	OptCodeHook   = "code-webhook"
)

// Defaults of the options that have a fixed default.
const (
	DefaultData    = "./roost-data"
	DefaultMTProto = "127.0.0.1:8443"
	DefaultHTTP    = "127.0.0.1:8081"
	DefaultDC      = 2
	// DefaultRSAKeyName is the key file inside the data directory used when
	// rsa-key is not set.
	DefaultRSAKeyName = "rsa-key.pem"
	// FileName is the config file read from the data directory when no
	// config file is given.
	FileName = "roost.conf"
)

// kind is how an option's text is parsed.
type kind int

const (
	kindString kind = iota
	kindPath        // a string; relative paths in a config file are relative to the file
	kindInt
	kindBool
)

// option describes one setting.
type option struct {
	name  string
	kind  kind
	def   string // default as text; "" where the default is computed
	usage string
}

// options lists every setting of roost serve, in --help order.
var options = []option{
	{OptData, kindPath, DefaultData, "data directory: database, keys, config (created with mode 0700)"},
	{OptMTProto, kindString, DefaultMTProto, "MTProto listen address host:port for clients"},
	{OptHTTP, kindString, DefaultHTTP, "HTTP listen address host:port for /healthz, /metrics and web endpoints"},
	{OptRSAKey, kindPath, "", "RSA private key file (PEM) of the handshake (default <data>/" + DefaultRSAKeyName + ")"},
	{OptDC, kindInt, "2", "datacenter id announced to clients (1..5)"},
	{OptPublicAddr, kindString, "", "host:port clients are told to connect to (default: the --mtproto address)"},
	{OptDev, kindBool, "false", "development mode: test phone numbers 99966XYYYY with code XXXXX, login codes in the log, any api_id, debug logging"},
	{OptCodeHook, kindString, "", "URL that login codes are POSTed to as JSON {\"phone\",\"code\"} for delivery by SMS, e-mail or chat"},
	{OptLogLevel, kindString, "", "log level: debug, info, warn or error (default info, debug with --dev)"},
	{OptConfig, kindPath, "", "config file of name = value lines (default <data>/" + FileName + " if present)"},
}

// lookup returns the option called name.
func lookup(name string) (option, bool) {
	for _, o := range options {
		if o.name == name {
			return o, true
		}
	}
	return option{}, false
}

// EnvVar returns the environment variable of an option: ROOST_ and the
// name upper-cased with '-' turned into '_' (rsa-key → ROOST_RSA_KEY).
func EnvVar(name string) string {
	return "ROOST_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}
