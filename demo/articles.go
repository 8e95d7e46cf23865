package demo

import (
	"context"
	"strings"
	"time"

	"beheer"
	"beheer/store"
)

// articles are the demo's knowledge base: instructions people look for in
// their own words, so that searching "saldo", "declareren" or "loonstroken"
// and the suggestions of the new-request form find something. An empty
// area is an article about no area in particular.
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
	{"sitebeheer", "Inloggen op AFAS Online met de authenticator-app", "inloggen mfa tweestapsverificatie",
		"AFAS Online vraagt bij het inloggen om een tweede stap: een code uit de authenticator-app op uw telefoon.\n\n" +
			"1. Installeer de app **AFAS Pocket** of een andere authenticator-app.\n" +
			"2. Log in op AFAS Online en scan de QR-code die u te zien krijgt.\n" +
			"3. Vul de zescijferige code uit de app in.\n\n" +
			"**Nieuwe telefoon?** Dan werkt de oude koppeling niet meer. Dien een aanvraag in bij Beheer (categorie *Sitebeheer*): " +
			"wij zetten de koppeling terug, waarna u de QR-code opnieuw scant. Deel uw code nooit met een ander, ook niet met Beheer."},
	{"autorisaties", "Autorisatie aanvragen voor een taak in Profit", "autorisatie rechten toegang",
		"Krijgt u de melding *U bent niet geautoriseerd*, dan mist u rechten voor die taak.\n\n" +
			"1. Dien in Beheer een **wijzigingsverzoek** in van het type *Autorisatie*.\n" +
			"2. Noem de taak of het scherm (bijvoorbeeld *Inkoopfacturen goedkeuren*) en waarom u die nodig heeft.\n" +
			"3. Uw leidinggevende keurt de aanvraag goed; daarna kent de functioneel beheerder de autorisatiegroep toe.\n\n" +
			"Rechten gaan per **autorisatiegroep**, nooit per persoon. Verandert u van functie, vraag dan ook aan welke rechten kunnen vervallen."},
	{"", "Een overzicht exporteren naar Excel", "excel export rapport overzicht",
		"Bijna elk overzicht in Profit en InSite kunt u naar Excel halen.\n\n" +
			"1. Open het overzicht en zet de filters zoals u ze wilt hebben.\n" +
			"2. Kies rechtsboven **Acties → Exporteren naar Excel** (in InSite het pictogram met de pijl).\n" +
			"3. Het bestand staat daarna in uw map *Downloads*.\n\n" +
			"Een export bevat alleen de regels die u ziet: staat er een filter aan, dan staat die ook in de export. " +
			"Exports met persoonsgegevens bewaart u niet op een USB-stick of in een privémap."},
	{"financieel", "Kilometers declareren voor een dienstreis", "declaratie kilometers dienstreis reiskosten",
		"Dienstreizen met uw eigen auto declareert u in InSite onder **Declaraties → Kilometerdeclaratie**.\n\n" +
			"1. Vul per rit de datum, het vertrekadres, het bestemmingsadres en het doel in.\n" +
			"2. InSite rekent de afstand uit; pas die alleen aan als u een andere route moest nemen en zet de reden in de toelichting.\n" +
			"3. Parkeerkosten declareert u als aparte regel met de bon als bijlage.\n\n" +
			"Woon-werkverkeer declareert u niet: dat loopt via de vaste reiskostenvergoeding op uw loonstrook."},
	{"financieel", "Inkoopfactuur goedkeuren als budgethouder", "inkoopfactuur goedkeuren budgethouder workflow",
		"Als budgethouder krijgt u in InSite een taak **Inkoopfactuur beoordelen** voor elke factuur op uw kostenplaats.\n\n" +
			"1. Open de taak via **Mijn taken**.\n" +
			"2. Bekijk de factuur (PDF) en controleer bedrag en kostenplaats.\n" +
			"3. Kies **Akkoord** of **Afkeuren**; bij afkeuren vult u altijd een reden in, die gaat terug naar de crediteurenadministratie.\n\n" +
			"Bent u met verlof? Stel dan een vervanger in onder **Mijn gegevens → Vervanging**, anders blijven facturen liggen."},
	{"hr", "Adres of bankrekeningnummer wijzigen", "adreswijziging iban bankrekening persoonsgegevens",
		"Verhuisd of een nieuwe bankrekening? Geef het zelf door in InSite onder **Mijn gegevens → Persoonlijke gegevens**.\n\n" +
			"- Een nieuw adres gaat in op de datum die u invult.\n" +
			"- Een nieuw **IBAN** controleert HR eerst; de wijziging geldt vanaf de eerstvolgende salarisbetaling als zij voor de 15e is goedgekeurd.\n\n" +
			"U krijgt een bericht in InSite zodra de wijziging is verwerkt."},
	{"crm", "Nieuwe organisatie of contactpersoon vastleggen in CRM", "crm relatie organisatie contactpersoon",
		"Zoek eerst of de organisatie al bestaat: typ in Profit bij **CRM → Organisaties** een deel van de naam of het KvK-nummer. " +
			"Dubbele relaties maken de facturatie en de mailings onbetrouwbaar.\n\n" +
			"Bestaat zij nog niet, kies dan **Nieuw**, vul het KvK-nummer in en laat Profit de gegevens ophalen. " +
			"Een contactpersoon voegt u daarna toe op het tabblad **Contacten**."},
	{"integraties", "Een storing in een koppeling melden", "koppeling storing integratie",
		"Komen gegevens niet aan in een ander systeem (bijvoorbeeld Topdesk of de salarisverwerking)?\n\n" +
			"1. Noteer welk systeem, welke medewerker of welk document het betreft en sinds wanneer.\n" +
			"2. Dien in Beheer een **incident** in, categorie *Integraties*, met die gegevens en een schermafdruk van de foutmelding.\n\n" +
			"De technisch beheerder kijkt in het logboek van de koppeling en schakelt zo nodig de system integrator in. " +
			"Wijzig de gegevens niet zelf in beide systemen: dan raken ze verder uit de pas."},
}

// loadArticles publishes the demo's articles, written by its functional
// admin over the past half year, a new one every two weeks.
func loadArticles(ctx context.Context, st *store.Store, o *org, areas map[string]beheer.Area, now time.Time) error {
	for i, a := range articles {
		at := now.AddDate(0, 0, -14*(len(articles)-i))
		if _, err := st.WithClock(func() time.Time { return at }).CreatePublication(ctx, o.admins[0].Actor(), beheer.PublicationInput{Kind: beheer.PublicationArticle,
			Title: a.title, Body: a.body, Tags: strings.Fields(a.tags), AreaID: areas[a.area].ID,
			Status: beheer.PublicationPublished}); err != nil {
			return err
		}
	}
	return nil
}
