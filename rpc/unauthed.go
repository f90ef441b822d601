package rpc

import "strings"

// unauthedAllowed reports methods a client may call before it is logged
// in (the official list: auth.*, help.*, langpack.*, and a few more).
func unauthedAllowed(method string) bool {
	for _, p := range []string{"auth.", "help.", "langpack.", "account.getPassword", "initConnection", "invokeWith"} {
		if strings.HasPrefix(method, p) {
			return true
		}
	}
	return false
}
