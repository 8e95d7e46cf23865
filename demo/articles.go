package demo

import (
	"context"
	"strings"

	"beheer"
	"beheer/store"
)

// articles are the demo's knowledge base: instructions people look for in
// their own words, so that searching "saldo", "declareren" or "loonstroken"
// and the suggestions of the new-request form find something.
var articles = []struct {
	area, title, tags, body string
}{
	{"hr", "Verlofsaldo bekijken en begrijpen", "verlof saldo",
		"Uw verlofsaldo staat in InSite onder **Mijn gegevens → Verlof**. Het saldo telt de uren van dit jaar, het " +
			"meegenomen verlof van vorig jaar en de uren die al zijn aangevraagd maar nog niet goedgekeurd.\n\n" +
			"Klopt uw saldo niet? Controleer eerst of al uw verlofaanvragen zijn goedgekeurd. Dien anders een aanvraag in."},
	{"hr", "Verlof aanvragen in InSite", "verlof",
		"1. Ga in InSite naar **Verlof aanvragen**.\n2. Kies de soort verlof en de dagen.\n3. Verstuur de aanvraag: " +
			"uw leidinggevende krijgt een taak om haar goed te keuren."},
	{"financieel", "Declaratie indienen", "onkosten declaraties",
		"Declareer reiskosten en andere onkosten via InSite onder **Declaraties**. Voeg de bon toe als bijlage. " +
			"Een declaratie wordt met de eerstvolgende salarisbetaling uitbetaald nadat uw leidinggevende haar heeft goedgekeurd."},
	{"salaris", "Loonstrook en jaaropgave downloaden", "loonstrook jaaropgave",
		"Uw loonstroken en jaaropgaven staan in InSite onder **Mijn documenten**. Kiest u een maand, dan opent de loonstrook als PDF."},
	{"hr", "Ziekmelden en betermelden", "verzuim",
		"Meld u voor 9.00 uur ziek bij uw leidinggevende en in InSite onder **Ziekmelding**. Bent u weer beter, " +
			"meld u dan daar ook beter."},
	{"sitebeheer", "Wachtwoord van InSite wijzigen", "inloggen",
		"Kunt u niet inloggen? Kies op het inlogscherm **Wachtwoord vergeten** en volg de link in de e-mail."},
}

// loadArticles publishes the demo's articles, written by its functional
// admin.
func loadArticles(ctx context.Context, st *store.Store, o *org, areas map[string]beheer.Area) error {
	for _, a := range articles {
		if _, err := st.CreatePublication(ctx, o.admins[0].Actor(), beheer.PublicationInput{Kind: beheer.PublicationArticle,
			Title: a.title, Body: a.body, Tags: strings.Fields(a.tags), AreaID: areas[a.area].ID,
			Status: beheer.PublicationPublished}); err != nil {
			return err
		}
	}
	return nil
}
