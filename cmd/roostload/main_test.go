package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// roostBin is the roost binary the tests spawn, built once.
var roostBin string

func TestMain(m *testing.M) {
	// startChild runs this binary as the echo and tgtest servers.
	if os.Getenv(childEnv) == "1" {
		main()
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "roostload-test")
	if err != nil {
		panic(err)
	}
	roostBin = filepath.Join(dir, "roost")
	if out, err := exec.Command("go", "build", "-o", roostBin, "../roost").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build roost: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	runAtExit()
	os.RemoveAll(dir)
	os.Exit(code)
}

// spawned starts roost serve for one test.
func spawned(t *testing.T) (*roostServer, *common) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	c := &common{target: targetFlags{spawn: true, roostBin: roostBin, apiID: 1, apiHash: "roostload"}, duration: 500 * time.Millisecond}
	s, err := c.target.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Error(err)
		}
	})
	return s, c
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// cell returns the cell of t in the row whose first cells are key and
// the column named col.
func cell(t *testing.T, tb *table, col string, key ...string) string {
	t.Helper()
	ci := -1
	for i, h := range tb.header {
		if h == col {
			ci = i
		}
	}
	if ci < 0 {
		t.Fatalf("table %q has no column %q", tb.title, col)
	}
rows:
	for _, r := range tb.rows {
		for i, k := range key {
			if r[i] != k {
				continue rows
			}
		}
		return r[ci]
	}
	t.Fatalf("table %q has no row %v", tb.title, key)
	return ""
}
