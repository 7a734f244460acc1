package protocol

import (
	"github.com/geetcache/geetcache/datatypes"
)

// SORT and SORT_RO, as Redis 7.0's sortCommandGeneric (sort.c). SORT with
// STORE is a write (it goes through the log); without STORE, and SORT_RO
// always, it is a read.
var sortFamily = []*Command{
	{Name: "sort", Arity: -2, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Sort the elements in a list, set or sorted set",
		Keys: sortKeys, CallFlags: sortCallFlags, Handler: HandlerFunc(sortCmd)},
	{Name: "sort_ro", Arity: -2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "7.0.0", Summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
		Keys: sortROKeys, Handler: HandlerFunc(sortRO)},
}

// sortOptions is a parsed SORT call.
type sortOptions struct {
	desc, alpha, dontsort  bool
	limitStart, limitCount int64
	by                     []byte // nil: sort by the elements
	gets                   [][]byte
	store                  []byte // nil: reply with the result
}

// sortStoreIndex returns the position of the destination of the last STORE
// option as Redis's sortGetKeys finds it (skipping LIMIT's two arguments
// and GET's and BY's one), or 0 when there is none.
func sortStoreIndex(argv [][]byte) int {
	store := 0
	for i := 2; i < len(argv); i++ {
		switch {
		case optionIs(argv[i], "limit"):
			i += 2
		case optionIs(argv[i], "get"), optionIs(argv[i], "by"):
			i++
		case optionIs(argv[i], "store") && i+1 < len(argv):
			store = i + 1
		}
	}
	return store
}

// sortKeys is SORT's getkeys: the sorted key and the STORE destination.
func sortKeys(argv [][]byte) []int {
	if i := sortStoreIndex(argv); i > 0 {
		return []int{1, i}
	}
	return []int{1}
}

func sortROKeys(argv [][]byte) []int { return []int{1} }

// sortCallFlags makes SORT a write only when it names STORE.
func sortCallFlags(args [][]byte) Flags {
	if sortStoreIndex(args) > 0 {
		return Write
	}
	return Readonly
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination]
func sortCmd(c *Ctx) { sortGeneric(c, false) }

// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]
func sortRO(c *Ctx) { sortGeneric(c, true) }

// parseSort parses c.Args[2:]; on an error it replies and returns ok=false.
func parseSort(c *Ctx, readonly bool) (o sortOptions, ok bool) {
	o.limitCount = -1
	args := c.Args
	for j := 2; j < len(args); j++ {
		left := len(args) - j - 1
		a := args[j]
		switch {
		case optionIs(a, "asc"):
			o.desc = false
		case optionIs(a, "desc"):
			o.desc = true
		case optionIs(a, "alpha"):
			o.alpha = true
		case optionIs(a, "limit") && left >= 2:
			start, ok1 := ParseInt(args[j+1])
			count, ok2 := ParseInt(args[j+2])
			if !ok1 || !ok2 {
				c.Out.Error(ErrNotInteger)
				return o, false
			}
			o.limitStart, o.limitCount = start, count
			j += 2
		case !readonly && optionIs(a, "store") && left >= 1:
			o.store = args[j+1]
			j++
		case optionIs(a, "by") && left >= 1:
			o.by = args[j+1]
			// BY without '*' (BY nosort) keeps the collection's order.
			o.dontsort = indexByteC(o.by, '*') < 0
			j++
		case optionIs(a, "get") && left >= 1:
			o.gets = append(o.gets, args[j+1])
			j++
		default:
			c.Out.Error(ErrSyntax)
			return o, false
		}
	}
	return o, true
}

// indexByteC is strchr(3) on b read as a C string.
func indexByteC(b []byte, ch byte) int {
	for i, x := range cString(b) {
		if x == ch {
			return i
		}
	}
	return -1
}

func sortGeneric(c *Ctx, readonly bool) {
	o, ok := parseSort(c, readonly)
	if !ok {
		return
	}
	e := c.LookupRead(c.Args[1])
	var val datatypes.Value
	if e != nil {
		val = e.Value
		switch val.(type) {
		case *datatypes.List, *datatypes.Set, *datatypes.ZSet:
		default:
			c.Out.Error(ErrWrongType)
			return
		}
	}
	// A set has no order of its own: BY nosort with STORE or in a script
	// sorts it by its elements, so the result is the same everywhere.
	if _, isSet := val.(*datatypes.Set); isSet && o.dontsort && (o.store != nil || c.Script) {
		o.dontsort, o.alpha, o.by = false, true, nil
	}
	items, start, end := sortLoad(val, &o)
	if !o.dontsort {
		if !sortItems(c, items, &o) {
			c.Out.Error("ERR One or more scores can't be converted into double")
			return
		}
	}
	sortOutput(c, items, start, end, &o)
}
