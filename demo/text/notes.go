package text

// Comments, decisions, evaluations and tasks. Comments are not tied to an
// area, so they use only the global vocabulary.
var comments, commentTails, motivations, motivationTails, evaluations, evaluationTails, taskTitles table

// commentDefs are indexed like perspectives.
var commentDefs = [...]defs{
	// requester
	{"*": {
		"Dank je wel voor de snelle reactie! Ik heb het net opnieuw geprobeerd en nu werkt het wel.",
		"Ik heb het nog een keer geprobeerd, maar ik krijg nog steeds dezelfde melding. Zal ik even langskomen om het te laten zien?",
		"Ter aanvulling: het gebeurt ook bij mijn collega {voornaam}, dus het ligt waarschijnlijk niet aan mijn laptop.",
		"Het gaat om de gegevens van {maand}. Eerdere maanden zien er wel goed uit.",
		"Is er al iets bekend over wanneer dit is opgelost? We hebben het echt nodig {deadline}.",
		"Top, dat is precies wat ik bedoelde. Dank voor het meedenken!",
		"Ik zit {dag} de hele dag in overleg, maar daarna kan ik het samen met jullie bekijken.",
		"Helder, dank voor de uitleg. Ik probeer het op deze manier en laat het weten als het niet lukt.",
		"Ik heb de gevraagde informatie aangevuld. Laat maar weten als er nog iets ontbreekt.",
		"Het werkt weer, maar alleen in {browser}. In mijn gewone browser gaat het nog steeds mis.",
		"Mijn leidinggevende heeft inmiddels akkoord gegeven op deze aanvraag.",
		"Sorry voor de late reactie, ik was een paar dagen vrij. Het probleem speelt nog steeds.",
		"Ik heb de stappen gevolgd die jullie beschreven, en het is gelukt. Bedankt!",
		"Kunnen jullie laten weten wanneer de wijziging live staat? Dan informeer ik mijn team.",
	}},
	// admin
	{"*": {
		"Dank voor je melding. Ik kan het probleem nabootsen en zoek uit waar het aan ligt. Ik laat het je zo snel mogelijk weten.",
		"Kun je aangeven bij welke medewerker of welk dossier het precies gebeurt? Dan kan ik gerichter zoeken.",
		"Het probleem is opgelost. De oorzaak was een instelling die bij de laatste update was teruggezet. Wil je het nog een keer proberen?",
		"We hebben de rechten aangepast. Na opnieuw inloggen zou je de juiste onderdelen moeten zien.",
		"Dit is een bekend probleem na de laatste release van AFAS. Er is een melding gedaan bij de leverancier; zodra er een oplossing is, hoor je van ons.",
		"Goed idee! We nemen je wens mee in het eerstvolgende overleg met de sleutelgebruikers.",
		"In de kennisbank op InSite staat een korte uitleg over dit onderwerp. Lukt het daarmee niet, bel dan gerust even.",
		"Ik heb de wijziging eerst in de testomgeving doorgevoerd. Kun je daar even controleren of het werkt zoals bedoeld?",
		"De wijziging staat sinds vanochtend in productie. Laat je even weten of alles goed gaat?",
		"Ik heb dit voorgelegd aan de proceseigenaar, die er in het overleg van {dag} een besluit over neemt.",
		"Dank voor je geduld. De koppeling is hersteld en de ontbrekende gegevens zijn opnieuw ingelezen.",
		"Uitgezocht en aangepast. Het veld wordt nu weer goed gevuld; de oude gegevens heb ik met de hand gecorrigeerd.",
		"Afgerond: de instelling is aangepast en getest in de acceptatieomgeving. Geen bijzonderheden gevonden.",
		"Ik heb het uitgezocht: het werkt zoals het is ingericht, maar de werkinstructie was niet duidelijk. Die hebben we nu aangepast.",
	}},
	// internal
	{"*": {
		"Lijkt hetzelfde als de melding van vorige maand bij {afdeling}. Ik check even of de tijdelijke oplossing van toen nog werkt.",
		"Kan iemand van technisch beheer meekijken? Ik vermoed dat het aan de connector ligt.",
		"Niet zelf aanpassen in productie; eerst testen in de acceptatieomgeving in verband met de salarisrun.",
		"Afgestemd met {voornaam}: wij pakken dit op na de maandafsluiting.",
		"Melding gedaan bij AFAS Support, het referentienummer staat bij de escalatie.",
		"Let op: deze medewerker heeft een afwijkende autorisatie vanwege een detachering. Niet standaard de rol aanpassen.",
		"Prioriteit omhoog gezet; dit raakt alle leidinggevenden.",
		"Nagebootst in de testomgeving, daar gaat het ook mis. Dus geen gebruikersfout.",
		"Deze wens komt vaker terug. Voorstel: bundelen met de andere verzoeken en in één keer voorleggen aan de proceseigenaar.",
		"Ter info: de wijziging raakt ook de rapportage van {afdeling}. Even afstemmen voordat we live gaan.",
		"Ik ben {dag} afwezig; {voornaam} neemt deze aanvraag zo nodig over.",
		"Vermoedelijk een gevolg van de release van afgelopen weekend. Ik houd het logboek in de gaten.",
	}},
	// keyuser
	{"*": {
		"Herkenbaar, bij {afdeling} lopen we hier ook tegenaan. Ik steun deze wens.",
		"Vanuit het proces gezien is dit prima, zolang de controle door de leidinggevende blijft bestaan.",
		"Ik heb het getest in de testomgeving en het werkt zoals afgesproken. Wat mij betreft mag het live.",
		"Kleine kanttekening: als we dit aanpassen, moeten we ook de werkinstructie op InSite bijwerken. Dat pak ik op.",
		"Ik heb de medewerker uitgelegd hoe het werkt; de melding kan wat mij betreft dicht.",
		"Dit raakt meer afdelingen dan alleen {afdeling}. Zullen we het in het sleutelgebruikersoverleg van {dag} bespreken?",
		"Getest met {aantal} medewerkers, alle gevallen gaan goed. Akkoord.",
		"Ik mis nog een stap: wie vangt de aanvragen op tijdens vakanties? Graag nog even uitwerken.",
		"Goed dat dit wordt opgepakt. Ik stel voor dat ik de eerste week na livegang de vragen van mijn afdeling verzamel.",
	}},
	// unknown perspective
	{"*": {
		"Dank voor de update. Ik houd de aanvraag in de gaten en kom erop terug als er iets verandert.",
		"Even een tussenstand: er wordt aan gewerkt, maar er is nog geen oplossing.",
	}},
}

