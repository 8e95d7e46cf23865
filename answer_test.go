package beheer

import (
	"slices"
	"testing"
)

func TestFillPlaceholders(t *testing.T) {
	r := request(func(r *Request) { r.RequesterName, r.AssigneeName = "Sanne de Vries", "Mark Jansen" })
	values := ValuesFor(r, "vrijdag 13 maart 2026", "(nog niemand)")
	for _, c := range []struct{ name, body, want string }{
		{"every placeholder", "Beste {aanvrager}, uw aanvraag {nummer} ({titel}) is voor {streefdatum} klaar. Groet, {behandelaar}",
			"Beste Sanne de Vries, uw aanvraag 2026-0100 (Verlof aanvragen lukt niet) is voor vrijdag 13 maart 2026 klaar. Groet, Mark Jansen"},
		{"twice", "{nummer} en {nummer}", "2026-0100 en 2026-0100"},
		{"no placeholders", "Dank voor uw melding.", "Dank voor uw melding."},
		{"markdown braces stay", "Zie `{ \"a\": 1 }` en {}", "Zie `{ \"a\": 1 }` en {}"},
		{"unknown stays as written", "Beste {naam}", "Beste {naam}"},
		{"unclosed brace", "Beste {aanvrager", "Beste {aanvrager"},
		{"brace before a placeholder", "{ {aanvrager}", "{ Sanne de Vries"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Fill(c.body, values); got != c.want {
				t.Errorf("Fill = %q, want %q", got, c.want)
			}
		})
	}
	t.Run("nobody yet", func(t *testing.T) {
		bare := request(func(r *Request) { r.AssigneeID, r.AssigneeName = 0, "" })
		if got := Fill("{behandelaar} / {streefdatum}", ValuesFor(bare, "", "(nog niemand)")); got != "(nog niemand) / (nog niemand)" {
			t.Errorf("got %q", got)
		}
	})
}

func TestStandardAnswerValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		a    StandardAnswer
		want result
		key  string
	}{
		{"a reply", StandardAnswer{Title: "Ontvangen", Body: "Beste {aanvrager}, dank u."}, allowed, ""},
		{"with a status", StandardAnswer{Title: "Vraag", Body: "Kunt u een schermafdruk sturen?", SetStatus: StatusAwaitingRequester}, allowed, ""},
		{"with a phase", StandardAnswer{Title: "Opgelost", Body: "Opgelost in de update.", SetPhase: PhaseOptimisation}, allowed, ""},
		{"empty text", StandardAnswer{Title: "Leeg", Body: "  "}, invalid("body"), "field.required"},
		{"no title", StandardAnswer{Body: "Tekst"}, invalid("title"), "field.required"},
		{"unknown placeholder", StandardAnswer{Title: "Fout", Body: "Beste {naam}, {nummer} {Aanvrager}"}, invalid("body"), "answer.unknown_placeholder"},
		{"status by itself only", StandardAnswer{Title: "X", Body: "Y", SetStatus: StatusAwaitingTriage}, invalid("set_status"), "field.invalid_choice"},
		{"withdrawn is the requester's", StandardAnswer{Title: "X", Body: "Y", SetPhase: PhaseWithdrawn}, invalid("set_phase"), "field.invalid_choice"},
		{"one action", StandardAnswer{Title: "X", Body: "Y", SetPhase: PhaseClosed, SetStatus: StatusAwaitingRequester}, invalid("set_phase"), "answer.one_action"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.a.Validate()
			expect(t, "", err, c.want)
			if c.key != "" {
				if e := err.(*Error); e.Fields[0].Key != c.key {
					t.Errorf("key = %s, want %s", e.Fields[0].Key, c.key)
				}
			}
		})
	}
	t.Run("names the unknown ones once", func(t *testing.T) {
		if got := UnknownPlaceholders("{naam} {nummer} {naam} {x_1}"); !slices.Equal(got, []string{"naam", "x_1"}) {
			t.Errorf("got %v", got)
		}
	})
}

func TestStandardAnswerUse(t *testing.T) {
	hr := StandardAnswer{AreaID: areaOwn}
	all := StandardAnswer{}
	if !hr.Applies(areaOwn) || hr.Applies(areaOther) || !all.Applies(areaOther) || !all.Applies(0) {
		t.Error("Applies: an area's answer is for that area, an answer for all areas for every request")
	}
	for _, c := range []struct {
		who         string
		manage, use bool
	}{
		{"functional_admin/unscoped", true, true},
		{"functional_admin/own_area", true, true},
		{"functional_admin/other_area", false, false},
		{"key_user/own_area", false, true},
		{"technical_admin/own_area", false, true},
		{"requester", false, false},
		{"management", false, false},
	} {
		t.Run(c.who, func(t *testing.T) {
			a := personNamed(t, c.who).actor
			if got := CanManageAnswers(a, areaOwn); got != c.manage {
				t.Errorf("CanManageAnswers = %v", got)
			}
			if got := CanUseAnswers(a, request()); got != c.use {
				t.Errorf("CanUseAnswers = %v", got)
			}
		})
	}
	t.Run("action", func(t *testing.T) {
		tr, p := (&StandardAnswer{SetPhase: PhaseOptimisation}).AnswerAction()
		if tr.To != PhaseOptimisation || p != nil {
			t.Errorf("phase: %v %v", tr, p)
		}
		tr, p = (&StandardAnswer{SetStatus: StatusAwaitingRequester}).AnswerAction()
		if tr.To != "" || p == nil || *p.Status != StatusAwaitingRequester {
			t.Errorf("status: %v %v", tr, p)
		}
		tr, p = (&StandardAnswer{}).AnswerAction()
		if tr.To != "" || p != nil {
			t.Errorf("none: %v %v", tr, p)
		}
	})
}
