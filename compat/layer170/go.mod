module github.com/roostchat/roost/compat/layer170

go 1.26.8

require (
	github.com/gotd/td v0.162.0
	github.com/roostchat/roost v0.0.0
)

require (
	github.com/cenkalti/backoff/v4 v4.3.0 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-faster/errors v0.8.0 // indirect
	github.com/go-faster/jx v1.2.0 // indirect
	github.com/go-faster/xor v1.0.0 // indirect
	github.com/gotd/ige v0.3.0 // indirect
	github.com/gotd/neo v0.1.5 // indirect
	github.com/klauspost/compress v1.20.1 // indirect
	github.com/segmentio/asm v1.2.1 // indirect
	go.opentelemetry.io/otel v1.44.0 // indirect
	go.opentelemetry.io/otel/trace v1.44.0 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	go.uber.org/multierr v1.11.0 // indirect
	go.uber.org/zap v1.28.0 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/net v0.61.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	nhooyr.io/websocket v1.8.17 // indirect
	rsc.io/qr v0.2.0 // indirect
)

replace github.com/roostchat/roost => ../..

// gotd/td v0.93.0 is the release of API layer 170, the client these tests
// play. The main module requires gotd v0.162.0 (layer 229) for its own
// tests, so version selection (and go mod tidy, in the require above)
// picks v0.162.0; this replace makes the code v0.93.0 whatever is picked.
replace github.com/gotd/td => github.com/gotd/td v0.93.0
