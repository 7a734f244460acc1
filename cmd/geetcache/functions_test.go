package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// fnLib is a library whose code FUNCTION LOAD takes.
func fnLib(name, body string) string { return "#!lua name=" + name + "\n" + body }

const fnWriteLib = `redis.register_function('fset', function(keys, args) return redis.call('set', keys[1], args[1]) end)
redis.register_function{function_name='fget', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads a key'}
redis.register_function('fincr', function(keys) return redis.call('incr', keys[1]) end)`

// fnOneLib has one function: Redis lists a library's functions in its
// hash table's order, which differs between its runs.
const fnOneLib = `redis.register_function{function_name='one', callback=function() return 1 end, flags={'allow-stale', 'no-writes'}, description='the one'}`

// fnErrorLib's functions fail at run time, each in its own way.
const fnErrorLib = `local lib = redis
lib.register_function('e2', function() lib.register_function('e3', function() return 1 end) end)
redis.register_function('e4', function() return redis.pcall('nope') end)
redis.register_function('e6', function() return error('boom') end)
redis.register_function('e7', function() return redis.call('nope') end)
redis.register_function('e8', function() return {err='MY err'} end)
redis.register_function('e9', function(keys, args) return {keys[1], args[1], #keys, #args} end)
redis.register_function{function_name='e10', callback=function() return redis.call('set', 'x', '1') end, flags={'no-writes'}}
redis.register_function('e11', function() return KEYS end)
redis.register_function('e12', function() lib.x = 1 end)`

// fnSteps is a FUNCTION/FCALL session whose every reply redis-server
// 7.0.15 and geetcache must give byte for byte, in RESP2 and RESP3. Only
// one library is loaded at a time where the reply lists them (Redis lists
// them in its hash table's order).
var fnSteps = [][]string{
	{"FUNCTION", "FLUSH"},
	{"FUNCTION", "LIST"},
	{"FUNCTION", "STATS"},
	{"FUNCTION", "DUMP"},
	{"FUNCTION", "LOAD", fnLib("lib0", fnOneLib)},
	{"FUNCTION", "LIST"},
	{"FUNCTION", "LIST", "WITHCODE"},
	{"FUNCTION", "LIST", "LIBRARYNAME", "LIB*"},
	{"FUNCTION", "LIST", "LIBRARYNAME", "x*", "WITHCODE"},
	{"FUNCTION", "LIST", "LIBRARYNAME"},
	{"FUNCTION", "LIST", "WITHCODE", "WITHCODE"},
	{"FUNCTION", "LIST", "bad"},
	{"FUNCTION", "STATS"},
	{"FUNCTION", "DUMP"},
	{"FUNCTION", "LOAD", fnLib("lib1", fnWriteLib)},
	{"FUNCTION", "LIST", "LIBRARYNAME", "lib0"},
	{"FUNCTION", "STATS"},
	{"FCALL", "fset", "1", "k", "v1"},
	{"FCALL", "FGET", "1", "k"},
	{"FCALL_RO", "fget", "1", "k"},
	{"FCALL_RO", "fset", "1", "k", "v"},
	{"FCALL", "fincr", "1", "n"},
	{"FCALL", "fincr", "1", "n"},
	{"FCALL", "nope", "0"},
	{"FCALL_RO", "nope", "0"},
	{"FCALL", "fget", "x"},
	{"FCALL", "fget", "2", "k"},
	{"FCALL", "fget", "-1", "k"},
	{"FCALL", "fget"},
	{"FUNCTION", "LOAD", fnLib("lib1", fnWriteLib)},
	{"FUNCTION", "LOAD", fnLib("lib2", "redis.register_function('FSET', function() return 1 end)")},
	{"FUNCTION", "LOAD", "REPLACE", fnLib("lib1", "redis.register_function('other', function() return 'o' end)")},
	{"FCALL", "other", "0"},
	{"FCALL", "fset", "0"},
	{"FUNCTION", "LOAD", fnLib("errs", fnErrorLib)},
	{"FCALL", "e2", "0"}, {"FCALL", "e4", "0"}, {"FCALL", "e6", "0"}, {"FCALL", "e7", "0"},
	{"FCALL", "e8", "0"}, {"FCALL", "e9", "2", "a", "b", "c"}, {"FCALL", "e10", "0"},
	{"FCALL_RO", "e10", "0"}, {"FCALL", "e11", "0"}, {"FCALL", "e12", "0"},
	{"FUNCTION", "DELETE", "errs"},
	{"FUNCTION", "LOAD", "foo", "bar", fnLib("x", "return")},
	{"FUNCTION", "LOAD", "REPLACE"},
	{"FUNCTION", "LOAD", "return 1"},
	{"FUNCTION", "LOAD", "#!lua name=a b=c\nx"},
	{"FUNCTION", "LOAD", "#!lua\nx"},
	{"FUNCTION", "LOAD", "#!lua name=a name=b\nx"},
	{"FUNCTION", "LOAD", "#!lua name=a-b\nx"},
	{"FUNCTION", "LOAD", "#!bad name=a\nx"},
	{"FUNCTION", "LOAD", "#! name=a\nx"},
	{"FUNCTION", "LOAD", fnLib("e", "return 1")},
	{"FUNCTION", "LOAD", fnLib("e", "redis.register_function('f', function() end)\nredis.register_function('f', function() end)")},
	{"FUNCTION", "LOAD", fnLib("e", "redis.register_function()")},
	{"FUNCTION", "LOAD", fnLib("e", "redis.register_function{function_name='f', callback=function() end, flags={'bad'}}")},
	{"FUNCTION", "LOAD", fnLib("e", "redis.call('ping')")},
	{"FUNCTION", "LOAD", fnLib("e", "x = 1")},
	{"FUNCTION", "LOAD", fnLib("e", "local a = 0 while true do a = a + 1 end")},
	{"FUNCTION", "DELETE", "nope"},
	{"FUNCTION", "DELETE"},
	{"FUNCTION", "DELETE", "lib1"},
	{"FUNCTION", "LIST"},
	{"FUNCTION", "FLUSH", "bad"},
	{"FUNCTION", "FLUSH", "sync", "x"},
	{"FUNCTION", "FLUSH", "ASYNC"},
	{"FUNCTION", "RESTORE"},
	{"FUNCTION", "RESTORE", "bad_payload"},
	{"FUNCTION", "RESTORE", "a", "b", "c"},
	{"FUNCTION", "RESTORE", "a", "zz"},
	{"FUNCTION", "DUMP", "x"},
	{"FUNCTION", "STATS", "x"},
	{"FUNCTION", "HELP"},
	{"FUNCTION", "HELP", "x"},
	{"FUNCTION", "nope"},
	{"FUNCTION"},
	{"FUNCTION", "FLUSH"},
}

