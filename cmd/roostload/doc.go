// Command roostload is the load generator of the MTProto server: it drives
// a running roost serve (or one it starts itself with --spawn) over
// loopback and prints a table of what it measured.
//
//	roostload handshakes  auth-key creations per second and server CPU per key,
//	                      beside the cost of the same RSA and DH operations alone
//	roostload rpc         encrypted round trips per second at 1, 100 and 1,000
//	                      connections, beside a plain TCP echo server and
//	                      gotd/td's test server (tgtest) answering the same call
//	roostload idle        server memory per idle connection
//	roostload messages    private messages delivered per second and their
//	                      send→receive latency between pairs of signed-up
//	                      users (needs a --dev server, as --spawn runs)
//
// Every run is bounded in time (--duration) and count (--n), targets
// loopback addresses only, and stops by itself. The connections are made
// by a lean client of this package (framing, key exchange and messages on
// mtproto/crypto), so that the client's own cost stays small and equal for
// every target on a machine it shares with the server; --client gotd
// drives the rpc scenario with gotd/td's telegram.Client instead.
// docs/performance.md records the figures and how they were taken.
package main
