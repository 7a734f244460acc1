package server

import (
	"math/rand/v2"
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// LOLWUT VERSION 6 [columns [rows]]: a city skyline at random, two rows of
// grey buildings behind a row of black ones with lit windows, in terminal
// colours, one space per pixel.
func lolwutSkyline(c *protocol.Ctx, args [][]byte) string {
	vals := []int{80, 20}
	if !lolwutArgs(c, args, vals, []int{1000, 1000}) {
		return ""
	}
	cv := newCanvas(vals[0], vals[1], 3)
	drawSkyline(cv)
	return renderColors(cv) + "\nDedicated to the 8 bit game developers of past and present.\n" +
		"Original 8 bit image from Plaguemon by hikikomori. Redis ver. " + RedisVersion + "\n"
}

// skyscraper is one building: where it starts, its size and colour, and
// whether it has windows.
type skyscraper struct {
	xoff, width, height int
	windows             bool
	color               byte
}

func drawSkyline(cv *canvas) {
	// The grey ones first, lighter behind darker.
	for color := byte(2); color >= 1; color-- {
		for offset := -10; offset < cv.width; {
			offset += rand.IntN(8)
			sk := skyscraper{xoff: offset, width: 10 + rand.IntN(9), color: color}
			if color == 2 {
				sk.height = cv.height/2 + rand.IntN(cv.height)/2
			} else {
				sk.height = cv.height/2 + rand.IntN(cv.height)/3
			}
			cv.skyscraper(sk)
			if color == 2 {
				offset += sk.width / 2
			} else {
				offset += sk.width + 1
			}
		}
	}
	for offset := -10; offset < cv.width; {
		offset += rand.IntN(8)
		sk := skyscraper{xoff: offset, width: 5 + rand.IntN(14), windows: true}
		if sk.width%4 != 0 {
			sk.width += sk.width % 3
		}
		sk.height = cv.height/3 + rand.IntN(cv.height)/2
		cv.skyscraper(sk)
		offset += sk.width + 5
	}
}

// skyscraper draws sk from the bottom row up, its roof two pixels narrower
// on each side; windows are two pixels wide and one tall, lit in a grey
// other than the building's.
func (cv *canvas) skyscraper(sk skyscraper) {
	bottom := cv.height - 1
	top := bottom - sk.height + 1
	for y := bottom; y >= top; y-- {
		for x := sk.xoff; x < sk.xoff+sk.width; x++ {
			if y == top && (x <= sk.xoff+1 || x >= sk.xoff+sk.width-2) {
				continue
			}
			color := sk.color
			if sk.windows && x > sk.xoff+1 && x < sk.xoff+sk.width-2 && y > top+1 && y < bottom-1 {
				relx, rely := x-(sk.xoff+1), y-(top+1)
				if (relx/2)%2 != 0 && rely%2 != 0 {
					for color == sk.color {
						color = byte(1 + rand.IntN(2))
					}
					if relx%2 != 0 {
						color = cv.get(x-1, y)
					}
				}
			}
			cv.set(x, y, color)
		}
	}
}

// skyColors are each colour's escape: foreground and background alike.
var skyColors = [4]string{"0;30;40m", "0;90;100m", "0;37;47m", "0;97;107m"}

func renderColors(cv *canvas) string {
	var b strings.Builder
	for y := range cv.height {
		for x := range cv.width {
			ce := skyColors[0]
			if c := cv.get(x, y); int(c) < len(skyColors) {
				ce = skyColors[c]
			}
			b.WriteString("\033[" + ce + " \033[0m")
		}
		if y != cv.height-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
