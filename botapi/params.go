package botapi

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Limits of a request, as the official server has them.
const (
	maxBodySize  = 50 << 20 // multipart uploads
	maxParams    = 1000
	maxFileParts = 50
)

// params is the parameter bag of one request: the query string first,
// then the body, so a query-string value wins over a body value of the
// same name (the official server's lookup order).
type params struct {
	names  []string
	values []string
	files  map[string][]byte
}

func (p *params) add(name, value string) {
	p.names = append(p.names, name)
	p.values = append(p.values, value)
}

// get returns the first value of name, "" when absent.
func (p *params) get(name string) string {
	v, _ := p.lookup(name)
	return v
}

func (p *params) lookup(name string) (string, bool) {
	for i, n := range p.names {
		if n == name {
			return p.values[i], true
		}
	}
	return "", false
}

// has reports whether name was given, even empty.
func (p *params) has(name string) bool {
	_, ok := p.lookup(name)
	return ok
}

// bool reads a flag: true iff the trimmed, lower-cased value is true,
// yes or 1.
func (p *params) bool(name string) bool {
	switch strings.ToLower(strings.TrimSpace(p.get(name))) {
	case "true", "yes", "1":
		return true
	}
	return false
}

// int64 reads an integer leniently: absent, empty or malformed is def.
func (p *params) int64(name string, def int64) int64 {
	v := strings.TrimSpace(p.get(name))
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(v, 64)
		if ferr != nil {
			return 0
		}
		return int64(f)
	}
	return n
}

// clamped reads an integer and clamps it into [lo, hi].
func (p *params) clamped(name string, def, lo, hi int64) int64 {
	n := p.int64(name, def)
	return min(max(n, lo), hi)
}

// errRequestTooLarge and friends are the HTTP layer's failures.
var (
	errBoundary     = &Error{Code: 400, Description: "Bad Request: boundary not found"}
	errTooLarge     = &Error{Code: 413, Description: "Request Entity Too Large"}
	errNoFieldName  = &Error{Code: 400, Description: "Bad Request: field name in multipart/form-data not found"}
	errBadEncoding  = &Error{Code: 415, Description: "Unsupported Media Type"}
	errInvalidUTF8  = &Error{Code: 400, Description: "Bad Request: strings must be encoded in UTF-8"}
	errTooManyFiles = &Error{Code: 413, Description: "Request Entity Too Large: too many files"}
)

// readParams gathers the parameters of r.
func readParams(r *http.Request) (*params, error) {
	p := &params{}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err == nil {
		addValues(p, r.URL.RawQuery, q)
	}
	if r.Method != http.MethodPost || r.Body == nil {
		return p, nil
	}
	body, err := decodedBody(r)
	if err != nil {
		return nil, err
	}
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	switch {
	case strings.Contains(ct, "multipart/form-data"):
		err = readMultipart(p, r.Header.Get("Content-Type"), body)
	case strings.Contains(ct, "application/x-www-form-urlencoded"):
		err = readForm(p, body)
	case strings.Contains(ct, "application/json"):
		err = readJSON(p, body)
	}
	if err != nil {
		return nil, err
	}
	if len(p.names) > maxParams {
		return nil, errTooLarge
	}
	return p, nil
}

// addValues adds query values in the order they appear in raw.
func addValues(p *params, raw string, q url.Values) {
	seen := map[string]int{}
	for _, part := range strings.FieldsFunc(raw, func(r rune) bool { return r == '&' || r == ';' }) {
		k, _, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			continue
		}
		vs := q[name]
		if i := seen[name]; i < len(vs) {
			p.add(name, vs[i])
			seen[name] = i + 1
		}
	}
}

func decodedBody(r *http.Request) (io.Reader, error) {
	var body io.Reader = http.MaxBytesReader(nil, r.Body, maxBodySize)
	switch strings.ToLower(r.Header.Get("Content-Encoding")) {
	case "", "identity":
	case "gzip":
		z, err := gzip.NewReader(body)
		if err != nil {
			return nil, errBadEncoding
		}
		body = io.LimitReader(z, maxBodySize+1)
	case "deflate":
		body = io.LimitReader(flate.NewReader(body), maxBodySize+1)
	default:
		return nil, errBadEncoding
	}
	return body, nil
}

func readAll(body io.Reader) ([]byte, error) {
	b, err := io.ReadAll(body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || len(b) > maxBodySize {
		return nil, errTooLarge
	}
	return b, err
}

func readForm(p *params, body io.Reader) error {
	b, err := readAll(body)
	if err != nil {
		return err
	}
	q, err := url.ParseQuery(string(b))
	if err != nil && len(q) == 0 {
		return nil
	}
	addValues(p, string(b), q)
	return nil
}

// readJSON takes the members of a JSON object: strings as their value,
// anything else as its raw JSON text. A bare string becomes "content";
// malformed JSON keeps what was read before it, as the official server.
func readJSON(p *params, body io.Reader) error {
	b, err := readAll(body)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil
	}
	if s, ok := tok.(string); ok {
		p.add("content", s)
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil // null and other values carry no parameters
	}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil
		}
		key, _ := kt.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil
		}
		var s string
		if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
			p.add(key, s)
		} else {
			p.add(key, string(raw))
		}
	}
	return nil
}

func readMultipart(p *params, contentType string, body io.Reader) error {
	_, mp, err := mime.ParseMediaType(contentType)
	if err != nil || mp["boundary"] == "" {
		return errBoundary
	}
	// An empty body carries no parameters (go-telegram/bot sends one for
	// methods without parameters, such as getMe).
	br := bufio.NewReader(body)
	if _, err := br.Peek(1); err == io.EOF {
		return nil
	}
	mr := multipart.NewReader(br, mp["boundary"])
	files := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return errTooLarge
			}
			return &Error{Code: 400, Description: "Bad Request: can't parse multipart/form-data"}
		}
		name := part.FormName()
		if name == "" {
			return errNoFieldName
		}
		data, err := readAll(part)
		if err != nil {
			return err
		}
		switch {
		case part.FileName() != "":
			if files++; files > maxFileParts {
				return errTooManyFiles
			}
			if p.files == nil {
				p.files = map[string][]byte{}
			}
			p.files[name] = data
		case strings.Contains(strings.ToLower(part.Header.Get("Content-Type")), "application/x-www-form-urlencoded"):
			if err := readForm(p, bytes.NewReader(data)); err != nil {
				return err
			}
		default:
			p.add(name, string(data))
		}
	}
}
