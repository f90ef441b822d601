package crypto

import (
	"crypto/aes"
	"errors"
	"fmt"
	"unsafe"

	"github.com/gotd/ige"
)

// IGE key and IV sizes: AES-256 takes a 32-byte key, and IGE a 32-byte IV made
// of two blocks (OpenSSL convention: the first block stands for the previous
// ciphertext block, the second for the previous plaintext block).
const (
	IGEKeySize = 32
	IGEIVSize  = 2 * aes.BlockSize
)

// ErrIGELength reports input that is not a whole number of AES blocks.
var ErrIGELength = errors.New("aes-ige: input is not a multiple of the block size")

// EncryptIGE encrypts src with AES-256 in IGE mode and writes the result to
// dst, which must be at least len(src) bytes long. dst and src may overlap:
// IGE cannot run in place, so src is then copied first.
func EncryptIGE(dst, src, key, iv []byte) error {
	if err := checkIGE(dst, src, key, iv); err != nil {
		return fmt.Errorf("aes-ige encrypt: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return fmt.Errorf("aes-ige encrypt: %w", err)
	}
	if overlaps(dst, src) {
		src = append([]byte(nil), src...)
	}
	// ige.EncryptBlocks reads but never writes iv.
	ige.EncryptBlocks(block, iv, dst[:len(src)], src)
	return nil
}

// DecryptIGE decrypts src with AES-256 in IGE mode and writes the result to
// dst, which must be at least len(src) bytes long. dst and src may overlap:
// IGE cannot run in place, so src is then copied first.
func DecryptIGE(dst, src, key, iv []byte) error {
	if err := checkIGE(dst, src, key, iv); err != nil {
		return fmt.Errorf("aes-ige decrypt: %w", err)
	}
	if overlaps(dst, src) {
		src = append([]byte(nil), src...)
	}
	// Uses a hardware path where gotd/ige has one, crypto/aes otherwise.
	ige.DecryptAES256Blocks(key, iv, dst[:len(src)], src)
	return nil
}

// checkIGE validates the arguments so that gotd/ige, which panics on bad
// input, is only called with valid ones.
func checkIGE(dst, src, key, iv []byte) error {
	switch {
	case len(key) != IGEKeySize:
		return fmt.Errorf("key is %d bytes, want %d", len(key), IGEKeySize)
	case len(iv) != IGEIVSize:
		return fmt.Errorf("iv is %d bytes, want %d", len(iv), IGEIVSize)
	case len(src)%aes.BlockSize != 0:
		return fmt.Errorf("%w: %d bytes", ErrIGELength, len(src))
	case len(dst) < len(src):
		return fmt.Errorf("dst is %d bytes, shorter than src (%d)", len(dst), len(src))
	}
	return nil
}

// overlaps reports whether x and y share any memory. IGE chains every block
// to the previous plaintext and ciphertext blocks, so unlike CTR it cannot
// work in place.
func overlaps(x, y []byte) bool {
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	xs := uintptr(unsafe.Pointer(unsafe.SliceData(x)))
	ys := uintptr(unsafe.Pointer(unsafe.SliceData(y)))
	return xs < ys+uintptr(len(y)) && ys < xs+uintptr(len(x))
}
