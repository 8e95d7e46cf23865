package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"beheer"
)

// formRefusal is a refused form post as its page shows it again: which form
// on the page, what was typed, the message beside each failing field (in
// the order the rules named them), the form's own message, the status to
// answer with, and whether someone else saved first.
type formRefusal struct {
	Form    string
	Values  url.Values
	Errs    map[string]string
	Fields  []string // the failing fields, in order, each once
	Message string
	Said    string // the refusal in one sentence, for a page without a place per field
	Status  int
	Stale   bool
}

// E returns the message for a field of form, or "".
func (f formRefusal) E(form, field string) string {
	if f.Form != form {
		return ""
	}
	return f.Errs[field]
}

// Val returns what was typed into a field of form, or def.
func (f formRefusal) Val(form, field, def string) string {
	if f.Form != form || f.Values == nil {
		return def
	}
	return f.Values.Get(field)
}

// refused is the one refusal path of the portal's forms: it turns what the
// store (or the form's own reading) refused into what the form shows again.
// Invalid fields get their messages beside them and 422 with a summary as
// the form's message; any other refusal becomes the form's message with its
// status, 409 for an edit someone else saved first (an HTML form cannot
// send If-Match, so 412 would say nothing to a browser). ok is false when
// err is no refusal — not found, not signed in, an internal error — which
// the handler returns as it is, to become the error page.
func (p *page) refused(r *http.Request, form string, err error) (f formRefusal, ok bool) {
	var be *beheer.Error
	if !errors.As(err, &be) || be.Code == beheer.CodeNotFound || be.Code == beheer.CodeUnauthorized ||
		be.Code == beheer.CodeInternal {
		return f, false
	}
	f = formRefusal{Form: form, Values: r.PostForm, Errs: map[string]string{}, Status: statusOf[be.Code]}
	for _, fe := range be.Fields {
		f.Errs[fe.Field] = p.T(fe.Key, fe.Args...)
		p.Errors[fe.Field] = f.Errs[fe.Field]
		if !slices.Contains(f.Fields, fe.Field) {
			f.Fields = append(f.Fields, fe.Field)
		}
	}
	f.Message = p.T(be.Key, be.Args...)
	f.Said = f.Message
	if len(be.Fields) > 0 && be.Key == "error."+string(be.Code) {
		f.Said = f.Errs[f.Fields[0]] // the rule's own message is only the general one
	}
	if be.Code == beheer.CodePreconditionFailed {
		f.Status, f.Stale = http.StatusConflict, true
	}
	return f, true
}

// showRefused shows a page again after one of its forms was refused: the
// refusal's message as the page's notice, the fields' messages beside them.
func (p *page) showRefused(r *http.Request, form string, err error, show func(f formRefusal) error) error {
	f, ok := p.refused(r, form, err)
	if !ok {
		return err
	}
	p.Flash = f.Message
	return show(f)
}
