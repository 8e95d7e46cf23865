package store_test

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// authForm saves the ready-made authorisation form as admin.
func authForm(t *testing.T, st *store.Store, admin *beheer.Actor) *beheer.Form {
	t.Helper()
	f, err := st.SaveForm(context.Background(), admin, beheer.FormTemplates()[0].Form, 0)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func answersOf(t *testing.T, st *store.Store, actor *beheer.Actor, id int64) map[string][]string {
	t.Helper()
	_, as, err := st.Answers(context.Background(), actor, id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, a := range as {
		out[a.Field] = a.Values
	}
	return out
}

// TestFormAnswersFiledAndFiltered: a request of a type with a form is
// filed with typed answers (the default filled in, the hidden field
// dropped), the queue and the API list filter on one answer, and a
// request of a type without a form has none.
func TestFormAnswersFiledAndFiltered(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		f := authForm(t, st, admin.Actor())
		who := strconv.FormatInt(requester.ID, 10)
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeAccess, Title: "Rechten HR",
			Answers: map[string][]string{"voor_wie": {who}, "autorisatiegroep": {"hr_adviseur"}, "vanaf": {"01-03-2026"},
				"tot_en_met": {"2026-04-01"}}})
		if err != nil {
			t.Fatal(err)
		}
		if r.FormVersionID != f.VersionID {
			t.Fatalf("form version %d, want %d", r.FormVersionID, f.VersionID)
		}
		got := answersOf(t, st, admin.Actor(), r.ID)
		want := map[string][]string{"voor_wie": {who}, "autorisatiegroep": {"hr_adviseur"}, "omgeving": {"productie"},
			"vanaf": {"2026-03-01"}, "tijdelijk": {"false"}}
		if len(got) != len(want) {
			t.Fatalf("answers %v, want %v", got, want)
		}
		for k, v := range want {
			if !slices.Equal(got[k], v) {
				t.Errorf("%s = %v, want %v", k, got[k], v)
			}
		}
		other, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeAccess, Title: "Rechten test",
			Answers: map[string][]string{"voor_wie": {who}, "autorisatiegroep": {"medewerker"}, "omgeving": {"test"},
				"vanaf": {"2026-03-01"}, "tijdelijk": {"ja"}, "tot_en_met": {"2026-06-30"}}})
		if err != nil {
			t.Fatal(err)
		}
		plain, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag"})
		if err != nil || plain.FormVersionID != 0 {
			t.Fatalf("plain request %+v %v", plain, err)
		}
		for _, tt := range []struct {
			field, value string
			want         []int64
		}{
			{"omgeving", "productie", []int64{r.ID}},
			{"omgeving", "test", []int64{other.ID}},
			{"tijdelijk", "ja", []int64{other.ID}},
			{"tot_en_met", "30-06-2026", []int64{other.ID}},
			{"autorisatiegroep", "financieel", nil},
		} {
			for _, sort := range []string{"newest", "updated"} {
				for _, actor := range []*beheer.Actor{admin.Actor(), requester.Actor()} {
					page, err := st.Requests(ctx, actor, store.Filter{Sort: sort, Answers: []store.AnswerFilter{{Field: tt.field, Value: tt.value}}})
					if err != nil {
						t.Fatal(err)
					}
					var ids []int64
					for _, it := range page.Items {
						ids = append(ids, it.ID)
					}
					if !slices.Equal(ids, tt.want) {
						t.Errorf("answer.%s=%s (%s, %s): %v, want %v", tt.field, tt.value, sort, actor.Name, ids, tt.want)
					}
				}
			}
		}
		if _, err := st.Requests(ctx, admin.Actor(), store.Filter{Answers: []store.AnswerFilter{{Field: "Omgeving!", Value: "x"}}}); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Errorf("a bad field name in a filter: %v", err)
		}
		for value, key := range map[string]string{" ": "field.required", strings.Repeat("x", 201): "field.too_long"} {
			_, err := st.Requests(ctx, admin.Actor(), store.Filter{Answers: []store.AnswerFilter{{Field: "omgeving", Value: value}}})
			if !hasFieldKey(err, "answer.omgeving", key) {
				t.Errorf("filter on answer %q: %v, want %s", value, err, key)
			}
		}
	})
}

