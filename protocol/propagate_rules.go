package protocol

import (
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
)

// effectsOnly are the commands that never propagate themselves: a
// script's or function's calls propagate in their place (Redis 7.0's
// effects replication).
var effectsOnly = map[string]bool{"eval": true, "evalsha": true, "eval_ro": true, "evalsha_ro": true, "fcall": true, "fcall_ro": true}

// alwaysPropagated are the commands Redis propagates whenever they
// succeed, changed keys or not (they bump server.dirty unconditionally).
var alwaysPropagated = map[string]bool{"flushall": true, "flushdb": true, "swapdb": true, "function": true}

// arbitraryKeys are Redis's CMD_TOUCHES_ARBITRARY_KEYS commands: the
// deletions of the expired keys they meet are not wrapped in MULTI/EXEC.
var arbitraryKeys = map[string]bool{"scan": true, "randomkey": true, "keys": true}

// fallbackCommands are the writes whose verbatim form would not make the
// same data on a replica (an ID or order this node chose, a time Redis
// rewrites in a form not reproduced here): they propagate their effect per
// key (replCall.fallback).
var fallbackCommands = map[string]bool{
	"sort": true, "xadd": true, "xtrim": true, "xdel": true, "xack": true, "xclaim": true, "xautoclaim": true,
	"xreadgroup": true, "xgroup": true, "xsetid": true, "migrate": true, "debug": true,
}

// changedByReply are the commands whose success Redis counts as a change
// even when the keyspace ends as it was (an expiry set to the one held):
// EXPIRE's family when it answers 1, GETEX with an option on a key found.
var changedByReply = map[string]func(args [][]byte, reply []byte) bool{
	"expire": repliedOne, "pexpire": repliedOne, "expireat": repliedOne, "pexpireat": repliedOne,
	"getex": func(args [][]byte, reply []byte) bool {
		return len(args) > 2 && len(reply) > 0 && reply[0] == '$' && string(reply[:3]) != "$-1" && !EqualFold(args[2], "persist")
	},
}

func repliedOne(_ [][]byte, reply []byte) bool { return string(reply) == ":1\r\n" }

// replRules are Redis 7.0's rewrites, by command.
var replRules = map[string]func(r *replCall){
	"set":            propSet,
	"setex":          propSetex,
	"psetex":         propSetex,
	"getset":         func(r *replCall) { r.emit([]byte("SET"), r.arg(1), r.arg(2)) },
	"getdel":         func(r *replCall) { r.emit([]byte("DEL"), r.arg(1)) },
	"getex":          propGetex,
	"expire":         propExpire,
	"pexpire":        propExpire,
	"expireat":       propExpire,
	"pexpireat":      propExpire,
	"incrbyfloat":    propIncrByFloat,
	"hincrbyfloat":   propHIncrByFloat,
	"spop":           propSpop,
	"blpop":          popAs("LPOP"),
	"brpop":          popAs("RPOP"),
	"bzpopmin":       popAs("ZPOPMIN"),
	"bzpopmax":       popAs("ZPOPMAX"),
	"brpoplpush":     func(r *replCall) { r.emit([]byte("RPOPLPUSH"), r.arg(1), r.arg(2)) },
	"blmove":         func(r *replCall) { r.emit([]byte("LMOVE"), r.arg(1), r.arg(2), r.arg(3), r.arg(4)) },
	"lmpop":          mpopAs(1, "LPOP", "RPOP", "left"),
	"blmpop":         mpopAs(2, "LPOP", "RPOP", "left"),
	"zmpop":          mpopAs(1, "ZPOPMIN", "ZPOPMAX", "min"),
	"bzmpop":         mpopAs(2, "ZPOPMIN", "ZPOPMAX", "min"),
	"restore":        propRestore,
	"restore-asking": propRestore,
}

// arg returns a copy of argument i.
func (r *replCall) arg(i int) []byte { return append([]byte(nil), r.c.Args[i]...) }

func itoa(n int64) []byte { return strconv.AppendInt(nil, n, 10) }

// expireOf returns key's absolute expiry after the command (0: none) and
// whether the key is there at all.
func (r *replCall) expireOf(key []byte) (int64, bool) {
	e := r.keyspace().Lookup(string(key), r.c.Now)
	if e == nil {
		return 0, false
	}
	return e.ExpireAt, true
}

// SET with EX/PX/EXAT/PXAT: SET key value PXAT ms (the other options
// dropped); without one, verbatim less any GET.
func propSet(r *replCall) {
	if at, ok := ttlArg(r.c.Args[3:], r.c.Now); ok {
		if held, live := r.expireOf(r.c.Args[1]); live && held != 0 {
			at = held
		}
		r.emit([]byte("SET"), r.arg(1), r.arg(2), []byte("PXAT"), itoa(at))
		return
	}
	argv := [][]byte{r.arg(0), r.arg(1), r.arg(2)}
	for i := 3; i < len(r.c.Args); i++ {
		if !EqualFold(r.c.Args[i], "get") {
			argv = append(argv, r.arg(i))
		}
	}
	r.emit(argv...)
}

