package server

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// LOLWUT VERSION 5 [columns [squares-per-row [squares-per-column]]]: Georg
// Nees's Schotter (1968), a grid of squares that rotate and shift more and
// more at random row by row (the first two rows never), drawn with Braille
// characters, 2x4 pixels each; the arithmetic in float32 as Redis's is in
// C floats, so a picture without random rows is Redis's to the byte.
func lolwutSchotter(c *protocol.Ctx, args [][]byte) string {
	vals := []int{66, 8, 12}
	if !lolwutArgs(c, args, vals, []int{1000, 200, 200}) {
		return ""
	}
	cv := drawSchotter(vals[0], vals[1], vals[2])
	return renderBraille(cv) + "\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. " + RedisVersion + "\n"
}

// schotterMaxPixels bounds the canvas: a taller picture is cut at the
// height that fills it. Redis allocates the whole canvas, up to 800 MB for
// LOLWUT VERSION 5 1000 1 200 (a 2,000-pixel-wide column of 200 squares);
// its default picture has 26,000 pixels.
const schotterMaxPixels = 4 << 20

func drawSchotter(cols, perRow, perCol int) *canvas {
	width := cols * 2
	padding := 0
	if width > 4 {
		padding = 2
	}
	side := float32(width-padding*2) / float32(perRow)
	height := min(int(side*float32(perCol)+float32(padding*2)), schotterMaxPixels/width)
	cv := newCanvas(width, height, 0)
	for y := range perCol {
		for x := range perRow {
			sx := int(float32(x)*side + side/2 + float32(padding))
			sy := int(float32(y)*side + side/2 + float32(padding))
			var angle float32
			if y > 1 {
				shift := func() float32 { return rand.Float32() / float32(perCol) * float32(y) }
				r1, r2, r3 := shift(), shift(), shift()
				if rand.IntN(2) == 1 {
					r1 = -r1
				}
				if rand.IntN(2) == 1 {
					r2 = -r2
				}
				if rand.IntN(2) == 1 {
					r3 = -r3
				}
				angle = r1
				sx = int(float32(sx) + r2*side/3)
				sy = int(float32(sy) + r3*side/3)
			}
			cv.square(sx, sy, side, angle, 1)
		}
	}
	return cv
}

// square draws a square of side size centred at (x,y), rotated by angle:
// its corners are points of the circle around it, a quarter turn apart.
func (cv *canvas) square(x, y int, size, angle float32, color byte) {
	size = float32(math.Round(float64(float32(float64(size) / 1.4142135623))))
	var px, py [4]int
	k := float32(math.Pi/4 + float64(angle)) // C: a float set from a double sum
	for j := range 4 {
		px[j] = int(math.Round(math.Sin(float64(k))*float64(size) + float64(x)))
		py[j] = int(math.Round(math.Cos(float64(k))*float64(size) + float64(y)))
		k = float32(float64(k) + math.Pi/2)
	}
	for j := range 4 {
		cv.line(px[j], py[j], px[(j+1)%4], py[(j+1)%4], color)
	}
}

// renderBraille draws cv with one Braille character (U+2800 and the dots
// set) for each 2x4 pixels, a line per four rows.
func renderBraille(cv *canvas) string {
	var b strings.Builder
	for y := 0; y < cv.height; y += 4 {
		for x := 0; x < cv.width; x += 2 {
			dots := 0
			for i, p := range [8][2]int{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}, {0, 3}, {1, 3}} {
				if cv.get(x+p[0], y+p[1]) != 0 {
					dots |= 1 << i
				}
			}
			b.WriteRune(rune(0x2800 + dots))
		}
		if y != cv.height-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
