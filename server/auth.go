package server

import (
	"context"
	"net/http"
	"strings"

	"beheer"
)

const userKey ctxKey = iota + 100

// userFrom returns the signed-in person, or nil.
func userFrom(ctx context.Context) *beheer.User {
	u, _ := ctx.Value(userKey).(*beheer.User)
	return u
}

// withUser stores the signed-in person in the context.
func withUser(ctx context.Context, u *beheer.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// apiHandler is an API endpoint: it gets the acting person and returns an
// error that the wrapper maps to a problem document.
type apiHandler func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error

// api wraps an endpoint with bearer-token authentication, the route's
// permission and error mapping.
func (s *Server) api(perm beheer.Permission, h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, token, err := s.bearer(r)
		if err != nil {
			s.problem(w, r, err)
			return
		}
		if err := s.limitWrites(w, r, token); err != nil {
			s.problem(w, r, err)
			return
		}
		r = r.WithContext(withUser(r.Context(), u))
		a := u.Actor()
		if err := permitted(a, perm); err != nil {
			s.problem(w, r, err)
			return
		}
		if err := h(w, r, a); err != nil {
			s.problem(w, r, err)
		}
	})
}

// bearer authenticates the Authorization: Bearer header.
func (s *Server) bearer(r *http.Request) (*beheer.User, string, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, "", beheer.Errorf(beheer.CodeUnauthorized, "error.unauthorized")
	}
	token = strings.TrimSpace(token)
	u, err := s.store.Authenticate(r.Context(), token)
	return u, token, err
}
