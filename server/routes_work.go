package server

// workPageRoutes are the portal pages to file requests and to work through
// them. The new-request form, the queue and the people list were first
// registered in portalRoutes (routes.go); the pages added since live here.
func (s *Server) workPageRoutes() []pageRoute {
	return []pageRoute{
		{"GET /people/new", s.newPersonPage},
		{"GET /people/{id}", s.personPage},
	}
}
