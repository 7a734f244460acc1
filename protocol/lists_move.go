package protocol

import "github.com/geetcache/geetcache/datatypes"

// LMOVE and RPOPLPUSH. moveElement changes the keyspace and replies only
// WRONGTYPE, so the blocking forms can call it.

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
func lmove(c *Ctx) {
	fromLeft, ok := parseWhere(c, c.Args[3])
	if !ok {
		return
	}
	toLeft, ok := parseWhere(c, c.Args[4])
	if !ok {
		return
	}
	replyMoved(c, c.Args[1], c.Args[2], fromLeft, toLeft)
}

// RPOPLPUSH source destination
func rpoplpush(c *Ctx) { replyMoved(c, c.Args[1], c.Args[2], false, true) }

// replyMoved moves one element and replies with it, nil when the source is
// missing.
func replyMoved(c *Ctx, src, dst []byte, fromLeft, toLeft bool) {
	e, ok := moveElement(c, src, dst, fromLeft, toLeft)
	switch {
	case !ok:
	case e == nil:
		c.Out.Null()
	default:
		c.Out.Bulk(e)
	}
}

// moveElement pops one element from the head (fromLeft) or the tail of the
// list at src and pushes it at the head (toLeft) or the tail of the list at
// dst, creating dst when missing and deleting src when it empties. With
// src == dst the list rotates (or keeps its order when both ends are the
// same). It returns the element (the caller owns it), or nil when src is
// missing. As in Redis, src's type is checked, then dst's, before anything
// changes; on a wrong type it replies WRONGTYPE and returns ok=false. When
// a blocked BLMOVE runs again (c.Retry), a source of another type counts
// as missing (lookupSource) but a destination of another type still
// answers WRONGTYPE, as Redis answers the client it serves. Only for write
// handlers.
func moveElement(c *Ctx, src, dst []byte, fromLeft, toLeft bool) (e []byte, ok bool) {
	s, ok := lookupSource[*datatypes.List](c, src)
	if !ok || s == nil {
		return nil, ok
	}
	if _, ok = lookupList(c, dst); !ok {
		return nil, false
	}
	s, _ = writableList(c, src, false)
	e = s.Pop(fromLeft)
	d, _ := writableList(c, dst, true)
	pushOne(d, toLeft, e)
	c.Notify(NotifyList, sideName(toLeft, "lpush", "rpush"), dst)
	c.Notify(NotifyList, sideName(fromLeft, "lpop", "rpop"), src)
	deleteIfEmpty(c, src, s.Len())
	return e, true
}
