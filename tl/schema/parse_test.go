package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

func schemaFiles(t *testing.T) []string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.tl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no schema files in %s: %v", dir, err)
	}
	return files
}

// Every definition that has both a written id and a computable one must
// agree: this proves the normalisation used for definitions without ids.
func TestComputedIDsMatchWritten(t *testing.T) {
	for _, f := range schemaFiles(t) {
		s, err := ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, d := range s.Definitions {
			if !d.Written {
				continue
			}
			if d.Name == "message" && d.Result.Name == "Message" && len(d.Params) == 4 {
				continue // mtproto's container element has no id of its own
			}
			checked++
			got := crc(d)
			if got != d.ID && crcUnversioned(d) != d.ID && !idNotDerivable[d.Name] {
				t.Errorf("%s: %s: computed %08x, written %08x\n%s", filepath.Base(f), d.Name, got, d.ID, d.Normalized())
			}
		}
		if checked < 10 {
			t.Errorf("%s: only %d definitions checked", f, checked)
		}
	}
}

// idNotDerivable lists definitions whose written id is not the CRC32 of
// their text: ids kept from an older form of the definition (gotd's
// legacy.tl merges, the configSimple family, one secret-chat media type) and
// tdlib's invokeWith*Prefix pseudo-functions, which borrow the id of the
// real invokeWith* wrapper.
var idNotDerivable = map[string]bool{
	"ipPortSecret": true, "accessPointRule": true, "help.configSimple": true,
	"inputPeerPhotoFileLocationLegacy": true, "inputStickerSetThumbLegacy": true,
	"invokeWithBusinessConnectionPrefix": true, "invokeWithGooglePlayIntegrityPrefix": true,
	"invokeWithApnsSecretPrefix": true, "invokeWithReCaptchaPrefix": true,
	"decryptedMessageMediaDocument": true,
}

// crcUnversioned computes the id of a secret-chat definition that tdlib
// renamed with its layer as a suffix (decryptedMessage8): the id belongs to
// the original name.
func crcUnversioned(d *Definition) uint32 {
	c := *d
	c.Name = strings.TrimRightFunc(c.Name, unicode.IsDigit)
	return computeID(&c)
}

func crc(d *Definition) uint32 {
	c := *d
	c.Written = false
	return computeID(&c)
}

func TestParseDetails(t *testing.T) {
	s, err := Parse(`
// comment
int ? = Int;
vector#1cb5c415 {t:Type} # [ t ] = Vector t;
msg_container#73f1f8dc messages:vector<%message> = MessageContainer;
user#1 flags:# self:flags.0?true name:flags.1?string flags2:# x:flags2.3?Vector<long> = User;
---functions---
invokeWithLayer#da9b0d0d {X:Type} layer:int query:!X = X;
multi#2 a:int
  b:string = Bool;
// LAYER 7
`)
	if err != nil {
		t.Fatal(err)
	}
	if s.Layer != 7 {
		t.Errorf("layer = %d", s.Layer)
	}
	if len(s.Definitions) != 4 {
		t.Fatalf("got %d definitions", len(s.Definitions))
	}
	mc := s.Find("msg_container")
	if a := mc.Params[0].Type; !a.Bare || !a.IsVector() || !a.Args[0].Bare || a.Args[0].Name != "message" {
		t.Errorf("msg_container field: %+v", a)
	}
	u := s.Find("user")
	if !u.Params[1].IsTrueFlag() || u.Params[2].FlagWord != "flags" || u.Params[2].Bit != 1 {
		t.Errorf("user flags: %+v %+v", u.Params[1], u.Params[2])
	}
	if p := u.Params[4]; p.FlagWord != "flags2" || p.Bit != 3 || !p.Type.IsVector() || p.Type.Bare {
		t.Errorf("flags2 field: %+v", p)
	}
	inv := s.Find("invokeWithLayer")
	if !inv.Function || len(inv.Generics) != 1 || !inv.Params[1].Type.GenericRef {
		t.Errorf("invokeWithLayer: %+v", inv)
	}
	if m := s.Find("multi"); m == nil || len(m.Params) != 2 || !m.Function {
		t.Errorf("multi-line definition: %+v", m)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"foo#zz = Foo;",
		"foo#1 a = Foo;",
		"foo#1 a:flags.x?int = Foo;",
		"foo#1 a:Vector<int = Foo;",
		"foo#1 a:int Foo;",
	} {
		if _, err := Parse(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, fn := range []string{"mtproto.tl", "secret-e2e.tl"} {
		dir, _ := Dir()
		if b, err := os.ReadFile(filepath.Join(dir, fn)); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("a#1 b:flags.0?Vector<%c> = D;")
	f.Fuzz(func(t *testing.T, s string) {
		sc, err := Parse(s)
		if err != nil {
			return
		}
		for _, d := range sc.Definitions {
			_ = d.Normalized()
		}
	})
}
