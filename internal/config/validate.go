package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// MaxDC is the highest datacenter id: clients know DCs 1 to 5.
const MaxDC = 5

// Validate checks the resolved values and reports every problem at once.
func (s Serve) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if s.Data == "" {
		add("data: must not be empty")
	}
	if s.RSAKey == "" {
		add("rsa-key: must not be empty")
	}
	if err := checkAddr(s.MTProto, false); err != nil {
		add("mtproto: %w", err)
	}
	if err := checkAddr(s.HTTP, false); err != nil {
		add("http: %w", err)
	}
	if s.MTProto == s.HTTP && !strings.HasSuffix(s.MTProto, ":0") {
		add("mtproto and http: both listen on %s", s.MTProto)
	}
	if s.PublicAddr != "" {
		if err := checkAddr(s.PublicAddr, true); err != nil {
			add("public-addr: %w", err)
		}
	} else if host, _, err := net.SplitHostPort(s.MTProto); err == nil && unspecified(host) {
		add("public-addr: required when mtproto listens on all interfaces (%s): clients need an address to connect to", s.MTProto)
	}
	if s.CodeWebhook != "" {
		if u, err := url.Parse(s.CodeWebhook); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("code-webhook: %q is not an http(s) URL", s.CodeWebhook)
		}
	}
	if s.DC < 1 || s.DC > MaxDC {
		add("dc: %d is out of range 1..%d", s.DC, MaxDC)
	}
	return errors.Join(errs...)
}

// AdvertisedAddr returns the host:port clients are told to connect to:
// PublicAddr if set, else bound, the address the MTProto listener got
// (which resolves port 0).
func (s Serve) AdvertisedAddr(bound string) (string, error) {
	if s.PublicAddr != "" {
		return s.PublicAddr, nil
	}
	host, _, err := net.SplitHostPort(bound)
	if err != nil {
		return "", fmt.Errorf("advertised address: %w", err)
	}
	if unspecified(host) {
		return "", fmt.Errorf("advertised address: listener %s is on all interfaces; set public-addr", bound)
	}
	return bound, nil
}

// checkAddr checks a host:port. A listen address may have an empty host
// (all interfaces) and port 0 (any free port); a public one may not.
func checkAddr(addr string, public bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %w", addr, err)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return fmt.Errorf("%q: port %q is not a number in 0..65535", addr, port)
	}
	if strings.ContainsAny(host, " \t/\\") {
		return fmt.Errorf("%q: bad host %q", addr, host)
	}
	if public {
		if host == "" || unspecified(host) {
			return fmt.Errorf("%q: needs a host clients can reach", addr)
		}
		if p == 0 {
			return fmt.Errorf("%q: port must not be 0", addr)
		}
	}
	return nil
}

// unspecified reports whether a listen host means all interfaces.
func unspecified(host string) bool {
	if host == "" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsUnspecified()
}
