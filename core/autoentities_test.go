package core

import (
	"reflect"
	"testing"
)

func TestAutoEntities(t *testing.T) {
	for _, c := range []struct {
		text string
		in   []Entity
		want []Entity
	}{
		{"/start", nil, []Entity{{Type: "bot_command", Offset: 0, Length: 6}}},
		{"/start@weather_bot now", nil, []Entity{{Type: "bot_command", Offset: 0, Length: 18}}},
		{"hi /help, @alice_roost!", nil, []Entity{{Type: "bot_command", Offset: 3, Length: 5}, {Type: "mention", Offset: 10, Length: 12}}},
		{"a/b and x@alice_roost and /", nil, nil},
		{"😀 /go", nil, []Entity{{Type: "bot_command", Offset: 3, Length: 3}}},
		{"/start", []Entity{{Type: "bold", Offset: 0, Length: 6}}, []Entity{{Type: "bold", Offset: 0, Length: 6}}},
	} {
		got := autoEntities(c.text, c.in)
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %+v, want %+v", c.text, got, c.want)
		}
	}
}
