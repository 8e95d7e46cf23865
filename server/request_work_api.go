package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"beheer"
)

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var outcome beheer.DecisionOutcome
	var motivation string
	if err := s.decodeJSON(w, r, fields{"outcome": &outcome, "motivation": &motivation}); err != nil {
		return err
	}
	d, err := s.store.Decide(r.Context(), a, id, outcome, motivation)
	if err != nil {
		return err
	}
	if d == nil { // the vote is recorded; the rule asks for more
		return s.apiDeciders(w, r, a)
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (s *Server) apiGetDecision(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.store.Decision(r.Context(), a, id)
	if err != nil {
		return err
	}
	if d == nil {
		return beheer.ErrNotFound()
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiAddComment(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var c beheer.NewComment
	if err := s.decodeJSON(w, r, fields{"body": &c.Body, "internal": &c.Internal}); err != nil {
		return err
	}
	comment, err := s.store.AddComment(r.Context(), a, id, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, comment)
	return nil
}

// apiAsk puts a question to the requester: a public comment, and the
// request then awaits the requester. If-Match is optional, as for a
// transition; a stale one saves nothing.
func (s *Server) apiAsk(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	var body string
	if err := s.decodeJSON(w, r, fields{"body": &body}); err != nil {
		return err
	}
	comment, err := s.store.AskRequester(r.Context(), a, id, version, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, comment)
	return nil
}

func (s *Server) apiListComments(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.store.Comments(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}

// itemsOf wraps a list as {"items": [...]}, never null.
func itemsOf[T any](list []T) any {
	if list == nil {
		list = []T{}
	}
	return struct {
		Items []T `json:"items"`
	}{list}
}

// apiAddAttachment takes one file in the multipart field "file".
func (s *Server) apiAddAttachment(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	name, data, err := s.readUpload(w, r)
	if err != nil {
		return err
	}
	att, err := s.store.AddAttachment(r.Context(), a, id, name, data)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/attachments/"+strconv.FormatInt(att.ID, 10))
	writeJSON(w, http.StatusCreated, att)
	return nil
}

// readUpload reads the "file" part of a multipart body, bounded by the
// attachment limit.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	limit := s.store.MaxAttachmentSize()
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return "", nil, beheer.Errorf(codeUnsupportedMedia, "error.unsupported_media_type")
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, beheer.Errorf(codeBadRequest, "error.bad_multipart")
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return "", nil, s.uploadError(err, "file", limit)
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, limit+1))
		if err != nil {
			return "", nil, s.uploadError(err, "file", limit)
		}
		if int64(len(data)) > limit {
			return "", nil, beheer.Errorf(beheer.CodeTooLarge, "error.too_large", "max", beheer.FormatBytes(limit))
		}
		return part.FileName(), data, nil
	}
}

// readRequestParts reads a new request sent as multipart/form-data: its
// JSON object in the part "request", decoded into into as decodeJSON does,
// and each attachment in a part "files", read up to one byte over the
// attachment limit (the store refuses a larger file, naming it). The body
// is bounded as the portal's form is.
func (s *Server) readRequestParts(w http.ResponseWriter, r *http.Request, into fields) ([]beheer.Upload, error) {
	limit, bodyLimit := s.store.MaxAttachmentSize(), s.formLimit(r)
	r.Body = http.MaxBytesReader(w, r.Body, bodyLimit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, beheer.Errorf(codeBadRequest, "error.bad_multipart")
	}
	var files []beheer.Upload
	var v beheer.Validation
	decoded := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, s.uploadError(err, "files", bodyLimit)
		}
		switch part.FormName() {
		case "request":
			body, err := io.ReadAll(io.LimitReader(part, s.cfg.MaxJSONBody+1))
			if err != nil {
				return nil, s.uploadError(err, "request", bodyLimit)
			}
			if int64(len(body)) > s.cfg.MaxJSONBody {
				return nil, beheer.Errorf(beheer.CodeTooLarge, "error.too_large", "max", beheer.FormatBytes(s.cfg.MaxJSONBody))
			}
			if err := decodeMembers(body, into); err != nil {
				return nil, err
			}
			decoded = true
		case "files":
			data, err := io.ReadAll(io.LimitReader(part, limit+1))
			if err != nil {
				return nil, s.uploadError(err, "files", bodyLimit)
			}
			files = append(files, beheer.Upload{Name: part.FileName(), Data: data})
		default:
			v.Add(part.FormName(), "field.unknown")
		}
	}
	if !decoded {
		v.Add("request", "field.required")
	}
	return files, v.Err()
}

func (s *Server) uploadError(err error, field string, limit int64) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return beheer.Errorf(beheer.CodeTooLarge, "error.too_large", "max", beheer.FormatBytes(limit))
	}
	if errors.Is(err, io.EOF) {
		v := beheer.Validation{}
		v.Add(field, "field.required")
		return v.Err()
	}
	return beheer.Errorf(codeBadRequest, "error.bad_multipart")
}

func (s *Server) apiListAttachments(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.store.Attachments(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}

// apiGetAttachment serves a file as a download, never inline.
func (s *Server) apiGetAttachment(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	att, data, err := s.attachmentFile(r, a)
	if err != nil {
		return err
	}
	serveDownload(w, att, data)
	return nil
}

// serveDownload sends an attachment's bytes as a download, never inline.
func serveDownload(w http.ResponseWriter, att *beheer.Attachment, data []byte) {
	serveFile(w, "attachment", att.Name, att.ContentType, data)
}

func (s *Server) apiEscalate(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var e beheer.NewEscalation
	if err := s.decodeJSON(w, r, fields{"channel": &e.Channel, "reference": &e.Reference, "note": &e.Note}); err != nil {
		return err
	}
	esc, err := s.store.Escalate(r.Context(), a, id, e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, esc)
	return nil
}

func (s *Server) apiListEscalations(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.store.Escalations(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}

func (s *Server) apiCloseEscalation(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var outcome string
	if err := s.decodeJSON(w, r, fields{"outcome": &outcome}); err != nil {
		return err
	}
	esc, err := s.store.CloseEscalation(r.Context(), a, id, outcome)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, esc)
	return nil
}

func (s *Server) apiCreateTask(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var t beheer.NewTask
	if err := s.decodeJSON(w, r, fields{"title": &t.Title, "description": &t.Description, "assignee": &t.AssigneeID}); err != nil {
		return err
	}
	task, err := s.store.CreateTask(r.Context(), a, id, t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, task)
	return nil
}

func (s *Server) apiListTasks(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.store.Tasks(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}

func (s *Server) apiMyTasks(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	list, err := s.store.MyTasks(r.Context(), a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}

func (s *Server) apiCompleteTask(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var outcome string
	if err := s.decodeJSON(w, r, fields{"outcome": &outcome}); err != nil {
		return err
	}
	task, err := s.store.CompleteTask(r.Context(), a, id, outcome)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, task)
	return nil
}

func (s *Server) apiLink(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var other string
	kind := beheer.LinkRelatesTo // when left out
	if err := s.decodeJSON(w, r, fields{"other": &other, "kind": &kind}); err != nil {
		return err
	}
	target, _, err := s.store.RequestByNumber(r.Context(), a, strings.TrimSpace(other))
	if err != nil {
		return beheer.Invalid("other", "field.unknown_request")
	}
	if err := s.store.Link(r.Context(), a, id, target.ID, kind); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.store.Audit(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}

func (s *Server) apiLinks(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.store.Links(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}
