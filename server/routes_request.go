package server

// requestPageRoutes are the portal pages of one request: the page with its
// timeline and the forms of every action.
func (s *Server) requestPageRoutes() []pageRoute { return nil }
