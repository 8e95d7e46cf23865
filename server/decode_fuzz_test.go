package server

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"beheer"
)

// FuzzDecodeJSON feeds arbitrary bodies to the strict JSON decoder of the
// API: it never panics, and it either fills only known members or answers
// with a coded error that names fields.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"type":"question","title":"Vraag"}`, `{}`, `[]`, `null`, `{"title":1}`, `{"assignee":5}`,
		`{"title":"a"}{}`, `{"title":"\u0000"}`, `{"title":"` + strings.Repeat("x", 100) + `"}`, `{"a":{"b":[1,2,{"c":null}]}}`, `{`, `"x"`,
		`{"title":"a","title":"b"}`, `{"area":null,"process":1e309}`} {
		f.Add(s)
	}
	s := &Server{cfg: Config{MaxJSONBody: 64 << 10}}
	f.Fuzz(func(t *testing.T, body string) {
		var in struct {
			Type    beheer.Type
			Title   string
			Process int64
			Area    *string
		}
		req := httptest.NewRequest("POST", "/api/v1/requests", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		err := s.decodeJSON(httptest.NewRecorder(), req, fields{"type": &in.Type, "title": &in.Title, "process": &in.Process, "area": &in.Area})
		if err == nil {
			return
		}
		var be *beheer.Error
		if !errors.As(err, &be) {
			t.Fatalf("uncoded error %v", err)
		}
		switch be.Code {
		case codeBadRequest, beheer.CodeInvalid, beheer.CodeTooLarge:
		default:
			t.Fatalf("unexpected code %s", be.Code)
		}
		if be.Code == beheer.CodeInvalid && len(be.Fields) == 0 {
			t.Fatal("invalid without fields")
		}
	})
}
