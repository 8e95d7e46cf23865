package beheer

import (
	"slices"
	"strings"
	"time"
)

// The technical register (technisch register): the integrations with other
// systems, the identity provider for single sign-on and the mail server the
// application sends through, kept as documented facts by technical
// management, each with a periodic review. A due review becomes a request
// with a task for the entry's owner (the store's review sweep).
//
// Who may do what: functional admins (of any area), technical admins and
// management read the register; technical admins and functional admins for
// every area keep it and record reviews. Users and key users do not see it.

// RegisterKind is what an entry documents.
type RegisterKind string

// The kinds of entries.
const (
	RegisterKindIntegration      RegisterKind = "integration"       // koppeling
	RegisterKindIdentityProvider RegisterKind = "identity_provider" // single sign-on
	RegisterKindMailServer       RegisterKind = "mail_server"       // e-mail out of the application
)

// RegisterKinds lists the kinds in display order.
var RegisterKinds = []RegisterKind{RegisterKindIntegration, RegisterKindIdentityProvider, RegisterKindMailServer}

// Valid reports whether k is one of the kinds.
func (k RegisterKind) Valid() bool { return slices.Contains(RegisterKinds, k) }

// RegisterStatus says whether an entry is in use.
type RegisterStatus string

// The statuses. A retired entry has no reviews.
const (
	RegisterActive  RegisterStatus = "active"
	RegisterPlanned RegisterStatus = "planned"
	RegisterFailing RegisterStatus = "failing"
	RegisterRetired RegisterStatus = "retired"
)

// RegisterStatuses lists the statuses in display order.
var RegisterStatuses = []RegisterStatus{RegisterActive, RegisterPlanned, RegisterFailing, RegisterRetired}

// Valid reports whether s is one of the statuses.
func (s RegisterStatus) Valid() bool { return slices.Contains(RegisterStatuses, s) }

// RegisterDirection is which way an integration's data flows, seen from
// the application.
type RegisterDirection string

// The directions.
const (
	DirectionInbound       RegisterDirection = "inbound"
	DirectionOutbound      RegisterDirection = "outbound"
	DirectionBidirectional RegisterDirection = "bidirectional"
)

// RegisterDirections lists the directions.
var RegisterDirections = []RegisterDirection{DirectionOutbound, DirectionInbound, DirectionBidirectional}

// Valid reports whether d is one of the directions.
func (d RegisterDirection) Valid() bool { return slices.Contains(RegisterDirections, d) }

// SSOProtocol is an identity provider's single sign-on protocol.
type SSOProtocol string

// The protocols.
const (
	ProtocolOIDC SSOProtocol = "oidc"
	ProtocolSAML SSOProtocol = "saml"
)

// SSOProtocols lists the protocols.
var SSOProtocols = []SSOProtocol{ProtocolOIDC, ProtocolSAML}

// Valid reports whether p is one of the protocols.
func (p SSOProtocol) Valid() bool { return slices.Contains(SSOProtocols, p) }

// TLSMode is how a mail server's connection is encrypted.
type TLSMode string

// The TLS modes.
const (
	TLSStartTLS TLSMode = "starttls"
	TLSImplicit TLSMode = "tls"
	TLSNone     TLSMode = "none"
)

// TLSModes lists the TLS modes.
var TLSModes = []TLSMode{TLSStartTLS, TLSImplicit, TLSNone}

// Valid reports whether m is one of the TLS modes.
func (m TLSMode) Valid() bool { return slices.Contains(TLSModes, m) }

// Limits of register fields.
const (
	// DefaultReviewMonths is the review interval when none is given.
	DefaultReviewMonths = 12
	// MaxReviewMonths bounds the review interval: five years.
	MaxReviewMonths = 60
	// maxClientIDs bounds an identity provider's client ids.
	maxClientIDs = 20
	// maxClientID bounds one client id.
	maxClientID = 200
)

// RegisterEntry is one documented fact of the technical register. Only the
// fields of its kind are filled; days are midnight UTC, zero for none.
type RegisterEntry struct {
	ID          int64
	Kind        RegisterKind
	Name        string
	Status      RegisterStatus
	OwnerID     int64
	OwnerName   string
	AreaID      int64
	AreaCode    string
	AreaName    string
	Description string // Markdown

	// integration
	Direction           RegisterDirection
	OtherSystem         string
	Technique           string
	MaintainerContactID int64  // a contact of the organisation profile
	MaintainerContact   string // that contact's name and organisation
	Maintainer          string // free text when no contact is registered

	// identity_provider
	Protocol  SSOProtocol
	IssuerURL string
	ClientIDs string // one per line; never a secret

	// mail_server
	Host     string
	Port     int
	TLSMode  TLSMode
	Sender   string
	DNSNotes string // SPF, DKIM and DMARC

	ReviewMonths   int
	LastReviewedOn time.Time
	NextReviewOn   time.Time // zero for a retired entry

	// The review request the sweep raised whose task is still open, if any.
	OpenReviewTask    int64
	OpenReviewRequest int64

	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64

	// Filled for one entry, not in a list.
	Reviews []RegisterReview
}

