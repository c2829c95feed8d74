// Command icons draws the skill's store icons, the 108×108 and 512×512 PNGs Amazon asks for
// (smallIconUri and largeIconUri in skill-package/skill.json), into
// skill-package/assets/images/. Run it from the repository after changing the design:
//
//	go run ./infra/icons
//
// The design is our own: six vertebrae, stacked along a gentle curve, under an arc that
// sweeps over them like an arm opening in the twist, on a solid background. It is drawn
// with integer arithmetic only (4×4 samples a pixel for smooth edges), so every machine
// draws the same pixels; main_test.go redraws the icons and compares them, byte for byte,
// with the committed files.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
)

// Icons are the files written, by name, and their sizes in pixels.
var Icons = []struct {
	Name string
	Size int
}{
	{"icon-108.png", 108},
	{"icon-512.png", 512},
}

func main() {
	dir := flag.String("dir", "skill-package/assets/images", "the `folder` to write the icons into")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "icons:", err)
		os.Exit(1)
	}
	for _, ic := range Icons {
		raw, err := Encode(ic.Size)
		if err == nil {
			err = os.WriteFile(filepath.Join(*dir, ic.Name), raw, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "icons:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d×%d, %d bytes\n", filepath.Join(*dir, ic.Name), ic.Size, ic.Size, len(raw))
	}
}

// Encode draws the icon at size×size pixels as a PNG file's bytes.
func Encode(size int) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, Draw(size)); err != nil {
		return nil, fmt.Errorf("encode %d×%d icon: %w", size, size, err)
	}
	return buf.Bytes(), nil
}

// The design is laid out on a 512×512 grid of design units, y growing downwards.
const design = 512

var (
	background = color.RGBA{0x0b, 0x4f, 0x6c, 0xff} // deep teal
	bone       = color.RGBA{0xf6, 0xee, 0xdc, 0xff} // vertebrae
	accent     = color.RGBA{0xf2, 0x8c, 0x28, 0xff} // the opening arc
)

// vertebrae are horizontal capsules: centre x and y, half the length of the straight part,
// and the radius of the round ends. From the bottom up they narrow and lean a little to the
// right, then back.
var vertebrae = []struct{ x, y, half, r int }{
	{238, 400, 74, 18},
	{250, 350, 66, 18},
	{262, 300, 58, 18},
	{268, 250, 50, 17},
	{264, 200, 43, 16},
	{254, 150, 36, 15},
}

// The arc is a band around (arcX, arcY) from radius arcIn to arcOut, over the top between its
// two ends at (arcX∓160, arcY−120): a 3-4-5 triangle, so the ends lie exactly on the middle
// radius 200. Round caps close the left end; an arrowhead ends the right.
const (
	arcX, arcY    = 256, 300
	arcIn, arcOut = 191, 209
	arcEndDX      = 160
	arcEndDY      = -120
	capR          = 9
)

// arrow is the arrowhead at the arc's right end, pointing along the arc (down and right).
var arrow = [3][2]int{{arcX + 180, arcY - 93}, {arcX + 180, arcY - 140}, {arcX + 136, arcY - 106}}

const samples = 4 // per pixel, each way

// Draw renders the icon at size×size pixels.
func Draw(size int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	// A sample's position in design units is u/scale, where u is an odd multiple of design:
	// (2·(pixel·samples + i) + 1) · design, and scale is 2·size·samples. Shapes are scaled by
	// scale instead, so every test below is exact integer arithmetic.
	scale := int64(2 * size * samples)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b int64
			for sy := 0; sy < samples; sy++ {
				for sx := 0; sx < samples; sx++ {
					x := int64(2*(px*samples+sx)+1) * design
					y := int64(2*(py*samples+sy)+1) * design
					c := colourAt(x, y, scale)
					r += int64(c.R)
					g += int64(c.G)
					b += int64(c.B)
				}
			}
			n := int64(samples * samples)
			img.SetRGBA(px, py, color.RGBA{uint8((r + n/2) / n), uint8((g + n/2) / n), uint8((b + n/2) / n), 0xff})
		}
	}
	return img
}

// colourAt is the colour of the design at (x/scale, y/scale) design units.
func colourAt(x, y, scale int64) color.RGBA {
	for _, v := range vertebrae {
		if inCapsule(x, y, int64(v.x)*scale, int64(v.y)*scale, int64(v.half)*scale, int64(v.r)*scale) {
			return bone
		}
	}
	if onArc(x, y, scale) {
		return accent
	}
	return background
}

// inCapsule reports whether (x, y) is within r of the horizontal segment from cx−half to
// cx+half at height cy.
func inCapsule(x, y, cx, cy, half, r int64) bool {
	nx := min(max(x, cx-half), cx+half)
	return inCircle(x, y, nx, cy, r)
}

func inCircle(x, y, cx, cy, r int64) bool {
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r*r
}

func onArc(x, y, scale int64) bool {
	cx, cy := int64(arcX)*scale, int64(arcY)*scale
	dx, dy := x-cx, y-cy
	d2 := dx*dx + dy*dy
	in, out := int64(arcIn)*scale, int64(arcOut)*scale
	// Over the top: the band's points above the chord joining the two ends.
	if d2 >= in*in && d2 <= out*out && dy*200 <= int64(arcEndDY)*(isqrt(d2)) {
		return true
	}
	if inCircle(x, y, cx-int64(arcEndDX)*scale, cy+int64(arcEndDY)*scale, int64(capR)*scale) {
		return true
	}
	return inTriangle(x, y, scale)
}

// isqrt is the integer square root, floor(√n).
func isqrt(n int64) int64 {
	if n <= 0 {
		return 0
	}
	r := int64(1) << ((bitLen(n) + 1) / 2)
	for {
		s := (r + n/r) / 2
		if s >= r {
			return r
		}
		r = s
	}
}

func bitLen(n int64) int {
	l := 0
	for n > 0 {
		n >>= 1
		l++
	}
	return l
}

// inTriangle reports whether (x, y) is inside the arrowhead (edges included).
func inTriangle(x, y, scale int64) bool {
	var sign [3]int64
	for i := range 3 {
		ax, ay := int64(arrow[i][0])*scale, int64(arrow[i][1])*scale
		bx, by := int64(arrow[(i+1)%3][0])*scale, int64(arrow[(i+1)%3][1])*scale
		sign[i] = (bx-ax)*(y-ay) - (by-ay)*(x-ax)
	}
	neg := sign[0] < 0 || sign[1] < 0 || sign[2] < 0
	pos := sign[0] > 0 || sign[1] > 0 || sign[2] > 0
	return !(neg && pos)
}
