package protocol

// keyCommands is the generic keyspace family.
var keyCommands = []*Command{
	{Name: "del", Arity: -2, Flags: Write, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Deletes one or more keys.",
		Handler: HandlerFunc(del)},
	{Name: "exists", Arity: -2, Flags: Readonly | Fast, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Determines whether one or more keys exist.",
		Handler: HandlerFunc(exists)},
}

// DEL key [key ...]
func del(c *Ctx) {
	var n int64
	for _, k := range c.Args[1:] {
		if c.Lookup(k) != nil && c.DB.Delete(view(k)) {
			n++
		}
	}
	c.Out.Int(n)
}

// EXISTS key [key ...]
func exists(c *Ctx) {
	var n int64
	for _, k := range c.Args[1:] {
		if c.Lookup(k) != nil {
			n++
		}
	}
	c.Out.Int(n)
}
