package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"beheer"
	"beheer/i18n"
)

// The technical register's pages: the list grouped by kind with each
// entry's review badge, one entry with its reviews and the review form, and
// the form for a new entry or a change. Everything works without
// JavaScript; a change carries the version it was based on.

// registerBadge is an entry's review state as a badge: its text and class.
type registerBadge struct {
	Text  string
	Class string
}

// ReviewBadge says when an entry's next review is due: in N days, today,
// or N days late; none for a retired entry.
func (p *page) ReviewBadge(e *beheer.RegisterEntry) registerBadge {
	days, ok := e.DaysUntilReview(p.s.store.Today())
	switch {
	case !ok:
		return registerBadge{p.T("register.badge.none"), "sla-done"}
	case days < -1:
		return registerBadge{p.T("register.badge.overdue", "days", -days), "sla-late"}
	case days == -1:
		return registerBadge{p.T("register.badge.overdue_one"), "sla-late"}
	case days == 0:
		return registerBadge{p.T("register.badge.today"), "sla-warn"}
	case days == 1:
		return registerBadge{p.T("register.badge.tomorrow"), "sla-warn"}
	case days <= 30:
		return registerBadge{p.T("register.badge.due_in", "days", days), "sla-warn"}
	}
	return registerBadge{p.T("register.badge.due_in", "days", days), "sla-ok"}
}

// RegisterStatusClass is the badge class of an entry's status.
func (p *page) RegisterStatusClass(st beheer.RegisterStatus) string {
	switch st {
	case beheer.RegisterActive:
		return "result-passed"
	case beheer.RegisterFailing:
		return "result-failed"
	case beheer.RegisterRetired:
		return "phase-closed"
	}
	return ""
}

// registerGroup is the entries of one kind.
type registerGroup struct {
	Kind    beheer.RegisterKind
	Entries []*beheer.RegisterEntry
}

