package config

import (
	"fmt"
	"strconv"

	"github.com/spf13/pflag"
)

// AddServeFlags defines every option of roost serve on fs. The usage text
// of each flag names its environment variable.
func AddServeFlags(fs *pflag.FlagSet) {
	for _, o := range options {
		addFlag(fs, o)
	}
}

// AddKeyFlags defines the options that locate the RSA key (data, rsa-key,
// config) on fs, for the key commands.
func AddKeyFlags(fs *pflag.FlagSet) {
	for _, name := range []string{OptData, OptRSAKey, OptConfig} {
		o, _ := lookup(name)
		addFlag(fs, o)
	}
}

// AddDataFlags defines the flags of admin commands that only open the
// data directory: --data and --config.
func AddDataFlags(fs *pflag.FlagSet) {
	for _, name := range []string{OptData, OptConfig} {
		o, _ := lookup(name)
		addFlag(fs, o)
	}
}

func addFlag(fs *pflag.FlagSet, o option) {
	usage := fmt.Sprintf("%s [$%s]", o.usage, EnvVar(o.name))
	switch o.kind {
	case kindBool:
		def, _ := strconv.ParseBool(o.def)
		fs.Bool(o.name, def, usage)
	case kindInt:
		def, _ := strconv.Atoi(o.def)
		fs.Int(o.name, def, usage)
	default:
		fs.String(o.name, o.def, usage)
	}
}
