// Package crypto implements the cryptographic primitives of the server side of
// MTProto 2.0: AES-256-IGE, auth keys and the message cipher (with the MTProto
// 1.0 variant needed by auth.bindTempAuthKey), the server RSA key and the
// decoding of req_DH_params encrypted_data (RSA_PAD and the legacy hashed
// form), the Diffie-Hellman group and its checks, the helpers of the auth key
// exchange (temporary AES keys, new_nonce hashes, the first server salt, the
// pq proof of work) and quick-ack tokens.
//
// The package knows no TL types: it takes and returns bytes, fixed-size arrays
// and big integers, and the caller encodes and decodes the TL objects around
// them. Operations on secrets (the RSA private key, the DH exponent) run in
// constant time, and every decryption entry point rejects malformed input with
// an error instead of panicking.
//
// References:
//   - https://core.telegram.org/mtproto/auth_key
//   - https://core.telegram.org/mtproto/description
//   - https://core.telegram.org/mtproto/security_guidelines
//   - https://core.telegram.org/mtproto/mtproto-transports#quick-ack
//   - https://core.telegram.org/api/pfs
package crypto