// MaintainerName is who maintains an integration: the registered contact,
// else the free text.
func (e *RegisterEntry) MaintainerName() string {
	if e.MaintainerContact != "" {
		return e.MaintainerContact
	}
	return e.Maintainer
}

// DaysUntilReview is the number of days from today (a day, midnight UTC)
// to the next review, negative when overdue; ok is false without one.
func (e *RegisterEntry) DaysUntilReview(today time.Time) (days int, ok bool) {
	if e.NextReviewOn.IsZero() {
		return 0, false
	}
	return int(e.NextReviewOn.Sub(today).Hours() / 24), true
}

// DueForReview reports whether the entry's review is due by today: it is
// not retired and its next review is today or earlier.
func (e *RegisterEntry) DueForReview(today time.Time) bool {
	return e.Status != RegisterRetired && !e.NextReviewOn.IsZero() && !e.NextReviewOn.After(today)
}

// ClientIDList returns an identity provider's client ids.
func (e *RegisterEntry) ClientIDList() []string { return splitClientIDs(e.ClientIDs) }

// Input returns what is filled in for the entry, to edit it.
func (e *RegisterEntry) Input() RegisterInput {
	return RegisterInput{Kind: e.Kind, Name: e.Name, Status: e.Status, OwnerID: e.OwnerID, AreaID: e.AreaID,
		Description: e.Description, Direction: e.Direction, OtherSystem: e.OtherSystem, Technique: e.Technique,
		MaintainerContactID: e.MaintainerContactID, Maintainer: e.Maintainer, Protocol: e.Protocol,
		IssuerURL: e.IssuerURL, ClientIDs: e.ClientIDs, Host: e.Host, Port: e.Port, TLSMode: e.TLSMode,
		Sender: e.Sender, DNSNotes: e.DNSNotes, ReviewMonths: e.ReviewMonths, LastReviewedOn: e.LastReviewedOn}
}

// CheckVersion refuses a change based on another version than the entry's
// own (0: any), so that nobody overwrites a change they have not seen.
func (e *RegisterEntry) CheckVersion(version int64) error {
	if version != 0 && version != e.Version {
		return Errorf(CodePreconditionFailed, "register.stale")
	}
	return nil
}

// CheckReview says whether a review can be recorded on the entry: based on
// its current version (0: any), and not retired, for a retired entry has
// no reviews.
func (e *RegisterEntry) CheckReview(version int64) error {
	if err := e.CheckVersion(version); err != nil {
		return err
	}
	if e.Status == RegisterRetired {
		return Errorf(CodeConflict, "register.retired")
	}
	return nil
}

// Reviewed returns the entry's last and next review once a review of day
// on is recorded. A review recorded late, for a day before the last one,
// does not move the last review back.
func (e *RegisterEntry) Reviewed(on time.Time) (last, next time.Time) {
	last = e.LastReviewedOn
	if last.IsZero() || on.After(last) {
		last = on
	}
	return last, NextReviewOn(e.Status, e.ReviewMonths, last, time.Time{})
}

// RegisterReview is one recorded review of an entry.
type RegisterReview struct {
	ID             int64
	ReviewedOn     time.Time
	Note           string
	ReviewedBy     int64
	ReviewedByName string
	CreatedAt      time.Time
}

// CanReadRegister reports whether the actor reads the technical register:
// functional admins, technical admins and management.
func CanReadRegister(a *Actor) bool { return a.CanAnywhere(PermRegisterRead) }

// CanKeepRegister reports whether the actor keeps the register and records
// reviews: technical admins (it is their work), and functional admins for
// every area.
func CanKeepRegister(a *Actor) bool { return a.Can(PermRegisterKeep, 0) }

// RegisterInput is what is filled in for an entry. Fields of other kinds
// than Kind are cleared on save.
type RegisterInput struct {
	Kind        RegisterKind
	Name        string
	Status      RegisterStatus
	OwnerID     int64 // a technical admin
	AreaID      int64 // optional; the review request goes to this area
	Description string

	Direction           RegisterDirection
	OtherSystem         string
	Technique           string
	MaintainerContactID int64
	Maintainer          string

	Protocol  SSOProtocol
	IssuerURL string
	ClientIDs string

	Host     string
	Port     int
	TLSMode  TLSMode
	Sender   string
	DNSNotes string

	ReviewMonths   int       // 0: DefaultReviewMonths
	LastReviewedOn time.Time // zero: never reviewed
}

