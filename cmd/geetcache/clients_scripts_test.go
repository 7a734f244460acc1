package main

// Real client libraries' script helpers against the real binary: go-redis
// Script (EVALSHA, falling back to EVAL on NOSCRIPT), redis-py's Lock
// (testdata/redispy_lock.py) and ioredis defineCommand / node-redis
// defineScript (testdata/node/scripts.js), each through a single node and
// through the leader and a follower of a three-node cluster.
//
// The Python and Node.js clients run as child processes. Without python3's
// redis module (Debian: python3-redis) or node and npm the test skips those
// parts locally; under CI=true it fails instead, so CI always runs them.
// The npm packages pinned in testdata/node/package.json are installed once
// into the user's cache folder (or GEETCACHE_NODE_MODULES names a folder
// holding them), never into the repository.
//
// GEETCACHE_SCRIPT_REF=redis runs the same checks against a redis-server
// started by the test instead, to tell a client's habit from a server bug.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// clientScriptTimeout bounds one client process on a loaded CI machine.
const clientScriptTimeout = 2 * time.Minute

// casLua sets KEYS[1] to ARGV[2] only when it holds ARGV[1]: the body of
// the linearizability test's scripted compare-and-set.
const casLua = "if redis.call('get',KEYS[1]) == ARGV[1] then redis.call('set',KEYS[1],ARGV[2]) return 1 else return 0 end"

// scriptTarget is one server address a client library talks to.
type scriptTarget struct {
	name string // single, leader, follower or redis
	addr string
}

// scriptServers starts the servers of TestScriptClients: one geetcache node
// and a three-node cluster (its leader and one follower), or a redis-server
// under GEETCACHE_SCRIPT_REF=redis. It also returns the cluster's other
// follower, nil for the reference.
func scriptServers(t *testing.T) ([]scriptTarget, *node) {
	t.Helper()
	if os.Getenv("GEETCACHE_SCRIPT_REF") == "redis" {
		return []scriptTarget{{"redis", startRedisServer(t)}}, nil
	}
	single := startNode(t)
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 15*time.Second)
	followers := others(nodes, leader)
	return []scriptTarget{{"single", single.addr()}, {"leader", leader.addr()},
		{"follower", followers[0].addr()}}, followers[1]
}

// TestScriptClients: every client's script helper works through every
// target; in a cluster a script loaded through the leader runs by its SHA
// on a follower (the script cache is replicated state).
func TestScriptClients(t *testing.T) {
	targets, spare := scriptServers(t)
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			prefix := "clients:" + tg.name
			t.Run("go-redis", func(t *testing.T) { goRedisScripts(t, tg.addr, prefix) })
			t.Run("redis-py", func(t *testing.T) { redisPyLock(t, tg.addr, prefix) })
			t.Run("node", func(t *testing.T) { nodeScripts(t, tg.addr, prefix) })
		})
	}
	if spare != nil {
		t.Run("loaded on the leader, run on a follower", func(t *testing.T) {
			scriptCacheReplicated(t, targets[1].addr, spare.addr())
		})
	}
}

