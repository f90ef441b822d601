package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Each scenario runs small against a spawned server; the checks are that
// it completes without errors and measures something, never how fast.

func positive(t *testing.T, what, s string) {
	t.Helper()
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 {
		t.Errorf("%s = %q, want a positive number", what, s)
	}
}

func TestHandshakesScenario(t *testing.T) {
	s, c := spawned(t)
	tables, err := runHandshakes(testCtx(t), c, handshakeConfig{concurrency: []int{1, 2}, floorN: 2, exchange: "lean", tgtest: true}, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 2 {
		t.Fatalf("%d tables, want the floor and the measurement", len(tables))
	}
	positive(t, "floor rows", strconv.Itoa(len(tables[0].rows)))
	// tgtest runs one handshake at a time only (endpoint.serialKeys).
	for _, row := range [][2]string{{"roost", "1"}, {"roost", "2"}, {"tgtest", "1"}} {
		srv, conc := row[0], row[1]
		positive(t, srv+" keys", cell(t, tables[1], "keys", srv, conc))
		if e := cell(t, tables[1], "errors", srv, conc); e != "0" {
			t.Errorf("%s: %s errors", srv, e)
		}
		if cpu := cell(t, tables[1], "server CPU/key", srv, conc); cpu == "-" {
			t.Errorf("%s: no server CPU", srv)
		}
	}
	if len(tables[1].rows) != 3 {
		t.Errorf("%d rows, want roost at 1 and 2 and tgtest at 1", len(tables[1].rows))
	}
}

func TestHandshakesGotdExchange(t *testing.T) {
	s, c := spawned(t)
	c.n = 1 // gotd's exchange checks the prime on every key: one is enough
	tables, err := runHandshakes(testCtx(t), c, handshakeConfig{concurrency: []int{1}, floorN: 1, exchange: "gotd"}, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := cell(t, tables[1], "keys", "roost", "1"); got != "1" {
		t.Errorf("keys = %s, want 1 (--n)", got)
	}
}

func TestRPCScenario(t *testing.T) {
	s, c := spawned(t)
	for _, k := range []call{callNearestDc, callPing} {
		t.Run(k.String(), func(t *testing.T) {
			rc := rpcConfig{conns: []int{1, 5}, targets: []string{"roost", "tgtest", "echo"}, call: k, client: "raw", setup: 2}
			tables, err := runRPC(testCtx(t), c, rc, s)
			if err != nil {
				t.Fatal(err)
			}
			for _, srv := range rc.targets {
				for _, n := range []string{"1", "5"} {
					positive(t, srv+" "+n+" trips/s", cell(t, tables[0], "trips/s", srv, n))
					positive(t, srv+" "+n+" vs echo", cell(t, tables[0], "vs echo", srv, n))
				}
			}
			var out bytes.Buffer
			c.markdown = "-"
			if err := c.output(&out, tables); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "| roost | 5 |") {
				t.Errorf("markdown output lacks the roost row:\n%s", out.String())
			}
		})
	}
}

func TestRPCGotdClient(t *testing.T) {
	s, c := spawned(t)
	rc := rpcConfig{conns: []int{2}, targets: []string{"roost", "tgtest", "echo"}, call: callNearestDc, client: "gotd", setup: 2}
	tables, err := runRPC(testCtx(t), c, rc, s)
	if err != nil {
		t.Fatal(err)
	}
	positive(t, "roost trips/s", cell(t, tables[0], "trips/s", "roost", "2"))
	positive(t, "tgtest trips/s", cell(t, tables[0], "trips/s", "tgtest", "2"))
	if len(tables[0].rows) != 2 {
		t.Errorf("%d rows, want roost and tgtest (echo is skipped for gotd)", len(tables[0].rows))
	}
}

func TestRPCCountBound(t *testing.T) {
	s, c := spawned(t)
	c.duration, c.n = time.Minute, 50
	rc := rpcConfig{conns: []int{3}, targets: []string{"roost"}, call: callPing, client: "raw", setup: 2}
	tables, err := runRPC(testCtx(t), c, rc, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := cell(t, tables[0], "round trips", "roost", "3"); got != "50" {
		t.Errorf("round trips = %s, want 50 (--n)", got)
	}
}

func TestIdleScenario(t *testing.T) {
	s, c := spawned(t)
	c.duration = time.Minute
	tables, err := runIdle(testCtx(t), c, idleConfig{conns: 20, setup: 4, settle: 100 * time.Millisecond}, s)
	if err != nil {
		t.Fatal(err)
	}
	tb := tables[0]
	if !strings.Contains(tb.title, "20,") && !strings.Contains(tb.title, "20 ") && !strings.Contains(tb.title, ": 20") {
		t.Errorf("title %q does not count 20 connections", tb.title)
	}
	for _, m := range []string{"VmRSS", "Go heap in use", "goroutines"} {
		if v := cell(t, tb, "after", m); v == "-" || v == "" {
			t.Errorf("%s after: %q, want a value", m, v)
		}
	}
	// Each idle connection holds at least its goroutine on the server.
	g := cell(t, tb, "per connection", "goroutines")
	if n, err := strconv.ParseFloat(g, 64); err != nil || n < 0.9 {
		t.Errorf("goroutines per connection = %q, want about 1 or more", g)
	}
}
