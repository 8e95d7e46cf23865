package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"beheer"
	"beheer/i18n"
)

var errInternal = &beheer.Error{Code: beheer.CodeInternal, Key: "error.internal"}

// statusOf is the one table from error codes to HTTP status codes.
var statusOf = map[beheer.Code]int{
	beheer.CodeInvalid:              http.StatusUnprocessableEntity,
	beheer.CodeNotFound:             http.StatusNotFound,
	beheer.CodeForbidden:            http.StatusForbidden,
	beheer.CodeUnauthorized:         http.StatusUnauthorized,
	beheer.CodeConflict:             http.StatusConflict,
	beheer.CodePreconditionRequired: http.StatusPreconditionRequired,
	beheer.CodePreconditionFailed:   http.StatusPreconditionFailed,
	beheer.CodeTooLarge:             http.StatusRequestEntityTooLarge,
	beheer.CodeInternal:             http.StatusInternalServerError,
	codeBadRequest:                  http.StatusBadRequest,
	codeUnsupportedMedia:            http.StatusUnsupportedMediaType,
	codeRateLimited:                 http.StatusTooManyRequests,
}

// Codes only the HTTP layer produces.
const (
	codeBadRequest       beheer.Code = "bad_request"
	codeUnsupportedMedia beheer.Code = "unsupported_media_type"
	codeRateLimited      beheer.Code = "rate_limited"
)

// Problem is an RFC 9457 problem document, with the invalid fields named.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Code      string         `json:"code"`
	Detail    string         `json:"detail,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []ProblemField `json:"errors,omitempty"`
}

// ProblemField is the message for one invalid field.
type ProblemField struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// asError turns any error into a *beheer.Error; unknown errors are logged in
// full and become a plain internal error.
func (s *Server) asError(r *http.Request, err error) *beheer.Error {
	var be *beheer.Error
	if errors.As(err, &be) {
		return be
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The client went away; nobody reads this answer.
		s.log.Debug("client gone", "request_id", requestID(r.Context()))
		return errInternal
	}
	s.log.Error("internal", "request_id", requestID(r.Context()), "err", err)
	return errInternal
}

// problem writes err as application/problem+json in the caller's language.
func (s *Server) problem(w http.ResponseWriter, r *http.Request, err error) {
	be := s.asError(r, err)
	status, ok := statusOf[be.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	s.refusalEvent(r, be)
	lang := s.lang(r)
	p := Problem{
		Type: "urn:beheer:problem:" + string(be.Code),
		// The title may name the same values as the detail ("at most {max}").
		Title:     s.catalog.T(lang, "error."+string(be.Code), s.displayArgs(lang, be.Args)...),
		Status:    status,
		Code:      string(be.Code),
		RequestID: requestID(r.Context()),
	}
	if be.Key != "" && be.Key != "error."+string(be.Code) {
		p.Detail = s.catalog.T(lang, be.Key, s.displayArgs(lang, be.Args)...)
	}
	for _, f := range be.Fields {
		p.Errors = append(p.Errors, ProblemField{Field: f.Field, Message: s.catalog.T(lang, f.Key, s.displayArgs(lang, f.Args)...)})
	}
	w.Header().Set("Content-Type", "application/problem+json")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="beheer"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

// lang picks the language of an answer: the Accept-Language header, then the
// signed-in person's choice, then Dutch.
func (s *Server) lang(r *http.Request) i18n.Lang {
	if h := r.Header.Get("Accept-Language"); h != "" {
		return i18n.Match(h)
	}
	if u := userFrom(r.Context()); u != nil {
		if l, ok := i18n.ParseLang(u.Lang); ok {
			return l
		}
	}
	return i18n.NL
}

// writeJSON writes v with a status code.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// etag is the entity tag of a request version.
func etag(version int64) string { return `"v` + strconv.FormatInt(version, 10) + `"` }

// displayArgs shows the product's codes in message arguments by their names
// in the catalogue: "investigation" becomes "Onderzoek".
func (s *Server) displayArgs(lang i18n.Lang, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = s.display(lang, a)
	}
	return out
}

func (s *Server) display(lang i18n.Lang, v any) any {
	switch x := v.(type) {
	case beheer.Message:
		return s.catalog.T(lang, x.Key, s.displayArgs(lang, x.Args)...)
	case beheer.Phase:
		return s.catalog.T(lang, "phase."+string(x))
	case beheer.Type:
		return s.catalog.T(lang, "type."+string(x))
	case beheer.Status:
		return s.catalog.T(lang, "status."+string(x))
	case beheer.Priority:
		return s.catalog.T(lang, "priority."+string(x))
	case beheer.Channel:
		return s.catalog.T(lang, "channel."+string(x))
	case beheer.DecisionOutcome:
		return s.catalog.T(lang, "decision."+string(x))
	case []beheer.Phase:
		return joinDisplay(s, lang, x)
	case []beheer.Type:
		return joinDisplay(s, lang, x)
	case []beheer.Status:
		return joinDisplay(s, lang, x)
	case []beheer.Priority:
		return joinDisplay(s, lang, x)
	case []beheer.Channel:
		return joinDisplay(s, lang, x)
	case []beheer.DecisionOutcome:
		return joinDisplay(s, lang, x)
	}
	return v
}

// joinDisplay lists codes with their names for "choose one of" messages:
// "question (Vraag), wish (Wens)".
func joinDisplay[T ~string](s *Server, lang i18n.Lang, xs []T) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = string(x) + " (" + fmt.Sprint(s.display(lang, x)) + ")"
	}
	return strings.Join(parts, ", ")
}
