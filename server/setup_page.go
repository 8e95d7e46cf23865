package server

import (
	"io"
	"net/http"
	"strconv"

	"beheer"
	"beheer/password"
	"beheer/store"
)

// The first start and the setup checklist. On an empty database the server
// prints a one-time link (cmd/beheer); the welcome page behind it creates
// the organisation and the first functional admin, who is then signed in
// and lands on the checklist ("Inrichting") that walks through the rest.

// welcomeView is the first-start form.
type welcomeView struct {
	formRefusal
	Token     string
	Zones     []string
	Refused   string // the link cannot be used: why, as a heading
	Why       string // and what to do
	MaxLogo   string
	MinLength int
}

func (s *Server) welcomeData(token string, fe formRefusal) welcomeView {
	return welcomeView{formRefusal: fe, Token: token, Zones: beheer.SetupZones, MaxLogo: beheer.FormatBytes(beheer.MaxLogo),
		MinLength: password.MinLength}
}

// welcomePage shows the first-start form for a usable link, or says
// plainly why the link cannot be used.
func (s *Server) welcomePage(w http.ResponseWriter, r *http.Request, p *page) error {
	token := r.URL.Query().Get("token")
	if err := s.store.CheckSetupLink(r.Context(), token); err != nil {
		return s.welcomeRefused(w, p, err)
	}
	p.Title = p.T("setup.welcome.title")
	p.Data = s.welcomeData(token, formRefusal{})
	s.render(w, http.StatusOK, "welcome", "", p)
	return nil
}

// welcomeRefused answers a link that cannot (or can no longer) be used:
// 410 for a spent or expired one, 404 for one that never existed or once
// the organisation is set up. Other errors become the error page.
func (s *Server) welcomeRefused(w http.ResponseWriter, p *page, err error) error {
	key := map[beheer.Code]string{beheer.CodeNotFound: "setup.link_unknown"}[beheer.ErrorCode(err)]
	status := http.StatusNotFound
	if be, ok := err.(*beheer.Error); ok && (be.Key == "setup.link_used" || be.Key == "setup.link_expired") {
		key, status = be.Key, http.StatusGone
	}
	if key == "" {
		return err
	}
	p.Title = p.T(key + ".title")
	p.Data = welcomeView{Refused: p.T(key + ".title"), Why: p.T(key)}
	s.render(w, status, "welcome", "", p)
	return nil
}

// welcome creates the organisation and the first admin, signs them in and
// sends them to the checklist. A refused form comes back with what was
// typed (but the password) and the messages beside the fields.
func (s *Server) welcome(w http.ResponseWriter, r *http.Request, p *page) error {
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		return beheer.Errorf(beheer.CodeTooLarge, "error.too_large", "max", beheer.FormatBytes(beheer.MaxLogo))
	}
	if !validPreCSRF(r) {
		return beheer.Errorf(beheer.CodeForbidden, "error.csrf")
	}
	token := r.PostFormValue("token")
	in, err := readOrganisationForm(r)
	if err != nil {
		return err
	}
	admin := beheer.FirstAdmin{Name: r.PostFormValue("admin_name"), Email: r.PostFormValue("admin_email")}
	hash, err := newPassword(r, admin.Name, admin.Email, in.Name)
	var u *beheer.User
	if err == nil {
		u, err = s.store.SetUp(r.Context(), token, in, admin, hash)
	} else {
		// Every message at once, the password's with the others'.
		if _, _, verr := beheer.ValidateSetup(&in, admin); verr != nil {
			err = joinRefusals(verr, err)
		}
	}
	if err != nil {
		if code := beheer.ErrorCode(err); code == beheer.CodeNotFound || code == beheer.CodeConflict {
			return s.welcomeRefused(w, p, err)
		}
		return p.showRefused(r, "welcome", err, func(fe formRefusal) error {
			p.Title = p.T("setup.welcome.title")
			p.Data = s.welcomeData(token, fe)
			s.render(w, fe.Status, "welcome", "", p)
			return nil
		})
	}
	return s.startSession(w, r, u.ID, "/setup?welcome=1")
}

// newPassword checks the chosen password and its repetition with the
// password rules — not made of the personal texts: the admin's name and
// address, the organisation's name — and hashes it.
func newPassword(r *http.Request, personal ...string) (string, error) {
	pw := r.PostFormValue("password")
	var v beheer.Validation
	if err := password.Check(pw, personal...); err != nil {
		v.Add("password", passwordKey(err), "min", password.MinLength, "max", password.MaxLength)
	} else if pw != r.PostFormValue("password_again") {
		v.Add("password_again", "setup.field.password_again")
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	return password.Hash(pw)
}

// joinRefusals puts the field messages of two refusals together.
func joinRefusals(a, b error) error {
	ea, _ := a.(*beheer.Error)
	eb, _ := b.(*beheer.Error)
	if ea == nil || eb == nil {
		return b
	}
	return &beheer.Error{Code: beheer.CodeInvalid, Key: eb.Key, Fields: append(eb.Fields, ea.Fields...)}
}

// readOrganisationForm reads the organisation's fields and its logo, if
// one was chosen.
func readOrganisationForm(r *http.Request) (beheer.OrganisationInput, error) {
	in := beheer.OrganisationInput{Name: r.PostFormValue("org_name"), Lang: r.PostFormValue("lang"),
		Zone: r.PostFormValue("time_zone"), RemoveLogo: r.PostFormValue("remove_logo") != ""}
	if r.MultipartForm == nil {
		return in, nil
	}
	files := r.MultipartForm.File["logo"]
	if len(files) == 0 || files[0].Size == 0 {
		return in, nil
	}
	f, err := files[0].Open()
	if err != nil {
		return in, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, beheer.MaxLogo+1))
	if err != nil {
		return in, err
	}
	in.Logo = &beheer.Upload{Name: files[0].Filename, Data: data}
	return in, nil
}

