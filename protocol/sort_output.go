package protocol

import (
	"bytes"

	"github.com/geetcache/geetcache/datatypes"
)

// sortLookupPattern is Redis's lookupKeyByPattern: "#" is the element
// itself; otherwise the first '*' of the pattern is replaced by the
// element and the key read, as a string, or, when "->field" follows the
// '*', as that hash field. found is false for a pattern without '*', a
// missing key or field, or a key of another type.
func sortLookupPattern(c *Ctx, pattern, elem []byte) (v []byte, found bool) {
	pat := cString(pattern)
	if len(pat) == 1 && pat[0] == '#' {
		return elem, true
	}
	star := bytes.IndexByte(pat, '*')
	if star < 0 {
		return nil, false
	}
	post := pattern[star+1:]
	var field []byte
	if f := bytes.Index(cString(post), []byte("->")); f >= 0 && f+2 < len(cString(post)) {
		field = post[f+2:]
		post = post[:f]
	}
	key := make([]byte, 0, star+len(elem)+len(post))
	key = append(append(append(key, pattern[:star]...), elem...), post...)
	e := c.LookupRead(key)
	if e == nil {
		return nil, false
	}
	if field != nil {
		h, ok := e.Value.(*datatypes.Hash)
		if !ok {
			return nil, false
		}
		s, ok := h.Get(view(field))
		return []byte(s), ok
	}
	sv, ok := e.Value.(datatypes.StringValue)
	if !ok {
		return nil, false
	}
	return sv.Bytes(), true
}

// sortOutput replies with items start..end, each replaced by its GET
// patterns' values when there are any, or stores them as a list at
// o.store (deleting it when there is nothing) and replies with the count.
func sortOutput(c *Ctx, items []sortItem, start, end int64, o *sortOptions) {
	n := end - start + 1
	if len(o.gets) > 0 {
		n *= int64(len(o.gets))
	}
	if o.store == nil {
		c.Out.Array(int(n))
		for j := start; j <= end; j++ {
			if len(o.gets) == 0 {
				c.Out.Bulk(items[j].elem)
			}
			for _, g := range o.gets {
				if v, found := sortLookupPattern(c, g, items[j].elem); found {
					c.Out.Bulk(v)
				} else {
					c.Out.Null()
				}
			}
		}
		return
	}
	l := datatypes.NewList()
	for j := start; j <= end; j++ {
		if len(o.gets) == 0 {
			l.PushBack(items[j].elem)
		}
		for _, g := range o.gets {
			v, _ := sortLookupPattern(c, g, items[j].elem)
			l.PushBack(v)
		}
	}
	if n > 0 {
		storeDest(c, o.store, l, NotifyList, "sortstore")
		c.AddDirty(int64(l.Len())) // as Redis's outputlen
	} else {
		deleteDest(c, o.store)
	}
	c.Out.Int(n)
}