// Normalise trims the texts, lowercases the mail server's names, fills in
// the default review interval and clears the fields of other kinds, so
// that what is saved and compared is what the entry means.
func (in *RegisterInput) Normalise() {
	for _, p := range []*string{&in.Name, &in.Description, &in.OtherSystem, &in.Technique, &in.Maintainer,
		&in.IssuerURL, &in.ClientIDs, &in.Host, &in.Sender, &in.DNSNotes} {
		*p = strings.TrimSpace(*p)
	}
	in.Host, in.Sender = strings.ToLower(in.Host), strings.ToLower(in.Sender)
	if in.ReviewMonths == 0 {
		in.ReviewMonths = DefaultReviewMonths
	}
	if in.Kind != RegisterKindIntegration {
		in.Direction, in.OtherSystem, in.Technique, in.MaintainerContactID, in.Maintainer = "", "", "", 0, ""
	}
	if in.Kind != RegisterKindIdentityProvider {
		in.Protocol, in.IssuerURL, in.ClientIDs = "", "", ""
	}
	if in.Kind != RegisterKindMailServer {
		in.Host, in.Port, in.TLSMode, in.Sender, in.DNSNotes = "", 0, "", "", ""
	}
	if in.Kind == RegisterKindIdentityProvider {
		in.ClientIDs = strings.Join(splitClientIDs(in.ClientIDs), "\n")
	}
}

// Validate normalises and checks an entry's own fields; today bounds the
// last review. Every invalid field is named.
func (in *RegisterInput) Validate(today time.Time) error {
	var v Validation
	in.check(&v, today)
	return v.Err()
}

// RegisterRefs are the facts about an entry's references that only the
// database knows.
type RegisterRefs struct {
	OwnerIsTechnicalAdmin bool // the owner is an active technical admin
	AreaExists            bool
	ContactExists         bool // the maintainer contact
}

// ValidateWithRefs is Validate with the references checked too: the owner
// must be an active technical admin, the area and the maintainer contact
// must exist. A field already named keeps its first message, so one answer
// names every invalid field once.
func (in *RegisterInput) ValidateWithRefs(today time.Time, refs RegisterRefs) error {
	var v Validation
	in.check(&v, today)
	add := func(bad bool, field, key string) {
		if bad && !v.Has(field) {
			v.Add(field, key)
		}
	}
	add(in.OwnerID > 0 && !refs.OwnerIsTechnicalAdmin, "owner", "register.error.owner")
	add(in.AreaID != 0 && !refs.AreaExists, "area", "field.unknown_area")
	add(in.MaintainerContactID > 0 && !refs.ContactExists, "maintainer_contact", "register.error.contact")
	return v.Err()
}

// check normalises the input and adds a message for every invalid field.
func (in *RegisterInput) check(v *Validation, today time.Time) {
	in.Normalise()
	if !in.Kind.Valid() {
		v.Add("kind", "field.invalid_choice", "choices", joinCodes(RegisterKinds))
	}
	validateLine(v, "name", in.Name, MaxName, true)
	if !in.Status.Valid() {
		v.Add("status", "field.invalid_choice", "choices", joinCodes(RegisterStatuses))
	}
	if in.OwnerID <= 0 {
		v.Add("owner", "field.required")
	}
	validateText(v, "description", in.Description, MaxDescription, false)
	if in.ReviewMonths < 1 || in.ReviewMonths > MaxReviewMonths {
		v.Add("review_months", "register.error.review_months", "max", MaxReviewMonths)
	}
	if in.LastReviewedOn.After(today) {
		v.Add("last_reviewed_on", "register.error.future")
	}
	switch in.Kind {
	case RegisterKindIntegration:
		in.checkIntegration(v)
	case RegisterKindIdentityProvider:
		in.checkIdentityProvider(v)
	case RegisterKindMailServer:
		in.checkMailServer(v)
	}
}

func (in *RegisterInput) checkIntegration(v *Validation) {
	if !in.Direction.Valid() {
		v.Add("direction", "field.invalid_choice", "choices", joinCodes(RegisterDirections))
	}
	validateLine(v, "other_system", in.OtherSystem, MaxName, true)
	validateLine(v, "technique", in.Technique, MaxName, false)
	validateLine(v, "maintainer", in.Maintainer, MaxName, false)
	if in.MaintainerContactID < 0 {
		v.Add("maintainer_contact", "field.invalid")
	}
}

