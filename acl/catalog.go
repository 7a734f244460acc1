package acl

import (
	"slices"
	"sort"
	"strings"
)

// Catalog is what ACL rules name: every command and subcommand by its
// full name ("get", "config|get"), with its ACL categories. It is built
// once, before the state machine starts, from the binary's command table,
// so every node resolves the same rules to the same permissions.
type Catalog struct {
	names []string            // full names, sorted
	cats  map[string][]string // full name -> categories
	subs  map[string][]string // parent -> its subcommands' full names
	byCat map[string][]string // category -> its full names, sorted
	// local are the names Redis 7.0 does not have (RAFT...), added to a
	// catalog made by NewRedisCatalog: descriptions count categories
	// without them, as Redis does.
	local map[string]bool
	redis bool
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{cats: map[string][]string{}, subs: map[string][]string{}, byCat: map[string][]string{}, local: map[string]bool{}}
}

// NewRedisCatalog returns a catalog holding Redis 7.0.15's commands and
// subcommands with Redis's categories, those geetcache lacks too: rules
// naming them are accepted as Redis accepts them, and a description
// (ACL LIST) weighs categories against the same commands as Redis, so it
// emits the same rules. Commands added later keep Redis's categories
// when Redis has them.
func NewRedisCatalog() *Catalog {
	c := NewCatalog()
	for _, rc := range redisCommands {
		c.Add(rc[0], strings.Fields(rc[1]))
	}
	c.redis = true
	return c
}

// Add records a command (or a subcommand, "parent|sub") and its
// categories. Call it before the catalog is used.
func (c *Catalog) Add(name string, cats []string) {
	if _, ok := c.cats[name]; ok {
		return
	}
	if c.redis {
		c.local[name] = true
	}
	c.cats[name] = cats
	c.names = append(c.names, name)
	sort.Strings(c.names)
	if i := strings.IndexByte(name, '|'); i > 0 {
		c.subs[name[:i]] = append(c.subs[name[:i]], name)
	}
	for _, cat := range cats {
		if i, found := slices.BinarySearch(c.byCat[cat], name); !found {
			c.byCat[cat] = slices.Insert(c.byCat[cat], i, name)
		}
	}
}

// Known reports whether name is a command or subcommand of the catalog.
func (c *Catalog) Known(name string) bool {
	_, ok := c.cats[name]
	return ok
}

// HasSubcommands reports whether the command name is a container.
func (c *Catalog) HasSubcommands(name string) bool { return len(c.subs[name]) > 0 }

// Names returns every full name, sorted. The caller must not modify it.
func (c *Catalog) Names() []string { return c.names }

// InCategory returns the full names in category cat (lower case), sorted.
// The caller must not modify it.
func (c *Catalog) InCategory(cat string) []string { return c.byCat[cat] }

// Categories are Redis 7.0's ACL categories, in ACL CAT's order.
var Categories = []string{"keyspace", "read", "write", "set", "sortedset", "list", "hash",
	"string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting"}

// KnownCategory reports whether cat (lower case) is an ACL category.
func KnownCategory(cat string) bool {
	for _, c := range Categories {
		if c == cat {
			return true
		}
	}
	return false
}
