module github.com/roostchat/roost/compat/layer170

go 1.26.8

require (
	github.com/gotd/td v0.162.0
	github.com/roostchat/roost v0.0.0
)

require (
	github.com/go-faster/errors v0.8.0 // indirect
	github.com/go-faster/jx v1.2.0 // indirect
	github.com/gotd/neo v0.1.5 // indirect
	github.com/segmentio/asm v1.2.1 // indirect
	go.uber.org/multierr v1.11.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)

replace github.com/roostchat/roost => ../..

// gotd/td v0.93.0 is the release of API layer 170, the client these tests
// play. The main module requires gotd v0.162.0 (layer 229) for its own
// tests, so version selection (and go mod tidy, in the require above)
// picks v0.162.0; this replace makes the code v0.93.0 whatever is picked.
replace github.com/gotd/td => github.com/gotd/td v0.93.0
