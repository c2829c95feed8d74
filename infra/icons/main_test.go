package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestIconsAreCommitted redraws every icon and compares it with the file in the skill
// package, so the committed PNGs cannot drift from the program that draws them.
func TestIconsAreCommitted(t *testing.T) {
	for _, ic := range Icons {
		t.Run(ic.Name, func(t *testing.T) {
			want, err := Encode(ic.Size)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("..", "..", "skill-package", "assets", "images", ic.Name)
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v: run go run ./infra/icons", err)
			}
			img, err := png.Decode(bytes.NewReader(got))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if b := img.Bounds(); b.Dx() != ic.Size || b.Dy() != ic.Size {
				t.Fatalf("%s is %d×%d, want %d×%d", path, b.Dx(), b.Dy(), ic.Size, ic.Size)
			}
			drawn := Draw(ic.Size)
			for y := range ic.Size {
				for x := range ic.Size {
					r, g, b, a := img.At(x, y).RGBA()
					wr, wg, wb, wa := drawn.At(x, y).RGBA()
					if r != wr || g != wg || b != wb || a != wa {
						t.Fatalf("%s differs from the design at (%d, %d): run go run ./infra/icons and commit the icons", path, x, y)
					}
				}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s has the design's pixels but not its bytes (%d, want %d): run go run ./infra/icons", path, len(got), len(want))
			}
		})
	}
}

// TestDrawIsOpaque checks that every pixel is opaque: the store shows icons on any
// background.
func TestDrawIsOpaque(t *testing.T) {
	img := Draw(108)
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 0xff {
			t.Fatalf("pixel %d has alpha %d", i/4, img.Pix[i])
		}
	}
}

func TestIsqrt(t *testing.T) {
	for _, n := range []int64{0, 1, 2, 3, 4, 15, 16, 17, 99, 100, 101, 1 << 40, 1<<40 + 1, 4_400_000_000_000} {
		r := isqrt(n)
		if r*r > n || (r+1)*(r+1) <= n {
			t.Errorf("isqrt(%d) = %d", n, r)
		}
	}
}
