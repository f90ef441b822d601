package botapi

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/roostchat/roost/core"
)

// FuzzReadParams: any body under any content type gives parameters or a
// Bot API error, never a panic.
func FuzzReadParams(f *testing.F) {
	f.Add("application/json", []byte(`{"chat_id":5,"text":"hi","reply_markup":{"inline_keyboard":[]}}`))
	f.Add("application/x-www-form-urlencoded", []byte("chat_id=5&text=a%20b"))
	f.Add("multipart/form-data; boundary=xx", []byte("--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--xx--\r\n"))
	f.Add("application/json", []byte(`"bare"`))
	f.Add("multipart/form-data", []byte(""))
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		r, err := http.NewRequest(http.MethodPost, "/bot1:x/sendMessage?offset=1", bytes.NewReader(body))
		if err != nil {
			return
		}
		r.Header.Set("Content-Type", ct)
		p, err := readParams(r)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T %v is not a Bot API error", err, err)
			}
			return
		}
		if p.get("offset") != "1" {
			t.Fatalf("the query string lost: %q", p.get("offset"))
		}
	})
}

// FuzzReplyMarkup: any reply_markup is a checked keyboard or an error.
func FuzzReplyMarkup(f *testing.F) {
	f.Add(`{"inline_keyboard":[[{"text":"a","callback_data":"b"}]]}`)
	f.Add(`{"keyboard":[["a",{"text":"b","request_contact":true}]],"resize_keyboard":true}`)
	f.Add(`{"remove_keyboard":true}`)
	f.Add(`{"force_reply":true,"input_field_placeholder":"x"}`)
	f.Add(`{"inline_keyboard":[{"text":"a"}]}`)
	f.Fuzz(func(t *testing.T, raw string) {
		p := &params{}
		p.add("reply_markup", raw)
		m, err := replyMarkup(p)
		if err != nil || m == nil {
			return
		}
		// What parses is stored and read back the same.
		back := core.DecodeMarkup(core.EncodeMarkup(m))
		if back == nil || back.Kind != m.Kind || len(back.Rows) != len(m.Rows) {
			t.Fatalf("markup %+v read back as %+v", m, back)
		}
		m.Check() // must not panic; an error is the answer for a bad one
	})
}

// FuzzEntities: any entities parameter becomes entities of the types a
// bot may give, or an error; never a panic.
func FuzzEntities(f *testing.F) {
	f.Add(`[{"type":"bold","offset":0,"length":2}]`)
	f.Add(`[{"type":"text_mention","offset":0,"length":1,"user":{"id":5}}]`)
	f.Add(`[{"type":"custom_emoji","offset":0,"length":2,"custom_emoji_id":"123"}]`)
	f.Fuzz(func(t *testing.T, raw string) {
		c := &call{p: &params{}}
		c.p.add("entities", raw)
		es, err := c.entities("entities")
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T %v is not a Bot API error", err, err)
			}
			return
		}
		for _, e := range es {
			if !entityTypes[e.Type] {
				t.Fatalf("entity of type %q let through", e.Type)
			}
		}
	})
}
