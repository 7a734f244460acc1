package scripting

import "testing"

// TestErrorReply: redis.error_reply's text, as redis-server 7.0.15 answers
// (raw replies to EVAL <body> 0); ioredis users see the code they chose.
func TestErrorReply(t *testing.T) {
	cases := []step{
		cmd("-MYERR boom|", "EVAL", "return redis.error_reply('MYERR boom')", "0"),
		cmd("-ERR boom|", "EVAL", "return redis.error_reply('boom')", "0"),
		cmd("-my boom|", "EVAL", "return redis.error_reply('my boom')", "0"),
		cmd("-a b c|", "EVAL", "return redis.error_reply('a b c')", "0"),
		cmd("-ERR XX|", "EVAL", "return redis.error_reply('-XX')", "0"),
		cmd("-XX yy|", "EVAL", "return redis.error_reply('-XX yy')", "0"),
		cmd("-ERR |", "EVAL", "return redis.error_reply('')", "0"),
		cmd("-ERR x|", "EVAL", "return redis.error_reply('x\\r\\n')", "0"),
		cmd("$7|my boom|", "EVAL", "local t = redis.error_reply('my boom') return t.err", "0"),
	}
	for _, c := range cases {
		t.Run(c.args[1], func(t *testing.T) { newHarness(t).run([]step{c}) })
	}
}
