package beheer

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// PublicationKind says what a publication is: a news item (nieuwsbericht)
// or a user instruction of the knowledge base (kennisbank). Both are one
// feature — one noun, one store, one set of pages — and what sets the kinds
// apart is written down once, as PublicationTraits.
type PublicationKind string

// The kinds of publication. Each kind numbers its publications itself, so
// news item 12 and article 12 are two different publications.
const (
	PublicationNews    PublicationKind = "news"
	PublicationArticle PublicationKind = "article"
)

// PublicationKinds lists the kinds in the order the product shows them.
var PublicationKinds = []PublicationKind{PublicationNews, PublicationArticle}

// Valid reports whether k is a known kind.
func (k PublicationKind) Valid() bool { return slices.Contains(PublicationKinds, k) }

// PublicationTraits is what one kind of publication carries and how it is
// read: the differences between news and articles as data, so that the
// store, the handlers and the templates ask the kind instead of naming it.
type PublicationTraits struct {
	// Messages is the prefix of the kind's catalogue keys ("news.new",
	// "kb.new", …).
	Messages string
	// AreaField names the area in forms, the API and field errors: a news
	// item's area is its audience's, an article's area is its subject.
	AreaField string
	// MaxBody bounds the text, in characters.
	MaxBody int
	// Audience: addressed to a role, an area, or that role in that area;
	// only those people read it. Otherwise everyone reads it.
	Audience bool
	// Dated: shown from PublishAt until ExpireAt; a PublishAt in the future
	// is its draft. The kind has no status to choose.
	Dated bool
	// Drafts: the writer chooses draft or published.
	Drafts bool
	// Tags: carries tags, which search covers with the text.
	Tags bool
	// Revisions: every saved version is kept and writers can read it back.
	Revisions bool
	// Feedback: readers answer "did this help?".
	Feedback bool
	// Search: readers search the kind by words and filter it by area, and
	// it is suggested while a request is typed.
	Search bool
}

// publicationTraits is the traits table. It is never modified.
var publicationTraits = map[PublicationKind]PublicationTraits{
	PublicationNews: {Messages: "news", AreaField: "audience_area", MaxBody: 50000,
		Audience: true, Dated: true},
	PublicationArticle: {Messages: "kb", AreaField: "area", MaxBody: 100000,
		Drafts: true, Tags: true, Revisions: true, Feedback: true, Search: true},
}

// Traits returns what the kind carries; an unknown kind carries nothing.
func (k PublicationKind) Traits() PublicationTraits { return publicationTraits[k] }

// Key is the catalogue key of one of the kind's messages: Key("stale") is
// "news.stale" for news and "kb.stale" for articles.
func (k PublicationKind) Key(name string) string { return k.Traits().Messages + "." + name }

// PublicationStatus says whether readers may see a publication at all.
type PublicationStatus string

// The publication statuses: a draft is seen by writers only. Kinds without
// Drafts are always published; their dates decide the rest.
const (
	PublicationDraft     PublicationStatus = "draft"
	PublicationPublished PublicationStatus = "published"
)

// PublicationStatuses lists the statuses a writer chooses from.
var PublicationStatuses = []PublicationStatus{PublicationDraft, PublicationPublished}

// Valid reports whether s is a known status.
func (s PublicationStatus) Valid() bool { return slices.Contains(PublicationStatuses, s) }

// Limits of a publication.
const (
	MaxPublicationTitle = 200
	MaxTags             = 10
	MaxTagLength        = 40
)

// Publication is a news item or a knowledge-base article. Fields a kind
// does not carry (see PublicationTraits) stay zero.
type Publication struct {
	Kind   PublicationKind
	ID     int64
	Title  string
	Body   string // Markdown
	Status PublicationStatus
	// AreaID is an article's subject, or a news item's audience area; 0 is
	// none (every area).
	AreaID       int64
	AreaCode     string
	AreaName     string
	AudienceRole Role // news: only holders of this role read it; "" is every role
	Tags         []string
	// PublishAt is when a news item is shown from, or when an article was
	// first published (zero while it never was).
	PublishAt  time.Time
	ExpireAt   time.Time // news: when it stops being shown; zero is never
	AuthorID   int64
	AuthorName string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int64
	Helpful    int // "did this help?" yes votes
	NotHelpful int // and no votes
	MyVote     int // the reader's own vote: 1 yes, -1 no, 0 none
}

