package protocol

import "github.com/geetcache/geetcache/datatypes"

// ZSCAN key cursor [MATCH pattern] [COUNT count]
//
// A listpack-encoded set (see datatypes.ZSet.Listpack) comes back whole in
// rank order with cursor 0, its scores written as the listpack stores them
// ("3", not "3"-as-%.17g, for integers up to 2^62), exactly as Redis
// replies. A skiplist-encoded set is walked in member-hash order with a
// cursor that keeps SCAN's guarantee (see datatypes.ZSet.Scan); Redis's
// own order there depends on its hash seed, so only the guarantee can
// match. MATCH filters members; a filtered member's score goes with it.
func zscan(c *Ctx) {
	elementScan(c, lookupZSet, func(z *datatypes.ZSet, cursor uint64, opt scanOptions) (uint64, []string) {
		format := FormatDouble
		if z.Listpack() {
			format = formatListpackScore
		}
		var out []string
		next := z.Scan(cursor, int(opt.count), func(m datatypes.ZMember) {
			if opt.match.match(m.Member) {
				out = append(out, m.Member, format(m.Score))
			}
		})
		return next, out
	})
}
