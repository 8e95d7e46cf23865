package beheer

import (
	"strings"

	"github.com/blevesearch/snowballstem"
)

// The word lists of the Dutch analyser (search.go). They are data: adding a
// word changes what is found, and the analyser's tests say what must be.

// stopWords are words too common to find anything by: the Snowball
// project's Dutch stop list, a few more that every request holds, and the
// commonest English ones. They are neither indexed nor searched for.
var stopWords = wordList(`
	aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er ge
	geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen
	maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te
	tegen toch toen tot u uit uw van veel voor want waren was wat we werd wezen wie wil worden wordt zal ze
	zelf zich zij zijn zo zonder zou
	graag hallo hoi jullie waar waarom wel wij dank bedankt alvast groet groeten
	the and or how for what can not with does to of it on
`)

// compoundWords are the Dutch words compounds are split into: the
// vocabulary of HR, payroll, finance, IT and the AFAS application that
// people's requests and articles are made of, with their stems. A compound
// is split only into known words, so no word is cut into meaningless
// pieces (wachtwoord stays whole; see compoundParts). A dictionary-free
// split — every tail of a long word — would index dozens of fragments per
// word and find "tie" in every declaratie.
var compoundWords = stemmedWords(`
	aangifte aanmelding aanvraag aanvulling abonnement account adres administratie afdeling afmelding
	afspraak afwezigheid akkoord apparaat app arbeid arts autorisatie auto bank bedrag bedrijf beheer
	beheerder belasting beleid bericht beschikbaarheid bestand bestelling betaling bewijs bijdrage bijlage
	boeking budget bureau
	code contract controle crediteur
	dag dashboard datum debiteur declaratie dienst dienstverband document dossier
	export
	factuur fiets formulier functie
	gebruiker gegevens geld gesprek grootboek
	heffing herinnering
	inkomen inkoop inlog instelling
	jaar journaal
	kaart kalender kantoor koppeling korting kosten kostenplaats
	laptop lease leverancier licentie lijst loon looncomponent
	mail medewerker melding module maand
	naam nummer
	onkosten opgave order overeenkomst overzicht overuren
	pas pensioen periode personeel planning portaal premie profiel project proces
	rapport rapportage recht regeling registratie reis rekening relatie rol rooster
	saldo salaris scherm selectie stam strook systeem
	taak tarief telefoon tijd toegang toelage toeslag
	uitbetaling uitdienst uren
	vakantie verklaring verlof vergoeding verlenging verzuim verzekering vraag
	week werk werkgever werknemer werkplek werving wijziging workflow
	ziek ziekte zorg
`)

// derivationPairs join words that derive from each other in a way no rule
// of related catches, by their stems, both ways.
var derivationPairs = stemPairs(`
	correctie:corrigeren reactie:reageren productie:produceren reductie:reduceren
	introductie:introduceren instructie:instrueren login:inloggen logout:uitloggen
	ontslag:ontslaan betaald:betalen uitbetaald:uitbetalen
`)

// participleFronts are how a Dutch past participle starts: ge-, after the
// separable front of its verb when it has one (goedgekeurd, ingelogd,
// ziekgemeld; gewijzigd has none).
var participleFronts = strings.Fields(`
	aange afge bijge doorge goedge inge klaarge meege nage omge opge overge terugge toege uitge vastge voorge
	vrijge wegge ziekge beterge samenge ge
`)

// wordList is a set of the words of list.
func wordList(list string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(list) {
		set[w] = true
	}
	return set
}

// stemmedWords is wordList with each word's stem added.
func stemmedWords(list string) map[string]bool {
	env := snowballstem.NewEnv("")
	set := wordList(list)
	for w := range wordList(list) {
		set[stemWith(env, w)] = true
	}
	return set
}

// stemPairs reads "a:b" pairs into a map from each word's stem to the
// other's.
func stemPairs(list string) map[string]string {
	env := snowballstem.NewEnv("")
	pairs := map[string]string{}
	for _, p := range strings.Fields(list) {
		a, b, _ := strings.Cut(p, ":")
		sa, sb := stemWith(env, a), stemWith(env, b)
		pairs[sa], pairs[sb] = sb, sa
	}
	return pairs
}
