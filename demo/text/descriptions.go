package text

// The parts of a description, per type and area: an optional greeting, a
// situation sketch, an optional detail block (steps, expected and actual,
// reason, role), an optional extra remark and an optional sign-off.
var openings, situations, details, extras, closings table

// steps and techDetails are optional tails of some situations, so that they
// describe the same thing as the sentence before them.
const (
	steps       = "\n\n**Stappen om het na te bootsen:**\n1. Log in op {module}\n2. Probeer {actie.te}, zoals ik altijd doe\n3. De foutmelding verschijnt"
	others      = "\n\nHet gaat om {aantal} collega's bij {afdeling}, dus het lijkt niet aan mijn laptop te liggen."
	browsers    = "\n\nIk heb het geprobeerd in {browser} en in {browser#2}, met hetzelfde resultaat. Uitloggen en opnieuw inloggen helpt ook niet."
	techDetails = "\n\nTechnische details:\n- Omgeving: {Omgeving.n}\n- Eerste keer gezien: {dag} rond {uur}\n- Melding in het logboek: "
)

var commonOpenings = []string{
	"Hallo,", "Hoi,", "Beste functioneel beheer,", "Goedemorgen,", "Goedemiddag,", "Hoi allemaal,",
	"Beste collega's,", "Beste beheerders,",
}

var commonClosings = []string{
	"Alvast bedankt!",
	"Alvast bedankt voor de hulp.",
	"Dank je wel alvast.",
	"Hoor graag van jullie.",
	"Laat maar weten als jullie meer informatie nodig hebben.",
	"Groeten en alvast bedankt.",
	"Met vriendelijke groet en alvast dank voor de moeite.",
	"Bedankt alvast, groetjes!",
}

// with returns the common list plus extra entries.
func with(common []string, extra ...string) []string {
	return append(append([]string(nil), common...), extra...)
}

var openingDefs = [numTypes]defs{
	{"*": commonOpenings},
	{"*": commonOpenings},
	{"*": with(commonOpenings, "Beste proceseigenaar, beste beheerders,")},
	{"*": with(commonOpenings, "Hallo, ik heb een probleem waar ik niet uitkom.")},
	{"*": commonOpenings},
	{"*": with(commonOpenings, "Beste technisch beheer,")},
	{"*": commonOpenings},
}

var closingDefs = [numTypes]defs{
	{"*": with(commonClosings, "Alvast bedankt voor de uitleg!")},
	{"*": with(commonClosings, "Dank voor het overwegen!", "Ik hoor graag of dit haalbaar is.")},
	{"*": with(commonClosings, "Graag hoor ik wat de vervolgstappen zijn.",
		"Ik hoor graag of dit kan worden voorgelegd aan de proceseigenaar.")},
	{"*": with(commonClosings, "Kunnen jullie hier zo snel mogelijk naar kijken?",
		"Ik ben bereikbaar op mijn mobiel als jullie willen meekijken.")},
	{"*": with(commonClosings, "Alvast bedankt voor het regelen!", "Dank voor het snel oppakken.")},
	{"*": with(commonClosings, "Ik hoor graag hoe jullie dit willen aanpakken.")},
	{"*": commonClosings},
}

