package api

import (
	"testing"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/memory"
	"github.com/roostchat/roost/tg"
)

func TestLoginTokenConversion(t *testing.T) {
	q := &qrLogin{cfg: Config{Core: &core.Core{Store: memory.New(), Secret: []byte("secret")}}}
	exp := time.Unix(1700000030, 0)
	tok, ok := q.loginToken(core.LoginToken{Token: []byte{1, 2, 3}, Expires: exp}).(*tg.AuthLoginToken)
	if !ok || tok.Expires != 1700000030 || string(tok.Token) != "\x01\x02\x03" {
		t.Errorf("waiting token: %+v", tok)
	}
	res, ok := q.loginToken(core.LoginToken{User: store.User{ID: 42, FirstName: "Ann", Phone: "15550001"}}).(*tg.AuthLoginTokenSuccess)
	if !ok {
		t.Fatalf("accepted token: %T", res)
	}
	a, ok := res.Authorization.(*tg.AuthAuthorization)
	if !ok {
		t.Fatalf("authorization: %T", res.Authorization)
	}
	if u, ok := a.User.(*tg.User); !ok || u.ID != 42 || !u.Self || u.Phone != "15550001" {
		t.Errorf("user of the new login: %+v", a.User)
	}
}
