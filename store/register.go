package store

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"beheer"
)

// The technical register (technisch register): the integrations with other
// systems, the identity provider for single sign-on and the mail server the
// application sends through, kept as documented facts by technical
// management, each with a periodic review. A due review becomes a request
// with a task for the entry's owner (see RegisterReviewSweep).
//
// Who may do what: functional admins (of any area), technical admins and
// management read the register; technical admins and functional admins for
// every area keep it and record reviews. Users and key users do not see it.

// RegisterKind is what an entry documents.
type RegisterKind string

// The kinds of entries.
const (
	KindIntegration      RegisterKind = "integration"       // koppeling
	KindIdentityProvider RegisterKind = "identity_provider" // single sign-on
	KindMailServer       RegisterKind = "mail_server"       // e-mail out of the application
)

// RegisterKinds lists the kinds in display order.
var RegisterKinds = []RegisterKind{KindIntegration, KindIdentityProvider, KindMailServer}

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

// Direction is which way an integration's data flows, seen from the
// application.
type Direction string

// The directions.
const (
	DirectionInbound       Direction = "inbound"
	DirectionOutbound      Direction = "outbound"
	DirectionBidirectional Direction = "bidirectional"
)

// Directions lists the directions.
var Directions = []Direction{DirectionOutbound, DirectionInbound, DirectionBidirectional}

// Protocol is an identity provider's single sign-on protocol.
type Protocol string

// The protocols.
const (
	ProtocolOIDC Protocol = "oidc"
	ProtocolSAML Protocol = "saml"
)

// Protocols lists the protocols.
var Protocols = []Protocol{ProtocolOIDC, ProtocolSAML}

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

