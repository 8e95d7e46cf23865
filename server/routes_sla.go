package server

// slaRoutes are the portal pages of service levels, dashboards and reports.
func (s *Server) slaRoutes() []pageRoute { return nil }

// apiSlaRoutes are the API endpoints of service levels, dashboards and reports.
func (s *Server) apiSlaRoutes() []route { return nil }
