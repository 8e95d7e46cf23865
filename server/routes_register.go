package server

// registerRoutes are the portal pages of the technical register: the list,
// an entry, the forms for a new entry and a change, and recording a review.
// Functional admins, technical admins and management read it; the store
// decides who keeps it.
func (s *Server) registerRoutes() []pageRoute {
	return []pageRoute{
		{"GET /register", s.registerPage},
		{"POST /register", s.createRegisterEntry},
		{"GET /register/new", s.newRegisterEntryPage},
		{"GET /register/{id}", s.registerEntryPage},
		{"POST /register/{id}", s.updateRegisterEntry},
		{"GET /register/{id}/edit", s.editRegisterEntryPage},
		{"POST /register/{id}/review", s.recordRegisterReview},
	}
}

// apiRegisterRoutes are the API endpoints of the technical register.
func (s *Server) apiRegisterRoutes() []route {
	return []route{
		{"GET /api/v1/register", s.apiListRegister},
		{"POST /api/v1/register", s.apiCreateRegisterEntry},
		{"GET /api/v1/register/{id}", s.apiGetRegisterEntry},
		{"PATCH /api/v1/register/{id}", s.apiPatchRegisterEntry},
		{"POST /api/v1/register/{id}/review", s.apiRecordRegisterReview},
	}
}
