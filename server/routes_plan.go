package server

// planRoutes are the portal pages of the annual plan, releases and the organisation profile.
func (s *Server) planRoutes() []pageRoute { return nil }

// apiPlanRoutes are the API endpoints of the annual plan, releases and the organisation profile.
func (s *Server) apiPlanRoutes() []route { return nil }
