package protocol

import "testing"

// TestBlockingFormsInTheStateMachine: inside the FSM a blocking command
// runs as its non-blocking form and replies null when there is nothing to
// take (the server then waits and retries). Replies checked against Redis
// 7.0.15 for a client that may not block.
func TestBlockingFormsInTheStateMachine(t *testing.T) {
	h := newHarness(t)
	h.check([][2]string{
		{"BLPOP l1 l2 0", "*-1|"},
		{"BLPOP l1 x", "-ERR timeout is not a float or out of range|"},
		{"BLPOP l1 -1", "-ERR timeout is negative|"},
		{"BLPOP l1 1e20", "-ERR timeout is negative|"},
		{"RPUSH l2 a b c", ":3|"},
		{"BLPOP l1 l2 0", "*2|$2|l2|$1|a|"},
		{"BRPOP l1 l2 0", "*2|$2|l2|$1|c|"},
		{"BLMOVE l2 d left right 0", "$1|b|"},
		{"BLMOVE l2 d left right 0", "$-1|"},
		{"BLMOVE l2 d up right 0", "-ERR syntax error|"},
		{"BRPOPLPUSH nope d 0", "$-1|"},
		{"BLMPOP 0 1 d left count 2", "*2|$1|d|*1|$1|b|"},
		{"BLMPOP 0 1 d left", "*-1|"},
		{"BLMPOP x 0 d left", "-ERR numkeys should be greater than 0|"},
		{"SET s v", "+OK|"},
		{"BLPOP s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
		{"ZADD z 1 a 2 b 3 c", ":3|"},
		{"BZPOPMIN nope z 0", "*3|$1|z|$1|a|$1|1|"},
		{"BZPOPMAX z 0", "*3|$1|z|$1|c|$1|3|"},
		{"BZMPOP 0 1 z min count 5", "*2|$1|z|*1|*2|$1|b|$1|2|"},
		{"BZPOPMIN z 0", "*-1|"},
		{"BZMPOP x 0 z min", "-ERR numkeys should be greater than 0|"},
		{"BZMPOP x 1 z min", "-ERR timeout is not a float or out of range|"},
		{"BZMPOP 0 0 z min", "-ERR numkeys should be greater than 0|"},
		{"BZPOPMIN s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value|"},
	})
}
