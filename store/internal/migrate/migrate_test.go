package migrate

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	_ "modernc.org/sqlite"
)

func TestParseName(t *testing.T) {
	for name, want := range map[string]int{
		"0001_init.sql":     1,
		"12_add_users.sql":  12,
		"000000042_x_y.sql": 42,
	} {
		if got, err := ParseName(name); err != nil || got != want {
			t.Errorf("ParseName(%q) = %d, %v; want %d", name, got, err, want)
		}
	}
	for _, name := range []string{"init.sql", "0001.sql", "0001_.sql", "0000_zero.sql", "-1_neg.sql",
		"0001_init.txt", "1a_x.sql", "_x.sql", "9999999999_big.sql", "+1_x.sql"} {
		if _, err := ParseName(name); err == nil {
			t.Errorf("ParseName(%q): no error", name)
		}
	}
}

func FuzzParseName(f *testing.F) {
	for _, s := range []string{"0001_init.sql", "x.sql", "1_.sql", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		v, err := ParseName(name)
		if err == nil && v <= 0 {
			t.Fatalf("ParseName(%q) = %d without error", name, v)
		}
	})
}

func TestLoad(t *testing.T) {
	good := fstest.MapFS{
		"m/0002_b.sql": {Data: []byte("CREATE TABLE b (x INTEGER);")},
		"m/0001_a.sql": {Data: []byte("CREATE TABLE a (x INTEGER);")},
		"m/README":     {Data: []byte("ignored")},
	}
	ms, err := Load(good, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Version != 1 || ms[1].Version != 2 || ms[0].Name != "0001_a.sql" {
		t.Errorf("Load = %+v", ms)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"gap":       {"m/0001_a.sql": {}, "m/0003_c.sql": {}},
		"duplicate": {"m/0001_a.sql": {}, "m/1_b.sql": {}},
		"no one":    {"m/0002_b.sql": {}},
		"bad name":  {"m/first.sql": {}},
		"no dir":    {},
	} {
		if _, err := Load(fsys, "m"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "m.db")+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestApply(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	ms := []Migration{
		{1, "0001_a.sql", "CREATE TABLE a (x INTEGER); INSERT INTO a (x) VALUES (1);"},
		{2, "0002_b.sql", "CREATE TABLE b (x INTEGER);"},
	}
	v, err := Apply(ctx, db, ms[:1], Question)
	if err != nil || v != 1 {
		t.Fatalf("Apply first = %d, %v", v, err)
	}
	for range 2 { // the second run has nothing to do
		if v, err = Apply(ctx, db, ms, Question); err != nil || v != 2 {
			t.Fatalf("Apply all = %d, %v", v, err)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM a").Scan(&n); err != nil || n != 1 {
		t.Errorf("rows in a = %d, %v; want 1 (migration ran once)", n, err)
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != 2 {
		t.Errorf("recorded migrations = %d, %v; want 2", n, err)
	}
	// A binary that knows fewer migrations refuses the newer database.
	if _, err := Apply(ctx, db, ms[:1], Question); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("older binary: err = %v", err)
	}
}

func TestApplyFailureRollsBack(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	ms := []Migration{
		{1, "0001_a.sql", "CREATE TABLE a (x INTEGER);"},
		{2, "0002_bad.sql", "CREATE TABLE b (x INTEGER); THIS IS NOT SQL;"},
	}
	_, err := Apply(ctx, db, ms, Question)
	if err == nil || !strings.Contains(err.Error(), "0002_bad.sql") {
		t.Fatalf("err = %v, want one naming 0002_bad.sql", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'").Scan(&n); err != nil || n != 0 {
		t.Errorf("table b of the failed migration exists (%d, %v)", n, err)
	}
	if v, err := version(ctx, db); err != nil || v != 1 {
		t.Errorf("version after failure = %d, %v; want 1", v, err)
	}
	ms[1].SQL = "CREATE TABLE b (x INTEGER);"
	if v, err := Apply(ctx, db, ms, Question); err != nil || v != 2 {
		t.Errorf("retry after fix = %d, %v", v, err)
	}
}
