package server

import (
	"testing"
)

// TestOpenAPIKnowledgeSchemas checks the news and article schemas against
// what the handlers encode, like TestOpenAPISchemasMatchJSON does for the
// core types.
func TestOpenAPIKnowledgeSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	cases := map[string]any{
		"News":            apiNews{},
		"Article":         apiArticle{},
		"ArticleRevision": apiArticleRevision{},
	}
	checkSchemas(t, doc, cases)
}
