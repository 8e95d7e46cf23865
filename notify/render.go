package notify

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"beheer"
	"beheer/i18n"
	"beheer/store"
)

//go:embed templates
var templateFiles embed.FS

var (
	htmlMail = htmltemplate.Must(htmltemplate.ParseFS(templateFiles, "templates/mail.html", "templates/frame.html"))
	textMail = texttemplate.Must(texttemplate.ParseFS(templateFiles, "templates/mail.txt"))
)

// Renderer writes notification texts and e-mails in a person's language.
type Renderer struct {
	Catalog *i18n.Catalog
	BaseURL string // e.g. https://beheer.example.nl, without a trailing slash
	Zone    *time.Location
}

// NewRenderer builds a renderer; baseURL is the portal's public address.
func NewRenderer(cat *i18n.Catalog, baseURL string) *Renderer {
	zone, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		zone = time.UTC
	}
	return &Renderer{Catalog: cat, BaseURL: strings.TrimRight(baseURL, "/"), Zone: zone}
}

func lang(code string) i18n.Lang {
	if l, ok := i18n.ParseLang(code); ok {
		return l
	}
	return i18n.NL
}

// Summary is the one sentence that says what happened, for the bell and the
// e-mail: from the event kind, its data and who acted.
func (r *Renderer) Summary(l i18n.Lang, eventKind, kind string, data map[string]string, actor string) string {
	c := r.Catalog
	if actor == "" {
		actor = c.T(l, "notify.someone")
	}
	switch eventKind {
	case store.EventPhaseChanged:
		if n := data["duplicate_of"]; n != "" {
			return c.T(l, "notify.event.duplicate", "actor", actor, "number", n)
		}
		if data["reason"] == store.ClosedAfterQuiet {
			return c.T(l, "closure.event.closed_quiet", "days", data["detail"])
		}
		if data["reason"] == store.ClosedAfterRating {
			return c.T(l, "closure.event.closed_rating")
		}
		return c.T(l, "notify.event.phase_changed", "actor", actor, "phase", c.T(l, "phase."+data["to"]))
	case store.EventEvaluated:
		return c.T(l, "closure.event.rated_"+data["outcome"], "actor", actor, "rating", data["rating"])
	case store.EventStatusChanged:
		switch data["to"] {
		case "awaiting_requester":
			return c.T(l, "notify.event.question", "actor", actor)
		case "awaiting_decision":
			return c.T(l, "notify.event.decision_waits", "actor", actor)
		}
		return c.T(l, "notify.event.status_changed", "actor", actor, "status", c.T(l, "status."+data["to"]))
	case store.EventAssigned:
		return c.T(l, "notify.event.assigned", "actor", actor)
	case store.EventCommentAdded:
		if data["internal"] == "true" {
			return c.T(l, "notify.event.internal_note", "actor", actor)
		}
		return c.T(l, "notify.event.comment", "actor", actor)
	case store.EventDecisionTaken:
		if data["outcome"] == "rejected" {
			return c.T(l, "notify.event.decision_rejected", "actor", actor)
		}
		return c.T(l, "notify.event.decision_approved", "actor", actor)
	case store.EventTaskCreated:
		return c.T(l, "notify.event.task_created", "actor", actor)
	case store.EventTaskCompleted:
		return c.T(l, "notify.event.task_completed", "actor", actor)
	case EventSLAWarning:
		if data["breached"] == "true" {
			return c.T(l, "sla.event.breached")
		}
		return c.T(l, "notify.event.sla_warning")
	case store.EventMentioned:
		if data["internal"] == "true" {
			return c.T(l, "notify.event.mentioned_internal", "actor", actor)
		}
		return c.T(l, "notify.event.mentioned", "actor", actor)
	case store.EventFollowerAdded:
		return c.T(l, "notify.event.follower_added", "actor", actor)
	case store.EventJoinedParent:
		return c.T(l, "notify.event.joined_parent", "actor", actor, "number", data["number"])
	case store.EventRequestFiled:
		return c.T(l, "notify.event.filed", "actor", actor)
	case store.EventEscalationClosed:
		if data["returned"] == "true" {
			return c.T(l, "notify.event.vendor_returned", "actor", actor, "channel", c.T(l, "channel."+data["channel"]))
		}
		return c.T(l, "notify.event.escalation_closed", "actor", actor, "channel", c.T(l, "channel."+data["channel"]))
	case store.EventTaskOverdue:
		return c.T(l, "notify.event.task_overdue")
	}
	return c.T(l, "notify.event.other", "actor", actor)
}

// RequestURL is the link to a request in the portal.
func (r *Renderer) RequestURL(id int64) string {
	return r.BaseURL + "/requests/" + strconv.FormatInt(id, 10)
}

