// Package imagetest makes image files for tests: a screenshot-like picture
// in each format Beheer shows in place, and a decompression bomb whose
// header claims more pixels than any server should decode.
package imagetest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
)

// Screen draws a w × h picture that looks like a screenshot of a form with
// an error: a title bar, grey fields and a red message. alpha leaves the
// right half transparent.
func Screen(w, h int, alpha bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	fill := func(x0, y0, x1, y1 int, c color.NRGBA) {
		for y := max(y0, 0); y < min(y1, h); y++ {
			for x := max(x0, 0); x < min(x1, w); x++ {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	fill(0, 0, w, h, color.NRGBA{0xf5, 0xf7, 0xfa, 0xff})
	fill(0, 0, w, h/8, color.NRGBA{0x0e, 0x2a, 0x47, 0xff})
	for i := range 4 {
		y := h/4 + i*h/8
		fill(w/10, y, w*6/10, y+h/16, color.NRGBA{0xd9, 0xde, 0xe5, 0xff})
	}
	fill(w/10, h*7/8-h/16, w*9/10, h*7/8, color.NRGBA{0xb3, 0x26, 0x1e, 0xff})
	if alpha {
		fill(w/2, 0, w, h, color.NRGBA{})
	}
	return img
}

// PNG is Screen encoded as PNG.
func PNG(w, h int, alpha bool) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, Screen(w, h, alpha)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// JPEG is Screen encoded as JPEG.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, Screen(w, h, false), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// GIF is Screen encoded as GIF.
func GIF(w, h int) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, Screen(w, h, false), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// BombPNG is a valid PNG of a few hundred bytes whose header claims w × h
// pixels of 8-bit RGBA: decoding it would ask for w·h·4 bytes, 10 GB at
// 50,000 × 50,000. Its image data is the first rows only, so a decoder
// that reads it fails late; one that checks the header first never starts.
func BombPNG(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6 // 8 bits, RGBA
	chunk(&b, "IHDR", ihdr)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 16*(1+4*w))) // sixteen rows of zeros
	zw.Close()
	chunk(&b, "IDAT", z.Bytes())
	chunk(&b, "IEND", nil)
	return b.Bytes()
}

func chunk(b *bytes.Buffer, kind string, data []byte) {
	binary.Write(b, binary.BigEndian, uint32(len(data)))
	crc := crc32.NewIEEE()
	crc.Write([]byte(kind))
	crc.Write(data)
	b.WriteString(kind)
	b.Write(data)
	binary.Write(b, binary.BigEndian, crc.Sum32())
}