// ttlArg finds SET's expiry option in opts and returns it as unix ms.
func ttlArg(opts [][]byte, now int64) (int64, bool) {
	for i := 0; i+1 < len(opts); i++ {
		n, ok := ParseInt(opts[i+1])
		switch {
		case !ok:
		case EqualFold(opts[i], "ex"):
			return now + n*1000, true
		case EqualFold(opts[i], "px"):
			return now + n, true
		case EqualFold(opts[i], "exat"):
			return n * 1000, true
		case EqualFold(opts[i], "pxat"):
			return n, true
		}
	}
	return 0, false
}

// SETEX and PSETEX: SET key value PXAT ms.
func propSetex(r *replCall) {
	at, _ := r.expireOf(r.c.Args[1])
	if at == 0 {
		n, _ := ParseInt(r.c.Args[2])
		at = r.c.Now + n*ifElse(r.c.Args[0][0]|0x20 == 'p', int64(1), 1000)
	}
	r.emit([]byte("SET"), r.arg(1), r.arg(3), []byte("PXAT"), itoa(at))
}

func ifElse[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}

// GETEX: DEL when the key went (a time already past), PERSIST for
// PERSIST, else PEXPIREAT key ms.
func propGetex(r *replCall) {
	at, live := r.expireOf(r.c.Args[1])
	switch {
	case !live:
		r.emit([]byte("DEL"), r.arg(1))
	case at == 0:
		r.emit([]byte("PERSIST"), r.arg(1))
	default:
		r.emit([]byte("PEXPIREAT"), r.arg(1), itoa(at))
	}
}

// EXPIRE, PEXPIRE, EXPIREAT: PEXPIREAT key ms (options dropped);
// PEXPIREAT verbatim; DEL when the time had passed and the key went.
func propExpire(r *replCall) {
	at, live := r.expireOf(r.c.Args[1])
	switch {
	case !live:
		r.emit([]byte("DEL"), r.arg(1))
	case EqualFold(r.c.Args[0], "pexpireat"):
		r.verbatim()
	default:
		r.emit([]byte("PEXPIREAT"), r.arg(1), itoa(at))
	}
}

// INCRBYFLOAT: SET key newvalue KEEPTTL.
func propIncrByFloat(r *replCall) {
	e := r.keyspace().Lookup(string(r.c.Args[1]), r.c.Now)
	if e == nil {
		r.fallback()
		return
	}
	sv, ok := e.Value.(datatypes.StringValue)
	if !ok {
		r.fallback()
		return
	}
	r.emit([]byte("SET"), r.arg(1), append([]byte(nil), sv.Bytes()...), []byte("KEEPTTL"))
}

// HINCRBYFLOAT: HSET key field newvalue.
func propHIncrByFloat(r *replCall) {
	v, ok := replyBulk(r.reply)
	if !ok {
		r.fallback()
		return
	}
	r.emit([]byte("HSET"), r.arg(1), r.arg(2), v)
}

// SPOP: SREM key member for each member popped, DEL when SPOP with a
// count took the whole set.
func propSpop(r *replCall) {
	if len(r.c.Args) == 2 {
		if m, ok := replyBulk(r.reply); ok {
			r.emit([]byte("SREM"), r.arg(1), m)
		}
		return
	}
	if _, live := r.expireOf(r.c.Args[1]); !live {
		r.emit([]byte("DEL"), r.arg(1))
		return
	}
	v, ok := parseReply(r.reply)
	if !ok {
		r.fallback()
		return
	}
	for _, m := range v.elems {
		r.emit([]byte("SREM"), r.arg(1), m.bulk)
	}
}

// popAs propagates a blocking pop of one element (BLPOP: [key, element];
// BZPOPMIN: [key, member, score]) as name key.
func popAs(name string) func(r *replCall) {
	return func(r *replCall) {
		v, ok := parseReply(r.reply)
		if !ok || len(v.elems) < 2 {
			r.fallback()
			return
		}
		r.emit([]byte(name), v.elems[0].bulk)
	}
}

// mpopAs propagates LMPOP/BLMPOP/ZMPOP/BZMPOP (numkeys at argument
// numkeysAt) as first or second ("LPOP key count"), first when the
// direction is firstWord, with the count of elements popped.
func mpopAs(numkeysAt int, first, second, firstWord string) func(r *replCall) {
	return func(r *replCall) {
		n, _ := ParseInt(r.c.Args[numkeysAt])
		dirAt := numkeysAt + 1 + int(n)
		v, ok := parseReply(r.reply)
		if !ok || len(v.elems) != 2 || dirAt >= len(r.c.Args) {
			r.fallback()
			return
		}
		name := ifElse(EqualFold(r.c.Args[dirAt], firstWord), first, second)
		r.emit([]byte(name), v.elems[0].bulk, itoa(int64(len(v.elems[1].elems))))
	}
}

// RESTORE: DEL when the TTL had passed and the key went; a relative TTL
// becomes absolute with ABSTTL appended.
func propRestore(r *replCall) {
	at, live := r.expireOf(r.c.Args[1])
	if !live {
		r.emit([]byte("DEL"), r.arg(1))
		return
	}
	ttl, _ := ParseInt(r.c.Args[2])
	abs := false
	for _, a := range r.c.Args[4:] {
		abs = abs || EqualFold(a, "absttl")
	}
	if ttl == 0 || abs {
		r.verbatim()
		return
	}
	argv := cloneArgv(r.c.Args)
	argv[2] = itoa(at)
	r.emit(append(argv, []byte("ABSTTL"))...)
}
