package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
)

// ParseFile parses the schema file at path.
func ParseFile(path string) (*Schema, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := Parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

var layerFile = regexp.MustCompile(`^layer-(\d+)\.tl$`)

// Layers lists the layer-N.tl files of dir by layer number, ascending.
func Layers(dir string) (map[int]string, []int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	files := map[int]string{}
	var nums []int
	for _, e := range entries {
		m := layerFile.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		files[n] = filepath.Join(dir, e.Name())
		nums = append(nums, n)
	}
	sort.Ints(nums)
	return files, nums, nil
}

// Dir finds the shared schema folder: $ROOST_SCHEMA, else ../shared/schema
// beside the repository that holds the working directory.
func Dir() (string, error) {
	if d := os.Getenv("ROOST_SCHEMA"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(d, ".git")); err == nil || filepath.Dir(d) == d {
				return filepath.Join(filepath.Dir(d), "shared", "schema"), nil
			}
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no repository above %s; set ROOST_SCHEMA", wd)
		}
	}
}
