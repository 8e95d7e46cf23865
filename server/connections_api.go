package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// connSettingJSON is one connection setting in the API: a secret shows
// only whether it is set.
type connSettingJSON struct {
	Key     string          `json:"key"`
	Kind    beheer.ConnKind `json:"kind"`
	Value   *string         `json:"value,omitempty"`
	Set     *bool           `json:"set,omitempty"`
	FixedBy string          `json:"fixed_by,omitempty"`
	Locked  bool            `json:"locked,omitempty"`
	// Unreadable: a saved secret that does not open with the current key.
	Unreadable bool `json:"unreadable,omitempty"`
}

// connJSON is one page of connection settings in the API.
type connJSON struct {
	Group     beheer.ConnGroup  `json:"group"`
	Version   string            `json:"version"`
	SecretKey bool              `json:"secret_key"`
	Settings  []connSettingJSON `json:"settings"`
}

// apiGetConnections is a page's settings, with its version as ETag.
func (s *Server) apiGetConnections(g beheer.ConnGroup) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		p := &page{s: s, Actor: a, Errors: map[string]string{}}
		v, err := s.connView(r.Context(), p, g, nil)
		if err != nil {
			return err
		}
		out := connJSON{Group: g, Version: v.Version, SecretKey: v.HasKey, Settings: []connSettingJSON{}}
		for _, f := range v.Fields {
			c := connSettingJSON{Key: f.Key, Kind: f.Kind, FixedBy: f.FixedBy, Locked: f.Locked, Unreadable: f.Unreadable}
			if f.Kind == beheer.KindSecret {
				c.Set = &f.Set
			} else {
				c.Value = &f.Value
			}
			out.Settings = append(out.Settings, c)
		}
		w.Header().Set("ETag", strconv.Quote(v.Version))
		writeJSON(w, http.StatusOK, out)
		return nil
	}
}

// apiConnChange reads a body of settings by key: a string, a boolean or
// a port number; "" (or null) clears a setting, a key left out keeps it.
// A key the environment fixes is refused.
func (s *Server) apiConnChange(w http.ResponseWriter, r *http.Request, g beheer.ConnGroup) (store.ConnChange, error) {
	into := fields{}
	for _, set := range beheer.ConnSettingsOf(g) {
		into[set.Key] = &json.RawMessage{}
	}
	if err := s.decodeJSON(w, r, into); err != nil {
		return nil, err
	}
	change := store.ConnChange{}
	var v beheer.Validation
	for _, set := range beheer.ConnSettingsOf(g) {
		m := *into[set.Key].(*json.RawMessage)
		if len(m) == 0 {
			continue
		}
		if s.conns.FixedBy[set.Key] != "" {
			v.Add(set.Key, "admin.conn.fixed_by", "variable", s.conns.FixedBy[set.Key])
			continue
		}
		var str string
		var b bool
		var n json.Number
		switch {
		case string(m) == "null":
		case json.Unmarshal(m, &str) == nil:
		case json.Unmarshal(m, &b) == nil && set.Kind == beheer.KindBool:
			str = strconv.FormatBool(b)
		case json.Unmarshal(m, &n) == nil && set.Kind == beheer.KindPort:
			str = n.String()
		default:
			v.Add(set.Key, "field.wrong_type")
			continue
		}
		change[set.Key] = str
	}
	return change, v.Err()
}

// apiPutConnections changes a page's settings: the same checks and tries
// as the page. An If-Match with the version read refuses a save over
// someone else's.
func (s *Server) apiPutConnections(g beheer.ConnGroup) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		change, err := s.apiConnChange(w, r, g)
		if err != nil {
			return err
		}
		version := strings.Trim(strings.TrimSpace(r.Header.Get("If-Match")), `"`)
		if err := s.saveConnections(r.Context(), a, g, version, change); err != nil {
			return err
		}
		return s.apiGetConnections(g)(w, r, a)
	}
}

// probeJSON is what a try found.
type probeJSON struct {
	OK      bool        `json:"ok"`
	Message string      `json:"message"`
	Answer  string      `json:"answer,omitempty"`
	Facts   []probeFact `json:"facts,omitempty"`
}

// probeFact is one thing a try found, labelled in the caller's language.
type probeFact struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// apiConnTry runs one of a page's tries on the saved settings with the
// body's over them, without saving. The answer is 200 whether or not the
// try succeeded; ok says which.
func (s *Server) apiConnTry(g beheer.ConnGroup, try func(ctx context.Context, p *page, eff beheer.ConnValues) (*probe, error)) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		if !beheer.CanManageConnections(a) {
			return beheer.Refusal(beheer.PermIntegrationManage)
		}
		u, err := s.store.User(r.Context(), a.UserID)
		if err != nil {
			return err
		}
		p := &page{s: s, Actor: a, User: u, Lang: s.lang(r), Errors: map[string]string{}}
		change := store.ConnChange{}
		if r.ContentLength != 0 {
			if change, err = s.apiConnChange(w, r, g); err != nil {
				return err
			}
		}
		_, stored, err := s.conns.Values(r.Context())
		if err != nil {
			return err
		}
		eff := stored.Values.Over(beheer.ConnValues(change)).Over(s.conns.Fixed)
		var val beheer.Validation
		eff.Check(g, &val)
		if err := val.Err(); err != nil {
			return err
		}
		res, err := try(r.Context(), p, eff)
		if err != nil {
			be, ok := err.(*beheer.Error)
			if !ok || be.Code != beheer.CodeInvalid || len(be.Fields) == 0 {
				return err
			}
			f := be.Fields[0]
			res = &probe{Message: p.T(f.Key, f.Args...), Answer: answerOf(err, p)}
		}
		out := probeJSON{OK: res.OK, Message: res.Message, Answer: res.Answer}
		for _, f := range res.Facts {
			out.Facts = append(out.Facts, probeFact{Label: f[0], Value: f[1]})
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	}
}
