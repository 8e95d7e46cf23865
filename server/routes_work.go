package server

// workPageRoutes are the portal pages to file requests and to work through
// them: the new-request form, the queue and the people page.
func (s *Server) workPageRoutes() []pageRoute { return nil }
