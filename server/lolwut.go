package server

import "github.com/geetcache/geetcache/protocol"

// LOLWUT [VERSION version] [argument ...], as Redis 7.0's: version 5 draws
// Georg Nees's Schotter (lolwut_schotter.go), version 6 a city skyline
// (lolwut_skyline.go), any other (and the default, Redis's own 7) says
// which Redis version answers. Like Redis's, the pictures are random: a
// node's own generator, never the state machine's.
func lolwutCommands() []*protocol.Command {
	return []*protocol.Command{{Name: "lolwut", Arity: -1, Flags: protocol.Readonly | protocol.Fast, Group: "server",
		Since: "5.0.0", Summary: "Display some computer art and the Redis version", Handler: protocol.HandlerFunc(lolwut)}}
}

func lolwut(c *protocol.Ctx) {
	args := c.Args[1:]
	version := uint32(7) // Redis's own version's major
	if len(args) >= 2 && protocol.EqualFold(args[0], "version") {
		v, ok := protocol.ParseInt(args[1])
		if !ok {
			c.Out.Error(protocol.ErrNotInteger)
			return
		}
		version, args = uint32(v), args[2:] // Redis prints it as an unsigned int
	}
	var art string
	switch version {
	case 5:
		art = lolwutSchotter(c, args)
	case 6:
		art = lolwutSkyline(c, args)
	default:
		art = "Redis ver. " + RedisVersion + "\n"
	}
	if art != "" {
		c.Out.Verbatim(art)
	}
}

// lolwutArgs parses LOLWUT's numeric arguments over their defaults, each
// kept within [1, max] as Redis keeps them. It answers the error and
// returns false for one that is not an integer.
func lolwutArgs(c *protocol.Ctx, args [][]byte, vals []int, hi []int) bool {
	for i := range vals {
		if i >= len(args) {
			break
		}
		n, ok := protocol.ParseInt(args[i])
		if !ok {
			c.Out.Error(protocol.ErrNotInteger)
			return false
		}
		vals[i] = int(min(max(n, 1), int64(hi[i])))
	}
	return true
}

// canvas is LOLWUT's picture: one color per pixel.
type canvas struct {
	width, height int
	pixels        []byte
}

func newCanvas(width, height int, color byte) *canvas {
	cv := &canvas{width: width, height: height, pixels: make([]byte, width*height)}
	for i := range cv.pixels {
		cv.pixels[i] = color
	}
	return cv
}

func (cv *canvas) set(x, y int, color byte) {
	if x >= 0 && x < cv.width && y >= 0 && y < cv.height {
		cv.pixels[x+y*cv.width] = color
	}
}

func (cv *canvas) get(x, y int) byte {
	if x < 0 || x >= cv.width || y < 0 || y >= cv.height {
		return 0
	}
	return cv.pixels[x+y*cv.width]
}

// line draws from (x1,y1) to (x2,y2) by Bresenham's algorithm.
func (cv *canvas) line(x1, y1, x2, y2 int, color byte) {
	dx, dy := abs(x2-x1), abs(y2-y1)
	sx, sy := 1, 1
	if x1 >= x2 {
		sx = -1
	}
	if y1 >= y2 {
		sy = -1
	}
	err := dx - dy
	for {
		cv.set(x1, y1, color)
		if x1 == x2 && y1 == y2 {
			return
		}
		e2 := err * 2
		if e2 > -dy {
			err -= dy
			x1 += sx
		}
		if e2 < dx {
			err += dx
			y1 += sy
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
