//go:build geetcache_futurecmd

package protocol

// FUTURECMD key value: SET key value, at command level 7 (one above the database commands'). Test builds only.
func init() {
	futureCommands = append(futureCommands, &Command{Name: "futurecmd", Arity: 3, Flags: Write | DenyOOM,
		FirstKey: 1, LastKey: 1, Step: 1, Level: dbLevel + 1, Group: "string", Since: "test",
		Summary: "Test only: SET at command level 7, as a newer release's command",
		Handler: HandlerFunc(func(c *Ctx) {
			c.DB.Set(string(c.Args[1]), copyString(c.Args[2]), 0)
			c.Out.OK()
		})})
}
