package browsertest

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"beheer"
)

// TestKnowledgeBase reads the knowledge base and the news as a user (search,
// "did this help?") and writes as a functional admin, with screenshots and
// the accessibility check on every page.
func TestKnowledgeBase(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	bg := context.Background()
	a, err := s.st.CreatePublication(bg, actorOf(t, s, "fleur"), beheer.PublicationInput{Kind: beheer.PublicationArticle,
		Title: "Declaratie indienen", Body: "1. Ga naar **InSite**.\n2. Kies *Declaraties*.", AreaID: s.areas["hr"],
		Tags: []string{"onkosten"}, Status: beheer.PublicationPublished})
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.st.CreatePublication(bg, actorOf(t, s, "fleur"), beheer.PublicationInput{Kind: beheer.PublicationNews,
		Title: "AFAS-update zaterdag", Body: "AFAS is zaterdag niet bereikbaar."})
	if err != nil {
		t.Fatal(err)
	}
	article := s.url + "/kb/" + strconv.FormatInt(a.ID, 10)
	newsItem := "/news/" + strconv.FormatInt(n.ID, 10)

	t.Run("a user searches, reads and rates", func(t *testing.T) {
		s.login(t, ctx, "anna")
		open(t, ctx, s.url+"/kb")
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#kb-q"), "declaraties"))
		// The article is listed before the search as well: wait for the
		// search's own answer, which puts the words in the address.
		waitFor(t, ctx, `new URLSearchParams(location.search).get("q") === "declaraties"`)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#kb-results a[href="/kb/`+strconv.FormatInt(a.ID, 10)+`"]`)))
		shot(t, ctx, "kb-search")
		checkA11y(t, ctx, "knowledge base")
		open(t, ctx, article)
		checkA11y(t, ctx, "article")
		do(t, ctx, chromedp.Click(chromedp.CSS(`button[value="yes"]`)))
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`button[value="yes"][aria-pressed="true"]`)))
		shot(t, ctx, "kb-article")
		open(t, ctx, s.url+"/news")
		if got := text(t, ctx, "main"); !strings.Contains(got, "AFAS-update zaterdag") {
			t.Errorf("news page: %s", got)
		}
		checkA11y(t, ctx, "news")
		open(t, ctx, s.url+newsItem)
		if got := text(t, ctx, "main"); !strings.Contains(got, "AFAS is zaterdag niet bereikbaar.") || strings.Contains(got, "Gekoppelde aanvragen") {
			t.Errorf("news item for a user: %s", got)
		}
		checkA11y(t, ctx, "news item")
		logout(t, ctx)
	})

	t.Run("an admin writes", func(t *testing.T) {
		s.login(t, ctx, "fleur")
		for name, path := range map[string]string{"kb-new": "/kb/new", "kb-edit": "/kb/" + strconv.FormatInt(a.ID, 10) + "/edit",
			"news-new": "/news/new", "kb-admin": "/kb?drafts=1", "news-admin": "/news", "kb-article-admin": "/kb/" + strconv.FormatInt(a.ID, 10),
			"news-item-admin": newsItem, "news-edit": newsItem + "/edit"} {
			if status := open(t, ctx, s.url+path); status != 200 {
				t.Errorf("%s: status %d", path, status)
			}
			shot(t, ctx, name)
			checkA11y(t, ctx, path)
		}
		open(t, ctx, s.url+"/news/new")
		do(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#title"), "Verkeerde datums"),
			chromedp.SetValue(chromedp.CSS("#publish_at"), "2026-12-01T09:00"),
			chromedp.SetValue(chromedp.CSS("#expire_at"), "2026-11-01T09:00"),
		)
		if status := submit(t, ctx, "#title"); status != 422 {
			t.Errorf("expiry before publish: status %d", status)
		}
		if got := text(t, ctx, "#expire_at-error"); !strings.Contains(got, "na de publicatiedatum") {
			t.Errorf("message %q", got)
		}
		checkA11y(t, ctx, "news form with an error")
		logout(t, ctx)
	})
}
