// Command roost is the Roost server: one binary that runs the MTProto
// server, the Bot API and the HTTP operations endpoints, plus admin
// commands.
//
//	roost serve            run the server (see roost serve --help)
//	roost key public       print the server's RSA public key and fingerprint
//	roost version          print the version
package main
