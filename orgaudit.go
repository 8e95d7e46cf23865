package beheer

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The organisation's audit log: every change that belongs to no request —
// people and their roles, areas and processes, settings, service levels,
// channels and their contacts, API tokens, webhooks, the plan, releases —
// who made it, when, and what it was before and after. The request's own
// trail stays on the request (store.Audit).

// AuditKind is a kind of object in the organisation's audit log, for
// filtering.
type AuditKind string

// The kinds of object, in the order the filter lists them.
const (
	AuditPeople       AuditKind = "people"
	AuditAreas        AuditKind = "areas"
	AuditSettings     AuditKind = "settings"
	AuditSLA          AuditKind = "sla"
	AuditChannels     AuditKind = "channels"
	AuditTokens       AuditKind = "tokens"
	AuditWebhooks     AuditKind = "webhooks"
	AuditPlan         AuditKind = "plan"
	AuditReleases     AuditKind = "releases"
	AuditPublications AuditKind = "publications"
	AuditRegister     AuditKind = "register"
	AuditMail         AuditKind = "mail"
	AuditOther        AuditKind = "other"
)

// auditPrefixes gives, per kind, how its actions begin.
var auditPrefixes = []struct {
	kind     AuditKind
	prefixes []string
}{
	{AuditPeople, []string{"user.", "people."}},
	{AuditAreas, []string{"area.", "process."}},
	{AuditSettings, []string{"settings.", "request_type.", "organisation.", "setup."}},
	{AuditSLA, []string{"sla."}},
	{AuditChannels, []string{"channel.", "profile."}},
	{AuditTokens, []string{"token."}},
	{AuditWebhooks, []string{"webhook."}},
	{AuditPlan, []string{"plan."}},
	{AuditReleases, []string{"release."}},
	{AuditPublications, []string{"news.", "article.", "publication."}},
	{AuditRegister, []string{"register."}},
	{AuditMail, []string{"mail.", "attachments."}},
}

// AuditKinds lists the kinds of object, "other" last.
func AuditKinds() []AuditKind {
	out := make([]AuditKind, 0, len(auditPrefixes)+1)
	for _, k := range auditPrefixes {
		out = append(out, k.kind)
	}
	return append(out, AuditOther)
}

// Valid reports whether k is a kind of object.
func (k AuditKind) Valid() bool { return slices.Contains(AuditKinds(), k) }

// Prefixes are how the actions of kind k begin; none for "other".
func (k AuditKind) Prefixes() []string {
	for _, p := range auditPrefixes {
		if p.kind == k {
			return p.prefixes
		}
	}
	return nil
}

// AllAuditPrefixes are the prefixes of every named kind: "other" is what
// begins with none of them.
func AllAuditPrefixes() []string {
	var out []string
	for _, p := range auditPrefixes {
		out = append(out, p.prefixes...)
	}
	return out
}

// KindOfAction is the kind of object an action is about.
func KindOfAction(action string) AuditKind {
	for _, p := range auditPrefixes {
		for _, pre := range p.prefixes {
			if strings.HasPrefix(action, pre) {
				return p.kind
			}
		}
	}
	return AuditOther
}

// Limits of the organisation's audit log.
const (
	DefaultAuditLimit = 50
	MaxAuditLimit     = 500
	maxAuditText      = 200
)

// OrgAuditFilter narrows the organisation's audit log.
type OrgAuditFilter struct {
	Kind AuditKind
	// PersonID is who made the change or whom it is about (0: anyone).
	PersonID int64
	// From and To bound the period, To not included; zero is open.
	From, To time.Time
	// Text is found in the action, the field or the values before and
	// after, ignoring case.
	Text string
	// Before is the cursor: rows with a lower id (0: from the newest).
	Before int64
	Limit  int
}

// Validate checks and tidies the filter: the text trimmed, the limit
// defaulted.
func (f *OrgAuditFilter) Validate() error {
	var v Validation
	f.Text = strings.TrimSpace(f.Text)
	if f.Kind != "" && !f.Kind.Valid() {
		v.Add("kind", "field.invalid_choice", "choices", joinCodes(AuditKinds()))
	}
	if utf8.RuneCountInString(f.Text) > maxAuditText || hasControl(f.Text) {
		v.Add("q", "field.too_long", "max", maxAuditText)
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		v.Add("to", "admin.audit.bad_period")
	}
	switch {
	case f.Limit == 0:
		f.Limit = DefaultAuditLimit
	case f.Limit < 1 || f.Limit > MaxAuditLimit:
		v.Add("limit", "field.range", "min", 1, "max", MaxAuditLimit)
	}
	if f.Before < 0 || f.PersonID < 0 {
		v.Add("cursor", "field.invalid")
	}
	return v.Err()
}

// OrgAuditEntry is one row of the organisation's audit log.
type OrgAuditEntry struct {
	AuditEntry
	Kind AuditKind `json:"kind"`
	// SubjectID and SubjectName name the person the change is about, when
	// it is about one.
	SubjectID   int64  `json:"subject_id,omitempty"`
	SubjectName string `json:"subject,omitempty"`
}

// Multiline reports whether the entry's values before and after are texts
// written over several lines — a register entry's description, DNS notes
// or client ids — which an export keeps as they are; every other value
// names something and is exported on one line.
func (e OrgAuditEntry) Multiline() bool {
	_, field, _ := strings.Cut(e.Field, "/")
	return strings.HasPrefix(e.Action, "register.") && slices.Contains([]string{"description", "dns_notes", "client_ids"}, field)
}

// OrgAuditPage is one page of the log, newest first; NextBefore is the
// cursor of the next page, 0 at the end.
type OrgAuditPage struct {
	Items      []OrgAuditEntry `json:"items"`
	NextBefore int64           `json:"-"`
}

// PersonSubject reads the person a field names ("user:12"), 0 for none.
func PersonSubject(field string) int64 {
	rest, ok := strings.CutPrefix(field, "user:")
	if !ok {
		return 0
	}
	var id int64
	for _, r := range rest {
		if r < '0' || r > '9' || id > 1e15 {
			return 0
		}
		id = id*10 + int64(r-'0')
	}
	return id
}

// CanReadOrgAudit reports whether the actor may read the organisation's
// audit log: functional admins of every area, who make most of these
// changes, and management, who answer for them. The log names people and
// settings of every area, so an area's admin or key user does not read
// it (they read the trail of their requests with audit:read).
func CanReadOrgAudit(a *Actor) bool { return a.Can(PermOrgAuditRead, 0) }
