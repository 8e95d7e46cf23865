// Package thumb makes the thumbnails of screenshots attached to requests.
// It reads PNG, JPEG, GIF and WebP, and only after checking the size an
// image's header claims against beheer.ImageSizeOK: a decompression bomb
// (a small file that claims a huge picture) is never decoded. Which bytes
// are an image is decided by sniffing them (beheer.InlineImageType), never
// by a file's name.
package thumb

import (
	"bytes"
	"errors"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"beheer"
)

// The reasons no thumbnail is made.
var (
	// ErrNotImage: the bytes are no inline image, or not a readable one.
	ErrNotImage = errors.New("thumb: not an inline image")
	// ErrTooLarge: the header claims more pixels than Beheer decodes.
	ErrTooLarge = errors.New("thumb: image too large to decode")
)

// codec reads one format: its header alone, or the whole picture.
type codec struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// codecs are the readers per sniffed type, called directly rather than
// through image.Decode's registry, so the sniffed type decides the reader.
var codecs = map[string]codec{
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/gif":  {gif.DecodeConfig, gif.Decode},
	"image/webp": {webp.DecodeConfig, webp.Decode},
}

// Inspect reads only the header of data: its sniffed type and the size it
// claims. It fails with ErrNotImage when the bytes are no inline image and
// with ErrTooLarge when the picture is too large to decode; nothing else
// may then be shown in place.
func Inspect(data []byte) (contentType string, width, height int, err error) {
	contentType = beheer.InlineImageType(data)
	c, ok := codecs[contentType]
	if !ok {
		return "", 0, 0, ErrNotImage
	}
	cfg, err := c.config(bytes.NewReader(data))
	if err != nil {
		return "", 0, 0, ErrNotImage
	}
	if !beheer.ImageSizeOK(cfg.Width, cfg.Height) {
		return "", 0, 0, ErrTooLarge
	}
	return contentType, cfg.Width, cfg.Height, nil
}

// Thumbnail is a made thumbnail and its type.
type Thumbnail struct {
	Data        []byte
	ContentType string // image/jpeg, or image/png where it is transparent
}

// Make makes the thumbnail of an inline image: scaled to fit
// beheer.ThumbSize, as JPEG, or as PNG when it has transparent parts. It
// decodes the picture only after Inspect accepted its header, and refuses
// a picture whose pixels turn out larger than the header said. Of an
// animated GIF it shows the first frame.
func Make(data []byte) (*Thumbnail, error) {
	ct, w, h, err := Inspect(data)
	if err != nil {
		return nil, err
	}
	src, err := codecs[ct].decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrNotImage
	}
	// A GIF's first frame may be smaller than its screen, never larger.
	b := src.Bounds()
	if b.Dx() > w || b.Dy() > h {
		return nil, ErrNotImage
	}
	tw, th := beheer.ThumbSize(b.Dx(), b.Dy())
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	var out bytes.Buffer
	if dst.Opaque() {
		err, ct = jpeg.Encode(&out, dst, &jpeg.Options{Quality: 85}), "image/jpeg"
	} else {
		err, ct = png.Encode(&out, dst), "image/png"
	}
	if err != nil {
		return nil, err
	}
	return &Thumbnail{Data: out.Bytes(), ContentType: ct}, nil
}