var commentTailDefs = [...]defs{
	{"*": {"Groetjes!", "Alvast bedankt.", "Fijne dag verder!"}},
	{"*": {"Groet, functioneel beheer.", "Laat het gerust weten als er nog vragen zijn.", "Fijne dag!"}},
	{"*": {"Wordt vervolgd.", "Ik zet een herinnering in de agenda."}},
	{"*": {"Groet!", "Succes ermee."}},
	{"*": {"Groet."}},
}

var motivationDefs = [2]defs{
	// approved
	{"*": {
		"Akkoord. De wijziging sluit aan bij de manier waarop we het proces willen inrichten en de impact op andere afdelingen is beperkt.",
		"Goedgekeurd. Dit scheelt de afdeling merkbaar handwerk en de risico's zijn goed in beeld.",
		"Akkoord, mits de wijziging eerst in de testomgeving wordt getest door een sleutelgebruiker.",
		"Akkoord. Graag de werkinstructie op InSite aanpassen voordat we live gaan.",
		"Goedgekeurd in het overleg van de proceseigenaren. Doorvoeren na de maandafsluiting van {maand}.",
		"Akkoord; dit volgt rechtstreeks uit de nieuwe cao-afspraken.",
		"Akkoord. De wens komt van meerdere afdelingen en de aanpassing blijft binnen de standaard van AFAS.",
	}},
	// rejected
	{"*": {
		"Niet akkoord. Deze wijziging wijkt af van de standaard van AFAS en maakt toekomstige updates lastiger.",
		"Afgewezen: de kosten wegen niet op tegen de opbrengst. We kijken er bij de evaluatie van het proces volgend jaar opnieuw naar.",
		"Niet akkoord. Dit raakt de functiescheiding: de goedkeuring moet bij een ander liggen dan bij de aanvrager.",
		"Afgewezen. Hetzelfde resultaat is te bereiken met een bestaand overzicht; de functioneel beheerder legt uit hoe.",
		"Niet akkoord op dit moment. Eerst moet de herinrichting van de organisatiestructuur per 1 {maand} zijn afgerond.",
		"Afgewezen in verband met de privacy: deze gegevens mogen niet breder zichtbaar worden dan nu.",
		"Niet akkoord. Voor één afdeling een afwijkende werkwijze inrichten vinden we niet wenselijk.",
	}},
}

