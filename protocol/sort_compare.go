package protocol

import (
	"bytes"
	"math"
	"slices"
)

// sortItems loads each item's score (or ALPHA compare value from BY) and
// sorts items as Redis's sortCompare orders them. It returns false when a
// numeric sort met a value strtod cannot read whole (Redis then replies
// "One or more scores can't be converted into double"). Items Redis leaves
// unordered (equal ALPHA BY values) keep their loading order.
func sortItems(c *Ctx, items []sortItem, o *sortOptions) bool {
	convErr := false
	for i := range items {
		it := &items[i]
		by := it.elem
		if o.by != nil {
			v, found := sortLookupPattern(c, o.by, it.elem)
			if !found {
				continue
			}
			by = v
		}
		if o.alpha {
			if o.by != nil {
				it.cmp = by
			}
			continue
		}
		f, ok := sortScore(by)
		it.score = f
		convErr = convErr || !ok
	}
	if convErr {
		return false
	}
	slices.SortStableFunc(items, func(a, b sortItem) int {
		cmp := sortCompare(&a, &b, o)
		if o.desc {
			return -cmp
		}
		return cmp
	})
	return true
}

// sortScore reads b as SORT's strtod does: b as a C string, leading space
// skipped, the whole rest consumed; NaN and out-of-range values (ERANGE:
// overflow, underflow, subnormal) refused.
// An empty value is 0.
func sortScore(b []byte) (float64, bool) {
	f, outOfRange, ok := cStrtod(b)
	// glibc's strtod also reports ERANGE for a subnormal result.
	subnormal := f != 0 && math.Abs(f) < 0x1p-1022
	if !ok || outOfRange || subnormal || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// sortCompare is Redis's sortCompare before DESC is applied. Numeric ties
// compare the elements; ALPHA compares bytes (Redis's strcoll in the C
// locale), a missing BY value sorting first.
func sortCompare(a, b *sortItem, o *sortOptions) int {
	switch {
	case !o.alpha:
		if a.score > b.score {
			return 1
		}
		if a.score < b.score {
			return -1
		}
		return bytes.Compare(a.elem, b.elem)
	case o.by != nil:
		if a.cmp == nil || b.cmp == nil {
			switch {
			case a.cmp == nil && b.cmp == nil:
				return 0
			case a.cmp == nil:
				return -1
			}
			return 1
		}
		return alphaCompare(a.cmp, b.cmp, o)
	}
	return alphaCompare(a.elem, b.elem, o)
}

// alphaCompare compares as Redis: binary-safe with STORE
// (compareStringObjects), strcoll on C strings without it.
func alphaCompare(a, b []byte, o *sortOptions) int {
	if o.store != nil {
		return bytes.Compare(a, b)
	}
	return bytes.Compare(cString(a), cString(b))
}