// Limits of register fields.
const (
	// DefaultReviewMonths is the review interval when none is given.
	DefaultReviewMonths = 12
	// MaxReviewMonths bounds the review interval: five years.
	MaxReviewMonths = 60
	maxRegisterText = 20000
	maxClientIDs    = 20
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
	Direction           Direction
	OtherSystem         string
	Technique           string
	MaintainerContactID int64  // a contact of the organisation profile
	MaintainerContact   string // that contact's name and organisation
	Maintainer          string // free text when no contact is registered

	// identity_provider
	Protocol  Protocol
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

	// Filled by RegisterEntry (one entry), not by the list.
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
func CanReadRegister(a *beheer.Actor) bool {
	return a.CanAnywhere(beheer.PermRegisterRead)
}

// CanKeepRegister reports whether the actor keeps the register and records
// reviews: technical admins (it is their work), and functional admins for
// every area.
func CanKeepRegister(a *beheer.Actor) bool {
	return a.Can(beheer.PermRegisterKeep, 0)
}

// RegisterInput is what is filled in for an entry. Fields of other kinds
// than Kind are cleared on save.
type RegisterInput struct {
	Kind        RegisterKind
	Name        string
	Status      RegisterStatus
	OwnerID     int64 // a technical admin
	AreaID      int64 // optional; the review request goes to this area
	Description string

	Direction           Direction
	OtherSystem         string
	Technique           string
	MaintainerContactID int64
	Maintainer          string

	Protocol  Protocol
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

// normalise trims the texts and clears the fields of other kinds.
func (in *RegisterInput) normalise() {
	for _, p := range []*string{&in.Name, &in.Description, &in.OtherSystem, &in.Technique, &in.Maintainer,
		&in.IssuerURL, &in.ClientIDs, &in.Host, &in.Sender, &in.DNSNotes} {
		*p = strings.TrimSpace(*p)
	}
	in.Host, in.Sender = strings.ToLower(in.Host), strings.ToLower(in.Sender)
	if in.ReviewMonths == 0 {
		in.ReviewMonths = DefaultReviewMonths
	}
	if in.Kind != KindIntegration {
		in.Direction, in.OtherSystem, in.Technique, in.MaintainerContactID, in.Maintainer = "", "", "", 0, ""
	}
	if in.Kind != KindIdentityProvider {
		in.Protocol, in.IssuerURL, in.ClientIDs = "", "", ""
	}
	if in.Kind != KindMailServer {
		in.Host, in.Port, in.TLSMode, in.Sender, in.DNSNotes = "", 0, "", "", ""
	}
	if in.Kind == KindIdentityProvider {
		in.ClientIDs = strings.Join(splitClientIDs(in.ClientIDs), "\n")
	}
}

// Validate checks an entry; today bounds the last review. Every invalid
// field is named.
func (in *RegisterInput) Validate(today time.Time) error {
	in.normalise()
	var v beheer.Validation
	if !slices.Contains(RegisterKinds, in.Kind) {
		v.Add("kind", "field.invalid_choice", "choices", joinCodes(RegisterKinds))
	}
	checkText(&v, "name", in.Name, maxPlanTitle, true)
	if !slices.Contains(RegisterStatuses, in.Status) {
		v.Add("status", "field.invalid_choice", "choices", joinCodes(RegisterStatuses))
	}
	if in.OwnerID <= 0 {
		v.Add("owner", "field.required")
	}
	checkText(&v, "description", in.Description, maxRegisterText, false)
	if in.ReviewMonths < 1 || in.ReviewMonths > MaxReviewMonths {
		v.Add("review_months", "register.error.review_months", "max", MaxReviewMonths)
	}
	if in.LastReviewedOn.After(today) {
		v.Add("last_reviewed_on", "register.error.future")
	}
	switch in.Kind {
	case KindIntegration:
		in.validateIntegration(&v)
	case KindIdentityProvider:
		in.validateIdentityProvider(&v)
	case KindMailServer:
		in.validateMailServer(&v)
	}
	return v.Err()
}

func (in *RegisterInput) validateIntegration(v *beheer.Validation) {
	if !slices.Contains(Directions, in.Direction) {
		v.Add("direction", "field.invalid_choice", "choices", joinCodes(Directions))
	}
	checkText(v, "other_system", in.OtherSystem, maxPlanTitle, true)
	checkText(v, "technique", in.Technique, maxPlanTitle, false)
	checkText(v, "maintainer", in.Maintainer, maxPlanTitle, false)
	if in.MaintainerContactID < 0 {
		v.Add("maintainer_contact", "field.invalid")
	}
}

func (in *RegisterInput) validateIdentityProvider(v *beheer.Validation) {
	if !slices.Contains(Protocols, in.Protocol) {
		v.Add("protocol", "field.invalid_choice", "choices", joinCodes(Protocols))
	}
	if in.IssuerURL == "" {
		v.Add("issuer_url", "field.required")
	} else if !beheer.ValidWebURL(in.IssuerURL) {
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

func (in *RegisterInput) validateMailServer(v *beheer.Validation) {
	if in.Host == "" {
		v.Add("host", "field.required")
	} else if !hostName(in.Host) {
		v.Add("host", "register.error.host")
	}
	if in.Port < 1 || in.Port > 65535 {
		v.Add("port", "register.error.port")
	}
	if !slices.Contains(TLSModes, in.TLSMode) {
		v.Add("tls_mode", "field.invalid_choice", "choices", joinCodes(TLSModes))
	}
	if in.Sender != "" {
		if a, err := mail.ParseAddress(in.Sender); err != nil || a.Address != in.Sender || len(in.Sender) > beheer.MaxName {
			v.Add("sender", "field.invalid_email")
		}
	}
	checkText(v, "dns_notes", in.DNSNotes, maxPlanText, false)
}

// splitClientIDs reads client ids separated by commas, spaces or lines.
func splitClientIDs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// validClientIDs accepts identifiers as identity providers issue them: a
// GUID, a name, a URI (SAML entity ids), up to 200 characters each.
func validClientIDs(ids []string) bool {
	for _, id := range ids {
		if len(id) > 200 || strings.ContainsFunc(id, func(r rune) bool {
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

// dayOf is the calendar day of a moment in Amsterdam, as midnight UTC.
func dayOf(t time.Time) time.Time {
	t = t.In(amsterdam)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Today is the store clock's day in Amsterdam, as midnight UTC.
func (s *Store) Today() time.Time { return dayOf(s.now()) }

// nextReview is the day the next review is due: the interval after the
// last review, or after the day the entry was made; none when retired.
func nextReview(status RegisterStatus, months int, last, created time.Time) string {
	if status == RegisterRetired {
		return ""
	}
	base := last
	if base.IsZero() {
		base = dayOf(created)
	}
	return beheer.FormatDay(addMonths(base, months))
}

const registerColumns = `e.id, e.kind, e.name, e.status, e.owner_id, COALESCE(o.name, ''), COALESCE(e.area_id, 0),
	COALESCE(a.code, ''), COALESCE(a.name, ''), e.description, e.direction, e.other_system, e.technique, COALESCE(e.maintainer_contact_id, 0),
	COALESCE(c.name, ''), COALESCE(c.organisation, ''), e.maintainer, e.protocol, e.issuer_url, e.client_ids, e.host,
	e.port, e.tls_mode, e.sender, e.dns_notes, e.review_months, e.last_reviewed_on, e.next_review_on, e.created_at,
	e.updated_at, e.version,
	COALESCE((SELECT MAX(x.task_id) FROM register_review_tasks x JOIN tasks k ON k.id = x.task_id
		WHERE x.entry_id = e.id AND k.status = 'open'), 0),
	COALESCE((SELECT MAX(x.request_id) FROM register_review_tasks x JOIN tasks k ON k.id = x.task_id
		WHERE x.entry_id = e.id AND k.status = 'open'), 0)`

const registerFrom = ` FROM register_entries e LEFT JOIN users o ON o.id = e.owner_id LEFT JOIN areas a ON a.id = e.area_id
	LEFT JOIN channel_contacts c ON c.id = e.maintainer_contact_id`

func scanRegisterEntry(row interface{ Scan(...any) error }) (*RegisterEntry, error) {
	var e RegisterEntry
	var contactOrg, last, next string
	var created, updated sql.NullInt64
	if err := row.Scan(&e.ID, &e.Kind, &e.Name, &e.Status, &e.OwnerID, &e.OwnerName, &e.AreaID, &e.AreaCode, &e.AreaName,
		&e.Description, &e.Direction, &e.OtherSystem, &e.Technique, &e.MaintainerContactID, &e.MaintainerContact,
		&contactOrg, &e.Maintainer, &e.Protocol, &e.IssuerURL, &e.ClientIDs, &e.Host, &e.Port, &e.TLSMode, &e.Sender,
		&e.DNSNotes, &e.ReviewMonths, &last, &next, &created, &updated, &e.Version, &e.OpenReviewTask,
		&e.OpenReviewRequest); err != nil {
		return nil, err
	}
	if contactOrg != "" && e.MaintainerContact != "" {
		e.MaintainerContact += " (" + contactOrg + ")"
	}
	e.LastReviewedOn, e.NextReviewOn = parseStoredDay(last), parseStoredDay(next)
	e.CreatedAt, e.UpdatedAt = fromMS(created), fromMS(updated)
	return &e, nil
}

func queryRegister(ctx context.Context, q querier, cond string, args ...any) ([]*RegisterEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+registerColumns+registerFrom+cond+` ORDER BY e.kind, e.name, e.id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*RegisterEntry
	for rows.Next() {
		e, err := scanRegisterEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RegisterEntries lists the register, by kind and name.
func (s *Store) RegisterEntries(ctx context.Context, actor *beheer.Actor) ([]*RegisterEntry, error) {
	if !CanReadRegister(actor) {
		return nil, beheer.ErrForbidden("register.forbidden")
	}
	var out []*RegisterEntry
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = queryRegister(ctx, q, "")
		return err
	})
	return out, err
}

// RegisterEntry returns one entry with its reviews, newest first.
func (s *Store) RegisterEntry(ctx context.Context, actor *beheer.Actor, id int64) (*RegisterEntry, error) {
	if !CanReadRegister(actor) {
		return nil, beheer.ErrForbidden("register.forbidden")
	}
	var e *RegisterEntry
	err := s.read(ctx, func(q querier) error {
		list, err := queryRegister(ctx, q, ` WHERE e.id = $1`, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return beheer.ErrNotFound()
		}
		e = list[0]
		rows, err := q.QueryContext(ctx, `SELECT r.id, r.reviewed_on, r.note, COALESCE(r.reviewed_by, 0), COALESCE(u.name, ''),
			r.created_at FROM register_reviews r LEFT JOIN users u ON u.id = r.reviewed_by
			WHERE r.entry_id = $1 ORDER BY r.id DESC LIMIT 200`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var rv RegisterReview
			var on string
			var created sql.NullInt64
			if err := rows.Scan(&rv.ID, &on, &rv.Note, &rv.ReviewedBy, &rv.ReviewedByName, &created); err != nil {
				return err
			}
			rv.ReviewedOn, rv.CreatedAt = parseStoredDay(on), fromMS(created)
			e.Reviews = append(e.Reviews, rv)
		}
		return rows.Err()
	})
	return e, err
}

// RegisterOwners lists the people who may own an entry: active technical
// admins.
func (s *Store) RegisterOwners(ctx context.Context, actor *beheer.Actor) ([]beheer.PersonName, error) {
	if !CanReadRegister(actor) {
		return nil, beheer.ErrForbidden("register.forbidden")
	}
	var out []beheer.PersonName
	err := s.read(ctx, func(q querier) (err error) {
		out, err = queryPersonNames(ctx, q, `SELECT DISTINCT u.id, u.name FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.active AND ur.role = 'technical_admin' ORDER BY u.name, u.id LIMIT 500`)
		return err
	})
	return out, err
}

// RegisterContacts lists the outside contacts an integration's maintainer
// is chosen from, system integrators first.
func (s *Store) RegisterContacts(ctx context.Context, actor *beheer.Actor) ([]ChannelContact, error) {
	if !CanReadRegister(actor) {
		return nil, beheer.ErrForbidden("register.forbidden")
	}
	var out []ChannelContact
	err := s.read(ctx, func(q querier) error {
		list, err := queryContacts(ctx, q, "")
		for _, c := range list {
			if c.Channel == beheer.ChannelSystemIntegrator {
				out = append(out, c)
			}
		}
		for _, c := range list {
			if c.Channel != beheer.ChannelSystemIntegrator {
				out = append(out, c)
			}
		}
		return err
	})
	return out, err
}

// registerRefs checks the owner (an active technical admin), the area
// and the maintainer contact; it returns the messages of those that fail.
func registerRefs(ctx context.Context, q querier, in RegisterInput) ([]beheer.FieldError, error) {
	var v beheer.Validation
	var owner, area, contact int
	if err := q.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.id = $1 AND u.active AND ur.role = 'technical_admin'),
		(SELECT COUNT(*) FROM areas WHERE id = $2),
		(SELECT COUNT(*) FROM channel_contacts WHERE id = $3)`, in.OwnerID, in.AreaID, in.MaintainerContactID).
		Scan(&owner, &area, &contact); err != nil {
		return nil, err
	}
	if owner == 0 && in.OwnerID > 0 {
		v.Add("owner", "register.error.owner")
	}
	if in.AreaID != 0 && area == 0 {
		v.Add("area", "field.unknown_area")
	}
	if in.MaintainerContactID > 0 && contact == 0 {
		v.Add("maintainer_contact", "register.error.contact")
	}
	return v.Fields, nil
}

// checkRegisterRefs checks the references inside the writing transaction.
func (t *tx) checkRegisterRefs(ctx context.Context, in RegisterInput) error {
	fields, err := registerRefs(ctx, t, in)
	if err != nil || len(fields) == 0 {
		return err
	}
	return &beheer.Error{Code: beheer.CodeInvalid, Key: "error.invalid", Fields: fields}
}

// validateRegister checks an entry and, when it has mistakes, its
// references too, so that one answer names every invalid field.
func (s *Store) validateRegister(ctx context.Context, in *RegisterInput) error {
	err := in.Validate(s.Today())
	if err == nil {
		return nil
	}
	be := err.(*beheer.Error)
	rerr := s.read(ctx, func(q querier) error {
		fields, err := registerRefs(ctx, q, *in)
		for _, f := range fields {
			if !slices.ContainsFunc(be.Fields, func(x beheer.FieldError) bool { return x.Field == f.Field }) {
				be.Fields = append(be.Fields, f)
			}
		}
		return err
	})
	if rerr != nil {
		return rerr
	}
	return be
}

// CreateRegisterEntry adds an entry to the register.
func (s *Store) CreateRegisterEntry(ctx context.Context, actor *beheer.Actor, in RegisterInput) (*RegisterEntry, error) {
	if !CanKeepRegister(actor) {
		return nil, beheer.ErrForbidden("register.forbidden_keep")
	}
	if err := s.validateRegister(ctx, &in); err != nil {
		return nil, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if err := t.checkRegisterRefs(ctx, in); err != nil {
			return err
		}
		next := nextReview(in.Status, in.ReviewMonths, in.LastReviewedOn, t.now)
		if err := t.QueryRowContext(ctx, `INSERT INTO register_entries (kind, name, status, owner_id, area_id, description,
			direction, other_system, technique, maintainer_contact_id, maintainer, protocol, issuer_url, client_ids, host, port,
			tls_mode, sender, dns_notes, review_months, last_reviewed_on, next_review_on, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24)
			RETURNING id`,
			in.Kind, in.Name, in.Status, in.OwnerID, nullID(in.AreaID), in.Description, in.Direction, in.OtherSystem,
			in.Technique, nullID(in.MaintainerContactID), in.Maintainer, in.Protocol, in.IssuerURL, in.ClientIDs, in.Host,
			in.Port, in.TLSMode, in.Sender, in.DNSNotes, in.ReviewMonths, optDay(in.LastReviewedOn), next,
			nullID(actor.UserID), ms(t.now)).Scan(&id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "register.created", registerField(id, ""), "", string(in.Kind)+" "+in.Name, false)
	})
	if err != nil {
		return nil, err
	}
	return s.RegisterEntry(ctx, actor, id)
}

// registerField names an entry (and one of its fields) in the audit trail:
// "register:12" or "register:12/status".
func registerField(id int64, field string) string {
	if field == "" {
		return "register:" + itoa(id)
	}
	return "register:" + itoa(id) + "/" + field
}

// auditValues are an entry's fields as the audit trail records them.
func (in RegisterInput) auditValues() [][2]string {
	return [][2]string{
		{"kind", string(in.Kind)}, {"name", in.Name}, {"status", string(in.Status)}, {"owner", itoa(in.OwnerID)},
		{"area", itoa(in.AreaID)}, {"description", in.Description}, {"direction", string(in.Direction)},
		{"other_system", in.OtherSystem}, {"technique", in.Technique}, {"maintainer_contact", itoa(in.MaintainerContactID)},
		{"maintainer", in.Maintainer}, {"protocol", string(in.Protocol)}, {"issuer_url", in.IssuerURL},
		{"client_ids", in.ClientIDs}, {"host", in.Host}, {"port", strconv.Itoa(in.Port)}, {"tls_mode", string(in.TLSMode)},
		{"sender", in.Sender}, {"dns_notes", in.DNSNotes}, {"review_months", strconv.Itoa(in.ReviewMonths)},
		{"last_reviewed_on", optDay(in.LastReviewedOn)},
	}
}

// UpdateRegisterEntry changes an entry; version is the one the change was
// based on (0: any). A stale version is refused and nothing changes. Every
// changed field gets its own audit row.
func (s *Store) UpdateRegisterEntry(ctx context.Context, actor *beheer.Actor, id, version int64, in RegisterInput) (*RegisterEntry, error) {
	if !CanKeepRegister(actor) {
		return nil, beheer.ErrForbidden("register.forbidden_keep")
	}
	if err := s.validateRegister(ctx, &in); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		cur, err := t.lockRegisterEntry(ctx, id)
		if err != nil {
			return err
		}
		if version != 0 && version != cur.Version {
			return beheer.Errorf(beheer.CodePreconditionFailed, "register.stale")
		}
		if err := t.checkRegisterRefs(ctx, in); err != nil {
			return err
		}
		before := cur.Input()
		before.normalise()
		next := nextReview(in.Status, in.ReviewMonths, in.LastReviewedOn, cur.CreatedAt)
		if _, err := t.ExecContext(ctx, `UPDATE register_entries SET kind = $1, name = $2, status = $3, owner_id = $4,
			area_id = $5, description = $6, direction = $7, other_system = $8, technique = $9, maintainer_contact_id = $10,
			maintainer = $11, protocol = $12, issuer_url = $13, client_ids = $14, host = $15, port = $16, tls_mode = $17,
			sender = $18, dns_notes = $19, review_months = $20, last_reviewed_on = $21, next_review_on = $22,
			updated_at = $23, version = version + 1 WHERE id = $24`,
			in.Kind, in.Name, in.Status, in.OwnerID, nullID(in.AreaID), in.Description, in.Direction, in.OtherSystem,
			in.Technique, nullID(in.MaintainerContactID), in.Maintainer, in.Protocol, in.IssuerURL, in.ClientIDs, in.Host,
			in.Port, in.TLSMode, in.Sender, in.DNSNotes, in.ReviewMonths, optDay(in.LastReviewedOn), next, ms(t.now), id); err != nil {
			return err
		}
		old, now := before.auditValues(), in.auditValues()
		for i := range now {
			if old[i][1] != now[i][1] {
				if err := t.audit(ctx, actor, 0, "register.updated", registerField(id, now[i][0]), old[i][1], now[i][1], false); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.RegisterEntry(ctx, actor, id)
}

func (t *tx) lockRegisterEntry(ctx context.Context, id int64) (*RegisterEntry, error) {
	lock := ""
	if t.s.engine == Postgres {
		lock = " FOR UPDATE OF e"
	}
	e, err := scanRegisterEntry(t.QueryRowContext(ctx, `SELECT `+registerColumns+registerFrom+` WHERE e.id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	return e, err
}

// ReviewInput is a recorded review: the day it was done (zero: today) and
// what was found.
type ReviewInput struct {
	ReviewedOn time.Time
	Note       string
}

// RecordRegisterReview records a review of an entry: the last review
// becomes that day, the next one moves a review interval on, and the open
// review task the sweep raised, if any, is completed with the note — all in
// one transaction. version is the one the review was based on (0: any).
func (s *Store) RecordRegisterReview(ctx context.Context, actor *beheer.Actor, id, version int64, in ReviewInput) (*RegisterEntry, error) {
	if !CanKeepRegister(actor) {
		return nil, beheer.ErrForbidden("register.forbidden_keep")
	}
	in.Note = strings.TrimSpace(in.Note)
	today := s.Today()
	if in.ReviewedOn.IsZero() {
		in.ReviewedOn = today
	}
	var v beheer.Validation
	checkText(&v, "note", in.Note, maxPlanText, true)
	if in.ReviewedOn.After(today) {
		v.Add("reviewed_on", "register.error.future")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		cur, err := t.lockRegisterEntry(ctx, id)
		if err != nil {
			return err
		}
		if version != 0 && version != cur.Version {
			return beheer.Errorf(beheer.CodePreconditionFailed, "register.stale")
		}
		if cur.Status == RegisterRetired {
			return beheer.Errorf(beheer.CodeConflict, "register.retired")
		}
		last := cur.LastReviewedOn
		if last.IsZero() || in.ReviewedOn.After(last) {
			last = in.ReviewedOn
		}
		next := nextReview(cur.Status, cur.ReviewMonths, last, cur.CreatedAt)
		if _, err := t.ExecContext(ctx, `INSERT INTO register_reviews (entry_id, reviewed_on, note, reviewed_by, created_at)
			VALUES ($1, $2, $3, $4, $5)`, id, beheer.FormatDay(in.ReviewedOn), in.Note, nullID(actor.UserID), ms(t.now)); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE register_entries SET last_reviewed_on = $1, next_review_on = $2, updated_at = $3,
			version = version + 1 WHERE id = $4`, beheer.FormatDay(last), next, ms(t.now), id); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, 0, "register.reviewed", registerField(id, "last_reviewed_on"), optDay(cur.LastReviewedOn),
			beheer.FormatDay(last), false); err != nil {
			return err
		}
		return t.completeReviewTasks(ctx, actor, id, in.Note)
	})
	if err != nil {
		return nil, err
	}
	return s.RegisterEntry(ctx, actor, id)
}

// completeReviewTasks finishes the open review tasks of an entry with the
// review's note; a request left without open tasks waits on its assignee
// again, as when a task is completed from the request.
func (t *tx) completeReviewTasks(ctx context.Context, actor *beheer.Actor, entryID int64, note string) error {
	rows, err := t.QueryContext(ctx, `SELECT k.id, k.request_id, k.title FROM register_review_tasks x
		JOIN tasks k ON k.id = x.task_id WHERE x.entry_id = $1 AND k.status = 'open' ORDER BY k.id`, entryID)
	if err != nil {
		return err
	}
	type open struct {
		id, request int64
		title       string
	}
	var tasks []open
	for rows.Next() {
		var o open
		if err := rows.Scan(&o.id, &o.request, &o.title); err != nil {
			rows.Close()
			return err
		}
		tasks = append(tasks, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range tasks {
		r, err := t.s.loadRequest(ctx, t, k.request, true)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE tasks SET status = $1, outcome = $2, done_by = $3, done_at = $4 WHERE id = $5`,
			beheer.TaskDone, note, nullID(actor.UserID), ms(t.now), k.id); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, r.ID, "task.completed", "task", k.title, note, false); err != nil {
			return err
		}
		if err := t.emit(ctx, actor, EventTaskCompleted, r.ID, false, map[string]string{"task": itoa(k.id)}); err != nil {
			return err
		}
		var left int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks WHERE request_id = $1 AND status = 'open'`, r.ID).Scan(&left); err != nil {
			return err
		}
		if left == 0 && r.Status == beheer.StatusAwaitingTechnical {
			r.Status = beheer.StatusAwaitingAssignee
			if err := t.bump(ctx, actor, r); err != nil {
				return err
			}
		}
	}
	return nil
}
