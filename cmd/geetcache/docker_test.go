package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// dockerfilePath is the repository's Dockerfile, from cmd/geetcache.
var dockerfilePath = filepath.Join("..", "..", "Dockerfile")

// TestDockerfileCopiesEveryPackage checks, without Docker, that the
// Dockerfile's build stage copies every directory of this module that the
// binary imports: a package added later and not copied breaks the image
// build only where a Docker engine runs.
func TestDockerfileCopiesEveryPackage(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	df, err := os.ReadFile(dockerfilePath)
	if err != nil {
		t.Fatalf("failed to read the Dockerfile: %v", err)
	}
	const module = "github.com/geetcache/geetcache/"
	seen := map[string]bool{}
	for _, pkg := range strings.Fields(string(out)) {
		rest, ok := strings.CutPrefix(pkg, module)
		dir, _, _ := strings.Cut(rest, "/")
		if !ok || seen[dir] {
			continue
		}
		seen[dir] = true
		if !strings.Contains(string(df), "\nCOPY "+dir+"/ "+dir+"/\n") {
			t.Errorf("the Dockerfile does not copy %s/ (the binary imports %s)", dir, pkg)
		}
	}
}

// TestDockerImageBuilds builds the image and runs its entrypoint with
// --help where a Docker engine answers; it skips, saying so, where none
// does (as on the machines this suite usually runs on) and in -short mode.
func TestDockerImageBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not building the Docker image")
	}
	if out, err := exec.Command("docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		t.Skipf("no Docker engine here, the image is not built (docker info: %v: %s)", err, strings.TrimSpace(string(out)))
	}
	tag := "geetcache-e2e:" + strconv.Itoa(os.Getpid())
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "docker", "build", "-t", tag, "-f", dockerfilePath, filepath.Join("..", ".."))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("docker", "rmi", "-f", tag).Run() })
	out, err := exec.CommandContext(ctx, "docker", "run", "--rm", tag, "--help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Usage: geetcache") {
		t.Fatalf("docker run %s --help: %v\n%s", tag, err, out)
	}
	out, err = exec.CommandContext(ctx, "docker", "run", "--rm", "--entrypoint", "/usr/local/bin/geetcache", tag, "ready", "--help").CombinedOutput()
	if err != nil {
		t.Fatalf("the image's probe subcommand: %v\n%s", err, out)
	}
}
