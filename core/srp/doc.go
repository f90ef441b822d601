// Package srp is the server side of Telegram's two-factor authentication:
// SRP-6a over the 2048-bit MTProto DH group with the KDF
// passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow.
//
// The server never sees the password, nor x = PH2(password, salt1, salt2):
// it stores the algorithm parameters (Algo) and the verifier v = g^x mod p
// (Verifier) that the client computes and sends as new_password_hash. With
// H = SHA-256 and SH(data, salt) = H(salt | data | salt), the client's KDF is
//
//	PH1 = SH(SH(password, salt1), salt2)
//	x   = PH2 = SH(PBKDF2-HMAC-SHA512(PH1, salt1, 100000 iterations), salt2)
//
// Every number that is hashed (p, g, A, B, S) is big-endian and padded to
// 256 bytes, and all arithmetic is modulo p. The package serves only the
// group of mtproto/crypto.DefaultDHGroup (the published 2048-bit safe prime,
// g = 3), which clients recognise without running primality tests.
//
// # Who generates what
//
// Setting a password (account.getPassword, then
// account.updatePasswordSettings):
//   - The server offers new_algo from NewAlgo: an 8-byte random salt1 prefix
//     (NewSalt1), a 16-byte random salt2, g and p.
//   - The client appends 32 random bytes of its own to salt1, computes
//     v = g^PH2(password, salt1, salt2) mod p, and sends back new_algo (with
//     the extended 40-byte salt1) and new_password_hash = v.
//   - The server validates both with CheckVerifier and stores the Algo and
//     the Verifier it returns; they become current_algo.
//
// Checking a password (account.getPassword, then auth.checkPassword or any
// method taking an InputCheckPasswordSRP):
//   - The server creates a Challenge from the stored Algo and Verifier: a
//     secret 2048-bit b, B = (k*v + g^b) mod p with k = H(p | g), and a random
//     srp_id. It sends current_algo, srp_B = Challenge.B and
//     srp_id = Challenge.ID, and keeps the Challenge (for example per auth key
//     or per user, keyed by srp_id) until it is used or expires.
//   - The client draws a secret a, sends A = g^a mod p and the proof
//     M1 = H(H(p) xor H(g) | H(salt1) | H(salt2) | A | B | K), where
//     K = H(S) and S is the shared secret.
//   - Challenge.Check computes u = H(A | B), S = (A * v^u)^b mod p, K = H(S)
//     and the expected M1, and compares it with the client's in constant
//     time. A challenge answers one Check only, successful or not.
//
// account.password also carries secure_random, which this package does not
// produce: send 256 fresh random bytes with every account.getPassword
// answer, because some clients (gotd/td) use it directly as their secret a.
//
// # Errors
//
// The errors map to the RPC errors of the official server:
//   - ErrInvalidSalt: NEW_SALT_INVALID (account.updatePasswordSettings).
//   - ErrUnsupportedGroup, ErrInvalidVerifier: NEW_SETTINGS_INVALID.
//   - ErrChallengeUsed, ErrChallengeExpired, and an srp_id the caller does
//     not know: SRP_ID_INVALID.
//   - ErrInvalidA, and Check returning false: PASSWORD_HASH_INVALID
//     (rate-limited by the caller with FLOOD_WAIT_X).
//   - A stored password that changed since the challenge was made
//     (Challenge.Verifier differs from the stored one): SRP_PASSWORD_CHANGED.
//
// References:
//   - https://core.telegram.org/api/srp
//   - https://core.telegram.org/method/account.getPassword
//   - https://core.telegram.org/method/auth.checkPassword
//   - https://core.telegram.org/method/account.updatePasswordSettings
//   - RFC 5054 (SRP-6a), whose checks on A and u the server applies
package srp
