// Package handshake is the server side of MTProto auth-key creation:
// req_pq(_multi) → resPQ, req_DH_params → server_DH_params_ok,
// set_client_DH_params → dh_gen_ok/retry/fail, over unencrypted messages.
// It keeps bounded state for one connection and stores the new key.
package handshake