var situationDefs = [numTypes]defs{
	// question
	{
		"*": {
			"Ik wil graag {actie}, maar ik weet niet goed waar ik moet beginnen. In {module} zie ik verschillende mogelijkheden en ik wil niet per ongeluk iets verkeerd doen.",
			"Voor mijn werk moet ik regelmatig {taak}. Tot nu toe deed een collega dat voor mij, maar die is [met verlof|vertrokken|met zwangerschapsverlof]. Kunnen jullie uitleggen hoe dat precies werkt?",
			"Ik kan {overzicht} niet meer vinden in {module}. Een collega zegt dat het sinds de laatste update onder een ander menu staat. Waar moet ik kijken?",
			"Wat is bij ons de afgesproken werkwijze voor {taak.n}? Ik krijg van collega's verschillende antwoorden en wil het graag in één keer goed doen.",
			"Ik werk sinds kort bij {afdeling} en moet nu zelf {taak}. Ik heb de werkinstructie gelezen, maar die komt niet meer helemaal overeen met wat ik in {module} zie.",
			"Ik heb een taak in {workflow} die al een tijd openstaat. Ik weet niet of ik nog iets moet doen of dat de taak bij iemand anders ligt. Kunnen jullie zien waar die blijft hangen?",
			"Voor het maandoverleg wil ik {overzicht} gebruiken, maar ik weet niet hoe ik het alleen voor mijn eigen afdeling kan tonen. Kan iemand mij daarbij helpen?",
		},
		"hr": {
			"Ik heb volgende maand een paar dagen vrij nodig voor [een verhuizing|een bruiloft in de familie|de zorg voor mijn vader]. Ik weet niet of ik dit als gewoon verlof of als {verlof} moet aanvragen in InSite.",
			"Als leidinggevende voer ik dit jaar voor het eerst de beoordelingsgesprekken met mijn team. Waar vind ik de formulieren en hoe zet ik ze klaar voor mijn medewerkers?",
			"Mijn verlofsaldo in InSite is lager dan ik had verwacht. Volgens mijn eigen berekening zou ik nog ongeveer {aantal} dagen over moeten hebben. Hoe wordt het saldo precies berekend?",
			"Bij het vastleggen van een contractverlenging moet ik het veld **[Proeftijd|Einddatum contract|Contracturen]** invullen, maar het is mij niet duidelijk wat daar verwacht wordt. Is daar een richtlijn voor?",
			"Een van mijn medewerkers gaat per 1 {maand} uit dienst. Welke stappen moet ik in Profit doorlopen, en wie zorgt ervoor dat de laptop en de toegangspas worden ingeleverd?",
		},
		"salaris": {
			"Op mijn loonstrook van {maand} staat een regel **{looncomp}** die ik niet eerder heb gezien. Kunnen jullie uitleggen wat dit is en waarom het bedrag afwijkt van vorige maand?",
			"Ik ben verhuisd en mijn woon-werkafstand is veranderd. Hoe geef ik dat door, zodat mijn reiskostenvergoeding vanaf {maand} klopt?",
			"Ik heb mijn jaaropgave van vorig jaar nodig voor [de hypotheekaanvraag|mijn belastingaangifte|de aanvraag van huurtoeslag], maar ik kan hem niet meer vinden in InSite. Waar staat die?",
			"Bij het doorgeven van mijn reiskosten moet ik het veld **[Reisafstand|Aantal reisdagen|Vervoermiddel]** invullen, maar ik weet niet precies wat daar verwacht wordt. Tel ik bijvoorbeeld thuiswerkdagen mee?",
			"Ik werk sinds kort {aantal} dagen per week thuis. Krijg ik dan automatisch een thuiswerkvergoeding, of moet ik die ergens aanvragen?",
		},
		"financieel": {
			"Ik ben vorige week met de trein naar een klant in {stad} geweest en wil de reiskosten declareren. Moet ik dat als reiskosten of als projectkosten opgeven, en welke kostenplaats hoort erbij?",
			"Als nieuwe budgethouder krijg ik inkoopfacturen ter goedkeuring. Ik weet niet goed waar ik op moet letten en wat er gebeurt als ik een factuur afkeur.",
			"Ik wil weten hoeveel budget mijn afdeling nog heeft voor de rest van het jaar. In het budgetoverzicht zie ik wel bedragen, maar ik begrijp niet welke kolom de actuele stand is.",
			"Bij het indienen van een declaratie moet ik het veld **[Kostenplaats|Kostendrager|Projectnummer]** invullen, maar ik weet niet welke waarde ik moet kiezen voor {declsoort}. Is daar een richtlijn voor?",
			"Ik heb in {maand} een declaratie ingediend voor {declsoort}, maar die is nog steeds niet uitbetaald. Hoe kan ik zien waar de declaratie nu ligt?",
		},
		"crm": {
			"Bij het zoeken naar een klant kom ik twee keer dezelfde organisatie tegen, met verschillende contactpersonen. Hoe voeg ik die samen zonder dat de dossiers verloren gaan?",
			"Ik wil een offerte maken op basis van het standaardsjabloon, maar de prijzen in het sjabloon zijn nog van vorig jaar. Mag ik die zelf aanpassen, of moet dat via jullie?",
			"Bij het aanmaken van een nieuwe organisatie moet ik het veld **[Branche|Relatiesoort|Regio]** invullen, maar de keuzelijst is lang en de verschillen zijn mij niet duidelijk. Is daar een richtlijn voor?",
			"Ik neem per {maand} een aantal klanten over van mijn collega {voornaam}. Hoe zorg ik ervoor dat ik de lopende offertes en dossiers van die klanten kan zien?",
		},
		"sitebeheer": {
			"Namens de afdeling {afdeling} wil ik een nieuwsbericht op InSite plaatsen over [de verhuizing naar het nieuwe kantoor|de nieuwe thuiswerkregeling|de kerstborrel|de uitkomsten van het medewerkersonderzoek]. Hoe doe ik dat en moet iemand het eerst goedkeuren?",
			"Bij het plaatsen van een nieuwsbericht op InSite moet ik het veld **[Zichtbaar voor|Publicatiedatum]** invullen. Wat gebeurt er precies als ik dat leeg laat?",
			"Een collega ziet op de startpagina van InSite de tegel **{tegel}**, maar ik zie hem niet. Hebben we verschillende rechten of doe ik iets verkeerd?",
			"Wij willen op OutSite een formulier aanbieden waarmee [klanten|leveranciers|sollicitanten] zelf hun gegevens kunnen wijzigen. Kan dat met de standaardmogelijkheden, of moet daar iets voor worden gebouwd?",
		},
		"autorisaties": {
			"Volgende maand begint er een nieuwe collega bij {afdeling}. Wat moet ik als leidinggevende aanleveren, zodat de nieuwe collega op de eerste werkdag kan inloggen?",
			"Ik ben per 1 {maand} van functie gewisseld, maar ik heb nog steeds toegang tot onderdelen van mijn oude functie. Is dat de bedoeling of moet ik dat ergens melden?",
			"Bij het aanvragen van toegang voor een nieuwe collega moet ik het veld **[Type gebruiker|Inlogmethode|Geldig tot]** invullen. Wat moet ik kiezen voor iemand die alleen InSite gebruikt?",
			"Ik krijg een nieuwe telefoon van de zaak. Hoe zet ik de tweestapsverificatie voor Profit over, zodat ik daarna nog gewoon kan inloggen?",
		},
		"integraties": {
			"Ik vroeg me af hoe vaak de gegevens tussen Profit en {systeem} worden bijgewerkt. Als ik een wijziging doe, zie ik die pas de volgende dag terug. Is dat zo ingesteld?",
			"Wij willen voor [een nieuw project|de nieuwe website|een rapportage in Power BI] gegevens uit Profit gebruiken. Welke connectoren zijn er al en wie kan ons daarmee op weg helpen?",
			"Sommige e-mails die Profit verstuurt, zoals taken uit workflows, komen bij collega's in de map Ongewenste e-mail terecht. Weten jullie waar dat aan ligt?",
		},
	},
	// wish
	{
		"*": {
			core + "Ik gebruik {overzicht} bijna dagelijks. Wat ik mis, is de kolom **{veld}**. Nu zoek ik die gegevens steeds apart op, en dat kost elke week behoorlijk wat tijd.",
			"Wij werken veel met {workflow}. Het komt regelmatig voor dat een taak dagen blijft liggen, omdat niemand een herinnering krijgt. Een automatische herinnering na {aantal} werkdagen zou enorm helpen.",
			core + "Het zou prettig zijn als {gebruikers} zelf meer inzicht hadden in {overzicht}. Nu vragen ze het steeds aan ons en sturen wij een export per e-mail rond.",
			defaults + "In {module} moeten we het veld **{veld}** steeds met de hand invullen, terwijl het bijna altijd dezelfde waarde heeft. Een standaardwaarde zou veel tikwerk schelen.",
			selfserv + "Op dit moment moeten we voor {actie.n} een aantal stappen doorlopen die eigenlijk overbodig voelen. Het zou fijn zijn als dit eenvoudiger kan, bijvoorbeeld met een tegel direct op de startpagina van InSite.",
			selfserv + "Mijn wens is dat {actie.n} ook [via InSite|vanaf de telefoon] kan. Veel collega's werken onderweg of thuis en hebben niet altijd een laptop bij de hand.",
		},
		"hr": {
			"Als leidinggevende wil ik in één oogopslag zien wie van mijn team wanneer met verlof is. Nu moet ik elke aanvraag apart openen, en in de zomer wordt het echt puzzelen.",
			"Het zou mooi zijn als we automatisch een herinnering krijgen wanneer een tijdelijk contract over twee maanden afloopt. Nu houden we dat bij in een Excel-lijst, en daar gaat weleens iets mis.",
		},
		"salaris": {
			"Veel collega's bellen ons rond de 25e met de vraag of de loonstrook er al is. Een melding in InSite of per e-mail zodra de loonstrook klaarstaat, zou de salarisadministratie veel vragen schelen.",
			"Voor de reiskosten vullen medewerkers nu elke maand een formulier in, en voor de thuiswerkvergoeding een ander formulier. Kan dit niet in één formulier, met per dag een keuze tussen thuis en kantoor?",
		},
		"financieel": {
			"Als ik na een dienstreis declareer, moet ik voor elk bonnetje een aparte declaratie indienen. Het zou veel tijd schelen als ik alle bonnetjes van één reis in één keer kan indienen.",
			"Als budgethouder zou ik graag elke maandag een overzicht krijgen van de facturen die nog op mijn goedkeuring wachten. Nu zie ik ze pas als ik zelf in InSite kijk, en dan zijn ze soms al te laat.",
		},
		"crm": {
			"Het gebeurt regelmatig dat een collega een organisatie aanmaakt die al bestaat. Een waarschuwing bij het aanmaken, bijvoorbeeld op basis van het KvK-nummer, zou veel dubbele relaties voorkomen.",
			"We sturen offertes nu als pdf en krijgen ze ondertekend terug per e-mail. Het zou mooi zijn als de klant de offerte digitaal kan accorderen, zodat de status in Profit meteen klopt.",
		},
		"sitebeheer": {
			"De zoekfunctie op InSite vindt vaak niet wat ik zoek. Als ik bijvoorbeeld zoek op 'declaratie', krijg ik oude nieuwsberichten, maar niet de tegel **Declaratie indienen**.",
			"Wij willen nieuwsberichten op InSite vooraf kunnen inplannen, zodat een bericht bijvoorbeeld maandagochtend om acht uur verschijnt. Nu moet iemand daarvoor vroeg achter de laptop zitten.",
		},
		"autorisaties": {
			"Als een medewerker uit dienst gaat, moeten we nu zelf aan jullie doorgeven dat de rechten kunnen worden ingetrokken. Het zou veiliger zijn als dat automatisch gebeurt op de datum uit dienst.",
			"Voor vervanging tijdens vakanties geven we nu tijdelijk extra rechten, maar die worden achteraf niet altijd ingetrokken. Kunnen we rechten toekennen met een einddatum?",
		},
		"integraties": {
			"Nieuwe medewerkers moeten we nu zowel in Profit als in {systeem} met de hand aanmaken. Het zou handig zijn als Profit dit automatisch doorgeeft zodra iemand in dienst komt.",
			"Als een bericht in de connector mislukt, merken we dat nu pas als een gebruiker klaagt. Een melding per e-mail aan technisch beheer zou helpen om sneller te reageren.",
			"Wijzigingen in bijvoorbeeld de functie of de afdeling van medewerkers komen nu pas de volgende ochtend in {systeem} terecht. Het zou fijn zijn als de koppeling vaker draait, of direct na een wijziging.",
			"Collega's moeten voor InSite nog steeds een apart wachtwoord onthouden. Het zou prettig zijn als ze kunnen inloggen met hun gewone werkaccount via SSO, net als bij de andere systemen.",
		},
	},
	// change
	{
		"*": {
			"Graag willen we {workflow} aanpassen. Op dit moment gaat de aanvraag alleen langs de direct leidinggevende, maar vanaf 1 {maand} moet ook {goedkeurder} meekijken.",
			"Ons verzoek is om het veld **{veld}** verplicht te maken bij {taak.n}. Nu wordt het regelmatig leeg gelaten, waardoor {gevolg}.",
			core + "Wij vragen om {overzicht} uit te breiden met de kolom **{veld}**. Die hebben we nodig voor de maandelijkse rapportage aan het MT, en nu vullen we die met de hand aan.",
			"Graag de herinneringstermijn in {workflow} verkorten naar [twee|drie] werkdagen. Taken blijven nu te lang liggen en {goedkeurder} wordt pas laat ingeschakeld.",
			"Wij willen dat taken uit {workflow} tijdens afwezigheid automatisch naar de vervanger gaan. Nu blijven ze liggen tot iemand terug is, waardoor {gevolg}.",
		},
		"hr": {
			"Wij willen dat verlofaanvragen van meer dan {aantal} weken niet alleen door de direct leidinggevende, maar ook door de tweede leidinggevende worden goedgekeurd. Zo voorkomen we dat er in de zomer te veel mensen tegelijk weg zijn.",
			"Graag een nieuw verloftype **{Verlof}** toevoegen in Profit HRM, zodat medewerkers dit zelf via InSite kunnen aanvragen. Nu registreren we het als gewoon verlof met een opmerking.",
			"Wij willen het vrije veld **{vrijveld}** toevoegen aan het dienstverband, zodat we dit niet meer in een aparte Excel-lijst hoeven bij te houden.",
		},
		"salaris": {
			"De onbelaste kilometervergoeding wordt per 1 januari {bedrag} per kilometer. Graag de reiskostenregeling in Profit Payroll hierop aanpassen, zodat de vergoeding vanaf de verloning van januari klopt.",
			"Vanaf {maand} willen we de thuiswerkvergoeding verhogen naar {thuis} per dag. Graag de looncomponent en de tekst in het formulier op InSite hierop aanpassen.",
			"De looncomponent **{looncomp}** moet worden aangepast aan de nieuwe cao. Het percentage verandert en de component moet voortaan ook op de jaaropgave zichtbaar zijn.",
		},
		"financieel": {
			"Wij willen de goedkeuringsgrens voor inkoopfacturen verhogen naar {grens}. Facturen onder dat bedrag hoeven dan alleen door de budgethouder te worden goedgekeurd, niet meer door de controller.",
			"Per 1 {maand} start de nieuwe afdeling {afdeling}. Graag een eigen kostenplaats aanmaken en die koppelen aan de juiste budgethouder, zodat facturen vanaf dan goed worden geboekt.",
			"Het factuursjabloon voor verkoopfacturen moet worden aangepast aan de nieuwe huisstijl: een nieuw logo, nieuwe kleuren en het gewijzigde IBAN onderaan de factuur.",
		},
		"crm": {
			"Wij willen een nieuwe relatiesoort **Partner** toevoegen, zodat we organisaties waarmee we samenwerken apart kunnen selecteren. Nu staan ze tussen de gewone klanten.",
			"Het offertesjabloon moet worden aangepast aan de nieuwe algemene voorwaarden. Ook willen we de geldigheid van offertes standaard op 30 dagen zetten in plaats van 60.",
		},
		"sitebeheer": {
			"Graag de tegel **{tegel}** toevoegen aan de startpagina van InSite. Medewerkers kunnen die functie nu alleen via het menu vinden en we krijgen er veel vragen over.",
			"Het menu van InSite is in de loop van de jaren erg lang geworden. Wij stellen voor om het in te delen per thema: Personeel, Geld, Organisatie en Hulp.",
		},
		"autorisaties": {
			"Wij willen tweestapsverificatie verplicht maken voor alle gebruikers van Profit, ook voor medewerkers die alleen InSite gebruiken. Nu is het alleen verplicht voor beheerders.",
			"Graag de rol **{rol}** splitsen in een leesrol en een schrijfrol. Een deel van de gebruikers hoeft alleen gegevens in te zien, en kan nu onbedoeld ook wijzigingen doen.",
		},
		"integraties": {
			"Graag de connector medewerkers uitbreiden met het veld **{veld}**. {Systeem} heeft dit veld nodig om de juiste gegevens te tonen, en nu vullen collega's het daar met de hand aan.",
			"Wij willen dat de koppeling met {systeem} vaker draait, bij voorkeur elk uur in plaats van één keer per nacht. Wijzigingen zijn nu pas de volgende dag zichtbaar.",
			"E-mail uit Profit wordt nu verstuurd vanaf het adres van de medewerker die de actie uitvoert. Graag wijzigen naar noreply@voorbeeld.nl, zodat antwoorden niet bij individuele collega's terechtkomen.",
		},
	},
	// incident
	{
		"*": {
			"Bij {actie.n} krijg ik {tijd} de volgende foutmelding:\n\n> {foutmelding}\n\nIk heb het een paar keer opnieuw geprobeerd, maar het blijft gebeuren.[|" + steps + "|" + others + "]",
			"{Overzicht} laadt niet meer. Ik krijg een leeg scherm en na een tijdje de melding *{foutmelding}*.[|" + others + "|" + browsers + "]",
			"{Tijd} lukt het niet meer om {actie.te}. Ik krijg alleen een draaiend rondje te zien, en als ik de pagina ververs, ben ik alles kwijt wat ik had ingevuld.[|\n\n- **Verwacht:** dat het gewoon wordt verwerkt\n- **Werkelijk:** een draaiend rondje en daarna niets|" + others + "|" + browsers + "]",
			"Ik probeer {actie.te}, maar krijg steeds de melding \"{foutmelding}\". Gisteren werkte het nog gewoon.[|" + steps + "|" + browsers + "]",
			"In {overzicht} kloppen de gegevens niet meer. Bij een aantal regels staan waarden die al lang niet meer gelden, terwijl de onderliggende gegevens wel juist zijn.",
			"Een taak uit {workflow} is verdwenen uit mijn takenoverzicht, terwijl de aanvraag nog niet is afgehandeld. Ik kan de aanvraag nu niet verder zetten.",
		},
		"hr": {
			"Ik heb mijn verlofaanvraag voor {maand} laten goedkeuren, maar het saldo in InSite klopt niet: er zijn twee keer zoveel uren afgeschreven als ik heb aangevraagd.",
			"Bij het indienen van een verlofaanvraag voor {maand} krijg ik de melding *[Het verlofsaldo is onvoldoende voor deze aanvraag|Er bestaat al een verlofaanvraag in deze periode]*, terwijl ik volgens mij nog genoeg uren heb en er in die periode niets anders staat.[|\n\n**Stappen:**\n1. Ga in InSite naar **Verlof aanvragen**\n2. Kies een dag in {maand}\n3. Klik op **Indienen**\n4. De melding verschijnt]",
			"Een medewerker van mij heeft zich {tijd} ziek gemeld via InSite, maar ik zie de melding niet in mijn takenoverzicht en ook niet in het verzuimoverzicht van mijn team.",
		},
		"salaris": {
			"Als ik in InSite mijn loonstrook van {maand} open, krijg ik de melding *[Het document kan niet worden geopend|Er is geen loonstrook beschikbaar voor deze periode]*. De loonstroken van eerdere maanden kan ik wel gewoon openen.[|\n\n**Stappen:**\n1. Log in op InSite\n2. Ga naar **Mijn loonstroken**\n3. Klik op de loonstrook van {maand}\n4. De melding verschijnt in plaats van de pdf]",
			"Mijn reiskostenvergoeding over {maand} is niet uitbetaald. Op de loonstrook staat de regel {looncomp} wel, maar met een bedrag van € 0,00.",
		},
		"financieel": {
			"Een declaratie van {maand} voor {declsoort} blijft al twee weken hangen bij de budgethouder. Die ziet de taak niet in InSite, terwijl de status in Profit wel op 'Ter goedkeuring' staat.[|\n\n**Stappen:**\n1. Open de declaratie in InSite\n2. Klik op **Indienen**\n3. De declaratie krijgt de status 'Ter goedkeuring'\n4. De budgethouder krijgt geen taak]",
			"Bij het boeken van een inkoopfactuur krijg ik de melding *[Btw-code ontbreekt op de factuurregel|Het factuurnummer komt al voor bij deze crediteur|Het bedrag overschrijdt het beschikbare budget]*. Het gaat om een factuur die vandaag betaald moet worden.",
		},
		"crm": {
			"Na het samenvoegen van twee organisaties zijn de contactpersonen van één van de twee verdwenen. Ook de dossieritems van het afgelopen jaar zijn niet meer te vinden.",
			"Als ik een nieuwe organisatie wil aanmaken, krijg ik de melding *Er bestaat al een organisatie met dit KvK-nummer*. Ik kan die organisatie alleen nergens vinden, ook niet bij de inactieve relaties.",
			"Ik wil een offerte aanpassen op verzoek van de klant, maar krijg de melding *De offerte is al geaccepteerd en kan niet meer worden gewijzigd*. De klant heeft de offerte echter nog niet getekend.",
			"Als ik een offerte als pdf wil maken, blijft Profit hangen op 'Bezig met aanmaken' en gebeurt er daarna niets meer. Bij collega's gaat het wel goed.",
		},
		"sitebeheer": {
			"InSite laadt niet in {browser}: ik zie alleen het logo en een draaiend rondje. In een andere browser werkt het wel, maar {browser} is bij ons de standaardbrowser.",
			"Klanten melden dat het contactformulier op OutSite een foutmelding geeft bij het verzenden: *Het formulier kan niet worden verzonden*. We missen daardoor mogelijk aanvragen.",
			"De tegel **{tegel}** is {tijd} verdwenen van de startpagina van InSite. Meerdere collega's hebben het gemeld; de functie is nu alleen nog via het menu te vinden.",
		},
		"autorisaties": {
			"Sinds mijn functiewijziging per 1 {maand} kan ik niet meer bij een aantal onderdelen waar ik wel bij zou moeten kunnen. Ik krijg de melding *{foutmelding}*.",
			"Onze nieuwe collega {voornaam} {achternaam} kan niet inloggen op InSite. De activatiemail is wel ontvangen, maar na het instellen van het wachtwoord verschijnt de melding *[Uw account is geblokkeerd|Gebruiker is niet gekoppeld aan een medewerker]*.",
			"Na het wisselen van telefoon wordt mijn verificatiecode niet meer geaccepteerd. Ik krijg steeds de melding *De verificatiecode is ongeldig*, ook als ik een nieuwe code aanvraag.",
			"Een medewerker meldde ons dat ze in InSite de salarisgegevens van collega's kan zien. Dat lijkt me niet de bedoeling en ik wil dit zo snel mogelijk laten controleren.",
		},
		"integraties": {
			"{Tijd} haalt de bankkoppeling geen afschriften meer op van {bank}. De laatste import is van {dag}. In het logboek staat: `[Certificaat is verlopen|De verbinding met de server is geweigerd|Token is ongeldig of verlopen]`.",
			"Nieuwe medewerkers die we in Profit aanmaken, komen niet meer door naar {systeem}. Wijzigingen bij bestaande medewerkers gaan wel goed.",
			"Collega's kunnen {tijd} niet meer inloggen via SSO. Na het kiezen van het account verschijnt de melding *Verificatie bij de identity provider is mislukt*. Met gebruikersnaam en wachtwoord lukt het wel.",
		},
	},
	// access
	{
		"*": {
			"Per 1 {maand} start {voornaam} {achternaam} als nieuwe collega bij {afdeling}. Graag een account voor {module} met de rol **{rol}**, zodat {voornaam} vanaf de eerste werkdag aan de slag kan.",
			"Graag toegang voor een nieuwe collega:\n\n- **Medewerker:** {voornaam} {achternaam}\n- **Afdeling:** {afdeling}\n- **Rol:** {rol}\n- **Omgeving:** productie\n- **Ingangsdatum:** 1 {maand}\n- **Einddatum:** [geen|31 december|na de proeftijd]",
			"{Voornaam} {achternaam} is per 1 {maand} uit dienst gegaan. Graag de toegang tot Profit en InSite intrekken en de openstaande taken aan mij toewijzen.",
			"Voor het testen van de wijzigingen in {workflow} heeft onze externe consultant tijdelijk toegang nodig tot [de testomgeving|de acceptatieomgeving]. Het gaat om een periode van ongeveer {aantal} weken.",
			"{Voornaam} {achternaam} wisselt per 1 {maand} van functie en krijgt de rol **{rol}** bij {afdeling}. De rechten die bij de oude functie horen, mogen dan vervallen.",
			"Graag voor {voornaam} {achternaam} ({afdeling}) dezelfde rechten als voor {voornaam#2} {achternaam#2}, die hetzelfde werk doet. {Voornaam} begint per 1 {maand} en heeft vooral de rol **{rol}** nodig.",
			rights + "{Voornaam} {achternaam} neemt tijdens mijn vakantie in {maand} mijn taken over. Kan {voornaam} tijdelijk dezelfde rechten krijgen als ik? Het gaat vooral om {taak.n}.",
			rights + "Ik heb voor mijn werk rechten nodig voor {taak.n}. Als ik het nu probeer, krijg ik de melding dat ik niet geautoriseerd ben. Mijn leidinggevende is op de hoogte.",
		},
		"hr": {
			"Onze nieuwe teamleider {voornaam} {achternaam} moet de verzuimmeldingen van het eigen team kunnen inzien en behandelen. Graag de rechten van de autorisatiegroep Leidinggevenden toekennen.",
		},
		"salaris": {
			"Per 1 {maand} komt {voornaam} {achternaam} de salarisadministratie versterken. Graag toegang tot Profit Payroll met de rol **{rol}**, inclusief de controlelijsten van de verloning.",
		},
		"financieel": {
			"{Voornaam} {achternaam} wordt per 1 {maand} budgethouder voor kostenplaats {kostenplaats}. Graag de rechten om inkoopfacturen en declaraties op die kostenplaats goed te keuren.",
		},
		"crm": {
			"Onze nieuwe accountmanager {voornaam} {achternaam} begint op 1 {maand}. Graag toegang tot Profit CRM, met rechten om organisaties, contactpersonen en offertes te beheren.",
		},
		"sitebeheer": {
			"{Voornaam} {achternaam} van Communicatie gaat de nieuwsberichten op InSite verzorgen. Graag redacteursrechten op InSite, zonder toegang tot de instellingen van de site.",
		},
		"autorisaties": {
			"Per 1 {maand} beginnen er {aantal} nieuwe collega's bij {afdeling}. Zij hebben allemaal de rol **{rol}** nodig in Profit en een account voor InSite.",
			"Voor mijn beheerwerk wil ik graag een tweede account met beheerrechten, los van mijn gewone account. Zo werk ik in het dagelijks gebruik niet onnodig met te veel rechten.",
		},
		"integraties": {
			"Voor de koppeling met {systeem} hebben we een token nodig met leesrechten op de medewerkergegevens. De leverancier wil volgende week beginnen met testen.",
		},
	},
	// technical
	{
		"*": {
			"{Tijd} is {module} merkbaar trager, vooral bij het openen van {overzicht}. Het duurt soms meer dan een halve minuut voordat de gegevens verschijnen.[|" + techDetails + "`Er is een time-out opgetreden bij het ophalen van de gegevens`]",
			"In de testomgeving willen we de wijziging in {workflow} eerst uitproberen. De testomgeving is alleen al maanden niet ververst. Kan er een nieuwe kopie van productie worden gezet?",
			"Wij zoeken uit waar het veld **{veld}** precies wordt opgeslagen. We willen het meenemen in een export naar {doel}, maar we kunnen het niet vinden in de bestaande connectoren.",
			"De nieuwe release van Profit staat gepland voor komend weekend. Weten jullie of deze gevolgen heeft voor {workflow} of voor onze eigen aanpassingen daarin?",
			reports + "Voor een nieuwe rapportage willen we {overzicht} via een GetConnector ontsluiten naar [Power BI|het datawarehouse]. Is dat technisch mogelijk, en welke velden zijn er beschikbaar?",
		},
		"hr": {
			"Het verlofsaldo in het roostersysteem loopt achter op Profit: verlof dat vandaag is goedgekeurd, is pas over twee dagen zichtbaar in het rooster. Het lijkt erop dat de koppeling niet meer elke nacht draait.",
		},
		"salaris": {
			"De loonaangifte over {maand} is niet verzonden naar de Belastingdienst. In Profit staat de aangifte op 'Klaar voor verzending', maar er komt geen ontvangstbevestiging terug.",
			"De journaalpost van de salarissen over {maand} komt niet door in Profit Financieel. De boekingen staan wel klaar in Payroll, maar in het dagboek is niets te zien.",
		},
		"financieel": {
			"Het SEPA-bestand met de betalingen van deze week wordt door de bank geweigerd. De foutcode in het bankportaal verwijst naar een ongeldig formaat.",
			"Het importbestand met de budgetten voor volgend jaar wordt afgewezen met de melding *{foutmelding}*. Het bestand is opgebouwd volgens het sjabloon van vorig jaar.",
		},
		"crm": {
			"Bij het importeren van een lijst met nieuwe organisaties uit Excel krijg ik bij ongeveer de helft van de regels een foutmelding. De kolommen lijken te kloppen met het importsjabloon.",
		},
		"sitebeheer": {
			"Het SSL-certificaat van OutSite verloopt over {aantal} weken. Wordt dit automatisch vernieuwd door AFAS, of moeten wij daar zelf iets voor doen?",
			"Vanaf het gastnetwerk op kantoor is InSite niet bereikbaar, terwijl het via 4G wel werkt. Mogelijk blokkeert de firewall iets.",
		},
		"autorisaties": {
			"De accountant vraagt om een overzicht van alle autorisatiewijzigingen van het afgelopen jaar: wie heeft welke rechten gekregen, en wie heeft dat goedgekeurd? Is dat uit Profit te halen?",
			"Externe gebruikers loggen nu in met een apart wachtwoord. Wij willen onderzoeken of zij ook via SSO kunnen inloggen met het account van hun eigen organisatie.",
		},
		"integraties": {
			"{Tijd} haalt de bankkoppeling geen afschriften meer op. De laatste geslaagde import was op {dag} rond {uur}. In het logboek van de connector staat bij elke poging: `{foutmelding}`.[|\n\nAan de instellingen is bij ons niets veranderd.]",
			"Het certificaat van de bankkoppeling verloopt op {dagnr} {maand}. Wie vraagt het nieuwe certificaat aan bij de bank, en moet de koppeling daarna opnieuw worden ingesteld?",
			"De mailserver weigert {tijd} een deel van de e-mail die vanuit Profit wordt verstuurd. Het lijkt om taken uit workflows te gaan; gewone e-mail van medewerkers komt wel aan.[|" + techDetails + "`550 Bericht geweigerd door de ontvangende server`]",
			"De connector medewerkers geeft een time-out als {systeem} alle medewerkers in één keer ophaalt. Met een filter op afdeling gaat het wel goed.[|" + techDetails + "`Er is een time-out opgetreden bij het ophalen van de gegevens`]",
			"Het token van de koppeling met {systeem} verloopt binnenkort. Hoe vernieuwen we het zonder dat de koppeling een tijd stilligt?",
		},
	},
	// unknown type
	{
		"*": {
			"Ik loop tegen iets aan in {module} en weet niet goed bij wie ik moet zijn. Het gaat om {overzicht}: ik kan het openen, maar zie niet de gegevens die ik verwacht.",
			"Graag jullie hulp bij {actie.n}. Ik heb het zelf geprobeerd, maar kom er niet helemaal uit en wil voorkomen dat ik iets verkeerd doe.",
		},
	},
}