// setupState is the checklist as the store counts it, with sign-on and
// mail as they are in force: set on their settings pages or fixed by the
// environment.
func (s *Server) setupState(r *http.Request) (*store.SetupState, error) {
	v, _, err := s.conns.Values(r.Context())
	if err != nil {
		return nil, err
	}
	return s.store.SetupChecklist(r.Context(), v[beheer.ConnOIDCIssuer] != "", v[beheer.ConnSMTPHost] != "")
}

// setupView is the checklist page.
type setupView struct {
	formRefusal
	State   *store.SetupState
	Org     *beheer.Organisation
	Zones   []string
	Done    int
	MaxLogo string
	Welcome bool
}

func (s *Server) setupPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showSetup(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showSetup(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	state, err := s.setupState(r)
	if err != nil {
		return err
	}
	org, err := s.store.Organisation(r.Context())
	if err != nil {
		return err
	}
	if org == nil {
		org = &beheer.Organisation{Lang: "nl", Zone: beheer.SetupZones[0]}
	}
	v := setupView{formRefusal: fe, State: state, Org: org, Zones: beheer.SetupZones, MaxLogo: beheer.FormatBytes(beheer.MaxLogo),
		Welcome: r.URL.Query().Get("welcome") != ""}
	for _, st := range state.Steps {
		if st.Finished() {
			v.Done++
		}
	}
	if p.Flash == "" && r.URL.Query().Get("saved") != "" {
		p.Flash = p.T("setup.saved")
	}
	p.Title, p.Data = p.T("setup.title"), v
	s.render(w, status, "setup", "", p)
	return nil
}

func (s *Server) saveOrganisation(w http.ResponseWriter, r *http.Request, p *page) error {
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		return err
	}
	in, err := readOrganisationForm(r)
	if err != nil {
		return err
	}
	if _, err := s.store.SetOrganisation(r.Context(), p.Actor, postedVersion(r), in); err != nil {
		return p.showRefused(r, "organisation", err, func(fe formRefusal) error { return s.showSetup(w, r, p, fe.Status, fe) })
	}
	redirect(w, r, "/setup?saved=1#organisation")
	return nil
}

// markSetupItem marks a step "not applicable" or takes the mark away.
func (s *Server) markSetupItem(w http.ResponseWriter, r *http.Request, p *page) error {
	item := beheer.SetupItem(r.PathValue("item"))
	if err := s.store.MarkSetupItem(r.Context(), p.Actor, item, r.PostFormValue("not_applicable") == "1"); err != nil {
		return err
	}
	redirect(w, r, "/setup#step-"+string(item))
	return nil
}

// logoPage serves the organisation's logo in the portal.
func (s *Server) logoPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.organisationLogo(w, r)
}

// LangOptions are the languages an organisation or person chooses from,
// each named in its own language.
func (p *page) LangOptions() [][2]string { return [][2]string{{"nl", "Nederlands"}, {"en", "English"}} }

// ZoneOptions are the time zones of the setup forms, with a place name.
func (p *page) ZoneOptions() [][2]string {
	out := make([][2]string, len(beheer.SetupZones))
	for i, z := range beheer.SetupZones {
		out[i] = [2]string{z, p.T("setup.zone." + z)}
	}
	return out
}

// PersonOptions are people to choose from, after an option for nobody
// (labelled by the catalogue key none) when none is not "".
func (p *page) PersonOptions(people []*beheer.User, none string) [][2]string {
	var out [][2]string
	if none != "" {
		out = append(out, [2]string{"0", p.T(none)})
	}
	for _, u := range people {
		out = append(out, [2]string{strconv.FormatInt(u.ID, 10), u.Name + " (" + u.Email + ")"})
	}
	return out
}

// AreaOptions are areas to choose from, after an option labelled by the
// catalogue key none when none is not "".
func (p *page) AreaOptions(areas []beheer.Area, none string) [][2]string {
	var out [][2]string
	if none != "" {
		out = append(out, [2]string{"0", p.T(none)})
	}
	for _, a := range areas {
		out = append(out, [2]string{strconv.FormatInt(a.ID, 10), a.Name})
	}
	return out
}

// ID writes an id as the string a setup-select compares values with.
func (p *page) ID(id int64) string { return strconv.FormatInt(id, 10) }
