package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// FileFormat documents the config file for --help.
const FileFormat = `Config file: UTF-8 text, one setting per line as "name = value", where name
is a flag name without the dashes (data, mtproto, http, rsa-key, dc,
public-addr, dev, log-level). Blank lines and lines starting with # are
ignored. A value may be written as a double-quoted Go string to keep
leading or trailing spaces or a leading #. Relative paths in the file are
relative to the file's directory. Unknown or repeated names are errors. The
file is the one given by --config (ROOST_CONFIG), else roost.conf in the
data directory if it exists; that one may not set data.`

// maxFileSize bounds a config file; real ones are a few hundred bytes.
const maxFileSize = 1 << 20

// entry is one setting read from a config file.
type entry struct {
	value string
	line  int
}

// parseFile reads a config file. name is used in error messages.
func parseFile(r io.Reader, name string) (map[string]entry, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxFileSize)
	}
	out := make(map[string]entry)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxFileSize)
	for n := 1; sc.Scan(); n++ {
		key, value, err := parseLine(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if key == "" {
			continue
		}
		if prev, ok := out[key]; ok {
			return nil, fmt.Errorf("%s:%d: %s already set on line %d", name, n, key, prev.line)
		}
		out[key] = entry{value: value, line: n}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return out, nil
}

// parseLine parses one line; it returns an empty key for blank and comment
// lines.
func parseLine(line string) (key, value string, err error) {
	line = strings.TrimSuffix(line, "\r")
	trimmed := strings.TrimSpace(line)
	if trimmed == "" || strings.HasPrefix(trimmed, "#") {
		return "", "", nil
	}
	key, value, ok := strings.Cut(trimmed, "=")
	if !ok {
		return "", "", errors.New(`want "name = value"`)
	}
	key = strings.TrimSpace(key)
	value = strings.TrimSpace(value)
	o, known := lookup(key)
	if !known {
		return "", "", fmt.Errorf("unknown setting %q", key)
	}
	if o.name == OptConfig {
		return "", "", errors.New("config cannot be set in a config file")
	}
	if strings.HasPrefix(value, `"`) {
		if value, err = strconv.Unquote(value); err != nil {
			return "", "", fmt.Errorf("%s: bad quoted value: %w", key, err)
		}
	}
	if strings.ContainsAny(value, "\x00\n\r") {
		return "", "", fmt.Errorf("%s: value contains a control character", key)
	}
	return key, value, nil
}
