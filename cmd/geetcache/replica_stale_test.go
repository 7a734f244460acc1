package main

import (
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/geetcache/geetcache/scripting"
)

// staleLib's functions: f and g allow a stale replica (g then calls a
// command that is not flagged stale), h does not, w may write.
const staleLib = "#!lua name=stalelib\n" +
	"redis.register_function{function_name='f', callback=function() return 1 end, flags={'allow-stale','no-writes'}}\n" +
	"redis.register_function{function_name='g', callback=function() return redis.call('get','k') end, flags={'allow-stale','no-writes'}}\n" +
	"redis.register_function{function_name='h', callback=function() return 2 end, flags={'no-writes'}}\n" +
	"redis.register_function{function_name='w', callback=function() return redis.call('set','k','w') end, flags={'allow-stale'}}"

// staleCalls are answered by a replica whose master is out of reach,
// with replica-serve-stale-data no, as Redis 7.0's are: MASTERDOWN for
// every command not flagged stale, before it runs (a pipelined group of
// reads too), after its arity and READONLY checks; scripts by their
// declared flags, and call by call inside one that allows it.
var staleCalls = [][]string{
	{"GET", "k"}, {"GET"}, {"SET", "k", "v"}, {"PING"}, {"ECHO", "x"}, {"DBSIZE"}, {"OBJECT", "FREQ", "k"},
	{"GET", "k"}, {"MGET", "k", "j"}, {"GET", "k"},
	{"CONFIG", "GET", "replica-serve-stale-data"}, {"CONFIG", "GET"}, {"CONFIG", "NOSUCH"}, {"NOSUCH"},
	{"EVAL", "return 1", "0"}, {"EVAL_RO", "return 1", "0"}, {"EVAL", "#!lua\nreturn 1", "0"},
	{"EVAL", "#!lua flags=no-writes\nreturn 1", "0"}, {"EVAL", "#!lua flags=allow-stale\nreturn 1", "0"},
	{"EVAL", "#!lua flags=allow-stale,no-writes\nreturn redis.call('get','k')", "0"},
	{"EVAL", "#!lua flags=allow-stale,no-writes\nreturn redis.pcall('ping')", "0"},
	{"EVAL", "#!lua flags=allow-stale,no-writes\nreturn type(redis.call('time'))", "0"},
	{"EVAL", "#!lua flags=allow-stale\nreturn redis.call('set','k','s')", "0"},
	{"EVAL", "#!nosuch\nreturn 1", "0"}, {"EVALSHA", scripting.SHA1Hex([]byte("return 1")), "0"},
	{"EVALSHA", "0123456789012345678901234567890123456789", "0"},
	{"FCALL", "f", "0"}, {"FCALL", "g", "0"}, {"FCALL", "h", "0"}, {"FCALL", "w", "0"},
	{"FCALL_RO", "f", "0"}, {"FCALL_RO", "h", "0"}, {"FCALL", "nosuch", "0"},
	{"MULTI"}, {"GET", "k"}, {"EXEC"},
	{"MULTI"}, {"CONFIG", "GET", "replica-serve-stale-data"}, {"EXEC"},
	{"MULTI"}, {"SET", "k", "v"}, {"EXEC"},
}

// staleWritableCalls: the same replica with replica-read-only no. Its
// writes are refused too, and a script that allows a stale replica fails
// at its write (or goes on past a redis.pcall), which it never makes.
var staleWritableCalls = [][]string{
	{"SET", "a", "b"}, {"FCALL", "w", "0"},
	{"EVAL", "#!lua flags=allow-stale\nreturn redis.call('set','k','s')", "0"},
	{"EVAL", "#!lua flags=allow-stale\nlocal r = redis.pcall('set','k','p') return r['err']", "0"},
	{"EVAL", "return redis.call('set','k','s')", "0"},
}

// TestReplicaStaleMatchesRedis: with replica-serve-stale-data no, a node
// whose master cannot be reached answers as a Redis 7.0 replica of the
// same unreachable master does, byte for byte; with yes, both serve
// their data; neither changed its data.
func TestReplicaStaleMatchesRedis(t *testing.T) {
	redisAddr, n := startRedisServer(t), startNode(t)
	dead := strconv.Itoa(freePorts(t, 1)[0]) // nothing listens there
	p := newDiffPair(t, 2, redisAddr, n.addr())
	p.requireSame(t, "before REPLICAOF", [][]string{
		{"SET", "k", "v"}, {"SCRIPT", "LOAD", "return 1"}, {"FUNCTION", "LOAD", staleLib},
		{"CONFIG", "SET", "replica-serve-stale-data", "no"}, {"REPLICAOF", "127.0.0.1", dead},
	})
	p.requireSame(t, "a stale replica", staleCalls)

	sub := newDiffPair(t, 2, redisAddr, n.addr()) // RESP2's subscribed context first
	sub.requireSame(t, "a stale replica, subscribed", [][]string{{"SUBSCRIBE", "ch"}, {"GET", "k"}, {"PING"}})

	p.requireSame(t, "writable", [][]string{{"CONFIG", "SET", "replica-read-only", "no"}})
	p.requireSame(t, "a stale writable replica", staleWritableCalls)

	p.requireSame(t, "serving stale data", [][]string{
		{"CONFIG", "SET", "replica-serve-stale-data", "yes"}, {"GET", "k"}, {"PING"}, {"EVAL", "return 1", "0"},
		{"FCALL", "h", "0"}, {"CONFIG", "SET", "replica-read-only", "yes"}, {"SET", "k", "v"},
	})
}

// TestReplicaStaleOnLinkLoss: a node applying a Redis master's stream
// serves reads with replica-serve-stale-data no, answers MASTERDOWN once
// the master is gone, and serves its data again after REPLICAOF NO ONE.
func TestReplicaStaleOnLinkLoss(t *testing.T) {
	master := startRedisServer(t)
	host, port, _ := net.SplitHostPort(master)
	m := dialDiffSide(t, "master", master)
	mustReply(t, m, "+OK\r\n", "SET", "k", "v")
	n := startNode(t)
	g := dialDiffSide(t, "geetcache", n.addr())
	mustReply(t, g, "+OK\r\n", "CONFIG", "SET", "replica-serve-stale-data", "no")
	mustReply(t, g, "+OK\r\n", "REPLICAOF", host, port)
	waitReplicaUp(t, n.addr())
	mustReply(t, g, "$1\r\nv\r\n", "GET", "k")

	m.send([][]string{{"SHUTDOWN", "NOSAVE"}})
	m.w.Flush()
	waitFor(t, 20*time.Second, func() error {
		rep, err := g.roundTrip([]string{"GET", "k"})
		if err != nil {
			t.Fatal(err)
		}
		if string(rep.raw) != "-"+errMasterDownText+"\r\n" {
			return fmt.Errorf("GET answered %q", rep.raw)
		}
		return nil
	})
	mustReply(t, g, "+OK\r\n", "REPLICAOF", "NO", "ONE")
	mustReply(t, g, "$1\r\nv\r\n", "GET", "k")
}

const errMasterDownText = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
