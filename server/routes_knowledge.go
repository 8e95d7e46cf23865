package server

// knowledgeRoutes are the portal pages of news and the knowledge base.
func (s *Server) knowledgeRoutes() []pageRoute { return nil }

// apiKnowledgeRoutes are the API endpoints of news and the knowledge base.
func (s *Server) apiKnowledgeRoutes() []route { return nil }
