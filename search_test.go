package beheer

import (
	"slices"
	"strings"
	"testing"
)

// finds reports whether a search for query finds text: every term of the
// query starts one of the text's terms, as both engines match them.
func finds(query, text string) bool {
	q := ParseSearch(query)
	if q.Empty() {
		return false
	}
	indexed := strings.Fields(IndexTerms(text))
	for _, t := range q.Terms {
		if !slices.ContainsFunc(indexed, func(i string) bool { return strings.HasPrefix(i, t) }) {
			return false
		}
	}
	return true
}

// TestSearchFinds is the analyser's truth table: what a Dutch search finds
// and what it must not.
func TestSearchFinds(t *testing.T) {
	tests := []struct {
		query, text string
		want        bool
	}{
		// Inflection: plurals, verb forms.
		{"declaraties", "Declaratie wordt niet goedgekeurd", true},
		{"declaratie", "Mijn declaraties staan nog open", true},
		{"loonstroken", "Loonstrook niet zichtbaar", true},
		{"loonstrook", "Waar vind ik mijn loonstroken?", true},
		{"salarissen", "Salaris te laat", true},
		{"inloggen", "Inlog lukt niet", true},
		{"medewerkers", "Nieuwe medewerker toevoegen", true},
		// Derivation: verb and noun, participle and verb.
		{"declareren", "Declaratie wordt niet goedgekeurd", true},
		{"declaratie", "Hoe moet ik reiskosten declareren?", true},
		{"declaratie", "Ik heb het vorige week gedeclareerd", true},
		{"autoriseren", "Autorisatie voor de salarismodule", true},
		{"selecteren", "Werving en selectie", true},
		{"goedkeuren", "Declaratie wordt niet goedgekeurd", true},
		{"inloggen", "Ik ben niet ingelogd gebleven", true},
		{"ziekmelden", "Ik heb me gisteren ziekgemeld", true},
		{"correctie", "Kunnen jullie mijn uren corrigeren?", true},
		{"betalen", "Mijn declaratie is nog niet betaald", true},
		// Compounds: a part finds the whole, with or without linking s.
		{"saldo", "Verlofsaldo klopt niet", true},
		{"verlof", "Verlofsaldo klopt niet", true},
		{"verlofaanvragen", "Verlofaanvraag blijft hangen", true},
		{"aanvraag", "Verlofaanvraag blijft hangen", true},
		{"formulier", "Declaratieformulier kwijt", true},
		{"declareren", "Declaratieformulier kwijt", true},
		{"vergoeding", "Reiskostenvergoeding klopt niet", true},
		{"kosten", "Reiskostenvergoeding klopt niet", true},
		{"reiskosten", "Reiskostenvergoeding klopt niet", true},
		{"overeenkomst", "Arbeidsovereenkomst ondertekenen", true},
		{"dossier", "Personeelsdossier inzien", true},
		{"aanvraagformulier", "Verlofaanvraagformulier werkt niet", true},
		{"melding", "Ziekmelding doorgeven", true},
		// What people type: capitals, accents, half a word, symbols.
		{"VERLOF", "verlof opnemen", true},
		{"cafe", "Café-bonnen declareren", true},
		{"één", "Een", false},
		{"declar", "Declaratie wordt niet goedgekeurd", true},
		{"loon strook", "Loonstrook niet zichtbaar", true},
		{"InSite", "Kan niet inloggen in InSite", true},
		{"2026", "Jaaropgave 2026 ontbreekt", true},
		// Precision: neighbours that are other words.
		{"saldo", "Salaris niet ontvangen", false},
		{"salaris", "Verlofsaldo klopt niet", false},
		{"verlof", "Verloop van mijn contract", false},
		{"inloggen", "Inloopspreekuur op dinsdag", false},
		{"loon", "Loopbaangesprek plannen", false},
		{"verlofsaldo", "Saldo van de kas", false},
		{"wachtwoord", "Woord van de maand", false},
		{"rol", "Controle van de uren", false},
		{"dag", "Maandag vrij", false},
		{"declaratie reiskosten", "Declaratie telefoon", false},
		// Stop words and symbols find nothing.
		{"de het een", "De declaratie", false},
		{"!!! ???", "Declaratie", false},
	}
	for _, tt := range tests {
		t.Run(tt.query+"→"+tt.text, func(t *testing.T) {
			if got := finds(tt.query, tt.text); got != tt.want {
				t.Errorf("finds = %v, want %v (query %v, text %q)", got, tt.want, ParseSearch(tt.query).Terms, IndexTerms(tt.text))
			}
		})
	}
}

