package beheer

import (
	"slices"
	"time"
)

// Who decides a change request. The seed makes key users optional and lets
// the process owner fill the role; an organisation without either still has
// functional admins of all areas. An area may name its own deciders in an
// approval rule (one of them, all of them, or N of them), and a decider away
// for a while may leave the decision to a deputy.

// DeciderSource says why the deciders of a change request are who they are;
// the request page shows it ("Besluit door de key user van HR").
type DeciderSource string

// The sources, in the order they are tried.
const (
	DeciderRule         DeciderSource = "rule"             // named in the area's approval rule
	DeciderKeyUser      DeciderSource = "key_user"         // the key users of the area
	DeciderProcessOwner DeciderSource = "process_owner"    // the owner of the request's process
	DeciderAdmin        DeciderSource = "functional_admin" // functional admins of all areas
	DeciderNobody       DeciderSource = "none"             // no area yet, or nobody at all
)

// maxApprovalDeciders bounds the deciders a rule names.
const maxApprovalDeciders = 20

// ApprovalMode is how many of an approval rule's deciders must approve.
type ApprovalMode string

// The modes.
const (
	ApprovalOne    ApprovalMode = "one"    // any one of the deciders
	ApprovalAll    ApprovalMode = "all"    // every one of them
	ApprovalQuorum ApprovalMode = "quorum" // N of the M deciders
)

// ApprovalModes lists the modes in the order forms offer them.
var ApprovalModes = []ApprovalMode{ApprovalOne, ApprovalAll, ApprovalQuorum}

// Valid reports whether m is a known mode.
func (m ApprovalMode) Valid() bool { return slices.Contains(ApprovalModes, m) }

// ApprovalRule is an area's own rule for deciding its change requests. A
// rule of mode one without named deciders leaves the default deciders in
// place; named deciders replace them.
type ApprovalRule struct {
	AreaID    int64        `json:"area_id"`
	Mode      ApprovalMode `json:"mode"`
	Required  int          `json:"required"` // quorum only: how many must approve
	Deciders  []int64      `json:"deciders"`
	Version   int64        `json:"version"`
	UpdatedAt time.Time    `json:"updated_at,omitzero"`
}

// Needed is how many approvals the rule asks for.
func (r *ApprovalRule) Needed() int {
	switch r.Mode {
	case ApprovalAll:
		return len(r.Deciders)
	case ApprovalQuorum:
		return r.Required
	}
	return 1
}

// Validate checks a rule as an administrator filled it in: a known mode,
// each decider once, at most maxApprovalDeciders; all needs at least two
// deciders, a quorum N between 1 and M with M at least two.
func (r *ApprovalRule) Validate() error {
	var v Validation
	if !r.Mode.Valid() {
		v.Add("mode", "field.invalid_choice", "choices", ApprovalModes)
		return v.Err()
	}
	seen := map[int64]bool{}
	for _, id := range r.Deciders {
		if id <= 0 || seen[id] {
			v.Add("deciders", "approval_rule.decider_twice")
			return v.Err()
		}
		seen[id] = true
	}
	n := len(r.Deciders)
	switch {
	case n > maxApprovalDeciders:
		v.Add("deciders", "approval_rule.too_many", "max", maxApprovalDeciders)
	case r.Mode == ApprovalAll && n < 2:
		v.Add("deciders", "approval_rule.needs_two")
	case r.Mode == ApprovalQuorum && n < 2:
		v.Add("deciders", "approval_rule.needs_two")
	case r.Mode == ApprovalQuorum && (r.Required < 1 || r.Required > n):
		v.Add("required", "field.range", "min", 1, "max", n)
	}
	if r.Mode != ApprovalQuorum {
		r.Required = 0
	}
	return v.Err()
}

// CheckApprovalDecider says whether a person (nil when no account has the
// id) may be named in a rule: an active person who can see the area's
// requests or decides them anyway.
func CheckApprovalDecider(v *Validation, u *User) {
	switch {
	case u == nil:
		v.Add("deciders", "approval_rule.decider_unknown")
	case !u.Active:
		v.Add("deciders", "approval_rule.decider_inactive", "name", u.Name)
	}
}

// DeciderCandidates is what the store gathers about a change request for
// NewPanel: the active key users of its area, its process's owner (0 when
// none or inactive), the active functional admins of all areas and the
// area's rule with only its active deciders (nil when none).
type DeciderCandidates struct {
	AreaID           int64
	KeyUsers         []int64
	ProcessOwner     int64
	FunctionalAdmins []int64
	Rule             *ApprovalRule
}

