package server

import (
	"net/http"
	"strconv"
	"strings"

	"beheer"
)

// tokensView is the tokens page: one person's own tokens with the form to
// make one, or (All) every person's tokens for a functional admin; a new
// token's secret is shown this once.
type tokensView struct {
	All         bool
	Tokens      []tokenRow
	Created     *createdToken
	Done        string
	DefaultDays int
	MaxDays     int
	ManagesAll  bool // the viewer may open everyone's tokens
}

// tokenRow is a token as a row of the page: its state in words.
type tokenRow struct {
	beheer.Token
	State string // live, expired or revoked
}

// tokensData reads the page's tokens: the viewer's own, or with all
// everyone's.
func (s *Server) tokensData(r *http.Request, p *page, all bool) (*tokensView, error) {
	owner := p.Actor.UserID
	if all {
		owner = 0
	}
	list, err := s.store.Tokens(r.Context(), p.Actor, owner)
	if err != nil {
		return nil, err
	}
	pol, err := s.store.Policy(r.Context())
	if err != nil {
		return nil, err
	}
	v := &tokensView{All: all, Done: r.URL.Query().Get("done"), DefaultDays: min(pol.TokenDefaultDays, pol.TokenMaxDays),
		MaxDays: pol.TokenMaxDays, ManagesAll: beheer.CanManageAllTokens(p.Actor)}
	now := s.now()
	for _, t := range list {
		row := tokenRow{Token: t, State: "live"}
		switch {
		case t.RevokedAt != nil:
			row.State = "revoked"
		case !t.Live(now):
			row.State = "expired"
		}
		v.Tokens = append(v.Tokens, row)
	}
	return v, nil
}

func (s *Server) renderTokens(w http.ResponseWriter, status int, p *page, v *tokensView, f formRefusal) {
	p.Title = p.T("tokens.title")
	if v.All {
		p.Title = p.T("tokens.all.title")
	}
	p.Data = struct {
		*tokensView
		F formRefusal
	}{v, f}
	s.render(w, status, "tokens", "", p)
}

// showTokens renders the page, own tokens or everyone's.
func (s *Server) showTokens(all bool) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		v, err := s.tokensData(r, p, all)
		if err != nil {
			return err
		}
		s.renderTokens(w, http.StatusOK, p, v, formRefusal{})
		return nil
	}
}

// tokenCreate makes a token for the viewer through the same store call as
// the API, and shows its secret once; a refused name or expiry comes back
// beside its field.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request, p *page) error {
	n := beheer.NewToken{Name: r.PostFormValue("name")}
	if raw := strings.TrimSpace(r.PostFormValue("expires_in_days")); raw != "" {
		days, err := strconv.Atoi(raw)
		if err != nil {
			days = -1 // not a number: the store's range message says what fits
		}
		n.ExpiresInDays = days
	}
	secret, tok, err := s.store.IssueToken(r.Context(), p.Actor, p.Actor.UserID, n)
	if err != nil {
		return p.showRefused(r, "token", err, func(f formRefusal) error {
			view, err := s.tokensData(r, p, false)
			if err != nil {
				return err
			}
			s.renderTokens(w, f.Status, p, view, f)
			return nil
		})
	}
	view, err := s.tokensData(r, p, false)
	if err != nil {
		return err
	}
	view.Created = &createdToken{*tok, secret}
	s.renderTokens(w, http.StatusCreated, p, view, formRefusal{})
	return nil
}

// tokenRevoke revokes a token at once, the viewer's own or, for a
// functional admin, anyone's; the page it was revoked from comes back.
func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(r.Context(), p.Actor, id); err != nil {
		return err
	}
	back := "/settings/tokens"
	if r.PostFormValue("from") == "all" && beheer.CanManageAllTokens(p.Actor) {
		back = "/settings/tokens/all"
	}
	redirect(w, r, back+"?done=revoked")
	return nil
}