// Draft reports whether readers cannot see the publication yet at now: a
// draft article, or a news item whose publication lies ahead.
func (p *Publication) Draft(now time.Time) bool {
	return p.Status != PublicationPublished || (p.Kind.Traits().Dated && p.PublishAt.After(now))
}

// Expired reports whether a dated publication's end has passed at now.
func (p *Publication) Expired(now time.Time) bool {
	return p.Kind.Traits().Dated && !p.ExpireAt.IsZero() && !p.ExpireAt.After(now)
}

// Live reports whether the publication is shown to its readers at now.
func (p *Publication) Live(now time.Time) bool { return !p.Draft(now) && !p.Expired(now) }

// State names where the publication stands at now: "draft", "live" or
// "expired" (the writers' badge, and a news item's state in the API).
func (p *Publication) State(now time.Time) string {
	switch {
	case p.Draft(now):
		return "draft"
	case p.Expired(now):
		return "expired"
	}
	return "live"
}

// Audience is who the publication is for: a role ("" every role) and an
// area (0 every area). Kinds without an audience are for everyone.
func (p *Publication) Audience() (Role, int64) {
	if !p.Kind.Traits().Audience {
		return "", 0
	}
	return p.AudienceRole, p.AreaID
}

// VisibleTo reports whether the actor may read the publication at now:
// writers read everything, everyone else what is live for their audience.
func (p *Publication) VisibleTo(a *Actor, now time.Time) bool {
	if CanWritePublications(a) {
		return true
	}
	role, area := p.Audience()
	return p.Live(now) && AudienceReachOf(a).Covers(role, area)
}

// CanWritePublications reports whether the actor writes news and articles.
func CanWritePublications(a *Actor) bool { return a.CanAnywhere(PermPublicationWrite) }

// AudienceReach is where a reader's roles place them among audiences: an
// item reaches them when it is for everyone, for an area they hold any role
// in, or for a role they hold (in the item's area, when it names one). The
// user role, which everyone holds, reaches only what is for everyone.
type AudienceReach struct {
	AllAreas bool    // holds some role for every area
	Areas    []int64 // otherwise: the areas they hold some role in
	Roles    []RoleReach
}

// RoleReach is where a reader holds one role: everywhere, or in Areas.
type RoleReach struct {
	Role     Role
	AllAreas bool
	Areas    []int64
}

// AudienceReachOf works out the actor's reach from their roles.
func AudienceReachOf(a *Actor) AudienceReach {
	var r AudienceReach
	if a == nil {
		return r
	}
	for _, as := range a.Roles {
		if as.Role == RoleUser {
			continue
		}
		i := slices.IndexFunc(r.Roles, func(rr RoleReach) bool { return rr.Role == as.Role })
		if i < 0 {
			r.Roles = append(r.Roles, RoleReach{Role: as.Role})
			i = len(r.Roles) - 1
		}
		rr := &r.Roles[i]
		if as.AreaID == 0 {
			r.AllAreas, rr.AllAreas = true, true
			continue
		}
		r.Areas = appendNew(r.Areas, as.AreaID)
		rr.Areas = appendNew(rr.Areas, as.AreaID)
	}
	if r.AllAreas {
		r.Areas = nil
	}
	for i := range r.Roles {
		if r.Roles[i].AllAreas {
			r.Roles[i].Areas = nil
		}
	}
	return r
}

func appendNew(list []int64, id int64) []int64 {
	if slices.Contains(list, id) {
		return list
	}
	return append(list, id)
}

// Covers reports whether an audience of role ("" every role) in area (0
// every area) includes the reader.
func (r AudienceReach) Covers(role Role, area int64) bool {
	if role == "" {
		return area == 0 || r.AllAreas || slices.Contains(r.Areas, area)
	}
	i := slices.IndexFunc(r.Roles, func(rr RoleReach) bool { return rr.Role == role })
	if i < 0 {
		return false
	}
	return area == 0 || r.Roles[i].AllAreas || slices.Contains(r.Roles[i].Areas, area)
}

// PublicationInput is what a writer sends to create or change a
// publication. Fields the kind does not carry are ignored.
type PublicationInput struct {
	Kind         PublicationKind
	Title        string
	Body         string
	AreaID       int64             // the article's subject, the news item's audience area; 0 is none
	AudienceRole Role              // news: "" is every role
	Tags         []string          // articles
	Status       PublicationStatus // articles: "" is a draft
	PublishAt    time.Time         // news: zero is now
	ExpireAt     time.Time         // news: zero is no end
}