func (in *RegisterInput) checkIdentityProvider(v *Validation) {
	if !in.Protocol.Valid() {
		v.Add("protocol", "field.invalid_choice", "choices", joinCodes(SSOProtocols))
	}
	if in.IssuerURL == "" {
		v.Add("issuer_url", "field.required")
	} else if !ValidWebURL(in.IssuerURL) {
		v.Add("issuer_url", "register.error.url")
	}
	ids := splitClientIDs(in.ClientIDs)
	switch {
	case looksSecret(in.ClientIDs):
		v.Add("client_ids", "register.error.no_secrets")
	case len(ids) > maxClientIDs:
		v.Add("client_ids", "register.error.client_ids_count", "max", maxClientIDs)
	case !validClientIDs(ids):
		v.Add("client_ids", "register.error.client_ids")
	}
}

func (in *RegisterInput) checkMailServer(v *Validation) {
	if in.Host == "" {
		v.Add("host", "field.required")
	} else if !hostName(in.Host) {
		v.Add("host", "register.error.host")
	}
	if in.Port < 1 || in.Port > 65535 {
		v.Add("port", "register.error.port")
	}
	if !in.TLSMode.Valid() {
		v.Add("tls_mode", "field.invalid_choice", "choices", joinCodes(TLSModes))
	}
	if in.Sender != "" && !plainAddress(in.Sender) {
		v.Add("sender", "field.invalid_email")
	}
	validateText(v, "dns_notes", in.DNSNotes, MaxNote, false)
}

// splitClientIDs reads client ids separated by commas, spaces or lines.
func splitClientIDs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// validClientIDs accepts identifiers as identity providers issue them: a
// GUID, a name, a URI (SAML entity ids), up to 200 characters each.
func validClientIDs(ids []string) bool {
	for _, id := range ids {
		if len(id) > maxClientID || strings.ContainsFunc(id, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:/@{}#", r))
		}) {
			return false
		}
	}
	return true
}

// looksSecret catches a secret pasted where a client id belongs: the
// register documents facts and never holds credentials.
func looksSecret(s string) bool {
	l := strings.ToLower(s)
	for _, w := range []string{"secret", "password", "wachtwoord", "passwd", "private"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// hostName reports a DNS name or IP address.
func hostName(s string) bool {
	if len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// addMonths adds whole months to a day, keeping it in the month it lands
// in (31 January plus one month is 28 or 29 February).
func addMonths(day time.Time, months int) time.Time {
	first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(day.Day(), last), 0, 0, 0, 0, time.UTC)
}

// NextReviewOn is the day the next review is due: the interval after the
// last review, or after createdOn (the day the entry was made) when it was
// never reviewed; zero for a retired entry, which has no reviews.
func NextReviewOn(status RegisterStatus, months int, lastReviewed, createdOn time.Time) time.Time {
	if status == RegisterRetired {
		return time.Time{}
	}
	base := lastReviewed
	if base.IsZero() {
		base = createdOn
	}
	return addMonths(base, months)
}

// MaintainerChoices orders the contacts an integration's maintainer is
// chosen from: system integrators first, then the others, each in the
// order given.
func MaintainerChoices(contacts []ChannelContact) []ChannelContact {
	var out []ChannelContact
	for _, c := range contacts {
		if c.Channel == ChannelSystemIntegrator {
			out = append(out, c)
		}
	}
	for _, c := range contacts {
		if c.Channel != ChannelSystemIntegrator {
			out = append(out, c)
		}
	}
	return out
}

// RegisterReviewInput is a recorded review: the day it was done (zero:
// today) and what was found.
type RegisterReviewInput struct {
	ReviewedOn time.Time
	Note       string
}

// Validate trims the note, takes today for a review without a day, and
// checks that there is a note and that the day is not in the future.
func (in *RegisterReviewInput) Validate(today time.Time) error {
	in.Note = strings.TrimSpace(in.Note)
	if in.ReviewedOn.IsZero() {
		in.ReviewedOn = today
	}
	var v Validation
	validateText(&v, "note", in.Note, MaxNote, true)
	if in.ReviewedOn.After(today) {
		v.Add("reviewed_on", "register.error.future")
	}
	return v.Err()
}

// RegisterReviewTexts are the words of a review request raised for an
// entry: the request's title and description and the task's title. The
// caller takes them from the message catalogue, in the organisation's
// language.
type RegisterReviewTexts struct {
	Title       string
	Description string
	Task        string
}

// RegisterReviewText makes the texts for an entry whose review is due.
type RegisterReviewText func(e *RegisterEntry) RegisterReviewTexts
