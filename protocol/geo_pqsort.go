package protocol

// geoPartialSort sorts p enough that p[lo..hi] hold the elements a full
// sort would put there, in order, as Redis's pqsort (Bentley and
// McIlroy's quicksort that only recurses into partitions overlapping
// lo..hi) does: ties and the rest of p come out in its order exactly.
func geoPartialSort(p []geoPoint, lo, hi int, desc bool) {
	cmp := func(i, j int) int { return geoCmp(&p[i], &p[j], desc) }
	swap := func(i, j int) { p[i], p[j] = p[j], p[i] }
	vecswap := func(i, j, n int) {
		for k := range n {
			swap(i+k, j+k)
		}
	}
	med3 := func(a, b, c int) int {
		if cmp(a, b) < 0 {
			if cmp(b, c) < 0 {
				return b
			} else if cmp(a, c) < 0 {
				return c
			}
			return a
		}
		if cmp(b, c) > 0 {
			return b
		} else if cmp(a, c) < 0 {
			return a
		}
		return c
	}
	var sortRange func(a, n int)
	sortRange = func(a, n int) {
		for {
			if n < 7 {
				for m := a + 1; m < a+n; m++ {
					for l := m; l > a && cmp(l-1, l) > 0; l-- {
						swap(l, l-1)
					}
				}
				return
			}
			pm := a + n/2
			if n > 7 {
				pl, pn := a, a+n-1
				if n > 40 {
					d := n / 8
					pl = med3(pl, pl+d, pl+2*d)
					pm = med3(pm-d, pm, pm+d)
					pn = med3(pn-2*d, pn-d, pn)
				}
				pm = med3(pl, pm, pn)
			}
			swap(a, pm)
			pa, pb := a+1, a+1
			pc, pd := a+n-1, a+n-1
			for {
				for pb <= pc {
					r := cmp(pb, a)
					if r > 0 {
						break
					}
					if r == 0 {
						swap(pa, pb)
						pa++
					}
					pb++
				}
				for pb <= pc {
					r := cmp(pc, a)
					if r < 0 {
						break
					}
					if r == 0 {
						swap(pc, pd)
						pd--
					}
					pc--
				}
				if pb > pc {
					break
				}
				swap(pb, pc)
				pb++
				pc--
			}
			pn := a + n
			r := min(pa-a, pb-pa)
			vecswap(a, pb-r, r)
			r = min(pd-pc, pn-pd-1)
			vecswap(pb, pn-r, r)
			if r = pb - pa; r > 1 && !(hi < a || lo > a+r-1) {
				sortRange(a, r)
			}
			r = pd - pc
			if r <= 1 {
				return
			}
			a, n = pn-r, r
			if hi < a || lo > a+r-1 {
				return
			}
		}
	}
	sortRange(0, len(p))
}
