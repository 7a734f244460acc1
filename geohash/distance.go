package geohash

// LatDistance is the distance in meters between two latitudes on one
// meridian.
func LatDistance(lat1, lat2 float64) float64 {
	return earthRadius * abs(float64(degRad(lat2)-degRad(lat1)))
}

// Distance is Redis's haversine distance in meters between two points.
func Distance(lon1, lat1, lon2, lat2 float64) float64 {
	lon1r := degRad(lon1)
	lon2r := degRad(lon2)
	v := sin(float64(lon2r-lon1r) / 2)
	if v == 0 {
		return LatDistance(lat1, lat2)
	}
	lat1r := degRad(lat1)
	lat2r := degRad(lat2)
	u := sin(float64(lat2r-lat1r) / 2)
	a := float64(u*u) + float64(float64(float64(cos(lat1r)*cos(lat2r))*v)*v)
	return 2.0 * earthRadius * asin(sqrt(a))
}

// Within reports whether the point a sorted set score stands for is inside
// s, and returns the point and its distance from the center in meters.
func (s *Shape) Within(score float64) (lon, lat, dist float64, ok bool) {
	lon, lat = DecodeScore(score)
	if !s.Box {
		dist = Distance(s.Lon, s.Lat, lon, lat)
		return lon, lat, dist, !(dist > float64(s.Radius*s.Conversion))
	}
	widthM := float64(s.Width * s.Conversion)
	heightM := float64(s.Height * s.Conversion)
	if LatDistance(lat, s.Lat) > heightM/2 {
		return lon, lat, 0, false
	}
	if Distance(lon, lat, s.Lon, lat) > widthM/2 {
		return lon, lat, 0, false
	}
	return lon, lat, Distance(s.Lon, s.Lat, lon, lat), true
}