// goRedisScripts: Script.Run meets NOSCRIPT once and falls back to EVAL,
// then runs by SHA; Load returns the client's SHA and EvalSha uses it;
// RunRO runs a read-only script; an unknown SHA gets Redis's NOSCRIPT text.
func goRedisScripts(t *testing.T, addr, prefix string) {
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	k := prefix + ":gr:cas"
	mustDo(t, c.Set(ctx, k, "a", 0).Err())
	// a body no earlier run loaded, so the first Run meets NOSCRIPT
	cas := redis.NewScript(casLua + " -- " + prefix + " " + strconv.FormatInt(time.Now().UnixNano(), 10))
	wantExists(t, c, cas.Hash(), false)
	wantInt(t, "first Run (EVALSHA, NOSCRIPT, EVAL)", cas.Run(ctx, c, []string{k}, "a", "b"), 1)
	wantExists(t, c, cas.Hash(), true)
	wantInt(t, "second Run (EVALSHA)", cas.Run(ctx, c, []string{k}, "a", "c"), 0)
	if v, err := c.Get(ctx, k).Result(); err != nil || v != "b" {
		t.Fatalf("GET after the scripted CAS = %q, %v; want b", v, err)
	}
	tenIncr := redis.NewScript(tenCommandLua)
	sha, err := tenIncr.Load(ctx, c).Result()
	if err != nil || sha != tenIncr.Hash() {
		t.Fatalf("Script.Load = %q, %v; want %s", sha, err, tenIncr.Hash())
	}
	ctr := prefix + ":gr:ctr"
	mustDo(t, c.Del(ctx, ctr).Err())
	wantInt(t, "EvalSha of the 10-command script", c.EvalSha(ctx, sha, []string{ctr}), 5)
	ro := redis.NewScript("return redis.call('get', KEYS[1])")
	if v, err := ro.RunRO(ctx, c, []string{k}).Text(); err != nil || v != "b" {
		t.Fatalf("RunRO = %q, %v; want b", v, err)
	}
	err = c.EvalSha(ctx, strings.Repeat("f", 40), nil).Err()
	if err == nil || err.Error() != "NOSCRIPT No matching script. Please use EVAL." {
		t.Fatalf("EVALSHA of an unknown SHA: %v", err)
	}
}

// tenCommandLua is the benchmark's EVALSHA script: ten commands on one key
// (docs/bench_scripts.sh runs the same body).
const tenCommandLua = "redis.call('incr',KEYS[1]) redis.call('incr',KEYS[1]) redis.call('incr',KEYS[1]) " +
	"redis.call('incr',KEYS[1]) redis.call('incr',KEYS[1]) redis.call('get',KEYS[1]) redis.call('get',KEYS[1]) " +
	"redis.call('get',KEYS[1]) redis.call('exists',KEYS[1]) return redis.call('get',KEYS[1])"

// scriptCacheReplicated: a script loaded through the leader runs by its SHA
// through a follower, both as EVALSHA_RO (local, after the read barrier)
// and as EVALSHA.
func scriptCacheReplicated(t *testing.T, leaderAddr, followerAddr string) {
	l := redis.NewClient(&redis.Options{Addr: leaderAddr, MaxRetries: -1})
	defer l.Close()
	f := redis.NewClient(&redis.Options{Addr: followerAddr, MaxRetries: -1})
	defer f.Close()
	body := "return 'loaded on the leader " + strconv.FormatInt(time.Now().UnixNano(), 10) + "'"
	sha, err := l.ScriptLoad(ctx, body).Result()
	mustDo(t, err)
	want := strings.TrimSuffix(strings.TrimPrefix(body, "return '"), "'")
	for _, call := range []struct {
		name string
		cmd  *redis.Cmd
	}{{"EVALSHA_RO", f.EvalShaRO(ctx, sha, nil)}, {"EVALSHA", f.EvalSha(ctx, sha, nil)}} {
		if v, err := call.cmd.Text(); err != nil || v != want {
			t.Errorf("%s on the follower = %q, %v; want %q", call.name, v, err, want)
		}
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantInt(t *testing.T, what string, cmd *redis.Cmd, want int64) {
	t.Helper()
	if got, err := cmd.Int64(); err != nil || got != want {
		t.Fatalf("%s = %d, %v; want %d", what, got, err, want)
	}
}

func wantExists(t *testing.T, c *redis.Client, sha string, want bool) {
	t.Helper()
	got, err := c.ScriptExists(ctx, sha).Result()
	if err != nil || len(got) != 1 || got[0] != want {
		t.Fatalf("SCRIPT EXISTS %s = %v, %v; want [%v]", sha, got, err, want)
	}
}

// redisPyLock runs testdata/redispy_lock.py against addr.
func redisPyLock(t *testing.T, addr, prefix string) {
	py := pythonWithRedis(t)
	host, port := splitAddr(t, addr)
	runClient(t, nil, py, filepath.Join("testdata", "redispy_lock.py"), host, port, prefix)
}

// nodeScripts runs testdata/node/scripts.js against addr.
func nodeScripts(t *testing.T, addr, prefix string) {
	modules := nodeModules(t)
	host, port := splitAddr(t, addr)
	runClient(t, []string{"NODE_PATH=" + modules}, "node", filepath.Join("testdata", "node", "scripts.js"),
		host, port, prefix)
}

func splitAddr(t *testing.T, addr string) (string, string) {
	host, port, ok := strings.Cut(addr, ":")
	if !ok {
		t.Fatalf("bad address %q", addr)
	}
	return host, port
}

// runClient runs one client process, logs its output and fails the test
// when it exits non-zero.
func runClient(t *testing.T, env []string, argv ...string) {
	t.Helper()
	cctx, cancel := context.WithTimeout(context.Background(), clientScriptTimeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		t.Log(line)
	}
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(argv, " "), err)
	}
}