// TestParseSearch: what a search looks for, whatever was typed.
func TestParseSearch(t *testing.T) {
	long := strings.Repeat("declaratie reiskosten loonstrook verlof saldo ", 44) // 2,024 characters
	tests := []struct {
		text  string
		terms []string
		cut   bool
	}{
		{"Declaraties", []string{"declaratie"}, false},
		{"verlof aanvragen", []string{"verlof", "aanvrag"}, false},
		{"de declaratie van het salaris", []string{"declaratie", "salaris"}, false},
		{"declaratie DECLARATIES", []string{"declaratie"}, false},
		{`"; DROP TABLE x; --`, []string{"drop", "tabl"}, false},
		{"a:b OR c* -d +e", nil, false},
		{"  !!!  ", nil, false},
		{"de het een van", nil, false},
		{"", nil, false},
		{"één twee drie vier vijf zes zeven acht negen tien", []string{"twee", "drie", "vier", "vijf", "zes", "zev", "acht", "neg"}, true},
		{long, []string{"declaratie", "reiskost", "loonstrok", "verlof", "saldo"}, true},
		{strings.Repeat("7", 100), []string{strings.Repeat("7", maxWordRunes)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.text[:min(len(tt.text), 30)], func(t *testing.T) {
			got := ParseSearch(tt.text)
			if !slices.Equal(got.Terms, tt.terms) || got.Cut != tt.cut {
				t.Errorf("ParseSearch = %v cut %v, want %v cut %v", got.Terms, got.Cut, tt.terms, tt.cut)
			}
			if got.Empty() != (len(tt.terms) == 0) {
				t.Errorf("Empty = %v", got.Empty())
			}
		})
	}
}

// TestIndexTerms: the terms a text is found by, each once, letters and
// digits only, and stop words left out.
func TestIndexTerms(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Verlofsaldo klopt niet", []string{"verlofsaldo", "verlof", "saldo", "klopt"}},
		{"Declaratie, declaraties en declareren", []string{"declaratie", "declarer"}},
		{"Loonstroken", []string{"loonstrok", "lon", "strok"}},
		{"Wachtwoord", []string{"wachtwoord"}},
		{"Verlofaanvraagformulier", []string{"verlofaanvraagformulier", "verlof", "aanvrag", "formulier", "verlofaanvrag", "aanvraagformulier"}},
		{"Goedgekeurd!", []string{"goedgekeurd", "goedkeur", "goedkeurd"}},
		{"Jaaropgave 2026", []string{"jaaropgav", "jar", "opgav", "2026"}},
		{"de het een ?!", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := strings.Fields(IndexTerms(tt.text))
			if !slices.Equal(got, tt.want) {
				t.Errorf("IndexTerms = %q, want %q", got, tt.want)
			}
		})
	}
	// Several texts share one set of terms: a word in the title and the
	// description is indexed once.
	if got := IndexTerms("Verlof", "verlof opnemen"); got != "verlof opnem" {
		t.Errorf("IndexTerms of two texts = %q", got)
	}
}

// BenchmarkSearchAnalyser analyses a typical request (the index side, paid
// by every create) and a typical search.
func BenchmarkSearchAnalyser(b *testing.B) {
	title := "Reiskostenvergoeding op loonstrook klopt niet"
	description := "Hallo, op mijn loonstrook van maart staat een regel **Reiskostenvergoeding** die ik niet eerder heb gezien. " +
		"Kunnen jullie uitleggen wat dit is en waarom het bedrag afwijkt van vorige maand? Ik heb het geprobeerd in Chrome en " +
		"in Edge, met hetzelfde resultaat. Uitloggen en opnieuw inloggen helpt ook niet. Het gaat om 3 collega's bij de " +
		"afdeling Financiën, dus het lijkt niet aan mijn laptop te liggen. Alvast bedankt voor de hulp."
	b.Run("index", func(b *testing.B) {
		for b.Loop() {
			IndexTerms(title, description)
		}
	})
	b.Run("search", func(b *testing.B) {
		for b.Loop() {
			ParseSearch("salaris loonstrook declaraties")
		}
	})
}