// mailData is what the e-mail templates get.
type mailData struct {
	Lang     string
	Heading  string
	Greeting string
	Lines    []mailLine
	Button   string
	Link     string
	Why      string
	Settings string
	SetURL   string
}

type mailLine struct {
	Text string
	Meta string
	Link string
}

// Mail renders the e-mail to p about one event.
//
// A decision token makes the button the decision link: it opens the
// decision form (after signing in) and decides once.
func (r *Renderer) Mail(p *store.Person, f store.EventFacts, kind, decisionToken string) (*store.OutMail, error) {
	l := lang(p.Lang)
	c := r.Catalog
	actor := ""
	if a := f.People[f.Event.ActorID]; a != nil {
		actor = a.Name
	} else if f.Event.ActorID != 0 {
		actor = c.T(l, "notify.someone")
	}
	data := dataOf(f.Event)
	summary := r.Summary(l, f.Event.Kind, kind, data, actor)
	number, title, link := "", "", r.BaseURL+"/notifications"
	meta := ""
	if f.Request != nil {
		number, title, link = f.Request.Number, beheer.OneLine(f.Request.Title), r.RequestURL(f.Request.ID)
		meta = c.T(l, "mail.request_meta", "number", number, "phase", c.T(l, "phase."+string(f.Request.Phase)),
			"status", c.T(l, "status."+string(f.Request.Status)))
	}
	subject := c.T(l, "mail.subject."+kind, "number", number, "title", title,
		"phase", c.T(l, "phase."+data["to"]))
	d := mailData{
		Lang:     string(l),
		Heading:  title,
		Greeting: c.T(l, "mail.greeting", "name", p.Name),
		Lines:    []mailLine{{Text: summary, Meta: meta}},
		Button:   c.T(l, "mail.open_request"),
		Link:     link,
		Why:      c.T(l, "mail.why."+kind),
		Settings: c.T(l, "mail.settings"),
		SetURL:   r.BaseURL + "/settings/notifications",
	}
	if decisionToken != "" {
		d.Button, d.Link = c.T(l, "req.decide.title"), r.BaseURL+"/decide/"+decisionToken
	}
	return r.build(p, subject, htmlMail, textMail, d)
}

// Digest renders the daily digest of a person's waiting notifications.
func (r *Renderer) Digest(p *store.Person, items []store.Notification) (*store.OutMail, error) {
	if len(items) == 0 {
		return nil, nil
	}
	l := lang(p.Lang)
	c := r.Catalog
	d := mailData{
		Lang:     string(l),
		Heading:  c.T(l, "mail.digest.heading"),
		Greeting: c.T(l, "mail.greeting", "name", p.Name),
		Button:   c.T(l, "mail.digest.open"),
		Link:     r.BaseURL + "/notifications",
		Why:      c.T(l, "mail.digest.why"),
		Settings: c.T(l, "mail.settings"),
		SetURL:   r.BaseURL + "/settings/notifications",
	}
	for _, n := range items {
		line := mailLine{Text: r.Summary(l, n.EventKind, n.Kind, n.Data, n.ActorName),
			Meta: i18n.FormatDateTime(l, n.CreatedAt, r.Zone)}
		if n.RequestID != 0 {
			line.Meta = n.RequestNumber + " " + beheer.OneLine(n.RequestTitle) + " · " + line.Meta
			line.Link = r.RequestURL(n.RequestID)
		}
		d.Lines = append(d.Lines, line)
	}
	subject := c.T(l, "mail.digest.subject", "count", len(items))
	return r.build(p, subject, htmlMail, textMail, d)
}

// build renders the two parts of an e-mail to p from its templates.
func (r *Renderer) build(p *store.Person, subject string, html *htmltemplate.Template, text *texttemplate.Template, d any) (*store.OutMail, error) {
	var h, t bytes.Buffer
	if err := html.Execute(&h, d); err != nil {
		return nil, err
	}
	if err := text.Execute(&t, d); err != nil {
		return nil, err
	}
	return &store.OutMail{To: p.Email, ToName: HeaderSafe(p.Name), Lang: string(lang(p.Lang)),
		Subject: HeaderSafe(subject), Text: t.String(), HTML: h.String()}, nil
}

// dataOf is the event's data as stored with a notification: the internal
// flag travels along, so the bell can say "internal note".
func dataOf(e store.Event) map[string]string {
	out := map[string]string{}
	for k, v := range e.Data {
		out[k] = v
	}
	if e.Internal {
		out["internal"] = "true"
	}
	return out
}

// HeaderSafe makes text safe for a mail header: every control character
// (CR and LF above all) becomes a space, so a name or title can never start
// a header of its own; the result is also cut to a sane length.
func HeaderSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || beheer.IsLineBreak(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if rs := []rune(s); len(rs) > 200 {
		s = string(rs[:200]) + "…"
	}
	return s
}