// Panel is who decides a change request, how many approvals it needs and
// the votes cast so far.
type Panel struct {
	Source   DeciderSource `json:"source"`
	Members  []int64       `json:"members"`
	Required int           `json:"required"`
	Mode     ApprovalMode  `json:"mode"`
	Votes    []Vote        `json:"votes"`
	Deputies []Deputy      `json:"deputies,omitempty"` // the members' deputies, any period
	// Names are the members' names, for showing the panel.
	Names map[int64]string `json:"names,omitempty"`
}

// Waiting lists the members who have not voted yet.
func (p *Panel) Waiting() []int64 {
	var out []int64
	for _, m := range p.Members {
		if !p.voted(m) {
			out = append(out, m)
		}
	}
	return out
}

// Vote is one decider's approval or rejection, cast by themselves or by
// their deputy (then By differs from For).
type Vote struct {
	For        int64           `json:"for"`
	ForName    string          `json:"for_name,omitempty"`
	By         int64           `json:"by"`
	ByName     string          `json:"by_name,omitempty"`
	Outcome    DecisionOutcome `json:"outcome"`
	Motivation string          `json:"motivation"`
	At         time.Time       `json:"at"`
}

// NewPanel applies the decider rule: the area's rule where it names enough
// active deciders to be met; else the key users of the area, else the
// process owner, else the functional admins of all areas. Without an area
// nobody decides yet.
func NewPanel(c DeciderCandidates) Panel {
	if c.AreaID == 0 {
		return Panel{Source: DeciderNobody, Mode: ApprovalOne, Required: 1}
	}
	if r := c.Rule; r != nil && len(r.Deciders) > 0 && len(r.Deciders) >= r.Needed() {
		return Panel{Source: DeciderRule, Members: slices.Clone(r.Deciders), Required: r.Needed(), Mode: r.Mode}
	}
	p := Panel{Mode: ApprovalOne, Required: 1}
	switch {
	case len(c.KeyUsers) > 0:
		p.Source, p.Members = DeciderKeyUser, slices.Clone(c.KeyUsers)
	case c.ProcessOwner > 0:
		p.Source, p.Members = DeciderProcessOwner, []int64{c.ProcessOwner}
	case len(c.FunctionalAdmins) > 0:
		p.Source, p.Members = DeciderAdmin, slices.Clone(c.FunctionalAdmins)
	default:
		p.Source = DeciderNobody
	}
	return p
}

// Approvals counts the approving votes of members.
func (p *Panel) Approvals() int {
	n := 0
	for _, v := range p.Votes {
		if v.Outcome == DecisionApproved && slices.Contains(p.Members, v.For) {
			n++
		}
	}
	return n
}

// Outcome is the decision the votes make: a rejection by any decider
// rejects at once (a change goes ahead only with the consent the rule asks
// for, and one well-founded no is enough to stop it); enough approvals
// approve; otherwise the decision is still open ("").
func (p *Panel) Outcome() DecisionOutcome {
	for _, v := range p.Votes {
		if v.Outcome == DecisionRejected && slices.Contains(p.Members, v.For) {
			return DecisionRejected
		}
	}
	if p.Approvals() >= p.Required {
		return DecisionApproved
	}
	return ""
}

// voted reports whether member already cast their vote.
func (p *Panel) voted(member int64) bool {
	return slices.ContainsFunc(p.Votes, func(v Vote) bool { return v.For == member })
}

// SpeaksFor returns the member on whose behalf the person votes now:
// themselves when they are a member who has not voted yet, else the first
// member who has not voted and whose deputy they are today. ok is false
// when they may not vote (any more).
func (p *Panel) SpeaksFor(userID int64, now time.Time) (member int64, ok bool) {
	if slices.Contains(p.Members, userID) {
		return userID, !p.voted(userID)
	}
	for _, d := range p.Deputies {
		if d.DeputyID == userID && d.ActiveOn(now) && slices.Contains(p.Members, d.UserID) && !p.voted(d.UserID) {
			return d.UserID, true
		}
	}
	return 0, false
}

// Involves reports whether the person decides, or stands in for someone
// who decides, now: such a person may read the request even without a role
// for its area.
func (p *Panel) Involves(userID int64, now time.Time) bool {
	if slices.Contains(p.Members, userID) {
		return true
	}
	return slices.ContainsFunc(p.Deputies, func(d Deputy) bool {
		return d.DeputyID == userID && d.ActiveOn(now) && slices.Contains(p.Members, d.UserID)
	})
}

