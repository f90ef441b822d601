package api

import (
	"context"
	"encoding/binary"
	"errors"
	"time"

	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

type auth struct{ cfg Config }

// bindTempAuthKey binds the temporary key the call came with to a
// permanent key (PFS), with every check of the official page.
func (a *auth) bindTempAuthKey(ctx context.Context, req *tg.AuthBindTempAuthKeyRequest) (bool, error) {
	s, msgID := rpc.SessionFrom(ctx)
	temp := s.AuthKey()
	if !temp.Temporary() {
		return false, rpc.BadRequest("TEMP_AUTH_KEY_EMPTY")
	}
	if req.ExpiresAt <= int32(time.Now().Unix()) || time.Unix(int64(req.ExpiresAt), 0).After(temp.ExpiresAt.Add(time.Minute)) {
		return false, rpc.BadRequest("EXPIRES_AT_INVALID")
	}
	if len(req.EncryptedMessage) < 8 {
		return false, rpc.BadRequest("ENCRYPTED_MESSAGE_INVALID")
	}
	keyID := int64(binary.LittleEndian.Uint64(req.EncryptedMessage))
	if keyID != req.PermAuthKeyID {
		return false, rpc.BadRequest("ENCRYPTED_MESSAGE_INVALID")
	}
	// An unknown permanent key is reported as ENCRYPTED_MESSAGE_INVALID:
	// the PFS page tells clients to drop both keys on that error when the
	// permanent key is older than a minute, which is how a client learns
	// that the server lost (or never had) its key.
	perm, err := a.cfg.Store.AuthKeys().Get(ctx, req.PermAuthKeyID)
	if err != nil || perm.Temporary() {
		return false, rpc.BadRequest("ENCRYPTED_MESSAGE_INVALID")
	}
	pk := crypto.AuthKey(perm.Key)
	msg, err := crypto.DecryptBindMessage(&pk, req.EncryptedMessage)
	if err != nil {
		return false, rpc.BadRequest("ENCRYPTED_MESSAGE_INVALID")
	}
	if err := msg.Verify(crypto.BindParams{MsgID: msgID, PermAuthKeyID: req.PermAuthKeyID, Nonce: req.Nonce,
		ExpiresAt: req.ExpiresAt, TempAuthKeyID: temp.ID, TempSessionID: s.ID()}); err != nil {
		return false, rpc.BadRequest("ENCRYPTED_MESSAGE_INVALID")
	}
	switch err := s.BindTemp(ctx, perm.ID); {
	case errors.Is(err, store.ErrAlreadyBound):
		return false, rpc.BadRequest("TEMP_AUTH_KEY_ALREADY_BOUND")
	case err != nil:
		return false, err
	}
	return true, nil
}
