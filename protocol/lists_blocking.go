package protocol

// The blocking list commands. Inside the state machine they run as their
// non-blocking forms and reply null when there is nothing to take, as Redis
// does for a client that may not block; the server then waits for a write
// to one of their keys and submits them again (server/block_cmd.go).

var listBlockingCommands = []*Command{
	{Name: "blpop", Arity: -3, Flags: Write | NoScript | Blocking, FirstKey: 1, LastKey: -2, Step: 1,
		Group: "list", Since: "2.0.0", Summary: "Remove and get the first element in a list, or block until one is available",
		Handler: HandlerFunc(blpop)},
	{Name: "brpop", Arity: -3, Flags: Write | NoScript | Blocking, FirstKey: 1, LastKey: -2, Step: 1,
		Group: "list", Since: "2.0.0", Summary: "Remove and get the last element in a list, or block until one is available",
		Handler: HandlerFunc(brpop)},
	{Name: "blmove", Arity: 6, Flags: Write | DenyOOM | NoScript | Blocking, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "list", Since: "6.2.0", Summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
		Handler: HandlerFunc(blmove)},
	{Name: "brpoplpush", Arity: 4, Flags: Write | DenyOOM | NoScript | Blocking, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "list", Since: "2.2.0", Summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
		Handler: HandlerFunc(brpoplpush)},
	{Name: "blmpop", Arity: -5, Flags: Write | Blocking, KeyCount: 2,
		Group: "list", Since: "7.0.0", Summary: "Pop elements from a list, or block until one is available",
		Handler: HandlerFunc(blmpop)},
}

// validTimeout replies with Redis's error for a bad timeout argument.
func validTimeout(c *Ctx, arg []byte) bool {
	if _, errMsg := ParseTimeout(arg); errMsg != "" {
		c.Out.Error(errMsg)
		return false
	}
	return true
}

// BLPOP key [key ...] timeout
func blpop(c *Ctx) { blockingPop(c, true) }

// BRPOP key [key ...] timeout
func brpop(c *Ctx) { blockingPop(c, false) }

// blockingPop pops one element from the first non-empty list and replies
// [key, element]; a null array when every key is missing.
func blockingPop(c *Ctx, left bool) {
	if !validTimeout(c, c.Args[len(c.Args)-1]) {
		return
	}
	key, elems, ok := mpop(c, c.Args[1:len(c.Args)-1], left, 1)
	switch {
	case !ok:
	case key == nil:
		c.Out.NullArray()
	default:
		c.Out.Array(2)
		c.Out.Bulk(key)
		c.Out.Bulk(elems[0])
	}
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
func blmove(c *Ctx) {
	fromLeft, ok := parseWhere(c, c.Args[3])
	if !ok {
		return
	}
	toLeft, ok := parseWhere(c, c.Args[4])
	if ok && validTimeout(c, c.Args[5]) {
		replyMoved(c, c.Args[1], c.Args[2], fromLeft, toLeft)
	}
}

// BRPOPLPUSH source destination timeout
func brpoplpush(c *Ctx) {
	if validTimeout(c, c.Args[3]) {
		replyMoved(c, c.Args[1], c.Args[2], false, true)
	}
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
func blmpop(c *Ctx) {
	keys, left, count, ok := parseMpop(c, c.Args[2:])
	if !ok || !validTimeout(c, c.Args[1]) {
		return
	}
	key, elems, ok := mpop(c, keys, left, count)
	if ok {
		replyMpop(c, key, elems)
	}
}
