package protocol

// Table tests for the sorted-set commands. Every expected reply was taken
// from redis-server 7.0.15 running the same commands.

import "testing"

// TestZSetsZAddIncr checks ZADD and ZINCRBY: options, their conflicts,
// scores and the listpack's -0.
func TestZSetsZAddIncr(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.check([][2]string{
		{"ZADD z 1 a", ":1|"},
		{"ZADD z 2 b 3 c 1 a", ":2|"},
		{"ZADD z 1.5 a", ":0|"},
		{"ZADD z CH 1.5 a 4 b 9 d", ":2|"},
		{"ZADD z NX 100 a 5 e", ":1|"},
		{"ZADD z XX 100 a 5 f", ":0|"},
		{"ZADD z XX CH 101 a 101 a", ":1|"},
		{"ZADD z GT 50 a 200 a", ":0|"},
		{"ZADD z GT CH 50 b 1 new", ":2|"},
		{"ZADD z LT CH 50 b 0 b", ":1|"},
		{"ZADD z XX GT 300 a 1 zz", ":0|"},
		{"ZRANGE z 0 -1 WITHSCORES", "*12|$1|b|$1|0|$3|new|$1|1|$1|c|$1|3|$1|e|$1|5|$1|d|$1|9|$1|a|$3|300|"},
		{"ZADD z INCR 10 a", "$3|310|"},
		{"ZADD z INCR 1 nx-member", "$1|1|"},
		{"ZADD z NX INCR 1 a", "$-1|"},
		{"ZADD z XX INCR 1 missing", "$-1|"},
		{"ZADD z GT INCR -1 a", "$-1|"},
		{"ZADD z LT INCR -1 a", "$3|309|"},
		{"ZADD z LT INCR 0 a", "$-1|"},
		{"ZADD z INCR +inf inf-member", "$3|inf|"},
		{"ZADD z INCR -inf inf-member", "-ERR resulting score is not a number (NaN)|"},
		{"ZADD z inf x -inf y +inf w", ":3|"},
		{"ZADD z 1e400 a", "-ERR value is not a valid float|"},
		{"ZADD z 1e-400 a", "-ERR value is not a valid float|"},
		{"ZADD z 0x10 hex 1e-310 tiny", ":2|"},
		{"ZSCORE z hex", "$2|16|"},
		{"ZSCORE z tiny", "$23|9.9999999999999694e-311|"},
		{"ZADD z nan a", "-ERR value is not a valid float|"},
		{"ZADD z abc a", "-ERR value is not a valid float|"},
		{"ZADD z 1 a 2", "-ERR syntax error|"},
		{"ZADD z NX XX 1 a", "-ERR XX and NX options at the same time are not compatible|"},
		{"ZADD z NX GT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible|"},
		{"ZADD z NX LT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible|"},
		{"ZADD z GT LT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible|"},
		{"ZADD z INCR 1 a 2 b", "-ERR INCR option supports a single increment-element pair|"},
		{"ZADD z NX", "-ERR wrong number of arguments for 'zadd' command|"},
		{"ZADD z nx xx ch gt lt incr 1 a", "-ERR XX and NX options at the same time are not compatible|"},
		{"ZADD z", "-ERR wrong number of arguments for 'zadd' command|"},
		{"ZADD str 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZADD str x a", "-ERR value is not a valid float|"},
		{"ZADD str NX XX 1 a", "-ERR XX and NX options at the same time are not compatible|"},
		{"ZADD nokey XX 1 a", ":0|"},
		{"EXISTS nokey", ":0|"},
		{"ZADD nokey XX INCR 1 a", "$-1|"},
		{"ZADD z -0 negzero", ":1|"},
		{"ZSCORE z negzero", "$1|0|"},
		{"ZADD z INCR -0 negzero2", "$2|-0|"},
		{"ZSCORE z negzero2", "$1|0|"},
		{"ZINCRBY z 2.5 a", "$5|311.5|"},
		{"ZINCRBY z 1 fresh", "$1|1|"},
		{"ZINCRBY z -inf inf-member", "-ERR resulting score is not a number (NaN)|"},
		{"ZINCRBY z nx a", "-ERR syntax error|"},
		{"ZINCRBY z x a", "-ERR value is not a valid float|"},
		{"ZINCRBY z incr a", "-ERR syntax error|"},
		{"ZINCRBY str 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZINCRBY", "-ERR wrong number of arguments for 'zincrby' command|"},
		{"ZINCRBY z 1 a b", "-ERR wrong number of arguments for 'zincrby' command|"},
		{"ZSCORE z a", "$5|311.5|"},
		{"ZADD z 1.1 float", ":1|"},
		{"ZSCORE z float", "$18|1.1000000000000001|"},
		{"ZCARD z", ":17|"},
	})
}

