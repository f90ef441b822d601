package core

import "strings"

// NormalizePhone strips "+", spaces, dashes and brackets and checks that
// what is left is 5 to 15 digits (E.164 allows 15).
func NormalizePhone(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0, r == ' ', r == '-', r == '(', r == ')':
		default:
			return "", ErrPhoneNumberInvalid
		}
	}
	p := b.String()
	if len(p) < 5 || len(p) > 15 || p[0] == '0' {
		return "", ErrPhoneNumberInvalid
	}
	return p, nil
}

// testCode returns the fixed code of a test number 99966XYYYY (X is a DC
// id 1..3, the code is X five times), or "" for any other number.
func testCode(phone string) string {
	if len(phone) != 10 || !strings.HasPrefix(phone, "99966") {
		return ""
	}
	x := phone[5]
	if x < '1' || x > '9' {
		return ""
	}
	return strings.Repeat(string(x), 5)
}
