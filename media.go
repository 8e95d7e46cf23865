package beheer

import (
	"mime"
	"net/http"
	"slices"
)

// Screenshots shown in place. A raster image attached to a request is shown
// as a thumbnail in the request's timeline and, on a click, larger in a
// viewer; every other file stays a download. What may be shown inline is
// decided by the bytes as stored, never by the name or the type the
// uploader claimed.

// InlineImageTypes are the raster image types a browser may show in place:
// none of them can carry script. SVG (which can), HTML and PDF are never
// among them.
var InlineImageTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

// InlineImageType sniffs data and returns its type when it is one of
// InlineImageTypes, or "" when the bytes are anything else, whatever the
// file is called.
func InlineImageType(data []byte) string {
	t, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	if slices.Contains(InlineImageTypes, t) {
		return t
	}
	return ""
}

// The bounds of an image Beheer decodes. Decoding costs memory in the
// number of pixels (up to 8 bytes each), not in the size of the file: a
// compressed file of a few kilobytes can claim 50,000 × 50,000 pixels and
// ask for gigabytes (a decompression bomb). A full-page screenshot of a 6K
// screen fits; anything larger stays a download.
const (
	MaxImageSide   = 16384
	MaxImagePixels = 25_000_000
)

// ImageSizeOK reports whether an image of width × height pixels may be
// decoded: both sides positive, neither above MaxImageSide, and at most
// MaxImagePixels in all. It is asked with the dimensions an image's header
// claims, before any pixel is decoded.
func ImageSizeOK(width, height int) bool {
	return width > 0 && height > 0 && width <= MaxImageSide && height <= MaxImageSide &&
		int64(width)*int64(height) <= MaxImagePixels
}

// The box a thumbnail fits in, in pixels: twice the size it is shown at,
// so it stays sharp on high-density screens.
const (
	ThumbWidth  = 480
	ThumbHeight = 360
)

// ThumbSize is the size of the thumbnail of a width × height image: the
// largest that fits in ThumbWidth × ThumbHeight with the same proportions,
// never larger than the image itself and never less than one pixel a side.
func ThumbSize(width, height int) (w, h int) {
	if width <= 0 || height <= 0 {
		return 0, 0
	}
	if width <= ThumbWidth && height <= ThumbHeight {
		return width, height
	}
	w, h = ThumbWidth, height*ThumbWidth/width
	if h > ThumbHeight {
		w, h = width*ThumbHeight/height, ThumbHeight
	}
	return max(w, 1), max(h, 1)
}

// ThumbNone is the thumbnail type of an attachment for which none can be
// made: its bytes are no inline image after all, or too large to decode.
// It is recorded so that the attempt is made once.
const ThumbNone = "none"

// Previewable reports whether the attachment is shown as a thumbnail: its
// recorded type is an inline image type and no attempt to make its
// thumbnail has failed. The bytes are sniffed again before anything is
// shown.
func (a *Attachment) Previewable() bool {
	return slices.Contains(InlineImageTypes, a.ContentType) && a.ThumbType != ThumbNone
}