// TestZSetsScoreRankCardRem checks ZSCORE, ZMSCORE, ZCARD, ZRANK, ZREVRANK
// and ZREM.
func TestZSetsScoreRankCardRem(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.do("ZADD", "z", "1", "a", "2", "b", "3", "c", "3", "d", "-1", "neg")
	h.check([][2]string{
		{"ZSCORE z a", "$1|1|"},
		{"ZSCORE z missing", "$-1|"},
		{"ZSCORE nokey a", "$-1|"},
		{"ZSCORE str a", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZSCORE z", "-ERR wrong number of arguments for 'zscore' command|"},
		{"ZMSCORE z a missing c", "*3|$1|1|$-1|$1|3|"},
		{"ZMSCORE nokey a b", "*2|$-1|$-1|"},
		{"ZMSCORE str a", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZMSCORE z", "-ERR wrong number of arguments for 'zmscore' command|"},
		{"ZCARD z", ":5|"},
		{"ZCARD nokey", ":0|"},
		{"ZCARD str", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZCARD z extra", "-ERR wrong number of arguments for 'zcard' command|"},
		{"ZRANK z neg", ":0|"},
		{"ZRANK z d", ":4|"},
		{"ZRANK z missing", "$-1|"},
		{"ZRANK nokey a", "$-1|"},
		{"ZRANK str a", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZREVRANK z neg", ":4|"},
		{"ZREVRANK z d", ":0|"},
		{"ZREVRANK z missing", "$-1|"},
		{"ZREVRANK str a", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZRANK z a WITHSCORE", "-ERR wrong number of arguments for 'zrank' command|"},
		{"ZREM z a missing", ":1|"},
		{"ZREM z a", ":0|"},
		{"ZREM nokey a", ":0|"},
		{"ZREM str a", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZREM z", "-ERR wrong number of arguments for 'zrem' command|"},
		{"ZREM z b c d neg", ":4|"},
		{"EXISTS z", ":0|"},
	})
}

// TestZSetsRangeRank checks ZRANGE by rank and ZREVRANGE, with every option
// error.
func TestZSetsRangeRank(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.do("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e")
	h.check([][2]string{
		{"ZRANGE z 0 -1", "*5|$1|a|$1|b|$1|c|$1|d|$1|e|"},
		{"ZRANGE z 0 -1 WITHSCORES", "*10|$1|a|$1|1|$1|b|$1|2|$1|c|$1|3|$1|d|$1|4|$1|e|$1|5|"},
		{"ZRANGE z 1 2", "*2|$1|b|$1|c|"},
		{"ZRANGE z -2 -1 WITHSCORES", "*4|$1|d|$1|4|$1|e|$1|5|"},
		{"ZRANGE z -100 100", "*5|$1|a|$1|b|$1|c|$1|d|$1|e|"},
		{"ZRANGE z 3 1", "*0|"},
		{"ZRANGE z 5 10", "*0|"},
		{"ZRANGE z -1 -3", "*0|"},
		{"ZRANGE z 0 -1 REV", "*5|$1|e|$1|d|$1|c|$1|b|$1|a|"},
		{"ZRANGE z 0 1 REV WITHSCORES", "*4|$1|e|$1|5|$1|d|$1|4|"},
		{"ZRANGE z 0 -1 withscores rev", "*10|$1|e|$1|5|$1|d|$1|4|$1|c|$1|3|$1|b|$1|2|$1|a|$1|1|"},
		{"ZRANGE z 0 -1 LIMIT 0 1", "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX|"},
		{"ZRANGE z 0 -1 LIMIT 0 -1", "*5|$1|a|$1|b|$1|c|$1|d|$1|e|"},
		{"ZRANGE z 0 -1 LIMIT 0", "-ERR syntax error|"},
		{"ZRANGE z 0 -1 LIMIT x 1", "-ERR value is not an integer or out of range|"},
		{"ZRANGE z 0 -1 LIMIT x 1 FOO", "-ERR value is not an integer or out of range|"},
		{"ZRANGE z 0 -1 FOO LIMIT x 1", "-ERR syntax error|"},
		{"ZRANGE z 0 -1 REV REV", "-ERR syntax error|"},
		{"ZRANGE z 0 -1 BYSCORE BYLEX", "-ERR syntax error|"},
		{"ZRANGE z x 1", "-ERR value is not an integer or out of range|"},
		{"ZRANGE z 0 1.5", "-ERR value is not an integer or out of range|"},
		{"ZRANGE z 9223372036854775807 -9223372036854775808", "*0|"},
		{"ZRANGE nokey 0 -1", "*0|"},
		{"ZRANGE str 0 -1", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZRANGE str x -1", "-ERR value is not an integer or out of range|"},
		{"ZRANGE z 0", "-ERR wrong number of arguments for 'zrange' command|"},
		{"ZREVRANGE z 0 -1", "*5|$1|e|$1|d|$1|c|$1|b|$1|a|"},
		{"ZREVRANGE z 0 1 WITHSCORES", "*4|$1|e|$1|5|$1|d|$1|4|"},
		{"ZREVRANGE z -2 -1", "*2|$1|b|$1|a|"},
		{"ZREVRANGE z 0 -1 REV", "-ERR syntax error|"},
		{"ZREVRANGE z 0 -1 BYSCORE", "-ERR syntax error|"},
		{"ZREVRANGE z 0 -1 LIMIT 0 1", "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX|"},
		{"ZREVRANGE str 0 -1", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
	})
}

// TestZSetsRangeScore checks score ranges: ZRANGEBYSCORE, ZREVRANGEBYSCORE,
// ZRANGE BYSCORE, ZCOUNT.
func TestZSetsRangeScore(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.do("ZADD", "z", "-inf", "ninf", "1", "a", "2", "b", "2", "bb", "3", "c", "4.5", "d", "5", "e", "+inf", "pinf")
	h.check([][2]string{
		{"ZRANGEBYSCORE z -inf +inf", "*8|$4|ninf|$1|a|$1|b|$2|bb|$1|c|$1|d|$1|e|$4|pinf|"},
		{"ZRANGEBYSCORE z -inf +inf WITHSCORES", "*16|$4|ninf|$4|-inf|$1|a|$1|1|$1|b|$1|2|$2|bb|$1|2|$1|c|$1|3|$1|d|$3|4.5|$1|e|$1|5|$4|pinf|$3|inf|"},
		{"ZRANGEBYSCORE z (-inf (+inf", "*6|$1|a|$1|b|$2|bb|$1|c|$1|d|$1|e|"},
		{"ZRANGEBYSCORE z 2 3", "*3|$1|b|$2|bb|$1|c|"},
		{"ZRANGEBYSCORE z (2 3", "*1|$1|c|"},
		{"ZRANGEBYSCORE z 2 (3", "*2|$1|b|$2|bb|"},
		{"ZRANGEBYSCORE z (2 (3", "*0|"},
		{"ZRANGEBYSCORE z 3 2", "*0|"},
		{"ZRANGEBYSCORE z 2 2", "*2|$1|b|$2|bb|"},
		{"ZRANGEBYSCORE z (2 2", "*0|"},
		{"ZRANGEBYSCORE z 1 4.5 LIMIT 1 2", "*2|$1|b|$2|bb|"},
		{"ZRANGEBYSCORE z 1 4.5 LIMIT 1 -1", "*4|$1|b|$2|bb|$1|c|$1|d|"},
		{"ZRANGEBYSCORE z 1 4.5 LIMIT -1 2", "*0|"},
		{"ZRANGEBYSCORE z 1 4.5 LIMIT 0 0", "*0|"},
		{"ZRANGEBYSCORE z 1 4.5 LIMIT 100 1", "*0|"},
		{"ZRANGEBYSCORE z 1 4.5 LIMIT 1 2 WITHSCORES", "*4|$1|b|$1|2|$2|bb|$1|2|"},
		{"ZRANGEBYSCORE z 1 4.5 WITHSCORES LIMIT 1 2 LIMIT 0 1", "*2|$1|a|$1|1|"},
		{"ZRANGEBYSCORE z 1 4.5 BYSCORE", "-ERR syntax error|"},
		{"ZRANGEBYSCORE z 1 4.5 REV", "-ERR syntax error|"},
		{"ZRANGEBYSCORE z 1 4.5 LIMIT 1", "-ERR syntax error|"},
		{"ZRANGEBYSCORE z x 4", "-ERR min or max is not a float|"},
		{"ZRANGEBYSCORE z 1 (x", "-ERR min or max is not a float|"},
		{"ZRANGEBYSCORE z nan 4", "-ERR min or max is not a float|"},
		{"ZRANGEBYSCORE z (nan 4", "-ERR min or max is not a float|"},
		{"ZRANGEBYSCORE z 1e400 inf", "*1|$4|pinf|"},
		{"ZRANGEBYSCORE z -1e400 0x2", "*4|$4|ninf|$1|a|$1|b|$2|bb|"},
		{"ZRANGEBYSCORE z ( 2", "*3|$1|a|$1|b|$2|bb|"},
		{"ZRANGEBYSCORE nokey 0 1", "*0|"},
		{"ZRANGEBYSCORE str 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZRANGEBYSCORE str x 1", "-ERR min or max is not a float|"},
		{"ZREVRANGEBYSCORE z +inf -inf", "*8|$4|pinf|$1|e|$1|d|$1|c|$2|bb|$1|b|$1|a|$4|ninf|"},
		{"ZREVRANGEBYSCORE z 3 2 WITHSCORES", "*6|$1|c|$1|3|$2|bb|$1|2|$1|b|$1|2|"},
		{"ZREVRANGEBYSCORE z (3 2", "*2|$2|bb|$1|b|"},
		{"ZREVRANGEBYSCORE z 2 3", "*0|"},
		{"ZREVRANGEBYSCORE z 5 1 LIMIT 1 2", "*2|$1|d|$1|c|"},
		{"ZREVRANGEBYSCORE z 5 1 LIMIT 1 -1", "*5|$1|d|$1|c|$2|bb|$1|b|$1|a|"},
		{"ZREVRANGEBYSCORE z 5 1 LIMIT 10 1", "*0|"},
		{"ZRANGE z 2 3 BYSCORE", "*3|$1|b|$2|bb|$1|c|"},
		{"ZRANGE z 3 2 BYSCORE REV", "*3|$1|c|$2|bb|$1|b|"},
		{"ZRANGE z 2 3 BYSCORE REV", "*0|"},
		{"ZRANGE z (5 (1 BYSCORE REV LIMIT 1 2 WITHSCORES", "*4|$1|c|$1|3|$2|bb|$1|2|"},
		{"ZRANGE z -inf +inf BYSCORE LIMIT 2 3", "*3|$1|b|$2|bb|$1|c|"},
		{"ZCOUNT z -inf +inf", ":8|"},
		{"ZCOUNT z (2 3", ":1|"},
		{"ZCOUNT z 3 2", ":0|"},
		{"ZCOUNT z (-inf (+inf", ":6|"},
		{"ZCOUNT z x 1", "-ERR min or max is not a float|"},
		{"ZCOUNT nokey 0 1", ":0|"},
		{"ZCOUNT str 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZCOUNT str x 1", "-ERR min or max is not a float|"},
	})
}

// TestZSetsRangeLex checks lex ranges: ZRANGEBYLEX, ZREVRANGEBYLEX, ZRANGE
// BYLEX, ZLEXCOUNT.
func TestZSetsRangeLex(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.do("ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e", "0", "f", "0", "ab")
	h.check([][2]string{
		{"ZRANGEBYLEX z - +", "*7|$1|a|$2|ab|$1|b|$1|c|$1|d|$1|e|$1|f|"},
		{"ZRANGEBYLEX z [b [d", "*3|$1|b|$1|c|$1|d|"},
		{"ZRANGEBYLEX z (b [d", "*2|$1|c|$1|d|"},
		{"ZRANGEBYLEX z [b (d", "*2|$1|b|$1|c|"},
		{"ZRANGEBYLEX z (a (b", "*1|$2|ab|"},
		{"ZRANGEBYLEX z [a (b", "*2|$1|a|$2|ab|"},
		{"ZRANGEBYLEX z - [c", "*4|$1|a|$2|ab|$1|b|$1|c|"},
		{"ZRANGEBYLEX z (c +", "*3|$1|d|$1|e|$1|f|"},
		{"ZRANGEBYLEX z + -", "*0|"},
		{"ZRANGEBYLEX z - -", "*0|"},
		{"ZRANGEBYLEX z + +", "*0|"},
		{"ZRANGEBYLEX z [d [b", "*0|"},
		{"ZRANGEBYLEX z [b [b", "*1|$1|b|"},
		{"ZRANGEBYLEX z (b [b", "*0|"},
		{"ZRANGEBYLEX z - + LIMIT 1 3", "*3|$2|ab|$1|b|$1|c|"},
		{"ZRANGEBYLEX z - + LIMIT 1 -1", "*6|$2|ab|$1|b|$1|c|$1|d|$1|e|$1|f|"},
		{"ZRANGEBYLEX z - + LIMIT -1 3", "*0|"},
		{"ZRANGEBYLEX z - + LIMIT 10 3", "*0|"},
		{"ZRANGEBYLEX z - + WITHSCORES", "-ERR syntax error, WITHSCORES not supported in combination with BYLEX|"},
		{"ZRANGEBYLEX z - + LIMIT 0 1 WITHSCORES", "-ERR syntax error, WITHSCORES not supported in combination with BYLEX|"},
		{"ZRANGEBYLEX z - + BYLEX", "-ERR syntax error|"},
		{"ZRANGEBYLEX z a +", "-ERR min or max not valid string range item|"},
		{"ZRANGEBYLEX z - b", "-ERR min or max not valid string range item|"},
		{"ZRANGEBYLEX z +x +", "-ERR min or max not valid string range item|"},
		{"ZRANGEBYLEX z -a +", "-ERR min or max not valid string range item|"},
		{"ZRANGEBYLEX z [ +", "*7|$1|a|$2|ab|$1|b|$1|c|$1|d|$1|e|$1|f|"},
		{"ZRANGEBYLEX z ( +", "*7|$1|a|$2|ab|$1|b|$1|c|$1|d|$1|e|$1|f|"},
		{"ZRANGEBYLEX nokey - +", "*0|"},
		{"ZRANGEBYLEX str - +", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZRANGEBYLEX str x +", "-ERR min or max not valid string range item|"},
		{"ZREVRANGEBYLEX z + -", "*7|$1|f|$1|e|$1|d|$1|c|$1|b|$2|ab|$1|a|"},
		{"ZREVRANGEBYLEX z [d [b", "*3|$1|d|$1|c|$1|b|"},
		{"ZREVRANGEBYLEX z [b [d", "*0|"},
		{"ZREVRANGEBYLEX z (d - LIMIT 1 2", "*2|$1|b|$2|ab|"},
		{"ZREVRANGEBYLEX z + - LIMIT 0 -1", "*7|$1|f|$1|e|$1|d|$1|c|$1|b|$2|ab|$1|a|"},
		{"ZRANGE z [b [d BYLEX", "*3|$1|b|$1|c|$1|d|"},
		{"ZRANGE z [d [b BYLEX REV", "*3|$1|d|$1|c|$1|b|"},
		{"ZRANGE z + - BYLEX REV LIMIT 1 2", "*2|$1|e|$1|d|"},
		{"ZRANGE z - + BYLEX WITHSCORES", "-ERR syntax error, WITHSCORES not supported in combination with BYLEX|"},
		{"ZRANGE z - + BYLEX LIMIT x 1", "-ERR value is not an integer or out of range|"},
		{"ZLEXCOUNT z - +", ":7|"},
		{"ZLEXCOUNT z [b (d", ":2|"},
		{"ZLEXCOUNT z + -", ":0|"},
		{"ZLEXCOUNT z [d [b", ":0|"},
		{"ZLEXCOUNT z a b", "-ERR min or max not valid string range item|"},
		{"ZLEXCOUNT nokey - +", ":0|"},
		{"ZLEXCOUNT str - +", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZLEXCOUNT str a b", "-ERR min or max not valid string range item|"},
	})
}

// TestZSetsRangeStore checks ZRANGESTORE: every range kind, overwriting and
// deleting the destination.
func TestZSetsRangeStore(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.do("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e")
	h.do("ZADD", "lex", "0", "a", "0", "b", "0", "c")
	h.check([][2]string{
		{"ZRANGESTORE dst z 0 -1", ":5|"},
		{"ZRANGE dst 0 -1 WITHSCORES", "*10|$1|a|$1|1|$1|b|$1|2|$1|c|$1|3|$1|d|$1|4|$1|e|$1|5|"},
		{"ZRANGESTORE dst z 1 2 REV", ":2|"},
		{"ZRANGE dst 0 -1 WITHSCORES", "*4|$1|c|$1|3|$1|d|$1|4|"},
		{"ZRANGESTORE dst z (1 4 BYSCORE LIMIT 1 2", ":2|"},
		{"ZRANGE dst 0 -1 WITHSCORES", "*4|$1|c|$1|3|$1|d|$1|4|"},
		{"ZRANGESTORE dst z 4 1 BYSCORE REV", ":4|"},
		{"ZRANGE dst 0 -1 WITHSCORES", "*8|$1|a|$1|1|$1|b|$1|2|$1|c|$1|3|$1|d|$1|4|"},
		{"ZRANGESTORE dst lex [b + BYLEX", ":2|"},
		{"ZRANGE dst 0 -1 WITHSCORES", "*4|$1|b|$1|0|$1|c|$1|0|"},
		{"ZRANGESTORE str z 0 0", ":1|"},
		{"TYPE str", "+zset|"},
		{"ZRANGESTORE str z 5 10", ":0|"},
		{"EXISTS str", ":0|"},
		{"ZRANGESTORE dst nokey 0 -1", ":0|"},
		{"EXISTS dst", ":0|"},
		{"ZRANGESTORE dst z 0 -1 WITHSCORES", "-ERR syntax error|"},
		{"ZRANGESTORE dst z 0 -1 LIMIT 0 1", "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX|"},
		{"ZRANGESTORE dst z a b BYSCORE", "-ERR min or max is not a float|"},
		{"ZRANGESTORE dst z a b BYLEX", "-ERR min or max not valid string range item|"},
		{"ZRANGESTORE dst z 0", "-ERR wrong number of arguments for 'zrangestore' command|"},
	})
	h.do("SET", "str2", "v")
	h.check([][2]string{
		{"ZRANGESTORE dst str2 0 -1", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZRANGESTORE z z 0 1", ":2|"},
		{"ZRANGE z 0 -1 WITHSCORES", "*4|$1|a|$1|1|$1|b|$1|2|"},
	})
}

// TestZSetsRemRange checks ZREMRANGEBYRANK, ZREMRANGEBYSCORE and
// ZREMRANGEBYLEX.
func TestZSetsRemRange(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.do("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f")
	h.check([][2]string{
		{"ZREMRANGEBYRANK z 0 0", ":1|"},
		{"ZREMRANGEBYRANK z -1 -1", ":1|"},
		{"ZREMRANGEBYRANK z 3 1", ":0|"},
		{"ZREMRANGEBYRANK z 10 20", ":0|"},
		{"ZREMRANGEBYRANK z -100 -50", ":0|"},
		{"ZRANGE z 0 -1", "*4|$1|b|$1|c|$1|d|$1|e|"},
		{"ZREMRANGEBYRANK z x 1", "-ERR value is not an integer or out of range|"},
		{"ZREMRANGEBYRANK nokey 0 -1", ":0|"},
		{"ZREMRANGEBYRANK str 0 -1", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZREMRANGEBYRANK str x -1", "-ERR value is not an integer or out of range|"},
		{"ZREMRANGEBYRANK z 0 -1", ":4|"},
		{"EXISTS z", ":0|"},
	})
	h.do("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f")
	h.check([][2]string{
		{"ZREMRANGEBYSCORE z (1 2", ":1|"},
		{"ZREMRANGEBYSCORE z 5 +inf", ":2|"},
		{"ZREMRANGEBYSCORE z 4 3", ":0|"},
		{"ZRANGE z 0 -1", "*3|$1|a|$1|c|$1|d|"},
		{"ZREMRANGEBYSCORE z x 1", "-ERR min or max is not a float|"},
		{"ZREMRANGEBYSCORE z 1 nan", "-ERR min or max is not a float|"},
		{"ZREMRANGEBYSCORE nokey 0 1", ":0|"},
		{"ZREMRANGEBYSCORE str 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZREMRANGEBYSCORE str x 1", "-ERR min or max is not a float|"},
		{"ZREMRANGEBYSCORE z -inf +inf", ":3|"},
		{"EXISTS z", ":0|"},
	})
	h.do("ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e")
	h.check([][2]string{
		{"ZREMRANGEBYLEX z [b (d", ":2|"},
		{"ZREMRANGEBYLEX z + -", ":0|"},
		{"ZREMRANGEBYLEX z (d +", ":1|"},
		{"ZRANGE z 0 -1", "*2|$1|a|$1|d|"},
		{"ZREMRANGEBYLEX z a b", "-ERR min or max not valid string range item|"},
		{"ZREMRANGEBYLEX nokey - +", ":0|"},
		{"ZREMRANGEBYLEX str - +", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZREMRANGEBYLEX str a b", "-ERR min or max not valid string range item|"},
		{"ZREMRANGEBYLEX z - +", ":2|"},
		{"EXISTS z", ":0|"},
	})
}

// TestZSetsPop checks ZPOPMIN, ZPOPMAX and ZMPOP.
func TestZSetsPop(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.do("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e")
	h.check([][2]string{
		{"ZPOPMIN z", "*2|$1|a|$1|1|"},
		{"ZPOPMAX z", "*2|$1|e|$1|5|"},
		{"ZPOPMIN z 2", "*4|$1|b|$1|2|$1|c|$1|3|"},
		{"ZPOPMAX z 0", "*0|"},
		{"ZPOPMAX z 10", "*2|$1|d|$1|4|"},
		{"EXISTS z", ":0|"},
		{"ZPOPMIN z", "*0|"},
		{"ZPOPMIN nokey 3", "*0|"},
		{"ZPOPMIN z x", "-ERR value is out of range, must be positive|"},
		{"ZPOPMIN z -1", "-ERR value is out of range, must be positive|"},
		{"ZPOPMIN z 1 2", "-ERR syntax error|"},
		{"ZPOPMIN str", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZPOPMIN str 0", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZPOPMAX str x", "-ERR value is out of range, must be positive|"},
		{"ZPOPMIN", "-ERR wrong number of arguments for 'zpopmin' command|"},
	})
	h.do("ZADD", "z", "1", "a", "2", "b", "3", "c")
	h.do("ZADD", "y", "10", "x")
	h.check([][2]string{
		{"ZMPOP 1 z MIN", "*2|$1|z|*1|*2|$1|a|$1|1|"},
		{"ZMPOP 2 nokey z MAX COUNT 5", "*2|$1|z|*2|*2|$1|c|$1|3|*2|$1|b|$1|2|"},
		{"EXISTS z", ":0|"},
		{"ZMPOP 2 nokey y min count 1", "*2|$1|y|*1|*2|$1|x|$2|10|"},
		{"ZMPOP 1 z MIN", "*-1|"},
		{"ZMPOP 2 str y MIN", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZMPOP 2 nokey str MIN", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZMPOP 0 z MIN", "-ERR numkeys should be greater than 0|"},
		{"ZMPOP x z MIN", "-ERR numkeys should be greater than 0|"},
		{"ZMPOP -1 z MIN", "-ERR numkeys should be greater than 0|"},
		{"ZMPOP 2 z MIN", "-ERR syntax error|"},
		{"ZMPOP 1 z", "-ERR wrong number of arguments for 'zmpop' command|"},
		{"ZMPOP 1 z FOO", "-ERR syntax error|"},
		{"ZMPOP 1 z MIN COUNT", "-ERR syntax error|"},
		{"ZMPOP 1 z MIN COUNT 0", "-ERR count should be greater than 0|"},
		{"ZMPOP 1 z MIN COUNT x", "-ERR count should be greater than 0|"},
		{"ZMPOP 1 z MIN COUNT 1 COUNT 1", "-ERR syntax error|"},
		{"ZMPOP 1 z MIN FOO", "-ERR syntax error|"},
		{"ZMPOP 9223372036854775807 z MIN", "-ERR syntax error|"},
		{"ZMPOP 1 z", "-ERR wrong number of arguments for 'zmpop' command|"},
	})
}

// TestZSetsAlgebra checks ZUNION, ZINTER, ZDIFF, ZINTERCARD and the *STORE
// forms, sets as inputs, infinities.
func TestZSetsAlgebra(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.do("ZADD", "z1", "1", "a", "2", "b", "3", "c")
	h.do("ZADD", "z2", "10", "b", "20", "c", "30", "d")
	h.do("SADD", "s", "c", "d", "e")
	h.check([][2]string{
		{"ZUNION 2 z1 z2", "*4|$1|a|$1|b|$1|c|$1|d|"},
		{"ZUNION 2 z1 z2 WITHSCORES", "*8|$1|a|$1|1|$1|b|$2|12|$1|c|$2|23|$1|d|$2|30|"},
		{"ZUNION 2 z1 z2 WEIGHTS 2 -1 WITHSCORES", "*8|$1|d|$3|-30|$1|c|$3|-14|$1|b|$2|-6|$1|a|$1|2|"},
		{"ZUNION 2 z1 z2 AGGREGATE MIN WITHSCORES", "*8|$1|a|$1|1|$1|b|$1|2|$1|c|$1|3|$1|d|$2|30|"},
		{"ZUNION 2 z1 z2 AGGREGATE MAX WITHSCORES", "*8|$1|a|$1|1|$1|b|$2|10|$1|c|$2|20|$1|d|$2|30|"},
		{"ZUNION 3 z1 z2 s WITHSCORES", "*10|$1|a|$1|1|$1|e|$1|1|$1|b|$2|12|$1|c|$2|24|$1|d|$2|31|"},
		{"ZUNION 3 z1 nokey s WITHSCORES", "*10|$1|a|$1|1|$1|d|$1|1|$1|e|$1|1|$1|b|$1|2|$1|c|$1|4|"},
		{"ZUNION 1 nokey", "*0|"},
		{"ZINTER 2 z1 z2 WITHSCORES", "*4|$1|b|$2|12|$1|c|$2|23|"},
		{"ZINTER 2 z1 z2 AGGREGATE MAX WITHSCORES", "*4|$1|b|$2|10|$1|c|$2|20|"},
		{"ZINTER 3 z1 z2 s WEIGHTS 1 1 5 WITHSCORES", "*2|$1|c|$2|28|"},
		{"ZINTER 2 z1 nokey", "*0|"},
		{"ZINTER 2 z1 z1 WITHSCORES", "*6|$1|a|$1|2|$1|b|$1|4|$1|c|$1|6|"},
		{"ZDIFF 2 z1 z2 WITHSCORES", "*2|$1|a|$1|1|"},
		{"ZDIFF 2 z2 s WITHSCORES", "*2|$1|b|$2|10|"},
		{"ZDIFF 1 z2", "*3|$1|b|$1|c|$1|d|"},
		{"ZDIFF 2 nokey z1", "*0|"},
		{"ZDIFF 2 z1 z1", "*0|"},
		{"ZINTERCARD 2 z1 z2", ":2|"},
		{"ZINTERCARD 2 z1 z2 LIMIT 1", ":1|"},
		{"ZINTERCARD 2 z1 z2 LIMIT 0", ":2|"},
		{"ZINTERCARD 3 z1 z2 s", ":1|"},
		{"ZUNIONSTORE dst 2 z1 z2 WEIGHTS 1 2", ":4|"},
		{"ZRANGE dst 0 -1 WITHSCORES", "*8|$1|a|$1|1|$1|b|$2|22|$1|c|$2|43|$1|d|$2|60|"},
		{"ZINTERSTORE dst 2 z1 z2 AGGREGATE MIN", ":2|"},
		{"ZRANGE dst 0 -1 WITHSCORES", "*4|$1|b|$1|2|$1|c|$1|3|"},
		{"ZDIFFSTORE dst 2 z2 z1", ":1|"},
		{"ZRANGE dst 0 -1 WITHSCORES", "*2|$1|d|$2|30|"},
		{"ZINTERSTORE dst 2 z1 nokey", ":0|"},
		{"EXISTS dst", ":0|"},
		{"ZUNIONSTORE str 1 z1", ":3|"},
		{"TYPE str", "+zset|"},
	})
	h.do("SET", "str", "v")
	h.check([][2]string{
		{"ZUNION 0 z1", "-ERR at least 1 input key is needed for 'zunion' command|"},
		{"ZUNION -1 z1", "-ERR at least 1 input key is needed for 'zunion' command|"},
		{"ZUNION x z1", "-ERR value is not an integer or out of range|"},
		{"ZUNION 2 z1", "-ERR syntax error|"},
		{"ZUNIONSTORE dst 0 z1", "-ERR at least 1 input key is needed for 'zunionstore' command|"},
		{"ZINTERCARD 0 z1", "-ERR at least 1 input key is needed for 'zintercard' command|"},
		{"ZDIFFSTORE dst 0 z1", "-ERR at least 1 input key is needed for 'zdiffstore' command|"},
		{"ZUNION 1 str", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZUNION 1 str FOO", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZUNION 2 nokey str", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZUNION 1 z1 FOO", "-ERR syntax error|"},
		{"ZUNION 1 z1 WEIGHTS", "-ERR syntax error|"},
		{"ZUNION 2 z1 z2 WEIGHTS 1", "-ERR syntax error|"},
		{"ZUNION 1 z1 WEIGHTS x", "-ERR weight value is not a float|"},
		{"ZUNION 1 z1 WEIGHTS nan", "-ERR weight value is not a float|"},
		{"ZUNION 1 z1 AGGREGATE", "-ERR syntax error|"},
		{"ZUNION 1 z1 AGGREGATE AVG", "-ERR syntax error|"},
		{"ZUNION 1 z1 WITHSCORES WITHSCORES", "*6|$1|a|$1|1|$1|b|$1|2|$1|c|$1|3|"},
		{"ZUNION 1 z1 LIMIT 1", "-ERR syntax error|"},
		{"ZUNIONSTORE dst 1 z1 WITHSCORES", "-ERR syntax error|"},
		{"ZDIFF 1 z1 WEIGHTS 1", "-ERR syntax error|"},
		{"ZDIFF 1 z1 AGGREGATE SUM", "-ERR syntax error|"},
		{"ZDIFFSTORE dst 1 z1 WITHSCORES", "-ERR syntax error|"},
		{"ZINTERCARD 1 z1 WITHSCORES", "-ERR syntax error|"},
		{"ZINTERCARD 1 z1 WEIGHTS 1", "-ERR syntax error|"},
		{"ZINTERCARD 1 z1 LIMIT -1", "-ERR LIMIT can't be negative|"},
		{"ZINTERCARD 1 z1 LIMIT x", "-ERR LIMIT can't be negative|"},
		{"ZINTERCARD 1 z1 LIMIT", "-ERR syntax error|"},
		{"ZINTERCARD 2 z1 str", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZUNION", "-ERR wrong number of arguments for 'zunion' command|"},
		{"ZUNIONSTORE dst 1", "-ERR wrong number of arguments for 'zunionstore' command|"},
	})
	h.do("ZADD", "inf1", "+inf", "a", "-inf", "b", "0", "c")
	h.do("ZADD", "inf2", "-inf", "a", "-inf", "b", "5", "c")
	h.check([][2]string{
		{"ZUNION 2 inf1 inf2 WITHSCORES", "*6|$1|b|$4|-inf|$1|a|$1|0|$1|c|$1|5|"},
		{"ZINTER 2 inf1 inf2 WITHSCORES", "*6|$1|b|$4|-inf|$1|a|$1|0|$1|c|$1|5|"},
		{"ZUNION 1 inf1 WEIGHTS 0 WITHSCORES", "*6|$1|a|$1|0|$1|b|$1|0|$1|c|$1|0|"},
		{"ZINTER 2 inf1 inf2 WEIGHTS 1 0 WITHSCORES", "*6|$1|a|$1|0|$1|b|$1|0|$1|c|$1|0|"},
		{"ZINTER 2 inf1 inf2 WEIGHTS 1 0 AGGREGATE MIN WITHSCORES", "*6|$1|b|$4|-inf|$1|c|$1|0|$1|a|$3|inf|"},
		{"ZUNION 1 inf1 WEIGHTS -1 WITHSCORES", "*6|$1|a|$4|-inf|$1|c|$2|-0|$1|b|$3|inf|"},
	})
}

// TestZSetsScan checks ZSCAN of a listpack set: whole, with the listpack's
// score spelling.
func TestZSetsScan(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "str", "v")
	h.do("ZADD", "z", "1", "a", "2.5", "b", "1e17", "c", "-0", "d", "1.1", "e", "4611686018427387904", "f", "inf", "g")
	h.check([][2]string{
		{"ZSCAN z 0", "*2|$1|0|*14|$1|d|$1|0|$1|a|$1|1|$1|e|$18|1.1000000000000001|$1|b|$3|2.5|$1|c|$18|100000000000000000|$1|f|$19|4611686018427387904|$1|g|$3|inf|"},
		{"ZSCAN z 123", "*2|$1|0|*14|$1|d|$1|0|$1|a|$1|1|$1|e|$18|1.1000000000000001|$1|b|$3|2.5|$1|c|$18|100000000000000000|$1|f|$19|4611686018427387904|$1|g|$3|inf|"},
		{"ZSCAN z 0 MATCH [a-c]", "*2|$1|0|*6|$1|a|$1|1|$1|b|$3|2.5|$1|c|$18|100000000000000000|"},
		{"ZSCAN z 0 COUNT 1", "*2|$1|0|*14|$1|d|$1|0|$1|a|$1|1|$1|e|$18|1.1000000000000001|$1|b|$3|2.5|$1|c|$18|100000000000000000|$1|f|$19|4611686018427387904|$1|g|$3|inf|"},
		{"ZSCAN z 0 COUNT 0", "-ERR syntax error|"},
		{"ZSCAN z 0 COUNT x", "-ERR value is not an integer or out of range|"},
		{"ZSCAN z 0 MATCH", "-ERR syntax error|"},
		{"ZSCAN z 0 TYPE zset", "-ERR syntax error|"},
		{"ZSCAN z 0 FOO bar", "-ERR syntax error|"},
		{"ZSCAN z x", "-ERR invalid cursor|"},
		{"ZSCAN z -1", "*2|$1|0|*14|$1|d|$1|0|$1|a|$1|1|$1|e|$18|1.1000000000000001|$1|b|$3|2.5|$1|c|$18|100000000000000000|$1|f|$19|4611686018427387904|$1|g|$3|inf|"},
		{"ZSCAN nokey 0", "*2|$1|0|*0|"},
		{"ZSCAN nokey 0 COUNT 0", "*2|$1|0|*0|"},
		{"ZSCAN str 0", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZSCAN str x", "-ERR invalid cursor|"},
	})
}

// TestZSetsRESP3 checks RESP3 shapes: doubles, nulls and [member, score]
// pairs.
func TestZSetsRESP3(t *testing.T) {
	h := newHarness(t)
	h.proto = 3
	h.do("ZADD", "z", "1", "a", "2.5", "b", "3", "c")
	h.do("SADD", "s", "a", "x")
	h.check([][2]string{
		{"ZSCORE z b", ",2.5|"},
		{"ZSCORE z missing", "_|"},
		{"ZMSCORE z a missing", "*2|,1|_|"},
		{"ZINCRBY z 1 a", ",2|"},
		{"ZADD z INCR 1 a", ",3|"},
		{"ZADD z NX INCR 1 a", "_|"},
		{"ZRANK z missing", "_|"},
		{"ZRANGE z 0 -1", "*3|$1|b|$1|a|$1|c|"},
		{"ZRANGE z 0 -1 WITHSCORES", "*3|*2|$1|b|,2.5|*2|$1|a|,3|*2|$1|c|,3|"},
		{"ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 0 2", "*2|*2|$1|b|,2.5|*2|$1|a|,3|"},
		{"ZREVRANGE z 0 0 WITHSCORES", "*1|*2|$1|c|,3|"},
		{"ZUNION 2 z s WITHSCORES", "*4|*2|$1|x|,1|*2|$1|b|,2.5|*2|$1|c|,3|*2|$1|a|,4|"},
		{"ZINTER 2 z s", "*1|$1|a|"},
		{"ZDIFF 2 z s WITHSCORES", "*2|*2|$1|b|,2.5|*2|$1|c|,3|"},
		{"ZSCAN z 0", "*2|$1|0|*6|$1|b|$3|2.5|$1|a|$1|3|$1|c|$1|3|"},
		{"ZRANDMEMBER nokey", "_|"},
		{"ZRANDMEMBER z 5 WITHSCORES", "*3|*2|$1|c|,3|*2|$1|a|,3|*2|$1|b|,2.5|"},
		{"ZRANDMEMBER nokey 5 WITHSCORES", "*0|"},
		{"ZPOPMIN z", "*2|$1|b|,2.5|"},
		{"ZPOPMIN z 1", "*1|*2|$1|a|,3|"},
		{"ZPOPMIN nokey", "*0|"},
		{"ZMPOP 1 z MAX COUNT 2", "*2|$1|z|*1|*2|$1|c|,3|"},
		{"ZMPOP 1 nokey MAX", "_|"},
	})
}
