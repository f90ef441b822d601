package config

import (
	"strings"
	"testing"
)

func valid() Serve {
	return Serve{Data: "d", MTProto: "127.0.0.1:8443", HTTP: "127.0.0.1:8081", RSAKey: "k", DC: 2}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Serve)
		want string // in the error; "" for valid
	}{
		{"valid", func(*Serve) {}, ""},
		{"port 0 both", func(s *Serve) { s.MTProto, s.HTTP = "127.0.0.1:0", "127.0.0.1:0" }, ""},
		{"ipv6", func(s *Serve) { s.MTProto = "[::1]:443" }, ""},
		{"all interfaces with public", func(s *Serve) { s.MTProto, s.PublicAddr = ":443", "chat.example.org:443" }, ""},
		{"dc 5", func(s *Serve) { s.DC = 5 }, ""},
		{"no data", func(s *Serve) { s.Data = "" }, "data"},
		{"no rsa key", func(s *Serve) { s.RSAKey = "" }, "rsa-key"},
		{"no port", func(s *Serve) { s.MTProto = "127.0.0.1" }, "mtproto"},
		{"big port", func(s *Serve) { s.HTTP = "127.0.0.1:65536" }, "http"},
		{"named port", func(s *Serve) { s.HTTP = "127.0.0.1:http" }, "http"},
		{"same address", func(s *Serve) { s.HTTP = s.MTProto }, "both listen"},
		{"all interfaces", func(s *Serve) { s.MTProto = "0.0.0.0:443" }, "public-addr: required"},
		{"public port 0", func(s *Serve) { s.PublicAddr = "a.example:0" }, "public-addr"},
		{"public no host", func(s *Serve) { s.PublicAddr = ":443" }, "public-addr"},
		{"public unspecified", func(s *Serve) { s.PublicAddr = "[::]:443" }, "public-addr"},
		{"dc 0", func(s *Serve) { s.DC = 0 }, "dc"},
		{"dc 6", func(s *Serve) { s.DC = 6 }, "dc"},
	} {
		s := valid()
		c.edit(&s)
		err := s.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: err = %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	// Every problem is reported at once.
	s := Serve{}
	if err := s.Validate(); err == nil || strings.Count(err.Error(), "\n") < 4 {
		t.Errorf("zero Serve: %v", err)
	}
}

func TestAdvertisedAddr(t *testing.T) {
	s := valid()
	if got, err := s.AdvertisedAddr("127.0.0.1:41234"); err != nil || got != "127.0.0.1:41234" {
		t.Errorf("derived = %q, %v", got, err)
	}
	if _, err := s.AdvertisedAddr("0.0.0.0:443"); err == nil {
		t.Error("all interfaces: no error")
	}
	if _, err := s.AdvertisedAddr("garbage"); err == nil {
		t.Error("garbage: no error")
	}
	s.PublicAddr = "chat.example.org:443"
	if got, err := s.AdvertisedAddr("0.0.0.0:443"); err != nil || got != s.PublicAddr {
		t.Errorf("public = %q, %v", got, err)
	}
}
