package geohash

// Shape is a search area: a circle of Radius, or a box of Width by Height,
// centered on (Lon, Lat). Radius, Width and Height are in the unit whose
// size in meters is Conversion.
type Shape struct {
	Box                   bool // false: a circle
	Lon, Lat              float64
	Conversion            float64
	Radius, Width, Height float64
}

// Constants of geohash_helper.c.
const (
	earthRadius = 6372797.560856 // meters
	mercatorMax = 20037726.37
)

// degToRad is C's M_PI / 180.0: the double nearest to the quotient of the
// double nearest to pi, not the double nearest to pi/180.
var degToRad = func() float64 {
	pi := 3.14159265358979323846
	return pi / 180.0
}()

func degRad(deg float64) float64 { return float64(deg * degToRad) }
func radDeg(rad float64) float64 { return rad / degToRad }

// EstimateSteps returns the cell step of the nine-cell search around a
// point at latitude lat for a search reaching rangeMeters.
func EstimateSteps(rangeMeters, lat float64) int {
	if rangeMeters == 0 {
		return 26
	}
	step := 1
	for rangeMeters < mercatorMax {
		rangeMeters *= 2
		step++
	}
	step -= 2
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	return min(max(step, 1), 26)
}

// BoundingBox returns the minimum and maximum longitude and latitude the
// shape reaches: [minLon, minLat, maxLon, maxLat].
func (s *Shape) BoundingBox() [4]float64 {
	height, width := s.Radius, s.Radius
	if s.Box {
		height, width = s.Height/2, s.Width/2
	}
	height = float64(s.Conversion * height)
	width = float64(s.Conversion * width)
	latDelta := radDeg(float64(height / earthRadius))
	lonDeltaTop := radDeg(float64(float64(width/earthRadius) / cos(degRad(s.Lat+latDelta))))
	lonDeltaBottom := radDeg(float64(float64(width/earthRadius) / cos(degRad(s.Lat-latDelta))))
	lonDelta := lonDeltaTop
	if s.Lat < 0 {
		lonDelta = lonDeltaBottom
	}
	return [4]float64{s.Lon - lonDelta, s.Lat - latDelta, s.Lon + lonDelta, s.Lat + latDelta}
}

// searchRadius is the distance in meters from the center that the cells
// must cover: the radius, or the half diagonal of a box.
func (s *Shape) searchRadius() float64 {
	r := s.Radius
	if s.Box {
		hw, hh := s.Width/2, s.Height/2
		r = sqrt(float64(hw*hw) + float64(hh*hh))
	}
	return r * s.Conversion
}

// Cells are the cells to scan for a search, in Redis's order: the center,
// then north, south, east, west, north-east, north-west, south-east,
// south-west. Cells that cannot hold a match are zero.
type Cells [9]Bits

// CellsFor returns the cells covering s, as Redis's
// geohashCalculateAreasByShapeWGS84.
func CellsFor(s *Shape) Cells {
	b := s.BoundingBox()
	minLon, minLat, maxLon, maxLat := b[0], b[1], b[2], b[3]
	steps := EstimateSteps(s.searchRadius(), s.Lat)
	hash, _ := EncodeWGS84(s.Lon, s.Lat, uint8(steps))
	nb := NeighborsOf(hash)
	area, _ := Decode(LonRange, LatRange, hash)
	if steps > 1 && coverTooSmall(nb, minLon, minLat, maxLon, maxLat) {
		steps--
		hash, _ = EncodeWGS84(s.Lon, s.Lat, uint8(steps))
		nb = NeighborsOf(hash)
		area, _ = Decode(LonRange, LatRange, hash)
	}
	if steps >= 2 {
		if area.Lat.Min < minLat {
			nb.South, nb.SouthWest, nb.SouthEast = Bits{}, Bits{}, Bits{}
		}
		if area.Lat.Max > maxLat {
			nb.North, nb.NorthEast, nb.NorthWest = Bits{}, Bits{}, Bits{}
		}
		if area.Lon.Min < minLon {
			nb.West, nb.SouthWest, nb.NorthWest = Bits{}, Bits{}, Bits{}
		}
		if area.Lon.Max > maxLon {
			nb.East, nb.SouthEast, nb.NorthEast = Bits{}, Bits{}, Bits{}
		}
	}
	return Cells{hash, nb.North, nb.South, nb.East, nb.West, nb.NorthEast, nb.NorthWest, nb.SouthEast, nb.SouthWest}
}

// coverTooSmall reports whether the neighbours fail to reach the bounding
// box on some side.
func coverTooSmall(nb Neighbors, minLon, minLat, maxLon, maxLat float64) bool {
	north, _ := Decode(LonRange, LatRange, nb.North)
	south, _ := Decode(LonRange, LatRange, nb.South)
	east, _ := Decode(LonRange, LatRange, nb.East)
	west, _ := Decode(LonRange, LatRange, nb.West)
	return north.Lat.Max < maxLat || south.Lat.Min > minLat ||
		east.Lon.Max < maxLon || west.Lon.Min > minLon
}

// ScoreRange returns the scores [min, max) of the members inside cell h.
func ScoreRange(h Bits) (min, max uint64) {
	min = Align52(h)
	h.Bits++
	return min, Align52(h)
}
