package server

import (
	"net/http"

	"beheer"

	"beheer/i18n"
)

// setLang stores the language choice: with the signed-in person, and in a
// cookie for the pages before login.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request, p *page) error {
	lang, ok := i18n.ParseLang(r.PostFormValue("lang"))
	if !ok {
		lang = i18n.NL
	}
	if p.User != nil {
		if !validCSRF(r, p.CSRF) {
			return beheer.Errorf(beheer.CodeForbidden, "error.csrf")
		}
		if err := s.store.SetLang(r.Context(), p.User.ID, string(lang)); err != nil {
			return err
		}
	} else if !validPreCSRF(r) {
		return beheer.Errorf(beheer.CodeForbidden, "error.csrf")
	}
	http.SetCookie(w, &http.Cookie{Name: "beheer_lang", Value: string(lang), Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
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