// registerListView is the data of the register's list.
type registerListView struct {
	Groups  []registerGroup
	CanKeep bool
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request, p *page) error {
	list, err := s.store.RegisterEntries(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	v := registerListView{CanKeep: beheer.CanKeepRegister(p.Actor)}
	for _, k := range beheer.RegisterKinds {
		g := registerGroup{Kind: k}
		for _, e := range list {
			if e.Kind == k {
				g.Entries = append(g.Entries, e)
			}
		}
		v.Groups = append(v.Groups, g)
	}
	p.Title = p.T("register.title")
	if p.Flash == "" {
		p.Flash = registerDoneMessage(p, r)
	}
	p.Data = v
	s.render(w, http.StatusOK, "register", "", p)
	return nil
}

// registerDoneMessage confirms what the previous post did (?done=…).
func registerDoneMessage(p *page, r *http.Request) string {
	switch d := r.URL.Query().Get("done"); d {
	case "created", "saved", "reviewed":
		return p.T("register.done." + d)
	}
	return ""
}

func registerPath(id int64, rest string) string {
	return "/register/" + strconv.FormatInt(id, 10) + rest
}

// registerEntryView is the data of one entry's page.
type registerEntryView struct {
	formRefusal
	Entry   *beheer.RegisterEntry
	CanKeep bool
	Today   string
}

func (s *Server) registerEntryPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showRegisterEntry(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showRegisterEntry(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.store.RegisterEntry(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	p.Title = e.Name
	if p.Flash == "" {
		p.Flash = registerDoneMessage(p, r)
	}
	p.Data = registerEntryView{formRefusal: fe, Entry: e, CanKeep: beheer.CanKeepRegister(p.Actor), Today: isoDay(s.store.Today())}
	s.render(w, status, "registerentry", "", p)
	return nil
}

func (s *Server) recordRegisterReview(w http.ResponseWriter, r *http.Request, p *page) error {
	if !beheer.CanKeepRegister(p.Actor) {
		return beheer.Refusal(beheer.PermRegisterKeep)
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	var v beheer.Validation
	in := beheer.RegisterReviewInput{ReviewedOn: formDay(r, "reviewed_on", &v), Note: r.PostFormValue("note")}
	err = v.Err()
	if err == nil {
		_, err = s.store.RecordRegisterReview(r.Context(), p.Actor, id, version, in)
	}
	if err != nil {
		return p.showRefused(r, "review", err, func(fe formRefusal) error {
			return s.showRegisterEntry(w, r, p, fe.Status, fe)
		})
	}
	redirect(w, r, registerPath(id, "?done=reviewed"))
	return nil
}

// registerFormView is the data of the form for a new entry or a change.
type registerFormView struct {
	formRefusal
	Kind     beheer.RegisterKind
	ID       int64 // 0 for a new entry
	Version  int64
	Stale    bool   // someone else saved in between
	Message  string // a refusal that names no field
	In       beheer.RegisterInput
	AreaCode string
	Owners   []beheer.PersonName
	Areas    []beheer.Area
	Contacts []beheer.ChannelContact
	Today    string
}

// Statuses, Directions, Protocols and TLSModes list the form's choices.
func (registerFormView) Statuses() []beheer.RegisterStatus      { return beheer.RegisterStatuses }
func (registerFormView) Directions() []beheer.RegisterDirection { return beheer.RegisterDirections }
func (registerFormView) Protocols() []beheer.SSOProtocol        { return beheer.SSOProtocols }
func (registerFormView) TLSModes() []beheer.TLSMode             { return beheer.TLSModes }

// V is the value to show in a field: what was typed when the form comes
// back, else the saved value.
func (v registerFormView) V(field string, saved any) string {
	def := ""
	switch x := saved.(type) {
	case string:
		def = x
	case int:
		if x != 0 {
			def = strconv.Itoa(x)
		}
	case int64:
		if x != 0 {
			def = strconv.FormatInt(x, 10)
		}
	default:
		def = fmt.Sprint(x)
	}
	return v.Val("entry", field, def)
}

func (s *Server) registerFormData(r *http.Request, p *page, v *registerFormView) error {
	var err error
	if v.Owners, err = s.store.RegisterOwners(r.Context(), p.Actor); err != nil {
		return err
	}
	if v.Areas, err = s.store.Areas(r.Context()); err != nil {
		return err
	}
	if v.Kind == beheer.RegisterKindIntegration {
		if v.Contacts, err = s.store.RegisterContacts(r.Context(), p.Actor); err != nil {
			return err
		}
	}
	for _, a := range v.Areas {
		if a.ID == v.In.AreaID {
			v.AreaCode = a.Code
		}
	}
	v.Today = isoDay(s.store.Today())
	return nil
}

func (s *Server) renderRegisterForm(w http.ResponseWriter, r *http.Request, p *page, status int, v registerFormView) error {
	if err := s.registerFormData(r, p, &v); err != nil {
		return err
	}
	key := "register.new." + string(v.Kind)
	if v.ID != 0 {
		key = "register.edit"
	}
	p.Title = p.T(key, "name", v.In.Name)
	p.Data = v
	s.render(w, status, "registeredit", "", p)
	return nil
}

func (s *Server) newRegisterEntryPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if !beheer.CanKeepRegister(p.Actor) {
		return beheer.Refusal(beheer.PermRegisterKeep)
	}
	kind := beheer.RegisterKind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		return beheer.ErrNotFound()
	}
	in := beheer.RegisterInput{Kind: kind, Status: beheer.RegisterActive, ReviewMonths: beheer.DefaultReviewMonths}
	if kind == beheer.RegisterKindMailServer {
		in.Port, in.TLSMode = 587, beheer.TLSStartTLS
	}
	if p.User != nil && p.Actor.HasRole(beheer.RoleTechnicalAdmin) {
		in.OwnerID = p.User.ID
	}
	return s.renderRegisterForm(w, r, p, http.StatusOK, registerFormView{Kind: kind, In: in})
}

func (s *Server) editRegisterEntryPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if !beheer.CanKeepRegister(p.Actor) {
		return beheer.Refusal(beheer.PermRegisterKeep)
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.store.RegisterEntry(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	return s.renderRegisterForm(w, r, p, http.StatusOK, registerFormView{Kind: e.Kind, ID: e.ID, Version: e.Version, In: e.Input()})
}

// readRegisterForm reads the entry form. Numbers and dates that cannot be
// read are named together with what the store finds wrong.
func (s *Server) readRegisterForm(r *http.Request) (beheer.RegisterInput, error) {
	var v beheer.Validation
	in := beheer.RegisterInput{Kind: beheer.RegisterKind(r.PostFormValue("kind")), Name: r.PostFormValue("name"),
		Status: beheer.RegisterStatus(r.PostFormValue("status")), OwnerID: planFormID(r, "owner", &v),
		AreaID: s.kbAreaID(r, r.PostFormValue("area"), "area", &v), Description: r.PostFormValue("description"),
		Direction: beheer.RegisterDirection(r.PostFormValue("direction")), OtherSystem: r.PostFormValue("other_system"),
		Technique: r.PostFormValue("technique"), MaintainerContactID: planFormID(r, "maintainer_contact", &v),
		Maintainer: r.PostFormValue("maintainer"), Protocol: beheer.SSOProtocol(r.PostFormValue("protocol")),
		IssuerURL: r.PostFormValue("issuer_url"), ClientIDs: r.PostFormValue("client_ids"), Host: r.PostFormValue("host"),
		TLSMode: beheer.TLSMode(r.PostFormValue("tls_mode")), Sender: r.PostFormValue("sender"),
		DNSNotes: r.PostFormValue("dns_notes"), LastReviewedOn: formDay(r, "last_reviewed_on", &v)}
	in.Port = formInt(r, "port", &v)
	in.ReviewMonths = formInt(r, "review_months", &v)
	if in.ReviewMonths == 0 && !v.Has("review_months") {
		v.Add("review_months", "field.required")
	}
	if len(v.Fields) == 0 {
		return in, nil
	}
	check := in
	if err := check.Validate(s.store.Today()); err != nil {
		for _, f := range err.(*beheer.Error).Fields {
			if !v.Has(f.Field) {
				v.Fields = append(v.Fields, f)
			}
		}
	}
	return in, v.Err()
}

// formInt reads a whole number; "" is 0, anything else unreadable is
// reported on the field.
func formInt(r *http.Request, name string, v *beheer.Validation) int {
	raw := strings.TrimSpace(r.PostFormValue(name))
	if raw == "" {
		return 0
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		v.Add(name, "field.invalid")
	}
	return n
}

func (s *Server) createRegisterEntry(w http.ResponseWriter, r *http.Request, p *page) error {
	if !beheer.CanKeepRegister(p.Actor) {
		return beheer.Refusal(beheer.PermRegisterKeep)
	}
	in, err := s.readRegisterForm(r)
	var e *beheer.RegisterEntry
	if err == nil {
		e, err = s.store.CreateRegisterEntry(r.Context(), p.Actor, in)
	}
	if err != nil {
		if !in.Kind.Valid() && beheer.ErrorCode(err) == beheer.CodeInvalid {
			return err
		}
		return s.registerFormAgain(w, r, p, registerFormView{Kind: in.Kind, In: in}, err)
	}
	redirect(w, r, registerPath(e.ID, "?done=created"))
	return nil
}

func (s *Server) updateRegisterEntry(w http.ResponseWriter, r *http.Request, p *page) error {
	if !beheer.CanKeepRegister(p.Actor) {
		return beheer.Refusal(beheer.PermRegisterKeep)
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if version <= 0 {
		return beheer.Errorf(beheer.CodePreconditionRequired, "register.stale")
	}
	in, err := s.readRegisterForm(r)
	if err == nil {
		_, err = s.store.UpdateRegisterEntry(r.Context(), p.Actor, id, version, in)
	}
	if err != nil {
		v := registerFormView{Kind: in.Kind, ID: id, Version: version, In: in}
		if beheer.ErrorCode(err) == beheer.CodePreconditionFailed {
			// Keep what was typed and carry the current version: saving
			// again replaces the other person's change deliberately.
			cur, lerr := s.store.RegisterEntry(r.Context(), p.Actor, id)
			if lerr != nil {
				return lerr
			}
			v.Version, v.Stale, v.Kind = cur.Version, true, cur.Kind
		}
		return s.registerFormAgain(w, r, p, v, err)
	}
	redirect(w, r, registerPath(id, "?done=saved"))
	return nil
}

// registerFormAgain shows the form again as typed: field errors beside the
// fields (422), a stale version with its explanation (409); other refusals
// become the error page.
func (s *Server) registerFormAgain(w http.ResponseWriter, r *http.Request, p *page, v registerFormView, err error) error {
	f, ok := p.refused(r, "entry", err)
	if !ok {
		return err
	}
	v.formRefusal = f
	if len(f.Fields) == 0 {
		v.Message = f.Message
	}
	return s.renderRegisterForm(w, r, p, f.Status, v)
}

// ReviewText words the requests the register's review sweep raises, in
// Dutch (the organisation's language), from the catalogue; baseURL (the
// public address, may be empty) makes the link to the entry absolute.
func ReviewText(cat *i18n.Catalog, baseURL string) beheer.RegisterReviewText {
	zone, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		zone = time.UTC
	}
	return func(e *beheer.RegisterEntry) beheer.RegisterReviewTexts {
		kind := strings.ToLower(cat.T(i18n.NL, "register.kind."+string(e.Kind)))
		due := i18n.FormatDate(i18n.NL, time.Date(e.NextReviewOn.Year(), e.NextReviewOn.Month(), e.NextReviewOn.Day(), 12, 0, 0, 0, zone), zone)
		link := strings.TrimSuffix(baseURL, "/") + registerPath(e.ID, "")
		return beheer.RegisterReviewTexts{
			Title: cat.T(i18n.NL, "register.review_request.title."+string(e.Kind), "name", e.Name),
			Description: cat.T(i18n.NL, "register.review_request.description", "kind", kind, "name", e.Name, "date", due,
				"link", link),
			Task: cat.T(i18n.NL, "register.review_request.task", "name", e.Name),
		}
	}
}
