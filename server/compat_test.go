package server

import (
	"flag"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/acl"
	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/scripting"
)

var updateCompat = flag.Bool("update-compat", false, "rewrite the status column of docs/compatibility.md from the command table")

const compatPath = "../docs/compatibility.md"

// compatRow matches a command row: | `name` | group | status | notes |
var compatRow = regexp.MustCompile("^\\| `([a-z_|-]+)` \\| ([^|]*) \\| ([^|]*) \\|(.*)$")

// TestCompatibilityDocMatchesTable keeps docs/compatibility.md true: every
// command in the table is listed as supported, and nothing else is.
func TestCompatibilityDocMatchesTable(t *testing.T) {
	eng := scripting.NewEngine(protocol.DataTable())
	cmds := append(eng.Commands(), eng.EnableFunctions()...)
	s := New(Config{Commands: append(cmds, acl.NewService(nil).Commands()...)}, nil)
	raw, err := os.ReadFile(compatPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	listed := map[string]bool{}
	for i, line := range lines {
		m := compatRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name, status := m[1], strings.TrimSpace(m[3])
		listed[name] = true
		want := "no"
		if s.table.Lookup([]byte(name)) != nil {
			want = "yes"
		}
		if status != want {
			if *updateCompat {
				lines[i] = "| `" + name + "` | " + m[2] + " | " + want + " |" + m[4]
				continue
			}
			t.Errorf("%s: docs say %q, table says %q (run go test ./server -run Compat -update-compat)", name, status, want)
		}
	}
	var missing []string
	for _, c := range s.table.All() {
		if !listed[c.Name] {
			missing = append(missing, c.Name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("commands missing from %s: %v", compatPath, missing)
	}
	if *updateCompat {
		if err := os.WriteFile(compatPath, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
