package protocol

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// fusingArches are the GOARCHes on which the Go compiler fuses x*y+z into
// one multiply-add instruction, rounding once instead of twice. amd64 never
// does, so a fused product on any of these makes a mixed cluster store
// different scores for the same log. (riscv64 and loong64 fuse too, but the
// binary does not build there: boltdb, which raft-boltdb imports, lacks them.)
var fusingArches = []string{"arm64", "ppc64le", "s390x"}

// fusedOp matches the fused multiply-add mnemonics of those architectures in
// the compiler's -S listing (FMADDD, FMSUBD, FNMADDD, FNMSUBD, FMADD,
// FMSUB, FNMADD, FNMSUB, FMADDS, ...).
var fusedOp = regexp.MustCompile(`\tFN?M(ADD|SUB)[DS]?\t`)

// applyPackages are the packages whose code runs on the apply path: every
// float computed there can end up in the state or in a reply.
var applyPackages = []string{
	"github.com/geetcache/geetcache/protocol",
	"github.com/geetcache/geetcache/datatypes",
	"github.com/geetcache/geetcache/geohash",
	"github.com/geetcache/geetcache/cluster",
}

// TestNoFusedMultiplyAdd cross-compiles the apply path for every
// architecture that can fuse and fails on any fused multiply-add: each
// product that feeds a sum must be rounded by an explicit float64().
func TestNoFusedMultiplyAdd(t *testing.T) {
	gotool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gotool); err != nil {
		t.Skipf("no go tool to cross-compile with: %v", err)
	}
	for _, arch := range fusingArches {
		t.Run(arch, func(t *testing.T) {
			listing := compileListing(t, gotool, arch)
			if fused := fusedFunctions(listing); len(fused) > 0 {
				t.Errorf("GOARCH=%s fuses a multiply-add on the apply path:\n%s", arch, strings.Join(fused, "\n"))
			}
		})
	}
}

// compileListing returns the assembly the compiler prints for the apply
// path's packages on arch (replayed from the build cache when cached).
func compileListing(t *testing.T, gotool, arch string) string {
	t.Helper()
	args := append([]string{"build", "-gcflags=-S"}, applyPackages...)
	cmd := exec.Command(gotool, args...)
	cmd.Env = append(os.Environ(), "GOARCH="+arch, "GOOS=linux", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("GOARCH=%s go build: %v\n%s", arch, err, out)
	}
	if !strings.Contains(string(out), "STEXT") {
		t.Fatalf("GOARCH=%s go build -gcflags=-S printed no assembly", arch)
	}
	return string(out)
}

// fusedFunctions lists "function: instruction" for each fused instruction.
func fusedFunctions(listing string) []string {
	var fused []string
	fn := ""
	sc := bufio.NewScanner(strings.NewReader(listing))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, " STEXT ") {
			fn, _, _ = strings.Cut(line, " ")
			continue
		}
		if fusedOp.MatchString(line) {
			fused = append(fused, fn+": "+strings.TrimSpace(line))
		}
	}
	return fused
}