var motivationTailDefs = [2]defs{
	{"*": {"Bedankt voor het aandragen.", "Graag terugkoppelen als het live staat."}},
	{"*": {"Neem gerust contact met me op als je hier verder over wilt praten.", "Bedankt voor het meedenken."}},
}

// evaluationDefs are indexed by rating minus one.
var evaluationDefs = [5]defs{
	{"*": {
		"Het probleem is niet opgelost; gebruikers lopen nog steeds tegen dezelfde foutmelding aan.",
		"Slecht: na de wijziging kloppen de overzichten niet meer. Graag opnieuw oppakken.",
		"De aanpassing heeft het alleen maar omslachtiger gemaakt. Zo werkt het voor ons niet.",
	}},
	{"*": {
		"Het oorspronkelijke probleem is grotendeels opgelost, maar er zijn nieuwe vragen ontstaan bij {afdeling}.",
		"Matig: de aanpassing werkt alleen in InSite en niet in de app.",
		"Het duurde erg lang en het resultaat is maar half wat we hadden gevraagd.",
	}},
	{"*": {
		"Het werkt, maar nog niet helemaal zoals gehoopt. Sommige collega's vinden de nieuwe stap omslachtig.",
		"Redelijk. De wijziging doet wat die moet doen, maar de communicatie erover had beter gekund.",
		"Opgelost, al moesten we er zelf nog een paar keer achteraan.",
	}},
	{"*": {
		"Werkt goed. Alleen de werkinstructie moet nog worden bijgewerkt, verder geen opmerkingen.",
		"Het probleem is opgelost; het duurde wel wat langer dan verwacht.",
		"Goed opgepakt en duidelijk gecommuniceerd. Een kleine kanttekening: de melding had eerder mogen worden teruggekoppeld.",
	}},
	{"*": {
		"Werkt precies zoals bedoeld. De afdeling is er erg blij mee en het scheelt ons wekelijks tijd.",
		"Uitstekend opgepakt: snel doorgevoerd en sindsdien geen klachten meer gehoord.",
		"Top! Binnen een paar dagen geregeld en alles werkt.",
	}},
}

var evaluationTailDefs = [5]defs{
	{"*": {"Graag een nieuw gesprek om te kijken hoe het wel kan."}},
	{"*": {"Graag nog even samen naar kijken."}},
	{"*": {"Voor nu is het werkbaar."}},
	{"*": {"Dank aan functioneel beheer!"}},
	{"*": {"Dank aan iedereen die eraan heeft gewerkt!", "Complimenten voor het team."}},
}

