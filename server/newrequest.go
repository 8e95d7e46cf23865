package server

import (
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// newRequestForm is what the new-request form shows and keeps.
type newRequestForm struct {
	Type, Title, Description, Area string
	Areas                          []beheer.Area
	MaxUpload                      string
}

func (s *Server) newRequestData(r *http.Request, f newRequestForm) (newRequestForm, error) {
	areas, err := s.store.Areas(r.Context())
	f.Areas = areas
	f.MaxUpload = beheer.FormatBytes(s.store.MaxAttachmentSize())
	return f, err
}

func (s *Server) newRequestPage(w http.ResponseWriter, r *http.Request, p *page) error {
	f, err := s.newRequestData(r, newRequestForm{Type: r.URL.Query().Get("type")})
	if err != nil {
		return err
	}
	p.Title, p.Data = p.T("new.title"), f
	s.render(w, http.StatusOK, "newrequest", "", p)
	return nil
}

// upload is one file from the form, read and checked before anything is saved.
type upload struct {
	name string
	data []byte
}

// createRequest files the request and its attachments. Every file is checked
// first, so a bad file returns the form with what was typed and saves nothing.
func (s *Server) createRequest(w http.ResponseWriter, r *http.Request, p *page) error {
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		return beheer.Errorf(beheer.CodeTooLarge, "error.too_large", "max", beheer.FormatBytes(s.store.MaxAttachmentSize()))
	}
	form := newRequestForm{Type: r.FormValue("type"), Title: r.FormValue("title"),
		Description: r.FormValue("description"), Area: r.FormValue("area")}
	in := beheer.NewRequest{Type: beheer.Type(form.Type), Title: form.Title, Description: form.Description}
	var v beheer.Validation
	if form.Area != "" {
		area, err := s.store.AreaByCode(r.Context(), form.Area)
		if err != nil {
			v.Add("area", "field.unknown_area")
		} else {
			in.AreaID = area.ID
		}
	}
	if err := in.Validate(); err != nil {
		v.Fields = append(v.Fields, err.(*beheer.Error).Fields...)
	}
	files := s.readUploads(r, &v)
	if err := v.Err(); err != nil {
		return s.newRequestAgain(w, r, p, form, err)
	}
	req, err := s.store.CreateRequest(r.Context(), p.Actor, in)
	if err != nil {
		return s.newRequestAgain(w, r, p, form, err)
	}
	for _, f := range files {
		if _, err := s.store.AddAttachment(r.Context(), p.Actor, req.ID, f.name, f.data); err != nil {
			return err
		}
	}
	redirect(w, r, "/requests/"+strconv.FormatInt(req.ID, 10)+"?ok=created")
	return nil
}

// readUploads reads the chosen files and checks each one.
func (s *Server) readUploads(r *http.Request, v *beheer.Validation) []upload {
	if r.MultipartForm == nil {
		return nil
	}
	var out []upload
	for _, fh := range r.MultipartForm.File["files"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		data, err := readPart(fh, s.store.MaxAttachmentSize())
		if err != nil {
			v.Add("files", "error.too_large", "max", beheer.FormatBytes(s.store.MaxAttachmentSize()))
			return nil
		}
		if _, _, err := beheer.CheckUpload(fh.Filename, data); err != nil {
			for _, f := range err.(*beheer.Error).Fields {
				v.Add("files", f.Key, append(f.Args, "name", fh.Filename)...)
			}
			return nil
		}
		out = append(out, upload{fh.Filename, data})
	}
	return out
}

func readPart(fh *multipart.FileHeader, limit int64) ([]byte, error) {
	if fh.Size > limit {
		return nil, beheer.Errorf(beheer.CodeTooLarge, "error.too_large")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

// newRequestAgain shows the form again with what was typed and the messages.
func (s *Server) newRequestAgain(w http.ResponseWriter, r *http.Request, p *page, form newRequestForm, err error) error {
	if !p.formErrors(err) {
		return err
	}
	f, lerr := s.newRequestData(r, form)
	if lerr != nil {
		return lerr
	}
	p.Title, p.Data = p.T("new.title"), f
	s.render(w, http.StatusUnprocessableEntity, "newrequest", "", p)
	return nil
}

// suggestions are open requests like the one being typed ("bestaat uw vraag
// al?"), only those the person may see.
func (s *Server) suggest(w http.ResponseWriter, r *http.Request, p *page) error {
	title := strings.TrimSpace(r.URL.Query().Get("title"))
	var items []*beheer.Request
	if len([]rune(title)) >= 4 {
		page, err := s.store.Requests(r.Context(), p.Actor, store.Filter{Query: title, OpenOnly: true, Limit: 5})
		if err != nil {
			return err
		}
		items = page.Items
	}
	p.Data = items
	s.render(w, http.StatusOK, "newrequest", "suggestions", p)
	return nil
}
