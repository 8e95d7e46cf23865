package text

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Person is a demo person.
type Person struct {
	First, Last, Email string
}

// EmailDomain is the domain of every demo address.
const EmailDomain = "voorbeeld.nl"

var firstNames = []string{
	"Anne", "Bas", "Charlotte", "Dennis", "Eline", "Frank", "Gerda", "Hans", "Ingrid", "Joost",
	"Karin", "Laura", "Martijn", "Nicole", "Olaf", "Petra", "Quinten", "Roos", "Sander", "Tessa",
	"Ulrike", "Vincent", "Wendy", "Yvonne", "Zoë", "Fatima", "Mohamed", "Priya", "Emre", "Samira",
	"Jeroen", "Marloes", "Koen", "Linda", "Niels", "Saskia", "Thomas", "Esther", "Wim", "Mirjam",
	"Daan", "Sanne", "Bram", "Lotte", "Ruben", "Iris", "Hanneke", "Erik", "Annelies", "Gijs",
}

var lastNames = []string{
	"de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
	"de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
	"Dijkstra", "Smits", "de Graaf", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
	"van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "van der Heijden", "Schouten",
	"van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster",
	"van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Kuipers", "van Wijk", "Postma", "Kramer",
	"El Amrani", "Yilmaz", "Bouzid", "Ramdin", "Nguyen", "van der Meer", "ter Horst", "Boersma",
}

// People returns n distinct plausible Dutch people, the same for the same
// seed.
func People(seed int64, n int) []Person {
	r := rand.New(rand.NewPCG(uint64(seed), 0x70656f706c65))
	out := make([]Person, 0, max(n, 0))
	names := map[string]bool{}
	emails := map[string]bool{}
	// The first people get different first and last names; after that any
	// combination not yet taken.
	fp, lp := r.Perm(len(firstNames)), r.Perm(len(lastNames))
	for len(out) < n {
		i := len(out)
		p := Person{First: firstNames[r.IntN(len(firstNames))], Last: lastNames[r.IntN(len(lastNames))]}
		if i < min(len(fp), len(lp)) {
			p = Person{First: firstNames[fp[i]], Last: lastNames[lp[i]]}
		}
		if names[p.First+" "+p.Last] && len(names) < len(firstNames)*len(lastNames) {
			continue
		}
		names[p.First+" "+p.Last] = true
		local := asciiLetters(p.First[:1]) + "." + asciiLetters(p.Last)
		email := local + "@" + EmailDomain
		for i := 2; emails[email]; i++ {
			email = local + strconv.Itoa(i) + "@" + EmailDomain
		}
		emails[email] = true
		p.Email = email
		out = append(out, p)
	}
	return out
}

// asciiLetters lowercases s and keeps only the letters a to z, folding the
// few accented letters the name lists use.
func asciiLetters(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r == 'ë' || r == 'é' || r == 'è':
			b.WriteByte('e')
		case r == 'ï':
			b.WriteByte('i')
		case r == 'ö':
			b.WriteByte('o')
		case r == 'ü':
			b.WriteByte('u')
		}
	}
	return b.String()
}