// missingTool skips the test, or fails it under CI=true, where .ci/run
// installs every client.
func missingTool(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing (.ci/run installs it)", what)
	}
	t.Skipf("%s is missing: skipping this client", what)
}

// pythonWithRedis returns a python3 that imports redis: GEETCACHE_PYTHON,
// the one on PATH, or Debian's.
func pythonWithRedis(t *testing.T) string {
	t.Helper()
	for _, py := range []string{os.Getenv("GEETCACHE_PYTHON"), "python3", "/usr/bin/python3"} {
		if py != "" && exec.Command(py, "-c", "import redis").Run() == nil {
			return py
		}
	}
	missingTool(t, "python3 with the redis module (Debian: apt-get install python3-redis)")
	return ""
}

var nodeInstall struct {
	once sync.Once
	dir  string
	err  error
}

// nodeModules returns a node_modules folder holding the packages pinned in
// testdata/node/package.json: GEETCACHE_NODE_MODULES, or an npm install into
// the user's cache folder (or the temporary folder) under a name derived
// from package.json, made once and reused by later runs.
func nodeModules(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		missingTool(t, "node (Debian: apt-get install nodejs)")
	}
	if dir := os.Getenv("GEETCACHE_NODE_MODULES"); dir != "" {
		return dir
	}
	if _, err := exec.LookPath("npm"); err != nil {
		missingTool(t, "npm (Debian: apt-get install npm)")
	}
	nodeInstall.once.Do(func() { nodeInstall.dir, nodeInstall.err = installNodeModules() })
	if nodeInstall.err != nil {
		missingTool(t, "the pinned npm packages ("+nodeInstall.err.Error()+")")
	}
	return nodeInstall.dir
}

func installNodeModules() (string, error) {
	manifest, err := os.ReadFile(filepath.Join("testdata", "node", "package.json"))
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir() // no HOME: still outside the repository
	}
	sum := sha256.Sum256(manifest)
	dir := filepath.Join(cache, "geetcache-test-node-"+hex.EncodeToString(sum[:6]))
	modules := filepath.Join(dir, "node_modules")
	if _, err := os.Stat(filepath.Join(modules, ".geetcache-installed")); err == nil {
		return modules, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), manifest, 0o644); err != nil {
		return "", err
	}
	cctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(cctx, "npm", "install", "--no-audit", "--no-fund", "--no-package-lock",
		"--prefix", dir).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("npm install in %s: %v: %s", dir, err, out)
	}
	if _, err := os.Stat(filepath.Join(modules, "ioredis")); errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("npm install in %s left no ioredis: %s", dir, out)
	}
	return modules, os.WriteFile(filepath.Join(modules, ".geetcache-installed"), nil, 0o644)
}
