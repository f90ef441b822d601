// Package ops holds what operators see of a running server: the Prometheus
// metrics the MTProto layer updates, the /healthz readiness handler and the
// process logger.
//
// Metrics live in a Metrics value built on a registry (NewRegistry for the
// server, a fresh prometheus.NewRegistry in tests), and its methods are
// nil-safe so that code under test can run without metrics.
package ops
