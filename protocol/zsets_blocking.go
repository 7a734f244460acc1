package protocol

// The blocking sorted-set pops. Like the blocking list commands
// (lists_blocking.go), they run in the state machine as their non-blocking
// forms and reply null when there is nothing to pop; the server waits and
// submits them again.

var zsetBlockingCommands = []*Command{
	{Name: "bzpopmin", Arity: -3, Flags: Write | NoScript | Blocking | Fast, FirstKey: 1, LastKey: -2, Step: 1,
		Group: "sorted-set", Since: "5.0.0", Summary: "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
		Handler: HandlerFunc(bzpopmin)},
	{Name: "bzpopmax", Arity: -3, Flags: Write | NoScript | Blocking | Fast, FirstKey: 1, LastKey: -2, Step: 1,
		Group: "sorted-set", Since: "5.0.0", Summary: "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
		Handler: HandlerFunc(bzpopmax)},
	{Name: "bzmpop", Arity: -5, Flags: Write | Blocking, KeyCount: 2,
		Group: "sorted-set", Since: "7.0.0", Summary: "Remove and return members with scores in a sorted set or block until one is available",
		Handler: HandlerFunc(bzmpop)},
}

// BZPOPMIN key [key ...] timeout
func bzpopmin(c *Ctx) { blockingZpop(c, false) }

// BZPOPMAX key [key ...] timeout
func bzpopmax(c *Ctx) { blockingZpop(c, true) }

// blockingZpop pops one member from the first non-empty sorted set and
// replies [key, member, score]; a null array when every key is missing.
func blockingZpop(c *Ctx, highest bool) {
	if validTimeout(c, c.Args[len(c.Args)-1]) {
		keys := c.Args[1 : len(c.Args)-1]
		zpopGeneric(c, keys, highest, -1, zpopShape{emitKey: true, nilWhenEmpty: true})
	}
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
func bzmpop(c *Ctx) {
	keys, highest, count, ok := parseZMPop(c, 2)
	if ok && validTimeout(c, c.Args[1]) {
		zpopGeneric(c, keys, highest, count, zpopShape{emitKey: true, nested: true, nilWhenEmpty: true})
	}
}
