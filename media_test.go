package beheer

import "testing"

func TestInlineImageType(t *testing.T) {
	webp := []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00")
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"png", pngBytes, "image/png"},
		{"jpeg", jpegBytes, "image/jpeg"},
		{"gif", gifBytes, "image/gif"},
		{"webp", webp, "image/webp"},
		{"svg with script", svgBytes, ""},
		{"svg as xml", xmlSVG, ""},
		{"html (whatever it is called)", htmlBytes, ""},
		{"pdf", pdfBytes, ""},
		{"text", textBytes, ""},
		{"zip", zipBytes, ""},
		{"executable", exeBytes, ""},
		{"empty", nil, ""},
		{"bmp: an image, but not one shown in place", []byte("BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00"), ""},
	} {
		if got := InlineImageType(c.data); got != c.want {
			t.Errorf("%s: InlineImageType = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestImageSizeOK(t *testing.T) {
	for _, c := range []struct {
		w, h int
		want bool
	}{
		{1, 1, true},
		{1920, 1080, true},
		{3840, 2160, true},               // a 4K screen
		{1440, 16384, true},              // a long full-page screenshot
		{5000, 5000, true},               // exactly MaxImagePixels
		{5000, 5001, false},              // one row more
		{16385, 10, false},               // too wide
		{10, 16385, false},               // too tall
		{50000, 50000, false},            // the decompression bomb
		{0, 100, false}, {100, 0, false}, // no pixels
		{-1, 100, false}, {100, -5, false}, // nonsense
	} {
		if got := ImageSizeOK(c.w, c.h); got != c.want {
			t.Errorf("ImageSizeOK(%d, %d) = %v, want %v", c.w, c.h, got, c.want)
		}
	}
}

func TestThumbSize(t *testing.T) {
	for _, c := range []struct{ w, h, tw, th int }{
		{1920, 1080, 480, 270}, // landscape: the width decides
		{1080, 1920, 202, 360}, // portrait: the height decides
		{480, 360, 480, 360},   // exactly the box
		{300, 200, 300, 200},   // smaller: never enlarged
		{4000, 3000, 480, 360}, // same proportions as the box
		{20000, 10, 480, 1},    // a line: at least one pixel
		{10, 16000, 1, 360},    // a column
		{0, 10, 0, 0},          // nothing
		{1440, 16384, 31, 360}, // a long page
		{3840, 2160, 480, 270}, // 4K
		{800, 600, 480, 360},   // 4:3
		{1000, 1000, 360, 360}, // square
		{481, 100, 480, 99},    // just too wide
		{100, 361, 99, 360},    // just too tall
		{1366, 768, 480, 269},  // a laptop screen
		{390, 844, 166, 360},   // a phone screen
		{2560, 1600, 480, 300}, // 16:10
		{6016, 3384, 480, 270}, // 6K
		{16384, 16384, 360, 360} /* the largest decoded */} {
		tw, th := ThumbSize(c.w, c.h)
		if tw != c.tw || th != c.th {
			t.Errorf("ThumbSize(%d, %d) = %d×%d, want %d×%d", c.w, c.h, tw, th, c.tw, c.th)
		}
	}
}

func TestPreviewable(t *testing.T) {
	for _, c := range []struct {
		ctype, thumb string
		want         bool
	}{
		{"image/png", "", true},            // not made yet: it will be on first view
		{"image/jpeg", "image/jpeg", true}, // made
		{"image/webp", "image/png", true},
		{"image/png", ThumbNone, false}, // tried, not possible
		{"image/svg+xml", "", false},
		{"application/pdf", "", false},
		{"text/plain; charset=utf-8", "", false},
		{"image/bmp", "", false},
	} {
		a := &Attachment{ContentType: c.ctype, ThumbType: c.thumb}
		if got := a.Previewable(); got != c.want {
			t.Errorf("Previewable(%q, %q) = %v, want %v", c.ctype, c.thumb, got, c.want)
		}
	}
}