// TestFunctionsMatchRedis runs fnSteps on redis-server and geetcache and
// compares every reply byte for byte, in RESP2 and RESP3.
func TestFunctionsMatchRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	for _, proto := range []int{2, 3} {
		p := newDiffPair(t, proto, redisAddr, n.addr())
		requireRedis70(t, p.redis)
		for i, step := range fnSteps {
			p.requireSame(t, fmt.Sprintf("RESP%d step %d", proto, i), [][]string{step})
		}
	}
}

func clipArgs(args []string) string {
	s := strings.Join(args, " ")
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return s
}

// TestFunctionDumpCrossesServers: a FUNCTION DUMP from redis-server
// restores on geetcache and one from geetcache on redis-server, and the
// functions answer the same on both.
func TestFunctionDumpCrossesServers(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	rc := redis.NewClient(&redis.Options{Addr: redisAddr})
	defer rc.Close()
	gc := n.Client()
	big := fnLib("big", "redis.register_function('x0', function() return 0 end)\n")
	for i := range 40 {
		big += fmt.Sprintf("redis.register_function('g%d', function(keys, args) return 'g' .. %d end)\n", i, i)
	}
	for _, tc := range []struct {
		name     string
		from, to *redis.Client
	}{{"redis to geetcache", rc, gc}, {"geetcache to redis", gc, rc}} {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range []*redis.Client{tc.from, tc.to} {
				if err := c.FunctionFlush(ctx).Err(); err != nil {
					t.Fatal(err)
				}
			}
			for _, code := range []string{fnLib("lib1", fnWriteLib), big} {
				if err := tc.from.FunctionLoad(ctx, code).Err(); err != nil {
					t.Fatal(err)
				}
			}
			payload, err := tc.from.FunctionDump(ctx).Result()
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.to.FunctionRestore(ctx, payload).Err(); err != nil {
				t.Fatalf("restore: %v", err)
			}
			for _, fn := range []string{"g0", "g39", "x0"} {
				want, _ := tc.from.FCall(ctx, fn, nil).Result()
				if got, err := tc.to.FCall(ctx, fn, nil).Result(); err != nil || got != want {
					t.Fatalf("FCALL %s: %q %v, want %q", fn, got, err, want)
				}
			}
		})
	}
}

