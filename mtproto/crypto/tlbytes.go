package crypto

// appendTLBytes appends b serialized as a TL bytes/string value: a length
// byte when len(b) < 254, otherwise 0xfe and a 3-byte little-endian length;
// then the data and zero padding to a multiple of 4.
//
// The RSA fingerprint is the only TL serialization this package needs, so
// it keeps this tiny encoder instead of depending on the TL runtime.
func appendTLBytes(dst, b []byte) []byte {
	start := len(dst)
	if n := len(b); n < 254 {
		dst = append(dst, byte(n))
	} else {
		dst = append(dst, 0xfe, byte(n), byte(n>>8), byte(n>>16))
	}
	dst = append(dst, b...)
	for (len(dst)-start)%4 != 0 {
		dst = append(dst, 0)
	}
	return dst
}