var questionDetails = []string{
	"Wat ik al geprobeerd heb:\n- {poging}\n- {poging#2}",
	"Ik heb in de kennisbank van AFAS gezocht, maar vond daar alleen uitleg over een oudere versie van {module}.",
	"Het is geen storing, maar ik wil het graag in één keer goed doen. Is er misschien een korte werkinstructie voor?",
	"Het is **niet dringend**, maar ik heb het wel nodig {deadline}.",
	"Mijn collega's bij {afdeling} lopen tegen dezelfde vraag aan, dus een korte uitleg op InSite zou voor meer mensen handig zijn.",
}

var detailDefs = [numTypes]defs{
	// question
	{"*": questionDetails},
	// wish
	{"*": {
		"**Wat levert het op?**\n- {voordeel}\n- {voordeel#2}",
		"Ik weet niet of dit standaard kan in AFAS, maar misschien is er een instelling die we nog niet gebruiken.",
		"Ik denk dat meer collega's hier baat bij hebben; bij {afdeling} hoor ik dezelfde wens.",
		"Het voordeel is vooral **{voordeel}**. Op dit moment kost het ons naar schatting een paar uur per maand.",
	}},
	// change
	{"*": {
		"**Reden:** {reden}",
		"- **Gewenste ingangsdatum:** 1 {maand}\n- **Reden:** {reden}",
		"Betrokken afdelingen:\n- {afdeling}\n- {afdeling#2}\n\nIk neem aan dat de proceseigenaar hier eerst naar moet kijken.",
		"{reden} Ik hoor graag of jullie hiervoor nog iets van mij nodig hebben.",
		"Ik heb dit vooraf besproken met {goedkeurder}; die kan zich vinden in de wijziging.",
	}},
	// incident
	{
		"*": {
			"Het gebeurde voor het eerst op {dag} rond {uur}. Ik kan een schermafbeelding sturen als dat helpt.",
			"Kunnen jullie laten weten of het aan onze inrichting ligt of aan AFAS?",
			"Ik heb het nog niet bij AFAS zelf gemeld; ik neem aan dat dat via jullie loopt.",
		},
	},
	// access
	{"*": {
		"De leidinggevende, {voornaam#3} {achternaam#3}, is op de hoogte en akkoord.",
		"Ik heb dit afgestemd met {voornaam#3} {achternaam#3}, de leidinggevende; die is akkoord.",
	}},
	// technical
	{"*": {
		"Het liefst hebben we dit geregeld {deadline}.",
		"Ik heb het ook al aan een collega van ICT voorgelegd, maar die wist het ook niet.",
		"Als er een overleg nodig is, schuif ik graag aan.",
		"Als het nodig is, kan ik de leverancier van het andere systeem vragen om mee te kijken.",
	}},
	// unknown type
	{"*": questionDetails},
}

