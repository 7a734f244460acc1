package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestImportRDBFromRedis: an RDB file saved by redis-server 7.0.15,
// holding random values of every kind, keys with a TTL and a function
// library, loads through "geetcache import" with equal content: every
// key's value, its TTL (to the second) and the library.
func TestImportRDBFromRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	r := newRand(t)
	ctx := context.Background()
	rc := redis.NewClient(&redis.Options{Addr: redisAddr, MaxRetries: -1})
	t.Cleanup(func() { rc.Close() })
	gc := n.Client()
	var keys []string
	var cmds [][]string
	for _, kind := range dumpKinds {
		for i := range 150 {
			key := fmt.Sprintf("%s:%d", kind, i)
			keys = append(keys, key)
			cmds = append(cmds, genDumpValue(r, kind, key)...)
			if i%10 == 0 {
				cmds = append(cmds, []string{"EXPIRE", key, "100000"})
			}
		}
	}
	cmds = append(cmds, []string{"FUNCTION", "LOAD", "#!lua name=imported\nredis.register_function('imp', function() return 1 end)"})
	pipeRun(t, rc, cmds)
	if err := rc.Save(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	dir := rc.ConfigGet(ctx, "dir").Val()["dir"]
	file := filepath.Join(dir, rc.ConfigGet(ctx, "dbfilename").Val()["dbfilename"])
	out, err := exec.Command(binPath, "import", "-addr", n.addr(), file).CombinedOutput()
	if err != nil {
		t.Fatalf("geetcache import: %v\n%s", err, out)
	}
	t.Logf("geetcache import: %s", strings.TrimSpace(string(out)))
	for _, kind := range dumpKinds {
		var ks []string
		for _, k := range keys {
			if strings.HasPrefix(k, kind+":") {
				ks = append(ks, k)
			}
		}
		hll := kind == "hll"
		compare(t, "import", ks, contents(t, rc, ks, hll), contents(t, gc, ks, hll), make([]string, len(ks)))
		want, got := pipeRun(t, rc, eachKey(ks, "TTL")), pipeRun(t, gc, eachKey(ks, "TTL"))
		for i := range ks {
			if w, g := want[i].Val().(int64), got[i].Val().(int64); g < w-2 || g > w {
				t.Fatalf("%s: TTL %d, Redis %d", ks[i], g, w)
			}
		}
	}
	if got := gc.Do(ctx, "FCALL", "imp", "0").Val(); got != int64(1) {
		t.Fatalf("FCALL imp: %v", got)
	}
	if got, want := gc.DBSize(ctx).Val(), rc.DBSize(ctx).Val(); got != want {
		t.Fatalf("%d keys, Redis %d", got, want)
	}
}

// TestImportSkipsExpired: a key already expired in the file is not sent,
// so "import -replace" leaves a live key of the same name alone (RESTORE
// with a past ABSTTL ... REPLACE would have deleted it), as Redis skips
// expired keys when it loads a file.
func TestImportSkipsExpired(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	ctx := context.Background()
	rc := redis.NewClient(&redis.Options{Addr: redisAddr, MaxRetries: -1})
	t.Cleanup(func() { rc.Close() })
	gc := n.Client()
	if err := gc.Set(ctx, "live", "geetcache", 0).Err(); err != nil {
		t.Fatal(err)
	}
	pipeRun(t, rc, [][]string{{"DEBUG", "SET-ACTIVE-EXPIRE", "0"}, {"SET", "live", "file", "PX", "1"}, {"SET", "other", "kept"}})
	for rc.PTTL(ctx, "live").Val() > 0 { // poll until its millisecond is over (PTTL -2 once expired)
	}
	if err := rc.Save(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	dir := rc.ConfigGet(ctx, "dir").Val()["dir"]
	file := filepath.Join(dir, rc.ConfigGet(ctx, "dbfilename").Val()["dbfilename"])
	if out, err := exec.Command(binPath, "import", "-replace", "-addr", n.addr(), file).CombinedOutput(); err != nil {
		t.Fatalf("geetcache import: %v\n%s", err, out)
	}
	if got := gc.Get(ctx, "live").Val(); got != "geetcache" {
		t.Fatalf("live = %q after importing a file where it had expired, want geetcache", got)
	}
	if got := gc.Get(ctx, "other").Val(); got != "kept" {
		t.Fatalf("other = %q, want kept", got)
	}
}
