package server

// notifyRoutes are the portal pages of notifications, webhooks and e-mail.
func (s *Server) notifyRoutes() []pageRoute { return nil }

// apiNotifyRoutes are the API endpoints of notifications, webhooks and e-mail.
func (s *Server) apiNotifyRoutes() []route { return nil }
