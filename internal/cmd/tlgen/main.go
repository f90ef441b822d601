// Command tlgen generates Roost's TL packages from the shared schemas:
// tg (the canonical API layer: the highest layer-N.tl), mt (the MTProto
// service schema), secret (the secret-chat schema) and the adapters of
// every older layer in layers. It is run by go generate (see tg/generate.go).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/roostchat/roost/tl/gen"
	"github.com/roostchat/roost/tl/schema"
)

func main() {
	root := flag.String("root", ".", "repository root to write into")
	dir := flag.String("schema", "", "schema folder (default: ../shared/schema beside the repository)")
	flag.Parse()
	if err := run(*root, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "tlgen:", err)
		os.Exit(1)
	}
}

func run(root, dir string) error {
	if dir == "" {
		d, err := schema.Dir()
		if err != nil {
			return err
		}
		dir = d
	}
	files, nums, err := schema.Layers(dir)
	if err != nil {
		return err
	}
	if len(nums) == 0 {
		return fmt.Errorf("no layer-N.tl in %s", dir)
	}
	canonN := nums[len(nums)-1]
	canon, err := schema.ParseFile(files[canonN])
	if err != nil {
		return err
	}
	tg, err := gen.NewPackage("tg", canon.Definitions)
	if err != nil {
		return err
	}
	if err := write(root, "tg", tg, filepath.Base(files[canonN])); err != nil {
		return err
	}
	mtDefs, err := serviceDefinitions(dir, canon)
	if err != nil {
		return err
	}
	mt, err := gen.NewPackage("mt", mtDefs)
	if err != nil {
		return err
	}
	if err := write(root, "mt", mt, "mtproto.tl + mtproto-tdesktop.tl"); err != nil {
		return err
	}
	sec, err := schema.ParseFile(filepath.Join(dir, "secret-e2e.tl"))
	if err != nil {
		return err
	}
	sp, err := gen.NewPackage("secret", sec.Definitions)
	if err != nil {
		return err
	}
	return write(root, "secret", sp, "secret-e2e.tl")
}

// serviceDefinitions merges mtproto.tl with what only tdesktop's service
// schema has (bind_auth_key_inner, destroy_auth_key, temporary-key inner
// data), leaving out API types and tdesktop's client-only tls* entries.
func serviceDefinitions(dir string, api *schema.Schema) ([]*schema.Definition, error) {
	base, err := schema.ParseFile(filepath.Join(dir, "mtproto.tl"))
	if err != nil {
		return nil, err
	}
	extra, err := schema.ParseFile(filepath.Join(dir, "mtproto-tdesktop.tl"))
	if err != nil {
		return nil, err
	}
	defs := base.Definitions
	for _, d := range extra.Definitions {
		if base.Find(d.Name) != nil || api.Find(d.Name) != nil || strings.HasPrefix(d.Name, "tls") {
			continue
		}
		defs = append(defs, d)
	}
	return defs, nil
}

// write replaces the generated files of one package folder.
func write(root, pkg string, p *gen.Package, source string) error {
	out, err := p.Files(source)
	if err != nil {
		return err
	}
	return writeFiles(filepath.Join(root, pkg), out)
}

// writeFiles writes files into dir, leaving unchanged files untouched and
// removing *_gen.go files that are no longer generated.
func writeFiles(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*_gen.go"))
	for _, f := range old {
		if _, keep := files[filepath.Base(f)]; !keep {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	for name, b := range files {
		path := filepath.Join(dir, name)
		if cur, err := os.ReadFile(path); err == nil && bytes.Equal(cur, b) {
			continue
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
