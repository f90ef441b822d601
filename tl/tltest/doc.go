// Package tltest helps test generated TL packages: it fills objects with
// random values by reflection and checks that every constructor survives
// an encode/decode round trip.
package tltest
