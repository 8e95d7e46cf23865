package thumb

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	_ "image/jpeg" // to read the thumbnails back
	_ "image/png"
	"os"
	"runtime"
	"testing"

	"beheer/internal/imagetest"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMake: every inline format becomes a thumbnail of the right size, a
// JPEG where it is opaque and a PNG where it is transparent.
func TestMake(t *testing.T) {
	for _, c := range []struct {
		name       string
		data       []byte
		w, h       int    // what Inspect reads from the header
		tw, th     int    // the thumbnail
		thumbType  string // its type
		sourceType string
	}{
		{"screenshot png", imagetest.PNG(1366, 768, false), 1366, 768, 480, 269, "image/jpeg", "image/png"},
		{"transparent png", imagetest.PNG(800, 600, true), 800, 600, 480, 360, "image/png", "image/png"},
		{"phone jpeg", imagetest.JPEG(390, 844), 390, 844, 166, 360, "image/jpeg", "image/jpeg"},
		{"small gif: not enlarged", imagetest.GIF(120, 80), 120, 80, 120, 80, "image/jpeg", "image/gif"},
		{"gif whose first frame is smaller than its screen", smallFrameGIF(t), 800, 600, 200, 100, "image/jpeg", "image/gif"},
		{"lossy webp", readFile(t, "video-001.lossy.webp"), 150, 103, 150, 103, "image/jpeg", "image/webp"},
		{"webp with alpha", readFile(t, "gopher-doc.with-alpha.lossless.webp"), 75, 100, 75, 100, "image/png", "image/webp"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ct, w, h, err := Inspect(c.data)
			if err != nil || ct != c.sourceType || w != c.w || h != c.h {
				t.Fatalf("Inspect = %q %d×%d %v, want %q %d×%d", ct, w, h, err, c.sourceType, c.w, c.h)
			}
			th, err := Make(c.data)
			if err != nil {
				t.Fatal(err)
			}
			if th.ContentType != c.thumbType {
				t.Errorf("thumbnail type %q, want %q", th.ContentType, c.thumbType)
			}
			img, format, err := image.Decode(bytes.NewReader(th.Data))
			if err != nil || "image/"+format != th.ContentType {
				t.Fatalf("thumbnail reads as %q: %v", format, err)
			}
			if b := img.Bounds(); b.Dx() != c.tw || b.Dy() != c.th {
				t.Errorf("thumbnail %d×%d, want %d×%d", b.Dx(), b.Dy(), c.tw, c.th)
			}
		})
	}
}

// smallFrameGIF is an 800 × 600 GIF whose first (and only) frame covers
// 200 × 100 pixels of it.
func smallFrameGIF(t *testing.T) []byte {
	t.Helper()
	frame := image.NewPaletted(image.Rect(0, 0, 200, 100), color.Palette{color.White, color.Black})
	var b bytes.Buffer
	err := gif.EncodeAll(&b, &gif.GIF{Image: []*image.Paletted{frame}, Delay: []int{0},
		Config: image.Config{ColorModel: frame.Palette, Width: 800, Height: 600}})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestNeverInline: what is no raster image, whatever its name would say,
// is refused before any decoding.
func TestNeverInline(t *testing.T) {
	png := imagetest.PNG(40, 30, false)
	for name, data := range map[string][]byte{
		"svg":               []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>`),
		"html renamed .png": []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"),
		"pdf":               []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
		"empty":             nil,
	} {
		if _, _, _, err := Inspect(data); !errors.Is(err, ErrNotImage) {
			t.Errorf("%s: Inspect = %v, want ErrNotImage", name, err)
		}
		if _, err := Make(data); !errors.Is(err, ErrNotImage) {
			t.Errorf("%s: Make = %v, want ErrNotImage", name, err)
		}
	}
	// A PNG cut off after its header passes Inspect, but is no picture.
	if _, err := Make(png[:40]); !errors.Is(err, ErrNotImage) {
		t.Errorf("a PNG cut off: Make = %v, want ErrNotImage", err)
	}
}

// TestDecompressionBomb: a PNG of a few hundred bytes that claims 50,000 ×
// 50,000 pixels is refused from its header; decoding it would have asked
// for 10 GB.
func TestDecompressionBomb(t *testing.T) {
	bomb := imagetest.BombPNG(50000, 50000)
	if len(bomb) > 4096 {
		t.Fatalf("the bomb is %d bytes; it should be small", len(bomb))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Make(bomb)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Make = %v, want ErrTooLarge", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes: it was decoded", n)
	}
	// Just inside the limits the same trick is decoded, and fails on the
	// missing rows instead: the limit, not luck, stopped the bomb.
	if _, err := Make(imagetest.BombPNG(100, 100)); !errors.Is(err, ErrNotImage) {
		t.Errorf("a short 100×100 PNG: %v, want ErrNotImage", err)
	}
}

// BenchmarkMake4K is the cost of one thumbnail of a 4K screenshot, made
// once per attachment.
func BenchmarkMake4K(b *testing.B) {
	data := imagetest.PNG(3840, 2160, false)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Make(data); err != nil {
			b.Fatal(err)
		}
	}
}
