package server

import (
	"net/http"

	"beheer/i18n"
)

// setLang stores the person's language choice.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request, p *page) error {
	lang, ok := i18n.ParseLang(r.PostFormValue("lang"))
	if !ok {
		lang = i18n.NL
	}
	if err := s.store.SetLang(r.Context(), p.User.ID, string(lang)); err != nil {
		return err
	}
	back := r.Referer()
	if back == "" {
		back = "/"
	}
	redirect(w, r, safeNext(pathOf(back)))
	return nil
}

// pathOf keeps only the path and query of a same-site URL.
func pathOf(raw string) string {
	u, err := urlParse(raw)
	if err != nil {
		return "/"
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}
