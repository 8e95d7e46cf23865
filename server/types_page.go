package server

import (
	"net/http"
	"unicode"
	"unicode/utf8"

	"beheer"
)

// The request types page: which types the new-request form offers, under
// which names and help texts, and what the priorities are called.

// typesView is the request types page.
type typesView struct {
	formRefusal
	Types      []beheer.TypeSetting
	Priorities []beheer.PriorityLabel
}

func (s *Server) typesPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showTypes(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showTypes(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	ts, err := s.store.TypeSettings(r.Context())
	if err != nil {
		return err
	}
	ls, err := s.store.PriorityLabels(r.Context())
	if err != nil {
		return err
	}
	if p.Flash == "" {
		p.Flash = savedMessage(p, r)
	}
	p.Title, p.Data = p.T("types.title"), typesView{formRefusal: fe, Types: ts, Priorities: ls}
	s.render(w, status, "requesttypes", "", p)
	return nil
}

// texts reads a text pair of a form, named field.nl and field.en.
func texts(r *http.Request, field string) beheer.Texts {
	return beheer.Texts{NL: r.PostFormValue(field + ".nl"), EN: r.PostFormValue(field + ".en")}
}

func (s *Server) saveTypes(w http.ResponseWriter, r *http.Request, p *page) error {
	var ts []beheer.TypeSetting
	for _, t := range beheer.Types {
		f := string(t)
		ts = append(ts, beheer.TypeSetting{Type: t, Enabled: r.PostFormValue(f+".enabled") == "1",
			Label: texts(r, f+".label"), Help: texts(r, f+".help")})
	}
	return s.typesForm(w, r, p, "types", s.store.SetTypeSettings(r.Context(), p.Actor, ts))
}

func (s *Server) savePriorities(w http.ResponseWriter, r *http.Request, p *page) error {
	var ls []beheer.PriorityLabel
	for _, pr := range beheer.Priorities {
		ls = append(ls, beheer.PriorityLabel{Priority: pr, Label: texts(r, string(pr)+".label")})
	}
	return s.typesForm(w, r, p, "priorities", s.store.SetPriorityLabels(r.Context(), p.Actor, ls))
}

// typesForm ends a form of the request types page.
func (s *Server) typesForm(w http.ResponseWriter, r *http.Request, p *page, form string, err error) error {
	if err != nil {
		return p.showRefused(r, form, err, func(fe formRefusal) error { return s.showTypes(w, r, p, fe.Status, fe) })
	}
	redirect(w, r, "/request-types?done="+form+"_saved#"+form)
	return nil
}

// typeLabels are the organisation's own names of request types and
// priorities, as a page reads them once.
type typeLabels struct {
	types      []beheer.TypeSetting
	priorities []beheer.PriorityLabel
}

// orgLabel is the organisation's name for a type or priority in the
// page's language, "" where it gave none (or for any other value).
func (p *page) orgLabel(v any) string {
	t, isType := v.(beheer.Type)
	pr, isPriority := v.(beheer.Priority)
	if !isType && !isPriority {
		return ""
	}
	l := p.typeLabels()
	if isType {
		for _, x := range l.types {
			if x.Type == t {
				return x.Label.In(string(p.Lang))
			}
		}
	}
	for _, x := range l.priorities {
		if x.Priority == pr {
			return x.Label.In(string(p.Lang))
		}
	}
	return ""
}

// typeLabels reads the labels once per page; a failed read leaves the
// catalogue's names.
func (p *page) typeLabels() *typeLabels {
	if p.labels == nil {
		p.labels = &typeLabels{}
		if p.Request != nil {
			ctx := p.Request.Context()
			p.labels.types, _ = p.s.store.TypeSettings(ctx)
			p.labels.priorities, _ = p.s.store.PriorityLabels(ctx)
		}
	}
	return p.labels
}

// typeChoice is a request type as the new-request form offers it.
type typeChoice struct {
	Type  beheer.Type
	Label string
	Help  string
}

// TypeChoices are the types the organisation offers for new requests, in
// their names and with their help texts.
func (p *page) TypeChoices() []typeChoice {
	var out []typeChoice
	for _, t := range p.typeLabels().types {
		if !t.Enabled {
			continue
		}
		c := typeChoice{Type: t.Type, Label: p.Name(t.Type), Help: t.Help.In(string(p.Lang))}
		if c.Help == "" {
			c.Help = p.T("new.type_help." + string(t.Type))
		}
		out = append(out, c)
	}
	return out
}

// PriorityName shows a priority given as text (as forms keep it) by its
// name.
func (p *page) PriorityName(code string) string { return p.Name(beheer.Priority(code)) }

// TypeName shows a request type given as text by its name.
func (p *page) TypeName(code string) string { return p.Name(beheer.Type(code)) }

// MinutesAsHours shows business minutes as hours, 510 as "8,5".
func (p *page) MinutesAsHours(m int) string { return p.minutesAsHours(m) }

// LowerFirst writes a name inside a sentence: "Vraag" becomes "vraag".
func (p *page) LowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
