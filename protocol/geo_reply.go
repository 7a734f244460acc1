package protocol

import "github.com/geetcache/geetcache/datatypes"

// finish sorts the points as asked, keeps the first COUNT, and replies with
// them or stores them.
func (q *geoQuery) finish(c *Ctx, points []geoPoint) {
	if len(points) == 0 && q.store == nil {
		c.Out.Array(0)
		return
	}
	n := len(points)
	if q.count != 0 && int64(n) > q.count {
		n = int(q.count)
	}
	if q.sort != geoSortNone {
		desc := q.sort == geoSortDesc
		if n == len(points) {
			geoMergeSort(points, desc)
		} else {
			geoPartialSort(points, 0, n-1, desc)
		}
	}
	points = points[:n]
	for i := range points {
		points[i].dist /= q.shape.Conversion
	}
	if q.store != nil {
		q.storePoints(c, points)
		return
	}
	q.reply(c, points)
}

// reply writes each point: its member alone, or an array of the member and
// the distance, hash and coordinates asked for.
func (q *geoQuery) reply(c *Ctx, points []geoPoint) {
	extra := 0
	for _, on := range []bool{q.withDist, q.withHash, q.withCoords} {
		if on {
			extra++
		}
	}
	c.Out.Array(len(points))
	for _, p := range points {
		if extra > 0 {
			c.Out.Array(extra + 1)
		}
		c.Out.BulkString(p.member)
		if q.withDist {
			c.Out.BulkString(geoDistance(p.dist))
		}
		if q.withHash {
			c.Out.Int(int64(p.score))
		}
		if q.withCoords {
			c.Out.Array(2)
			replyCoord(c, p.lon)
			replyCoord(c, p.lat)
		}
	}
}

// storePoints stores the points in q.store as a sorted set scored by their
// geohash (by their distance with STOREDIST), or deletes q.store when there
// are none, and replies with their number.
func (q *geoQuery) storePoints(c *Ctx, points []geoPoint) {
	members := make([]datatypes.ZMember, len(points))
	for i, p := range points {
		members[i] = datatypes.ZMember{Member: p.member, Score: p.score}
		if q.storeDist {
			members[i].Score = p.dist
		}
	}
	datatypes.SortZMembers(members)
	dst := q.store
	if len(members) == 0 {
		deleteDest(c, dst)
		c.Out.Int(0)
		return
	}
	storeDest(c, dst, datatypes.NewZSetFrom(members), NotifyZSet, q.storeEvent)
	c.AddDirty(int64(len(members))) // as Redis's returned_items
	c.Out.Int(int64(len(members)))
}
