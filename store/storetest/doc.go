// Package storetest is the conformance suite for store.Store
// implementations. Each implementation calls Run from its own tests, so
// every back end is held to the same rules.
package storetest
