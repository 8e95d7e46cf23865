package server

import (
	_ "embed"
	"net/http"
	"slices"

	"beheer"
)

//go:embed openapi.json
var openAPIDocument []byte

// route is one entry of the route table.
type route struct {
	pattern string
	handler apiHandler
}

// apiRoutes is the JSON API. Every endpoint authenticates with a bearer
// token; what each person may do is decided in package store.
func (s *Server) apiRoutes() []route {
	return []route{
		{"GET /api/v1/me", s.apiMe},
		{"GET /api/v1/areas", s.apiAreas},
		{"POST /api/v1/areas", s.apiCreateArea},
		{"GET /api/v1/users", s.apiUsers},
		{"POST /api/v1/users", s.apiCreateUser},
		{"PUT /api/v1/users/{id}/roles", s.apiSetRoles},
		{"POST /api/v1/users/{id}/deactivate", s.apiSetActive(false)},
		{"POST /api/v1/users/{id}/activate", s.apiSetActive(true)},
		{"GET /api/v1/users/{id}/export", s.apiExportPerson},
		{"POST /api/v1/users/{id}/anonymise", s.apiAnonymise},
		{"GET /api/v1/settings", s.apiGetSettings},
		{"PUT /api/v1/settings", s.apiPutSettings},

		{"POST /api/v1/requests", s.apiCreateRequest},
		{"GET /api/v1/requests", s.apiListRequests},
		{"GET /api/v1/requests/{id}", s.apiGetRequest},
		{"PATCH /api/v1/requests/{id}", s.apiPatchRequest},
		{"POST /api/v1/requests/{id}/transitions", s.apiTransition},
		{"POST /api/v1/requests/{id}/decision", s.apiDecide},
		{"GET /api/v1/requests/{id}/decision", s.apiGetDecision},
		{"POST /api/v1/requests/{id}/evaluation", s.apiEvaluate},
		{"POST /api/v1/requests/{id}/comments", s.apiAddComment},
		{"GET /api/v1/requests/{id}/comments", s.apiListComments},
		{"POST /api/v1/requests/{id}/questions", s.apiAsk},
		{"POST /api/v1/requests/{id}/attachments", s.apiAddAttachment},
		{"GET /api/v1/requests/{id}/attachments", s.apiListAttachments},
		{"POST /api/v1/requests/{id}/escalations", s.apiEscalate},
		{"GET /api/v1/requests/{id}/escalations", s.apiListEscalations},
		{"POST /api/v1/requests/{id}/tasks", s.apiCreateTask},
		{"GET /api/v1/requests/{id}/tasks", s.apiListTasks},
		{"POST /api/v1/requests/{id}/links", s.apiLink},
		{"GET /api/v1/requests/{id}/links", s.apiLinks},
		{"GET /api/v1/requests/{id}/audit", s.apiAudit},

		{"GET /api/v1/attachments/{id}", s.apiGetAttachment},
		{"POST /api/v1/escalations/{id}/close", s.apiCloseEscalation},
		{"GET /api/v1/tasks", s.apiMyTasks},
		{"POST /api/v1/tasks/{id}/complete", s.apiCompleteTask},
	}
}

// allAPIRoutes is the whole JSON API.
func (s *Server) allAPIRoutes() []route {
	return slices.Concat(s.apiRoutes(), s.apiNotifyRoutes(), s.apiSlaRoutes(), s.apiKnowledgeRoutes(), s.apiPlanRoutes(), s.apiRegisterRoutes(), s.apiMailRoutes(), s.apiPeopleRoutes())
}

// pageRoute is one entry of the portal's route table.
type pageRoute struct {
	pattern string
	handler pageHandler
}

// publicRoutes are the portal pages that work without signing in.
func (s *Server) publicRoutes() []pageRoute {
	return []pageRoute{
		{"GET /login", s.loginPage},
		{"POST /login", s.login},
		{"GET /password/forgot", s.forgotPage},
		{"POST /password/forgot", s.forgot},
		{"GET /password/reset", s.resetPage},
		{"POST /password/reset", s.reset},
		{"POST /settings/lang", s.setLang},
	}
}

// portalRoutes are the portal pages for signed-in people. What each person
// may see and do is decided in package store, as for the API.
func (s *Server) portalRoutes() []pageRoute {
	return []pageRoute{
		{"GET /{$}", s.homePage},
		{"POST /logout", s.logout},
		{"GET /requests/new", s.newRequestPage},
		{"POST /requests/new", s.createRequest},
		{"GET /requests/suggest", s.suggest},
		{"GET /queue", s.queuePage},
		{"POST /queue/assign", s.queueAssign},
		{"POST /queue/views", s.saveView},
		{"POST /queue/views/{id}/delete", s.deleteView},
		{"GET /people", s.peoplePage},
		{"POST /people", s.addPerson},
		{"POST /people/{id}/roles", s.setPersonRoles},
		{"POST /people/{id}/deactivate", s.setPersonActive(false)},
		{"POST /people/{id}/activate", s.setPersonActive(true)},
	}
}

// routes is the one route table.
func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)
	mux.HandleFunc(planFeedPattern, s.planFeed) // GET /plan/{year}/feed.ics?token=… (no session: the token is the key)
	mux.Handle("GET /static/", s.assets)
	for _, rt := range append(s.publicRoutes(), s.ssoRoutes()...) {
		mux.Handle(rt.pattern, s.public(rt.handler))
	}
	portal := slices.Concat(s.portalRoutes(), s.requestPageRoutes(), s.workPageRoutes(),
		s.notifyRoutes(), s.slaRoutes(), s.knowledgeRoutes(), s.planRoutes(), s.registerRoutes(), s.peopleImportRoutes(),
		s.mailPageRoutes())
	for _, rt := range portal {
		mux.Handle(rt.pattern, s.portal(rt.handler))
	}
	mux.Handle("/", s.public(func(w http.ResponseWriter, r *http.Request, p *page) error {
		return beheer.ErrNotFound()
	}))
	for _, rt := range s.allAPIRoutes() {
		mux.Handle(rt.pattern, s.api(rt.handler))
	}
	mux.Handle("/api/", s.api(func(w http.ResponseWriter, r *http.Request, _ *beheer.Actor) error {
		return beheer.ErrNotFound()
	}))
}