// TestFormChangedAfterFiling: a form changed after requests were filed
// (a field removed, a required field added) leaves the old requests with
// their version and answers; new requests answer the new version; the old
// request's answers are still changed against its own version, audited.
func TestFormChangedAfterFiling(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		f := authForm(t, st, admin.Actor())
		who := strconv.FormatInt(requester.ID, 10)
		old, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeAccess, Title: "Oud",
			Answers: map[string][]string{"voor_wie": {who}, "autorisatiegroep": {"medewerker"}, "vanaf": {"2026-01-05"},
				"toelichting": {"Nieuw in dienst"}}})
		if err != nil {
			t.Fatal(err)
		}
		changed := *f
		changed.Fields = slices.DeleteFunc(slices.Clone(f.Fields), func(fd beheer.FormField) bool { return fd.Name == "toelichting" })
		changed.Fields = append(changed.Fields, beheer.FormField{Name: "kostenplaats", Kind: beheer.FieldText,
			Label: beheer.Texts{NL: "Kostenplaats"}, Required: true})
		if _, err := st.SaveForm(ctx, admin.Actor(), changed, f.Version+5); beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
			t.Fatalf("a stale save: %v", err)
		}
		v2, err := st.SaveForm(ctx, admin.Actor(), changed, f.Version)
		if err != nil || v2.Version != 2 || v2.VersionID == f.VersionID {
			t.Fatalf("version 2: %+v %v", v2, err)
		}
		fields, answers, err := st.Answers(ctx, admin.Actor(), old.ID)
		if err != nil || len(fields) != len(f.Fields) || fields[len(fields)-1].Name != "toelichting" {
			t.Fatalf("the old request lost its form version: %v %v", fields, err)
		}
		if got := answersOf(t, st, admin.Actor(), old.ID)["toelichting"]; !slices.Equal(got, []string{"Nieuw in dienst"}) {
			t.Fatalf("old answer %v (%v)", got, answers)
		}
		_, err = st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeAccess, Title: "Nieuw",
			Answers: map[string][]string{"voor_wie": {who}, "autorisatiegroep": {"medewerker"}, "vanaf": {"2026-01-05"}}})
		if !hasFieldKey(err, "answers.kostenplaats", "field.required") {
			t.Fatalf("the new required field: %v", err)
		}
		// The old request is edited against its own version: toelichting
		// still exists there, kostenplaats does not.
		in := map[string][]string{"voor_wie": {who}, "autorisatiegroep": {"hr_adviseur"}, "vanaf": {"2026-01-05"},
			"toelichting": {"Nieuw in dienst"}}
		if _, err := st.UpdateAnswers(ctx, admin.Actor(), old.ID, 0, in); err != nil {
			t.Fatal(err)
		}
		audit, err := st.Audit(ctx, admin.Actor(), old.ID)
		if err != nil || !slices.ContainsFunc(audit, func(e beheer.AuditEntry) bool {
			return e.Field == "answer.autorisatiegroep" && e.Before == "medewerker" && e.After == "hr_adviseur"
		}) {
			t.Fatalf("the changed answer is not audited: %+v %v", audit, err)
		}
		if _, err := st.UpdateAnswers(ctx, requester.Actor(), old.ID, 0, map[string][]string{"kostenplaats": {"100"}}); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("a field of the new version on the old request: %v", err)
		}
	})
}

