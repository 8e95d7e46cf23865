package server

// requestPageRoutes are the portal pages of one request: the page with its
// timeline and the forms of every action. Each form posts to its own path
// and comes back to the request page; the store decides who may do what.
func (s *Server) requestPageRoutes() []pageRoute {
	return []pageRoute{
		{"GET /requests/{id}", s.requestPage},
		{"POST /requests/{id}/edit", s.requestEdit},
		{"POST /requests/{id}/transition", s.requestTransition},
		{"POST /requests/{id}/ask", s.requestAsk},
		{"POST /requests/{id}/to-decision", s.requestToDecision},
		{"POST /requests/{id}/decision", s.requestDecide},
		{"POST /requests/{id}/evaluation", s.requestEvaluate},
		{"POST /requests/{id}/tasks", s.requestCreateTask},
		{"POST /requests/{id}/tasks/{task}/complete", s.requestCompleteTask},
		{"POST /requests/{id}/escalations", s.requestEscalate},
		{"POST /requests/{id}/escalations/{esc}/close", s.requestCloseEscalation},
		{"POST /requests/{id}/comments", s.requestComment},
		{"POST /requests/{id}/attachments", s.requestAttach},
		{"GET /attachments/{id}", s.attachmentDownload},
	}
}