// CheckDecision says whether the actor may cast a vote on this change
// request now: only a decider of its panel (or their deputy during the
// period), only on a change request in Onderzoek, only while undecided,
// once per decider, always with an outcome and a motivation.
func CheckDecision(a *Actor, r *Request, f Facts, p *Panel, now time.Time, outcome DecisionOutcome, motivation string) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	var v Validation
	if outcome == "" {
		v.Add("outcome", "field.required")
	} else if !outcome.Valid() {
		v.Add("outcome", "field.invalid_choice", "choices", []DecisionOutcome{DecisionApproved, DecisionRejected})
	}
	validateText(&v, "motivation", motivation, MaxNote, true)
	if err := v.Err(); err != nil {
		return err
	}
	if r.AreaID == 0 || !p.Involves(a.UserID, now) {
		return ErrForbidden("decision.only_key_user")
	}
	switch {
	case r.Type != TypeChange:
		return Errorf(CodeConflict, "decision.only_change")
	case r.Phase != PhaseInvestigation:
		return Errorf(CodeConflict, "decision.wrong_phase")
	case f.Decision != "":
		return Errorf(CodeConflict, "decision.already")
	}
	if _, ok := p.SpeaksFor(a.UserID, now); !ok {
		return Errorf(CodeConflict, "decision.already_voted")
	}
	return nil
}

// Deputy is a person's stand-in for a period of days (both inclusive):
// while it runs, the deputy may decide in their name, recorded as "namens".
type Deputy struct {
	UserID     int64     `json:"user_id"`
	UserName   string    `json:"user_name,omitempty"`
	DeputyID   int64     `json:"deputy_id"`
	DeputyName string    `json:"deputy_name,omitempty"`
	From       time.Time `json:"from"`
	Until      time.Time `json:"until"`
	Version    int64     `json:"version"`
}

// ActiveOn reports whether the period covers the day of now (in UTC, as
// days are kept).
func (d Deputy) ActiveOn(now time.Time) bool {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return !day.Before(d.From) && !day.After(d.Until)
}

// CanSetDeputy reports whether the actor may set the deputy of person
// forUser: everyone their own, functional admins of all areas anyone's.
func CanSetDeputy(a *Actor, forUser int64) bool {
	return a != nil && (a.UserID == forUser || a.Can(PermUserManage, 0))
}

// CheckDeputy says whether d may be set by the actor: the right person, a
// deputy (nil when no account has the id) who is someone else, active and
// able to decide (a key user or a functional admin), and a period that
// does not end before it starts.
func CheckDeputy(a *Actor, d Deputy, deputy *User) error {
	if !CanSetDeputy(a, d.UserID) {
		return ErrForbidden("deputy.forbidden")
	}
	var v Validation
	switch {
	case d.DeputyID <= 0:
		v.Add("deputy_id", "field.required")
	case deputy == nil:
		v.Add("deputy_id", "deputy.unknown")
	case deputy.ID == d.UserID:
		v.Add("deputy_id", "deputy.self")
	case !deputy.Active:
		v.Add("deputy_id", "deputy.inactive", "name", deputy.Name)
	case !canDecideSomewhere(deputy.Roles):
		v.Add("deputy_id", "deputy.needs_role", "name", deputy.Name)
	}
	switch {
	case d.From.IsZero():
		v.Add("from", "field.required")
	case d.Until.IsZero():
		v.Add("until", "field.required")
	case d.Until.Before(d.From):
		v.Add("until", "deputy.ends_before_start")
	case d.Until.Sub(d.From) > 366*24*time.Hour:
		v.Add("until", "deputy.too_long")
	}
	return v.Err()
}

// canDecideSomewhere reports whether the roles make someone a decider in
// their own right: a key user or functional admin of some area.
func canDecideSomewhere(roles []Assignment) bool {
	return slices.ContainsFunc(roles, func(as Assignment) bool {
		return as.Role == RoleKeyUser || as.Role == RoleFunctionalAdmin
	})
}

// DecisionLinkLifetime is how long the link in a decision e-mail opens the
// decision form: a working week and a weekend, after which the request page
// is the way in.
const DecisionLinkLifetime = 9 * 24 * time.Hour

// DecisionLink is a decision e-mail's link as stored: for one person and
// one request, used at most once.
type DecisionLink struct {
	Found     bool
	RequestID int64
	UserID    int64
	ExpiresAt time.Time
	UsedAt    time.Time
}

// CheckDecisionLink says whether the actor may use the link at now: an
// unknown link or someone else's opens nothing; a used or expired one says
// so, so the person knows to use the request page.
func CheckDecisionLink(a *Actor, l DecisionLink, now time.Time) error {
	switch {
	case !l.Found:
		return Errorf(CodeNotFound, "decision_link.unknown")
	case a == nil || a.UserID != l.UserID:
		return Errorf(CodeForbidden, "decision_link.other_person")
	case !l.UsedAt.IsZero():
		return Errorf(CodeConflict, "decision_link.used")
	case !now.Before(l.ExpiresAt):
		return Errorf(CodeConflict, "decision_link.expired")
	}
	return nil
}
