package server

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strconv"

	"beheer"
	"beheer/thumb"
)

// Screenshots in place: a raster image attached to a request is shown as a
// thumbnail in the timeline and larger in the viewer (app.js). Who may see
// a file is who may read its request, as for the download: the store
// decides. What is shown inline is decided by sniffing the stored bytes;
// every other file is the download of serveDownload.

// maxDecodes is how many thumbnails one process makes at once: decoding is
// memory and processor time the pages should not wait for.
const maxDecodes = 1

// attachmentView serves a file for the viewer: inline when its bytes are a
// raster image small enough to decode, sandboxed; anything else (SVG, HTML
// with whatever name, PDF) as the download.
func (s *Server) attachmentView(w http.ResponseWriter, r *http.Request, p *page) error {
	att, data, err := s.attachmentFile(r, p.Actor)
	if err != nil {
		return err
	}
	ct, _, _, err := thumb.Inspect(data)
	if err != nil {
		serveDownload(w, att, data)
		return nil
	}
	serveFile(w, "inline", att.Name, ct, data)
	return nil
}

// attachmentThumb serves a file's thumbnail in the portal.
func (s *Server) attachmentThumb(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.serveThumbnail(w, r, p.Actor)
}

// apiAttachmentThumb serves a file's thumbnail in the API.
func (s *Server) apiAttachmentThumb(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	return s.serveThumbnail(w, r, a)
}

func (s *Server) serveThumbnail(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	att, data, err := s.thumbnail(r.Context(), a, id)
	if err != nil {
		return err
	}
	serveFile(w, "inline", "", att.ThumbType, data)
	return nil
}

// thumbnail returns the thumbnail of a file the actor may see, made from
// the stored bytes on the first view and kept; not found when the file has
// none. A file that cannot have one (no picture after all, or too large to
// decode) is recorded as such, so it is decoded at most once.
func (s *Server) thumbnail(ctx context.Context, a *beheer.Actor, id int64) (*beheer.Attachment, []byte, error) {
	att, data, err := s.store.Thumbnail(ctx, a, id)
	switch {
	case err != nil:
		return nil, nil, err
	case !att.Previewable():
		return nil, nil, beheer.ErrNotFound()
	case att.ThumbType != "":
		return att, data, nil
	}
	_, original, err := s.store.Attachment(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	made, err := s.makeThumbnail(ctx, original)
	if errors.Is(err, thumb.ErrNotImage) || errors.Is(err, thumb.ErrTooLarge) {
		if err := s.store.SaveThumbnail(ctx, id, beheer.ThumbNone, nil); err != nil {
			return nil, nil, err
		}
		return nil, nil, beheer.ErrNotFound()
	}
	if err != nil {
		return nil, nil, err
	}
	if err := s.store.SaveThumbnail(ctx, id, made.ContentType, made.Data); err != nil {
		return nil, nil, err
	}
	att.ThumbType = made.ContentType
	return att, made.Data, nil
}

// makeThumbnail makes a thumbnail, at most maxDecodes at a time.
func (s *Server) makeThumbnail(ctx context.Context, data []byte) (*thumb.Thumbnail, error) {
	select {
	case s.decodes <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.decodes }()
	return thumb.Make(data)
}

// serveFile sends a file's bytes with headers that keep a browser from
// running anything in them: the content type as given (never sniffed by
// the browser), a sandbox without script, and no caching of what may be
// personal. disposition is "inline" or "attachment"; name may be empty.
func serveFile(w http.ResponseWriter, disposition, name, contentType string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	if name != "" {
		disposition = mime.FormatMediaType(disposition, map[string]string{"filename": name})
	}
	h.Set("Content-Disposition", disposition)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'")
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}