// TestFunctionsSurviveFailover: libraries are replicated state. A library
// loaded before the leader is killed is called on the new leader (a write
// function, one log entry) and on every follower (FCALL_RO, and FCALL of a
// no-writes function, read locally); after the old leader restarts, from
// a snapshot taken after the load, it answers the same and all hold the
// same data.
func TestFunctionsSurviveFailover(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	lc := leader.Client(noRetries)
	if err := lc.FunctionLoad(ctx, fnLib("lib1", fnWriteLib)).Err(); err != nil {
		t.Fatal(err)
	}
	if err := lc.FCall(ctx, "fset", []string{"k"}, "v1").Err(); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if err := n.Client(noRetries).Do(ctx, "RAFT", "SNAPSHOT").Err(); err != nil {
			t.Fatalf("RAFT SNAPSHOT on %s: %v", n.addr(), err)
		}
	}
	leader.Kill9()
	rest := others(nodes, leader)
	next := waitForLeader(t, rest, 10*time.Second)
	waitFor(t, 10*time.Second, func() error { return next.Client(noRetries).FCall(ctx, "fincr", []string{"n"}).Err() })
	for _, n := range rest {
		checkFunctions(t, n, "1")
	}
	leader.Restart()
	waitFor(t, 15*time.Second, func() error { return leader.ping() })
	for _, n := range nodes {
		checkFunctions(t, n, "1")
	}
	waitSameDigest(t, nodes)
}

// checkFunctions checks that n lists lib1 and answers its read functions
// with the data written through them.
func checkFunctions(t *testing.T, n *node, wantN string) {
	t.Helper()
	c := n.Client(noRetries)
	waitFor(t, 10*time.Second, func() error {
		libs, err := c.FunctionList(ctx, redis.FunctionListQuery{}).Result()
		if err != nil || len(libs) != 1 || libs[0].Name != "lib1" || len(libs[0].Functions) != 3 {
			return fmt.Errorf("FUNCTION LIST on %s: %v %v", n.addr(), libs, err)
		}
		for _, call := range []struct {
			ro            bool
			fn, key, want string
		}{
			{true, "fget", "k", "v1"}, {false, "fget", "k", "v1"}, {true, "fget", "n", wantN}} {
			cmd := c.FCall
			if call.ro {
				cmd = c.FCallRO
			}
			if got, err := cmd(ctx, call.fn, []string{call.key}).Text(); err != nil || got != call.want {
				return fmt.Errorf("FCALL %s %s on %s: %q %v, want %q", call.fn, call.key, n.addr(), got, err, call.want)
			}
		}
		return nil
	})
}

// fnRandomLib writes what randomness gives a function: SPOP, SRANDMEMBER
// and math.random, all seeded from the log entry on every replica.
const fnRandomLib = `redis.register_function('rnd', function(keys)
  local out = {}
  for i = 1, 5 do
    out[#out+1] = redis.call('spop', keys[1]) or 'nil'
    out[#out+1] = redis.call('srandmember', keys[1]) or 'nil'
    out[#out+1] = tostring(math.random(1000000))
  end
  redis.call('rpush', keys[2], unpack(out))
  return out
end)`

// TestFunctionsRandomReplicate: a function that pops and samples a set and
// draws math.random writes the same values on every node (equal DEBUG
// DIGESTs), and different calls draw differently.
func TestFunctionsRandomReplicate(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	c := leader.Client(noRetries)
	if err := c.FunctionLoad(ctx, fnLib("rnd", fnRandomLib)).Err(); err != nil {
		t.Fatal(err)
	}
	members := make([]any, 200)
	for i := range members {
		members[i] = i
	}
	if err := c.SAdd(ctx, "s", members...).Err(); err != nil {
		t.Fatal(err)
	}
	first, err := c.FCall(ctx, "rnd", []string{"s", "out"}).StringSlice()
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.FCall(ctx, "rnd", []string{"s", "out"}).StringSlice()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(first, ",") == strings.Join(second, ",") {
		t.Fatalf("two calls drew the same values: %v", first)
	}
	waitSameDigest(t, nodes)
}