// TestFormBadInput: every bad input of a form and its answers is refused
// with the message on its field, and nothing is saved.
func TestFormBadInput(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, db *sql.DB, _ string) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		f := authForm(t, st, admin.Actor())
		who := strconv.FormatInt(requester.ID, 10)
		good := func() map[string][]string {
			return map[string][]string{"voor_wie": {who}, "autorisatiegroep": {"medewerker"}, "vanaf": {"2026-01-05"}}
		}
		with := func(k string, v ...string) map[string][]string {
			m := good()
			m[k] = v
			return m
		}
		count := func() (n int) {
			if err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM requests) + (SELECT COUNT(*) FROM request_answers)`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		for _, tt := range []struct {
			name       string
			in         map[string][]string
			field, key string
		}{
			{"required empty", with("vanaf", ""), "answers.vanaf", "field.required"},
			{"not a date", with("vanaf", "31-02-2026"), "answers.vanaf", "form.not_a_date"},
			{"choice outside its list", with("omgeving", "ontwikkel"), "answers.omgeving", "field.invalid_choice"},
			{"person not active", with("voor_wie", "999999"), "answers.voor_wie", "form.not_a_person"},
			{"unknown field", with("kleur", "rood"), "answers.kleur", "form.unknown_field"},
		} {
			_, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeAccess, Title: "X", Answers: tt.in})
			if !hasFieldKey(err, tt.field, tt.key) {
				t.Errorf("%s: %v, want %s on %s", tt.name, err, tt.key, tt.field)
			}
		}
		// A number out of range, on a form that has one.
		nf := beheer.Form{Type: beheer.TypeWish, Name: beheer.Texts{NL: "Wens"}, Fields: []beheer.FormField{
			{Name: "uren", Kind: beheer.FieldNumber, Label: beheer.Texts{NL: "Uren"}, Min: ptr(1.0), Max: ptr(40.0)}}}
		if _, err := st.SaveForm(ctx, admin.Actor(), nf, 0); err != nil {
			t.Fatal(err)
		}
		_, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeWish, Title: "X",
			Answers: map[string][]string{"uren": {"41"}}})
		if !hasFieldKey(err, "answers.uren", "field.range") {
			t.Errorf("number out of range: %v", err)
		}
		if _, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "X",
			Answers: map[string][]string{"a": {"b"}}}); !hasFieldKey(err, "answers", "form.no_form") {
			t.Errorf("answers for a type without a form: %v", err)
		}
		if n := count(); n != before {
			t.Fatalf("refused requests left %d rows", n-before)
		}

		// A field name used twice; a second form for the same type.
		dup := beheer.FormTemplates()[0].Form
		dup.Type = beheer.TypeIncident
		dup.Fields[2].Name = "voor_wie"
		if _, err := st.SaveForm(ctx, admin.Actor(), dup, 0); !hasFieldKey(err, "fields.2.name", "form.duplicate_field") {
			t.Errorf("a field name used twice: %v", err)
		}
		if _, err := st.SaveForm(ctx, admin.Actor(), beheer.FormTemplates()[0].Form, 0); !hasFieldKey(err, "type", "form.duplicate_scope") {
			t.Errorf("a second access form: %v", err)
		}
		if _, err := st.SaveForm(ctx, requester.Actor(), nf, 0); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("a requester saved a form: %v", err)
		}

		// A form in use cannot be deleted; archived, it is no longer
		// offered; an unused form can be deleted.
		if _, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeAccess, Title: "X", Answers: good()}); err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteForm(ctx, admin.Actor(), f.ID); !hasFieldKey(err, "form", "form.in_use") {
			t.Errorf("deleting a form in use: %v", err)
		}
		if _, err := st.ArchiveForm(ctx, admin.Actor(), f.ID, true); err != nil {
			t.Fatal(err)
		}
		if got, err := st.FormFor(ctx, beheer.TypeAccess, 0); err != nil || got != nil {
			t.Errorf("an archived form is offered: %v %v", got, err)
		}
		forms, err := st.Forms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range forms {
			if x.Type == beheer.TypeWish {
				if err := st.DeleteForm(ctx, admin.Actor(), x.ID); err != nil {
					t.Errorf("deleting an unused form: %v", err)
				}
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestAnswersFoundBySearch: a request is found by its answers — a choice
// by its label, a typed text, a person by name — and, after its answers
// change, by the new ones and no longer by the old; editing its title
// keeps it found by its answers.
func TestAnswersFoundBySearch(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		authForm(t, st, admin.Actor())
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeAccess, Title: "Rechten",
			Answers: map[string][]string{"voor_wie": {strconv.FormatInt(admin.ID, 10)}, "autorisatiegroep": {"salarisadministratie"},
				"omgeving": {"acceptatie"}, "vanaf": {"2026-03-01"}, "toelichting": {"Jaarafsluiting loonjournaalposten"}}})
		if err != nil {
			t.Fatal(err)
		}
		found := func(q string) bool {
			t.Helper()
			page, err := st.Requests(ctx, admin.Actor(), store.Filter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			return len(page.Items) == 1 && page.Items[0].ID == r.ID
		}
		for _, q := range []string{"Acceptatieomgeving", "salarisadministratie", "loonjournaalposten", admin.Name} {
			if !found(q) {
				t.Errorf("not found by %q", q)
			}
		}
		if r, err = st.UpdateAnswers(ctx, admin.Actor(), r.ID, r.Version, map[string][]string{"voor_wie": {strconv.FormatInt(admin.ID, 10)},
			"autorisatiegroep": {"financieel"}, "omgeving": {"acceptatie"}, "vanaf": {"2026-03-01"},
			"toelichting": {"Inkoopfacturen goedkeuren"}}); err != nil {
			t.Fatal(err)
		}
		if found("loonjournaalposten") || !found("inkoopfacturen") || !found("Financiële administratie") {
			t.Error("the changed answers are not what the request is found by")
		}
		title := "Rechten voor de jaarafsluiting"
		if _, err := st.UpdateRequest(ctx, admin.Actor(), r.ID, r.Version, beheer.Patch{Title: &title}); err != nil {
			t.Fatal(err)
		}
		if !found("jaarafsluiting") || !found("inkoopfacturen") {
			t.Error("after a new title the request is no longer found by its answers")
		}
	})
}

// TestAnswerFilterEverySort: a queue filtered on one or two answers holds,
// in every order and page by page, exactly the requests of the unfiltered
// list with those answers, also beside a search. The requests are found
// by the answers' keys in the full-text index, newest or oldest first and
// when few whatever the order (planAnswers), and each answer is checked:
// the order and the cursor must not notice, and a request whose text
// holds a key is not taken for one that gave the answer.
func TestAnswerFilterEverySort(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		authForm(t, st, admin.Actor())
		who := strconv.FormatInt(requester.ID, 10)
		envs := []string{"productie", "test", "acceptatie"}
		groups := []string{"hr_adviseur", "medewerker"}
		want := map[[2]string][]int64{} // {omgeving, autorisatiegroep} → ids
		for i := range 14 {
			env, group := envs[i%3], groups[i%2]
			r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeAccess,
				Title: "Rechten " + strconv.Itoa(i),
				Answers: map[string][]string{"voor_wie": {who}, "autorisatiegroep": {group}, "omgeving": {env},
					"vanaf": {"2026-03-01"}}})
			if err != nil {
				t.Fatal(err)
			}
			want[[2]string{env, group}] = append(want[[2]string{env, group}], r.ID)
			want[[2]string{env, ""}] = append(want[[2]string{env, ""}], r.ID)
			if i%4 == 0 { // a later update changes the order by update
				if _, err := st.AddComment(ctx, admin.Actor(), r.ID, beheer.NewComment{Body: "Bekeken", Internal: true}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// A request whose text holds an answer's key is found by the key
		// in the search index, and left out by the check of the answer.
		key := beheer.AnswerKey("omgeving", "productie")
		decoy, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion,
			Title: "Rechten en " + key, Description: "Zie " + key})
		if err != nil {
			t.Fatal(err)
		}
		if got := pageAll(t, st, admin.Actor(), store.Filter{Query: key}); !slices.Contains(got, decoy.ID) {
			t.Fatalf("a search for the key: %v, without the request that holds it %d", got, decoy.ID)
		}
		for sort := range store.Sorts {
			all := pageAll(t, st, admin.Actor(), store.Filter{Sort: sort})
			for key, ids := range want {
				var expect []int64
				for _, id := range all {
					if slices.Contains(ids, id) {
						expect = append(expect, id)
					}
				}
				for _, query := range []string{"", "rechten"} { // with a search: the words and the keys together
					f := store.Filter{Sort: sort, Limit: 2, Query: query, Answers: []store.AnswerFilter{{Field: "omgeving", Value: key[0]}}}
					if key[1] != "" {
						f.Answers = append(f.Answers, store.AnswerFilter{Field: "autorisatiegroep", Value: key[1]})
					}
					if got := pageAll(t, st, admin.Actor(), f); !slices.Equal(got, expect) {
						t.Errorf("sort %s, %v, search %q: %v, want %v", sort, key, query, got, expect)
					}
				}
			}
		}
	})
}

// pageAll lists every request f finds, page by page, by id.
func pageAll(t *testing.T, st *store.Store, actor *beheer.Actor, f store.Filter) []int64 {
	t.Helper()
	var ids []int64
	for {
		p, err := st.Requests(context.Background(), actor, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Items {
			ids = append(ids, r.ID)
		}
		if p.NextCursor == "" {
			return ids
		}
		f.Cursor = p.NextCursor
	}
}

// TestAnswersReadAfterChange: answers are remembered by the request's
// version, so a change of the answers — in this store or in another one on
// the same database — is read at once, by the API's read and the page's.
func TestAnswersReadAfterChange(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, _ *sql.DB, dsn string) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		authForm(t, st, admin.Actor())
		who := strconv.FormatInt(requester.ID, 10)
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeAccess, Title: "Rechten HR",
			Answers: map[string][]string{"voor_wie": {who}, "autorisatiegroep": {"hr_adviseur"}, "vanaf": {"2026-03-01"}}})
		if err != nil {
			t.Fatal(err)
		}
		environment := func(st *store.Store) string {
			t.Helper()
			_, _, a, err := st.RequestAnswered(ctx, admin.Actor(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range a.Answers {
				if x.Field == "omgeving" {
					return strings.Join(x.Values, ",")
				}
			}
			return ""
		}
		other := storetest.Open(t, dsn, storetest.Options{})
		if got := environment(st) + "/" + environment(other); got != "productie/productie" {
			t.Fatalf("before: %s", got)
		}
		change := func(st *store.Store, to string) {
			t.Helper()
			if _, err := st.UpdateAnswers(ctx, admin.Actor(), r.ID, 0, map[string][]string{"voor_wie": {who},
				"autorisatiegroep": {"hr_adviseur"}, "omgeving": {to}, "vanaf": {"2026-03-01"}}); err != nil {
				t.Fatal(err)
			}
		}
		change(st, "test")
		if got := environment(st) + "/" + environment(other); got != "test/test" {
			t.Errorf("after a change here: %s", got)
		}
		change(other, "acceptatie")
		if got := environment(st) + "/" + environment(other); got != "acceptatie/acceptatie" {
			t.Errorf("after a change in the other store: %s", got)
		}
		if got := answersOf(t, st, admin.Actor(), r.ID)["omgeving"]; !slices.Equal(got, []string{"acceptatie"}) {
			t.Errorf("the page's read: %v", got)
		}
	})
}

// TestAnswersKeepWhoLeft: changing a request's answers keeps the person
// who left since and the process archived since where the answers named
// them; naming someone who left, or an archived process, anew is refused
// beside its field and saves nothing.
func TestAnswersKeepWhoLeft(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		a := admin.Actor()
		if _, err := st.SaveForm(ctx, a, beheer.Form{Type: beheer.TypeWish, Name: beheer.Texts{NL: "Wens"}, Fields: []beheer.FormField{
			{Name: "voor_wie", Kind: beheer.FieldPerson, Label: beheer.Texts{NL: "Voor wie"}, Required: true},
			{Name: "afdeling", Kind: beheer.FieldPlace, Label: beheer.Texts{NL: "Afdeling"}, Required: true},
			{Name: "toelichting", Kind: beheer.FieldText, Label: beheer.Texts{NL: "Toelichting"}},
		}}, 0); err != nil {
			t.Fatal(err)
		}
		leaves := func(email string) string { // a person, who then leaves
			u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: email, Name: email}, "")
			if err != nil {
				t.Fatal(err)
			}
			return strconv.FormatInt(u.ID, 10)
		}
		process := func(name string) (string, int64) {
			p, err := st.CreateProcess(ctx, a, beheer.Process{AreaID: area.ID, Name: name})
			if err != nil {
				t.Fatal(err)
			}
			return strconv.FormatInt(area.ID, 10) + "/" + strconv.FormatInt(p.ID, 10), p.ID
		}
		jan, piet := leaves("jan@voorbeeld.nl"), leaves("piet@voorbeeld.nl")
		loonrun, loonrunID := process("Loonrun")
		declaraties, declaratiesID := process("Declaraties")
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeWish, Title: "Rapport",
			Answers: map[string][]string{"voor_wie": {jan}, "afdeling": {loonrun}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{jan, piet} {
			id, _ := strconv.ParseInt(who, 10, 64)
			if err := st.SetActive(ctx, store.System, id, false); err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range []int64{loonrunID, declaratiesID} {
			if err := st.SetProcessArchived(ctx, a, id, true); err != nil {
				t.Fatal(err)
			}
		}

		kept, err := st.UpdateAnswers(ctx, a, r.ID, r.Version, map[string][]string{"voor_wie": {jan}, "afdeling": {loonrun},
			"toelichting": {"Ook de reserveringen"}})
		if err != nil {
			t.Fatalf("changing another answer refused what the answers already named: %v", err)
		}
		for field, in := range map[string]map[string][]string{
			"voor_wie": {"voor_wie": {piet}, "afdeling": {loonrun}},
			"afdeling": {"voor_wie": {jan}, "afdeling": {declaraties}},
		} {
			_, err := st.UpdateAnswers(ctx, a, r.ID, kept.Version, in)
			if beheer.ErrorCode(err) != beheer.CodeInvalid || !strings.Contains(err.Error(), "answers."+field) {
				t.Errorf("naming anew in %s: %v", field, err)
			}
		}
		if now, _, err := st.Request(ctx, a, r.ID); err != nil || now.Version != kept.Version {
			t.Errorf("a refused change saved something: %v", err)
		}
	})
}

// TestLongAnswerFiltered: an answer too long to have a key in the
// full-text index (beheer.MaxKeyedAnswer) is still found by a queue filter on it, alone and beside a short
// one, in every order; an answer changed from long to short and back is
// found by what it says now.
func TestLongAnswerFiltered(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		authForm(t, st, admin.Actor())
		who := strconv.FormatInt(requester.ID, 10)
		long := strings.Repeat("Medewerkers van de salarisadministratie moeten de loonjournaalposten kunnen inzien. ", 2)
		file := func(env, why string) int64 {
			r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeAccess, Title: "Rechten",
				Answers: map[string][]string{"voor_wie": {who}, "autorisatiegroep": {"salarisadministratie"}, "omgeving": {env},
					"vanaf": {"2026-03-01"}, "toelichting": {why}}})
			if err != nil {
				t.Fatal(err)
			}
			return r.ID
		}
		prodLong, testLong := file("productie", long), file("test", long)
		file("productie", "Kort")
		found := func(sort string, answers ...store.AnswerFilter) []int64 {
			t.Helper()
			ids := pageAll(t, st, admin.Actor(), store.Filter{Sort: sort, Answers: answers})
			slices.Sort(ids)
			return ids
		}
		for sort := range store.Sorts {
			if got := found(sort, store.AnswerFilter{Field: "toelichting", Value: long}); !slices.Equal(got, []int64{prodLong, testLong}) {
				t.Errorf("%s, the long answer: %v", sort, got)
			}
			if got := found(sort, store.AnswerFilter{Field: "toelichting", Value: long},
				store.AnswerFilter{Field: "omgeving", Value: "productie"}); !slices.Equal(got, []int64{prodLong}) {
				t.Errorf("%s, the long answer and a short one: %v", sort, got)
			}
		}
		if _, err := st.UpdateAnswers(ctx, admin.Actor(), testLong, 0, map[string][]string{"voor_wie": {who},
			"autorisatiegroep": {"salarisadministratie"}, "omgeving": {"test"}, "vanaf": {"2026-03-01"}, "toelichting": {"Kort"}}); err != nil {
			t.Fatal(err)
		}
		if got := found("updated", store.AnswerFilter{Field: "toelichting", Value: long}); !slices.Equal(got, []int64{prodLong}) {
			t.Errorf("after the change, the long answer: %v", got)
		}
		if got := found("newest", store.AnswerFilter{Field: "toelichting", Value: "Kort"}); len(got) != 2 || !slices.Contains(got, testLong) {
			t.Errorf("after the change, the short answer: %v", got)
		}
	})
}

// TestLongestAnswerFiled: a long text of as many characters as it may have,
// of letters that do not compress, is filed and read back whole, on both
// engines (PostgreSQL once refused it: its text was part of a key).
func TestLongestAnswerFiled(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		if _, err := st.SaveForm(ctx, admin.Actor(), beheer.Form{Type: beheer.TypeWish, Name: beheer.Texts{NL: "Wens"},
			Fields: []beheer.FormField{{Name: "toelichting", Kind: beheer.FieldLongText, Label: beheer.Texts{NL: "Toelichting"}, Required: true}}}, 0); err != nil {
			t.Fatal(err)
		}
		letters := []rune("abcdefghijklmnopqrstuvwxyzéëïöü") // no spaces: an answer is trimmed
		long := make([]rune, beheer.MaxAnswerLong)
		for i := range long {
			long[i] = letters[rand.IntN(len(letters))]
		}
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeWish, Title: "Rapport",
			Answers: map[string][]string{"toelichting": {string(long)}}})
		if err != nil {
			t.Fatal(err)
		}
		if got := answersOf(t, st, admin.Actor(), r.ID)["toelichting"]; !slices.Equal(got, []string{string(long)}) {
			t.Errorf("read back %d values, the first of %d characters", len(got), len([]rune(strings.Join(got, ""))))
		}
	})
}
