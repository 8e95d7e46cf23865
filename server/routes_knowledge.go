package server

// knowledgeRoutes are the portal pages of news and the knowledge base.
// Everyone signed in reads; functional admins write (checked in the store).
func (s *Server) knowledgeRoutes() []pageRoute {
	return []pageRoute{
		{"GET /news", s.newsPage},
		{"GET /news/new", s.newsNewPage},
		{"POST /news/new", s.newsCreate},
		{"GET /news/{id}", s.newsItemPage},
		{"GET /news/{id}/edit", s.newsEditPage},
		{"POST /news/{id}/edit", s.newsUpdate},
		{"POST /news/{id}/links", s.newsLink},

		{"GET /kb", s.kbPage},
		{"GET /kb/suggest", s.kbSuggest},
		{"GET /kb/new", s.kbNewPage},
		{"POST /kb/new", s.kbCreate},
		{"GET /kb/{id}", s.articlePage},
		{"GET /kb/{id}/edit", s.kbEditPage},
		{"POST /kb/{id}/edit", s.kbUpdate},
		{"POST /kb/{id}/feedback", s.kbFeedback},
		{"POST /kb/{id}/links", s.kbLink},
		{"POST /requests/{id}/article", s.articleFromRequest},
	}
}

// apiKnowledgeRoutes are the API endpoints of news and the knowledge base.
func (s *Server) apiKnowledgeRoutes() []route {
	return []route{
		{"GET /api/v1/news", s.apiListNews},
		{"POST /api/v1/news", s.apiCreateNews},
		{"GET /api/v1/news/{id}", s.apiGetNews},
		{"PUT /api/v1/news/{id}", s.apiPutNews},
		{"POST /api/v1/news/{id}/links", s.apiLinkNews},

		{"GET /api/v1/articles", s.apiListArticles},
		{"POST /api/v1/articles", s.apiCreateArticle},
		{"GET /api/v1/articles/{id}", s.apiGetArticle},
		{"PUT /api/v1/articles/{id}", s.apiPutArticle},
		{"GET /api/v1/articles/{id}/revisions", s.apiArticleRevisions},
		{"POST /api/v1/articles/{id}/feedback", s.apiArticleFeedback},
		{"POST /api/v1/articles/{id}/links", s.apiLinkArticle},
		{"POST /api/v1/requests/{id}/article", s.apiArticleFromRequest},
		{"GET /api/v1/requests/{id}/knowledge", s.apiRequestKnowledge},
	}
}
