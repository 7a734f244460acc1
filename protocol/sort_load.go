package protocol

import "github.com/geetcache/geetcache/datatypes"

// sortItem is one element being sorted: the element, its numeric score or
// its ALPHA compare value from a BY pattern (nil when the key is missing).
type sortItem struct {
	elem  []byte
	score float64
	cmp   []byte
}

// sortLength returns the number of elements of v (0 for nil).
func sortLength(v datatypes.Value) int64 {
	switch v := v.(type) {
	case *datatypes.List:
		return int64(v.Len())
	case *datatypes.Set:
		return int64(v.Len())
	case *datatypes.ZSet:
		return int64(v.Len())
	}
	return 0
}

// sortRange applies LIMIT as Redis does: it returns the first and last
// positions of the output in the sorted vector of n elements.
func sortRange(o *sortOptions, n int64) (start, end int64) {
	start = max(o.limitStart, 0)
	if o.limitCount < 0 || o.limitCount > n {
		end = n - 1
	} else {
		end = start + o.limitCount - 1
	}
	if start >= n {
		start, end = n-1, n-2
	}
	if end >= n {
		end = n - 1
	}
	return start, end
}

// sortLoad returns the elements to sort and the output range in them. A
// list or sorted set with nothing to sort (BY nosort) loads only the
// LIMIT range, in its order (reversed for DESC), as Redis's shortcut does;
// the range then starts at 0.
func sortLoad(v datatypes.Value, o *sortOptions) (items []sortItem, start, end int64) {
	n := sortLength(v)
	start, end = sortRange(o, n)
	switch v := v.(type) {
	case *datatypes.List:
		if o.dontsort {
			return loadListRange(v, o.desc, start, end), 0, end - start
		}
		v.Each(false, func(e []byte) bool {
			items = append(items, sortItem{elem: e})
			return true
		})
	case *datatypes.Set:
		items = make([]sortItem, 0, n)
		for i := 0; i < v.Len(); i++ {
			items = append(items, sortItem{elem: []byte(v.At(i))})
		}
	case *datatypes.ZSet:
		if o.dontsort {
			return loadZSetRange(v, o.desc, start, end), 0, end - start
		}
		items = make([]sortItem, 0, n)
		v.Ascend(0, func(m datatypes.ZMember) bool {
			items = append(items, sortItem{elem: []byte(m.Member)})
			return true
		})
	}
	return items, start, end
}

// loadListRange returns the list's elements start..end counted from the
// head, or from the tail when desc is set.
func loadListRange(l *datatypes.List, desc bool, start, end int64) []sortItem {
	if end < start {
		return nil
	}
	items := make([]sortItem, 0, end-start+1)
	add := func(e []byte) { items = append(items, sortItem{elem: e}) }
	if desc {
		n := int64(l.Len())
		l.Range(int(n-1-end), int(n-1-start), add)
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
		return items
	}
	l.Range(int(start), int(end), add)
	return items
}

// loadZSetRange returns the sorted set's members of ranks start..end,
// counted from the highest score when desc is set.
func loadZSetRange(z *datatypes.ZSet, desc bool, start, end int64) []sortItem {
	if end < start {
		return nil
	}
	items := make([]sortItem, 0, end-start+1)
	want := int(end - start + 1)
	add := func(m datatypes.ZMember) bool {
		items = append(items, sortItem{elem: []byte(m.Member)})
		return len(items) < want
	}
	if desc {
		z.Descend(z.Len()-1-int(start), add)
	} else {
		z.Ascend(int(start), add)
	}
	return items
}
