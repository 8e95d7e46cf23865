package server

import (
	"bufio"
	"errors"
	"net/http"
	"strconv"
	"time"

	"beheer"
)

// createdToken is a new token with its secret, shown this once.
type createdToken struct {
	beheer.Token
	Secret string `json:"token"`
}

// apiTokens lists the caller's tokens; a functional admin for every area
// lists anyone's with ?user=ID, or everyone's with ?user=all.
func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	owner := a.UserID
	switch q := r.URL.Query().Get("user"); q {
	case "":
	case "all":
		owner = 0
	default:
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil || id <= 0 {
			return beheer.Invalid("user", "field.invalid")
		}
		owner = id
	}
	list, err := s.store.Tokens(r.Context(), a, owner)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

// apiCreateToken makes a token for the caller, with a name and a lifetime
// in days within the organisation's bounds.
func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var n beheer.NewToken
	if err := s.decodeJSON(w, r, fields{"name": &n.Name, "expires_in_days": &n.ExpiresInDays}); err != nil {
		return err
	}
	secret, tok, err := s.store.IssueToken(r.Context(), a, a.UserID, n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdToken{*tok, secret})
	return nil
}

// apiRevokeToken revokes a token at once, on every server.
func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiSecurityEvents exports the security events, as JSON or, with
// ?format=csv, as CSV: for functional admins for every area and management.
func (s *Server) apiSecurityEvents(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	f, err := securityFilter(r)
	if err != nil {
		return err
	}
	events, err := s.store.SecurityEvents(r.Context(), a, f)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("format") {
	case "", "json":
		if events == nil {
			events = []beheer.SecurityEvent{}
		}
		writeJSON(w, http.StatusOK, events)
		return nil
	case "csv":
		return s.securityCSV(w, r, events)
	}
	return beheer.Invalid("format", "field.invalid_choice", "choices", "json, csv")
}

// securityFilter reads the export's query: from and to (RFC 3339 or a
// day), kind, user and limit.
func securityFilter(r *http.Request) (beheer.SecurityEventFilter, error) {
	q := r.URL.Query()
	var f beheer.SecurityEventFilter
	var v beheer.Validation
	for _, p := range []struct {
		name string
		into *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if raw := q.Get(p.name); raw != "" {
			t, err := time.Parse(time.RFC3339, raw)
			if err != nil {
				d, ok := beheer.ParseDay(raw)
				if !ok {
					v.Add(p.name, "security.invalid_moment")
					continue
				}
				t = d
			}
			*p.into = t
		}
	}
	f.Kind = beheer.SecurityEventKind(q.Get("kind"))
	if raw := q.Get("user"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			v.Add("user", "field.invalid")
		}
		f.UserID = n
	}
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			v.Add("limit", "field.range", "min", 1, "max", beheer.MaxSecurityEvents)
		}
		f.Limit = n
	}
	// The filter's own rules, named together with the query's.
	var be *beheer.Error
	if errors.As(f.Validate(), &be) {
		for _, fe := range be.Fields {
			if !v.Has(fe.Field) {
				v.Add(fe.Field, fe.Key, fe.Args...)
			}
		}
	}
	return f, v.Err()
}

// securityCSV writes the events as CSV in the caller's language.
func (s *Server) securityCSV(w http.ResponseWriter, r *http.Request, events []beheer.SecurityEvent) error {
	lang := s.lang(r)
	attachment(w, "text/csv; charset=utf-8", "security-events.csv")
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	t, err := newCSVTable(bw, lang, s.zone)
	if err != nil {
		return nil
	}
	head := []string{"id", "at", "kind", "user_id", "account", "address", "request_id", "detail"}
	for i, h := range head {
		head[i] = s.catalog.T(lang, "security.column."+h)
	}
	if err := t.Header(head); err != nil {
		return nil
	}
	for _, e := range events {
		if err := t.Row([]any{e.ID, e.At, string(e.Kind), e.UserID, e.Account, e.Address, e.RequestID, e.Detail}); err != nil {
			return nil
		}
	}
	t.w.Flush()
	return nil
}
