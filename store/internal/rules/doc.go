// Package rules holds the checks and normalisations of store arguments
// that every back end applies the same way, so that they answer the same
// ErrInvalid for the same input and match text alike.
package rules