// Validate fills the kind's defaults — a news item is published from now
// unless it says otherwise, an article is a draft unless it says otherwise
// — clears what the kind does not carry, and checks the fields.
func (in *PublicationInput) Validate(now time.Time) error {
	t := in.Kind.Traits()
	if !in.Kind.Valid() {
		return Invalid("kind", "field.invalid_choice", "choices", joinCodes(PublicationKinds))
	}
	in.carry(t, now)
	var v Validation
	in.Title = strings.TrimSpace(in.Title)
	validateLine(&v, "title", in.Title, MaxPublicationTitle, true)
	validateText(&v, "body", in.Body, t.MaxBody, false)
	if t.Audience && in.AudienceRole != "" && (!in.AudienceRole.Valid() || in.AudienceRole == RoleUser) {
		v.Add("audience_role", "news.field.audience_role_invalid")
	}
	if t.Dated && !in.ExpireAt.IsZero() && !in.ExpireAt.After(in.PublishAt) {
		v.Add("expire_at", "news.field.expire_before_publish")
	}
	if t.Drafts {
		in.validateStatus(&v)
	}
	if t.Tags {
		in.validateTags(&v)
	}
	return v.Err()
}

// carry keeps what the kind carries and fills its defaults.
func (in *PublicationInput) carry(t PublicationTraits, now time.Time) {
	if !t.Audience {
		in.AudienceRole = ""
	}
	switch {
	case !t.Dated:
		in.PublishAt, in.ExpireAt = time.Time{}, time.Time{}
	case in.PublishAt.IsZero():
		in.PublishAt = now
	}
	switch {
	case !t.Drafts:
		in.Status = PublicationPublished
	case in.Status == "":
		in.Status = PublicationDraft
	}
	if !t.Tags {
		in.Tags = nil
	}
}

// PublishMoment is what a write stores as PublishAt: a dated kind's own
// moment; for other kinds the first publication — kept once there was one
// (before), now when this write publishes for the first time, zero while
// it never was.
func (in *PublicationInput) PublishMoment(before, now time.Time) time.Time {
	switch {
	case in.Kind.Traits().Dated:
		return in.PublishAt
	case !before.IsZero():
		return before
	case in.Status == PublicationPublished:
		return now
	}
	return time.Time{}
}

func (in *PublicationInput) validateStatus(v *Validation) {
	if !in.Status.Valid() {
		v.Add("status", "field.invalid_choice", "choices", joinCodes(PublicationStatuses))
	}
	if in.Status == PublicationPublished && strings.TrimSpace(in.Body) == "" {
		v.Add("body", "kb.field.body_to_publish")
	}
}

// validateTags normalises the tags and checks their number and form.
func (in *PublicationInput) validateTags(v *Validation) {
	in.Tags = ParseTags(strings.Join(in.Tags, ","))
	if len(in.Tags) > MaxTags {
		v.Add("tags", "kb.field.too_many_tags", "max", MaxTags)
	}
	for _, t := range in.Tags {
		if len([]rune(t)) > MaxTagLength || strings.IndexFunc(t, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
		}) >= 0 {
			v.Add("tags", "kb.field.tag", "max", MaxTagLength)
			return
		}
	}
}

// ParseTags splits a comma-separated list of tags: lower case, inner spaces
// become hyphens, duplicates and empty ones dropped.
func ParseTags(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		t := strings.Join(strings.Fields(strings.ToLower(part)), "-")
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// PublicationRevision is one saved version of a publication whose kind
// keeps Revisions.
type PublicationRevision struct {
	Version    int64
	Title      string
	Body       string
	Status     PublicationStatus
	EditorID   int64
	EditorName string
	At         time.Time
}

// CheckFeedback says whether the actor may answer "did this help?" on p at
// now: a reader of a live publication of a kind that asks. A writer who
// tries it on a draft learns why it cannot be rated; anyone else cannot
// know the draft exists.
func CheckFeedback(a *Actor, p *Publication, now time.Time) error {
	if !p.Kind.Traits().Feedback {
		return ErrNotFound()
	}
	if !p.Live(now) {
		if !CanWritePublications(a) {
			return ErrNotFound()
		}
		return Errorf(CodeConflict, "kb.feedback_draft")
	}
	if a == nil || a.UserID == 0 {
		return ErrForbidden("")
	}
	return nil
}

// RequestKnowledge is what the news and the knowledge base hold about one
// request: the articles and news items linked to it that the actor may read.
type RequestKnowledge struct {
	Articles []*Publication
	News     []*Publication
	// CanWrite says whether the actor may turn the request into an article.
	CanWrite bool
}
