package server

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed web
var webFiles embed.FS

// assets serves the embedded static files at content-hashed URLs
// (/static/HASH/name), cached for a year: a changed file gets a new URL.
type assets struct {
	urls  map[string]string // name → hashed URL
	files map[string][]byte // hashed URL → content
	types map[string]string
}

func loadAssets() (*assets, error) {
	a := &assets{urls: map[string]string{}, files: map[string][]byte{}, types: map[string]string{}}
	err := fs.WalkDir(webFiles, "web/static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := webFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		name := strings.TrimPrefix(p, "web/static/")
		url := "/static/" + hex.EncodeToString(sum[:6]) + "/" + name
		a.urls[name], a.files[url] = url, data
		a.types[url] = contentType(name)
		return nil
	})
	return a, err
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	}
	return "application/octet-stream"
}

// url returns the hashed URL of a static file; an unknown name panics at
// template execution, which the template tests catch.
func (a *assets) url(name string) string {
	u, ok := a.urls[name]
	if !ok {
		panic("unknown asset " + name)
	}
	return u
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	data, ok := a.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.types[r.URL.Path])
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(data)
}

// favicon answers /favicon.ico, which browsers and bookmark tools ask for
// whatever the page links: the same icon as the pages' hashed one, cached
// for a day (its address cannot change when the icon does).
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	data := s.assets.files[s.assets.url("favicon.ico")]
	w.Header().Set("Content-Type", "image/x-icon")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(data)
}