var taskTitleDefs = defs{
	"*": {
		"Wijziging in {workflow} testen in de acceptatieomgeving",
		"Testomgeving verversen met een kopie van productie",
		"Logboek van {module} controleren op foutmeldingen",
		core + "Kolom {veld} toevoegen aan {overzicht}",
		"Autorisatiegroep {rol} aanpassen",
		"Impactanalyse nieuwe Profit-release voor {module}",
		"Veld {veld} verplicht maken in {workflow}",
	},
	"hr": {
		"Vrij veld {vrijveld} aanmaken op het dienstverband",
		"Workflow Verlofaanvraag uitbreiden met tweede goedkeuringsstap",
		"Verloftype {Verlof} inrichten",
		"Beoordelingsformulier voor de nieuwe cyclus klaarzetten",
	},
	"salaris": {
		"Looncomponent {looncomp} aanpassen per 1 {maand}",
		"Reiskostentabel bijwerken naar {bedrag} per kilometer",
		"Journaalpost salarissen controleren op kostenplaatsen",
		"Loonstrook {maand} opnieuw publiceren in InSite",
	},
	"financieel": {
		"Nieuwe kostenplaats {kostenplaats} aanmaken",
		"Fiatteringsgrenzen inkoopfacturen aanpassen naar {grens}",
		"Btw-code voor verlegde btw inrichten",
		"Budgetten volgend jaar inlezen via importbestand",
		"Scanprofiel inkoopfacturen bijwerken voor nieuwe leverancier",
	},
	"crm": {
		"Dubbele organisaties samenvoegen na import",
		"Offertesjabloon bijwerken met nieuwe voorwaarden",
		"Nieuw type dossieritem Klacht aanmaken",
	},
	"sitebeheer": {
		"Tegel {tegel} toevoegen aan startpagina InSite",
		"SSL-certificaat OutSite vernieuwen",
		"Menu-indeling InSite aanpassen",
		"Contactformulier OutSite uitbreiden met veld Ordernummer",
	},
	"autorisaties": {
		"Autorisatiegroep {rol} uitbreiden",
		"Accounts van vertrokken medewerkers blokkeren",
		"Tweestapsverificatie afdwingen voor beheerders",
		"Rechtenoverzicht voor de jaarlijkse controle aanmaken",
	},
	"integraties": {
		"Connector medewerkers uitbreiden met veld {veld}",
		"Certificaat bankkoppeling vernieuwen",
		"Token koppeling met {systeem} vernieuwen",
		"SPF-record bijwerken voor de mailserver",
		"Mislukte berichten connector opnieuw aanbieden",
		"Koppeling met {systeem} testen in de acceptatieomgeving",
		"Bankkoppeling uitbreiden met {bank}",
	},
}

func init() {
	for t := range numTypes {
		register(&titles, t, titleDefs[t])
		register(&openings, t, openingDefs[t])
		register(&situations, t, situationDefs[t])
		register(&details, t, detailDefs[t])
		register(&extras, t, extraDefs[t])
		register(&closings, t, closingDefs[t])
	}
	for p := range commentDefs {
		register(&comments, p, commentDefs[p])
		register(&commentTails, p, commentTailDefs[p])
	}
	for i := range motivationDefs {
		register(&motivations, i, motivationDefs[i])
		register(&motivationTails, i, motivationTailDefs[i])
	}
	for i := range evaluationDefs {
		register(&evaluations, i, evaluationDefs[i])
		register(&evaluationTails, i, evaluationTailDefs[i])
	}
	register(&taskTitles, 0, taskTitleDefs)
	buildVocab()
	resolve()
	for a := range numAreas {
		for t := range numTypes {
			if len(titles[t][a]) == 0 || len(situations[t][a]) == 0 || len(openings[t][a]) == 0 || len(closings[t][a]) == 0 {
				panic("text: no templates for " + typeCodes[t] + "/" + areaCodes[a])
			}
		}
		if len(taskTitles[0][a]) == 0 {
			panic("text: no task titles for " + areaCodes[a])
		}
	}
	for p := range commentDefs {
		if len(comments[p][genericArea]) == 0 {
			panic("text: no comments for " + perspectives[p])
		}
	}
}
