package protocol

import (
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/geohash"
)

// geoPoint is one search result.
type geoPoint struct {
	lon, lat, dist, score float64
	member                string
}

// geoCollect returns the members of z inside s, scanning the nine cells of
// geohash.CellsFor in Redis's order (a cell equal to the one scanned just
// before is skipped), each cell's members in score order. With limit > 0
// (ANY) it stops once it has limit points.
func geoCollect(z *datatypes.ZSet, s *geohash.Shape, limit int) []geoPoint {
	var points []geoPoint
	cells := geohash.CellsFor(s)
	last := -1
	for i, cell := range cells {
		if cell.IsZero() {
			continue
		}
		if last >= 0 && cell == cells[last] {
			continue
		}
		if limit > 0 && len(points) >= limit {
			break
		}
		points = geoCollectCell(z, s, cell, points, limit)
		last = i
	}
	return points
}

// geoCollectCell appends the members of z in cell that are inside s.
func geoCollectCell(z *datatypes.ZSet, s *geohash.Shape, cell geohash.Bits, points []geoPoint, limit int) []geoPoint {
	lo, hi := geohash.ScoreRange(cell)
	min, max := float64(lo), float64(hi)
	z.Ascend(z.CountScoreBelow(min, false), func(m datatypes.ZMember) bool {
		if !(m.Score < max) {
			return false
		}
		if lon, lat, dist, ok := s.Within(m.Score); ok {
			points = append(points, geoPoint{lon: lon, lat: lat, dist: dist, score: m.Score, member: m.Member})
		}
		return limit == 0 || len(points) < limit
	})
	return points
}

// geoCmp is Redis's sort_gp_asc, negated for DESC: 1, 0 or -1, with any
// comparison involving NaN giving -1 (or 1), as its C code does.
func geoCmp(a, b *geoPoint, desc bool) int {
	r := -1
	if a.dist > b.dist {
		r = 1
	} else if a.dist == b.dist {
		r = 0
	}
	if desc {
		return -r
	}
	return r
}

// geoMergeSort sorts p as glibc's qsort does (a top-down merge sort, which
// Redis's qsort call gets): the order is the same for every input,
// comparator quirks included.
func geoMergeSort(p []geoPoint, desc bool) {
	tmp := make([]geoPoint, len(p))
	geoMergeSortTmp(p, tmp, desc)
}

func geoMergeSortTmp(p, tmp []geoPoint, desc bool) {
	if len(p) <= 1 {
		return
	}
	n1 := len(p) / 2
	b1, b2 := p[:n1], p[n1:]
	geoMergeSortTmp(b1, tmp, desc)
	geoMergeSortTmp(b2, tmp, desc)
	out := tmp[:0]
	for len(b1) > 0 && len(b2) > 0 {
		if geoCmp(&b1[0], &b2[0], desc) <= 0 {
			out, b1 = append(out, b1[0]), b1[1:]
		} else {
			out, b2 = append(out, b2[0]), b2[1:]
		}
	}
	out = append(out, b1...)
	copy(p, out)
}
