package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"beheer"
)

// fields maps the JSON members a body may hold to where they are decoded.
// A member decoded into a pointer-to-pointer records that it was present.
type fields map[string]any

// decodeJSON reads a JSON object strictly: the content type must be JSON,
// the body at most the configured size, every member known and of the right
// type. Every problem is reported by field name.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, into fields) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return beheer.Errorf(codeUnsupportedMedia, "error.unsupported_media_type")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxJSONBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return beheer.Errorf(beheer.CodeTooLarge, "error.too_large", "max", beheer.FormatBytes(s.cfg.MaxJSONBody))
		}
		return beheer.Errorf(codeBadRequest, "error.bad_json")
	}
	return decodeMembers(body, into)
}

// decodeMembers decodes a JSON object as decodeJSON does.
func decodeMembers(body []byte, into fields) error {
	var members map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&members); err != nil || members == nil {
		return beheer.Errorf(codeBadRequest, "error.bad_json")
	}
	if dec.More() {
		return beheer.Errorf(codeBadRequest, "error.bad_json")
	}
	names := make([]string, 0, len(members))
	for name := range members {
		names = append(names, name)
	}
	sort.Strings(names)
	var v beheer.Validation
	for _, name := range names {
		target, ok := into[name]
		if !ok {
			v.Add(name, "field.unknown")
			continue
		}
		if err := json.Unmarshal(members[name], target); err != nil {
			v.Add(name, "field.wrong_type")
		}
	}
	if err := v.Err(); err != nil {
		e := err.(*beheer.Error)
		if allUnknown(e.Fields) {
			e.Code = codeBadRequest
			e.Key = "error.unknown_fields"
		}
		return e
	}
	return nil
}

func allUnknown(fs []beheer.FieldError) bool {
	for _, f := range fs {
		if f.Key != "field.unknown" {
			return false
		}
	}
	return true
}

// pathID reads a numeric path value; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, beheer.ErrNotFound()
	}
	return id, nil
}

// idAndVersion reads the id in the path and the version of an optional
// If-Match (0 without one).
func idAndVersion(r *http.Request) (id, version int64, err error) {
	if id, err = pathID(r, "id"); err == nil {
		version, _, err = ifMatch(r)
	}
	return id, version, err
}

// idAndRequiredVersion is idAndVersion for a change that must name the
// version it is based on: without If-Match it is refused.
func idAndRequiredVersion(r *http.Request) (id, version int64, err error) {
	if id, err = pathID(r, "id"); err != nil {
		return 0, 0, err
	}
	version, ok, err := ifMatch(r)
	if err == nil && !ok {
		err = beheer.Errorf(beheer.CodePreconditionRequired, "error.precondition_required")
	}
	return id, version, err
}

// ifMatch reads the version from an If-Match header: ok is false when the
// header is missing; "*" gives version 0 (any).
func ifMatch(r *http.Request) (version int64, ok bool, err error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, false, nil
	}
	if h == "*" {
		return 0, true, nil
	}
	h = strings.TrimPrefix(h, "W/")
	h = strings.Trim(h, `"`)
	v, perr := strconv.ParseInt(strings.TrimPrefix(h, "v"), 10, 64)
	if perr != nil || v <= 0 {
		return 0, true, beheer.Errorf(beheer.CodePreconditionFailed, "error.precondition_failed")
	}
	return v, true, nil
}
