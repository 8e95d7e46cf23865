package server

import "net/http"

// PlanTestHandler serves s with the iCalendar feed route added, for as
// long as routes.go does not register planFeed itself (it needs no session,
// so it cannot be one of the portal's page routes).
func (s *Server) PlanTestHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(planFeedPattern, s.middleware(http.HandlerFunc(s.planFeed)))
	mux.Handle("/", s)
	return mux
}
