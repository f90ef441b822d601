package layer170_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/roostchat/roost/layers"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
	"github.com/roostchat/roost/tl/tltest"
)

// TestRoostToGotd fills every canonical constructor with Roost's filler,
// writes it for layer 170 and requires gotd v0.93.0 to read the bytes and
// write them back unchanged; Roost must read them back too and write the
// same layer-170 bytes again. Canonical constructors the layer lacks fail
// with *layers.UnsupportedError, and exactly the ones docs/layers.md
// counts; those with a substitute come out as an ...Unsupported or
// ...Empty constructor of the layer.
func TestRoostToGotd(t *testing.T) {
	rounds := 20
	if testing.Short() {
		rounds = 2
	}
	l := layers.For(layer)
	doc := readLayerDoc(t)
	f := &tltest.Filler{Rand: rand.New(rand.NewPCG(5, 6)), Types: tg.Types, New: tg.New, MaxDepth: 3}
	layerNames := map[string]bool{}
	for _, n := range gotdNames() {
		layerNames[n] = true
	}
	var lacking, substituted, exact, nested int
	blame := map[string]int{} // lacking constructor → rounds it spoiled
	for _, ti := range tg.Types {
		if ti.Function {
			continue // a server writes no requests
		}
		if l.Lacks(ti.ID) {
			lacking++
			o := tg.New(ti.ID)
			f.Fill(o)
			var ue *layers.UnsupportedError
			if _, err := tl.EncodeLayer(o, l); !errors.As(err, &ue) || ue.ID != ti.ID || ue.Layer != layer {
				t.Errorf("%s: lacking in layer 170, encoding gave %v", ti.Name, err)
			}
			continue
		}
		sub := !layerNames[ti.Name] && !writtenAs[ti.Name]
		if sub {
			substituted++
		}
		ok := true
		for range rounds {
			o := tg.New(ti.ID)
			f.Fill(o)
			if row, ok := o.(*tg.KeyboardInlineButtonRow); ok {
				o = &tg.ReplyInlineMarkup{Rows: []tg.KeyboardInlineButtonRow{*row}}
			}
			b, err := tl.EncodeLayer(o, l)
			var ue *layers.UnsupportedError
			if errors.As(err, &ue) {
				// Something inside has no layer-170 form: the whole
				// object cannot be sent to such a client.
				blame[tg.Types.Name(ue.ID)]++
				nested++
				ok = false
				continue
			}
			if err != nil {
				t.Errorf("%s: encode for layer 170: %v", ti.Name, err)
				ok = false
				break
			}
			if msg := checkLayerBytes(b, l, !gotdWritesBare[ti.Name]); msg != "" {
				t.Errorf("%s: %s", ti.Name, msg)
				ok = false
				break
			}
			if sub {
				name := gotdNames()[tl.Uint32Of(b)]
				if !strings.HasSuffix(name, "Unsupported") && !strings.HasSuffix(name, "Unknown") && !strings.HasSuffix(name, "Empty") {
					t.Errorf("%s: substituted by %s", ti.Name, name)
				}
			}
		}
		if ok {
			exact++
		}
	}
	if lacking != doc.lackingCanon || substituted != doc.substituted {
		t.Errorf("%d lacking and %d substituted canonical constructors; docs/layers.md says %d and %d",
			lacking, substituted, doc.lackingCanon, doc.substituted)
	}
	type kv struct {
		k string
		v int
	}
	var worst []kv
	for k, v := range blame {
		worst = append(worst, kv{k, v})
	}
	sort.Slice(worst, func(i, j int) bool {
		return worst[i].v > worst[j].v || worst[i].v == worst[j].v && worst[i].k < worst[j].k
	})
	if len(worst) > 15 {
		worst = worst[:15]
	}
	t.Logf("canonical constructors: %d lacking (fail as documented), %d substituted; %d written and read back in every round; "+
		"%d rounds failed on a lacking constructor inside, most often %v", lacking, substituted, exact, nested, worst)
}

// writtenAs are canonical constructors that layer 170 writes as its own
// constructors of other names (tl/gen/layers_buttons.go): an inline
// button as the button constructor of its type, an inline keyboard's row
// as keyboardButtonRow. Such a row standing alone reads back as a reply
// keyboard's row, so it is checked where it stands, in replyInlineMarkup.
var writtenAs = map[string]bool{"keyboardInlineButton": true, "keyboardInlineButtonRow": true}

// gotdWritesBare: gotd writes vector<IpPort> elements without their ids
// (it reads them boxed), so it cannot write these back byte for byte.
var gotdWritesBare = map[string]bool{"accessPointRule": true, "help.configSimple": true}

// checkLayerBytes requires gotd to read the layer bytes b (and, when
// same, to write them back unchanged) and Roost to read them back and
// write the same bytes again.
func checkLayerBytes(b []byte, l tl.Layer, same bool) string {
	g, err := gotdDecode(gotdMap(), b)
	if err != nil {
		return fmt.Sprintf("gotd cannot read Roost's layer-170 bytes: %v\n%x", err, b)
	}
	gb, err := gotdEncode(g)
	if err != nil {
		return "gotd re-encode: " + err.Error()
	}
	if same && !bytes.Equal(gb, b) {
		return fmt.Sprintf("gotd wrote Roost's layer-170 bytes back differently:\nRoost %x\ngotd  %x", b, gb)
	}
	d := tl.NewDecoder(b, tg.New)
	d.Layer = l
	o := d.Object()
	if err := d.Err(); err != nil {
		return "Roost cannot read its own layer-170 bytes: " + err.Error()
	}
	again, err := tl.EncodeLayer(o, l)
	if err != nil {
		return "Roost re-encode: " + err.Error()
	}
	if !bytes.Equal(again, b) {
		return fmt.Sprintf("Roost's layer-170 bytes are not stable:\nfirst  %x\nsecond %x", b, again)
	}
	return ""
}
