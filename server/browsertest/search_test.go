package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"beheer"
)

// TestDutchSearchPages searches as a functional admin would, at desktop
// and at phone width: a part of a compound and another form of a word find
// requests in the queue and instructions in the knowledge base, typing in
// the knowledge base's field searches as it goes, and a search of only
// common words says that no search words are left instead of listing
// everything or nothing without a word of explanation.
func TestDutchSearchPages(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	bg := context.Background()
	anna, fleur := actorOf(t, s, "anna"), actorOf(t, s, "fleur")
	for _, title := range []string{"Verlofsaldo klopt niet na de overgang naar het nieuwe rooster", "Declaratie wordt niet goedgekeurd",
		"Salaris te laat overgemaakt"} {
		if _, err := s.st.CreateRequest(bg, anna, beheer.NewRequest{Type: beheer.TypeQuestion, Title: title, AreaID: s.areas["hr"]}); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []struct{ title, body string }{{"Verlofsaldo bekijken in InSite", "Uw saldo staat onder Mijn verlof."},
		{"Declaratie indienen", "Zo dient u een declaratie in."}} {
		if _, err := s.st.CreatePublication(bg, fleur, beheer.PublicationInput{Kind: beheer.PublicationArticle, Title: a.title, Body: a.body,
			Status: beheer.PublicationPublished}); err != nil {
			t.Fatal(err)
		}
	}
	s.login(t, ctx, "fleur")
	for _, px := range screenWidths {
		viewport(t, ctx, px)
		name := fmt.Sprint(px)
		pages := []struct {
			name, path    string
			finds, misses string
		}{
			{"queue", "/queue?q=saldo", "Verlofsaldo klopt niet", "Salaris te laat"},
			{"queue-no-words", "/queue?q=de+het+een", "geen zoekwoorden over", "Verlofsaldo klopt niet"},
			{"kb", "/kb?q=declareren", "Declaratie indienen", "Verlofsaldo bekijken"},
			{"kb-no-words", "/kb?q=%21%21%21+%3F%3F", "geen zoekwoorden over", "Declaratie indienen"},
		}
		for _, p := range pages {
			open(t, ctx, s.url+p.path)
			main := text(t, ctx, "main")
			if !strings.Contains(main, p.finds) || strings.Contains(main, p.misses) {
				t.Errorf("%s at %s px: want %q and not %q:\n%s", p.path, name, p.finds, p.misses, main)
			}
			shot(t, ctx, "search-"+p.name+"-"+name)
			checkA11y(t, ctx, "search "+p.name+" at "+name)
			noOverflow(t, ctx, p.path+" at "+name+" px")
		}
	}
	// Typing in the knowledge base's field searches as it goes.
	do(t, ctx, chromedp.EmulateViewport(1366, 900))
	open(t, ctx, s.url+"/kb")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#kb-q"), "saldo"))
	// Keys typed slowly search for part of the word first: only the
	// answer to the whole word counts.
	waitFor(t, ctx, `(t => t.includes("Verlofsaldo bekijken") && !t.includes("Declaratie indienen"))(document.querySelector("#kb-results").innerText)`)
}
