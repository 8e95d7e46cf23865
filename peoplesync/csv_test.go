package peoplesync_test

import (
	"errors"
	"strings"
	"testing"

	"beheer"
	"beheer/peoplesync"
)

// fieldsOf returns "field=key" for every problem of a validation error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var be *beheer.Error
	if !errors.As(err, &be) {
		t.Fatalf("not a *beheer.Error: %v", err)
	}
	var out []string
	for _, f := range be.Fields {
		out = append(out, f.Field+"="+f.Key)
	}
	return out
}

func TestParseCSV(t *testing.T) {
	t.Run("semicolons with a byte-order mark", func(t *testing.T) {
		in := "\ufeffMedewerkernummer;Naam;E-mail;Afdeling;Manager\r\n" +
			"1001;Pieter Jansen;Pieter@Voorbeeld.nl;Personeelszaken;\r\n" +
			"\r\n" +
			"1002; \"de Boer, Sanne\";sanne@voorbeeld.nl;Verkoop;1001\r\n"
		got, err := peoplesync.ParseCSV(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		want := []beheer.Employee{
			{Number: "1001", Name: "Pieter Jansen", Email: "pieter@voorbeeld.nl", Department: "Personeelszaken", Line: 2},
			{Number: "1002", Name: "de Boer, Sanne", Email: "sanne@voorbeeld.nl", Department: "Verkoop", Manager: "1001", Line: 4},
		}
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("commas, English names, no number column", func(t *testing.T) {
		got, err := peoplesync.ParseCSV(strings.NewReader("name,email\nAnna,anna@voorbeeld.nl\n"))
		if err != nil || len(got) != 1 || got[0].Number != "" || got[0].Email != "anna@voorbeeld.nl" {
			t.Fatalf("%+v %v", got, err)
		}
	})
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"bad rows named by line and column", "medewerkernummer;naam;e-mail\n1;Een;een@voorbeeld.nl\n2;;twee@voorbeeld.nl\n3;Drie;geen-adres\n",
			[]string{"line 3: naam=field.required", "line 4: e-mail=field.invalid_email"}},
		{"duplicates", "medewerkernummer;naam;e-mail\n1;Een;een@voorbeeld.nl\n1;Ander;ander@voorbeeld.nl\n2;Twee;EEN@voorbeeld.nl\n",
			[]string{"line 3: medewerkernummer=people_import.duplicate", "line 4: e-mail=people_import.duplicate"}},
		{"own manager", "medewerkernummer;naam;e-mail;manager\n1;Een;een@voorbeeld.nl;1\n",
			[]string{"line 2: manager=people_import.own_manager"}},
		{"missing columns", "medewerkernummer;afdeling\n1;HR\n",
			[]string{"line 1=people_import.missing_column", "line 1=people_import.missing_column"}},
		{"unknown and repeated columns", "naam;e-mail;emial;naam\nEen;een@voorbeeld.nl;x;y\n",
			[]string{"line 1: emial=people_import.unknown_column", "line 1: naam=people_import.repeated_column"}},
		{"wrong number of fields", "naam;e-mail\nEen;een@voorbeeld.nl;extra\n", []string{"line 2=people_import.columns"}},
		{"bad quotes", "naam;e-mail\n\"Een;een@voorbeeld.nl\nTwee;twee@voorbeeld.nl\n", []string{"line 2=people_import.bad_quotes"}},
		{"not UTF-8", "naam;e-mail\nEen;een@voorbeeld.nl\nJos\xe9;jose@voorbeeld.nl\n", []string{"line 3=people_import.not_utf8"}},
		{"control character", "naam;e-mail\nEen\x07;een@voorbeeld.nl\n", []string{"line 2: naam=field.invalid"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := peoplesync.ParseCSV(strings.NewReader(c.in))
			if got != nil {
				t.Fatalf("a list came back with problems: %+v", got)
			}
			if f := fieldsOf(t, err); strings.Join(f, " ") != strings.Join(c.want, " ") {
				t.Fatalf("problems %v, want %v", f, c.want)
			}
		})
	}
	for _, in := range []string{"", "\ufeff", "naam;e-mail\n", "naam;e-mail\n\n\n"} {
		if _, err := peoplesync.ParseCSV(strings.NewReader(in)); err == nil || err.(*beheer.Error).Key != "people_import.empty" {
			t.Errorf("%q: %v", in, err)
		}
	}
	big := strings.NewReader("naam;e-mail\n" + strings.Repeat("x", peoplesync.MaxCSV))
	if _, err := peoplesync.ParseCSV(big); beheer.ErrorCode(err) != beheer.CodeTooLarge {
		t.Errorf("too large: %v", err)
	}
}

// FuzzParseCSV: whatever the input, ParseCSV does not panic, and a list it
// accepts is one the store accepts: every row valid, numbers and addresses
// unique, lines increasing.
func FuzzParseCSV(f *testing.F) {
	for _, seed := range []string{
		"medewerkernummer;naam;e-mail;afdeling;manager\n1001;Pieter;pieter@voorbeeld.nl;HR;\n1002;Sanne;sanne@voorbeeld.nl;HR;1001\n",
		"\ufeffnaam,e-mail\r\n\"Jansen, P.\",p@voorbeeld.nl\r\n",
		"naam;e-mail\n\"Een\"\"x\";een@voorbeeld.nl\n",
		"naam;e-mail\nEen;een@voorbeeld.nl;\n",
		"naam;e-mail;naam\n",
		"medewerkernummer;naam;e-mail\n1;Een;een@voorbeeld.nl\n1;Een;een@voorbeeld.nl\n",
		"naam;e-mail\n\xff;x@voorbeeld.nl\n",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := peoplesync.ParseCSV(strings.NewReader(in))
		if err != nil {
			if got != nil {
				t.Fatal("a list and an error")
			}
			if beheer.ErrorCode(err) == beheer.CodeInternal {
				t.Fatalf("not a user-facing error: %v", err)
			}
			return
		}
		if len(got) == 0 {
			t.Fatal("an empty list without an error")
		}
		numbers, emails, line := map[string]bool{}, map[string]bool{}, 0
		for _, e := range got {
			c := e
			if err := c.Validate(); err != nil || c != e {
				t.Fatalf("accepted an invalid or unnormalised row %+v: %v", e, err)
			}
			if (e.Number != "" && numbers[e.Number]) || emails[e.Email] {
				t.Fatalf("accepted a duplicate %+v", e)
			}
			if e.Line <= line {
				t.Fatalf("line %d after %d", e.Line, line)
			}
			numbers[e.Number], emails[e.Email], line = true, true, e.Line
		}
	})
}