var extraDefs = [numTypes]defs{
	{"*": {
		"Als het makkelijker is om het even samen te bekijken: ik ben {dag} op kantoor.",
		"Bellen mag ook, ik ben deze week gewoon bereikbaar.",
	}},
	{"*": {
		"Ik denk graag mee als er een testversie is.",
		"Als de sleutelgebruikers hier eerst over willen praten, schuif ik graag aan.",
	}},
	{"*": {
		"Als het helpt, kan ik een voorbeeld aanleveren van hoe het er nu uitziet en hoe we het willen hebben.",
		"Het liefst testen we de wijziging eerst in de testomgeving.",
	}},
	{"*": {
		"Dit is **dringend**: het moet opgelost zijn {deadline}.",
		"Het lijkt erop dat het begon na de update van afgelopen weekend.",
		"Ik ben vandaag tot {uur#2} bereikbaar als jullie willen meekijken.",
	}},
	{"*": {
		"Het zou fijn zijn als dit op tijd geregeld is.",
		"Als er nog een formulier moet worden ingevuld, hoor ik het graag.",
	}},
	{"*": {
		"Moet hier een melding voor worden gedaan bij AFAS, of kunnen jullie dit zelf oppakken?",
		"Er is **geen haast**, maar we willen het wel meenemen in de planning van dit kwartaal.",
	}},
	{"*": {
		"Het is niet dringend.",
	}},
}
