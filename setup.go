package beheer

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// Setting up (inrichting): the organisation creates itself on first start
// through a one-time link, and then fills in, step by step, what the seed
// document "Beheerorganisatie [Klant]" asks: its areas and processes, its
// people, the outside channels, the service levels, sign-on and mail.

// SetupLinkLifetime is how long the first-start link printed by the server
// may be used: long enough to forward it to whoever sets Beheer up, short
// enough that a link found in an old log opens nothing.
const SetupLinkLifetime = 24 * time.Hour

// MaxLogo bounds the organisation's logo in bytes.
const MaxLogo = 512 << 10

// SetupZones are the time zones an organisation chooses from: the
// Netherlands and its neighbours, and the Caribbean Netherlands.
var SetupZones = []string{"Europe/Amsterdam", "Europe/Brussels", "Europe/Luxembourg", "Europe/Berlin",
	"Europe/London", "America/Kralendijk", "UTC"}

// Organisation is the customer Beheer runs for: the "[Klant]" of the seed
// document.
type Organisation struct {
	Name      string    `json:"name"`
	Lang      string    `json:"lang"` // the language of new people and of mail to the organisation
	Zone      string    `json:"time_zone"`
	HasLogo   bool      `json:"has_logo"`
	CreatedAt time.Time `json:"created_at"`
	Version   int64     `json:"version"`
}

// OrganisationInput is what the first person (or later a functional
// admin) fills in for the organisation.
type OrganisationInput struct {
	Name string
	Lang string
	Zone string
	// Logo, when set, replaces the logo; RemoveLogo takes it away.
	Logo       *Upload
	RemoveLogo bool
}

// Validate trims and checks the organisation's details: a name, Dutch or
// English, a zone of SetupZones, and a logo that is a PNG or JPEG image of
// at most MaxLogo bytes, checked like an attachment (so an SVG, which a
// browser would run script in, is refused). It returns the logo's content
// type.
func (in *OrganisationInput) Validate() (string, error) {
	in.Name, in.Zone = strings.TrimSpace(in.Name), strings.TrimSpace(in.Zone)
	var v Validation
	validateLine(&v, "name", in.Name, MaxName, true)
	if in.Lang == "" {
		in.Lang = "nl"
	} else if in.Lang != "nl" && in.Lang != "en" {
		v.Add("lang", "field.invalid_choice", "choices", "nl, en")
	}
	if in.Zone == "" {
		in.Zone = SetupZones[0]
	} else if !slices.Contains(SetupZones, in.Zone) {
		v.Add("time_zone", "field.invalid_choice", "choices", strings.Join(SetupZones, ", "))
	}
	contentType := ""
	if in.Logo != nil {
		contentType = checkLogo(&v, *in.Logo)
	}
	return contentType, v.Err()
}

// checkLogo checks a logo as an attachment, then that it is a raster image
// a page can show.
func checkLogo(v *Validation, logo Upload) string {
	_, contentType, err := CheckAttachment(logo.Name, logo.Data, MaxLogo)
	if err != nil {
		reason := Message{Key: "setup.field.logo_type"}
		if e, ok := err.(*Error); ok {
			reason = Message{Key: e.Key, Args: e.Args}
			if len(e.Fields) > 0 {
				reason = Message{Key: e.Fields[0].Key, Args: e.Fields[0].Args}
			}
		}
		v.Add("logo", "setup.field.logo", "reason", reason)
		return ""
	}
	if contentType != "image/png" && contentType != "image/jpeg" {
		v.Add("logo", "setup.field.logo", "reason", Message{Key: "setup.field.logo_type"})
		return ""
	}
	return contentType
}

// FirstAdmin is the first person's own account: a functional admin for
// every area, who then sets up the rest. Their password is checked and
// hashed by the caller (package password), before it reaches the store.
type FirstAdmin struct {
	Name  string
	Email string
}

// User is the first admin as a new person.
func (f FirstAdmin) User(lang string) NewUser {
	return NewUser{Name: f.Name, Email: f.Email, Lang: lang, Roles: []Assignment{{Role: RoleFunctionalAdmin}}}
}

// ValidateSetup checks the first-start form: the organisation and the
// first admin together, so a person sees every message at once. Their
// fields share names ("name"), so here they are told apart as org_name,
// admin_name and admin_email. It returns the logo's content type and the
// first admin as a new person.
func ValidateSetup(in *OrganisationInput, admin FirstAdmin) (string, NewUser, error) {
	logoType, err := in.Validate()
	nu := admin.User(in.Lang)
	var v Validation
	var e *Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if f.Field == "name" {
				f.Field = "org_name"
			}
			v.Fields = append(v.Fields, f)
		}
	}
	if errors.As(nu.Validate(), &e) {
		for _, f := range e.Fields {
			f.Field = "admin_" + f.Field
			v.Fields = append(v.Fields, f)
		}
	}
	return logoType, nu, v.Err()
}

// SetupLink is the state of a first-start link as stored.
type SetupLink struct {
	Found     bool
	ExpiresAt time.Time
	UsedAt    time.Time
}

// CheckSetupLink says whether a first-start link may still be used at now,
// with orgExists telling whether an organisation was set up meanwhile: an
// unknown link opens nothing, a used or expired one says so (and how to
// get a new one), and once an organisation exists there is nothing left
// to set up.
func CheckSetupLink(l SetupLink, orgExists bool, now time.Time) error {
	switch {
	case l.Found && !l.UsedAt.IsZero():
		return Errorf(CodeConflict, "setup.link_used")
	case orgExists || !l.Found:
		return ErrNotFound()
	case !now.Before(l.ExpiresAt):
		return Errorf(CodeConflict, "setup.link_expired")
	}
	return nil
}

// SetupItem is one step of the setup checklist.
type SetupItem string

// The steps, in the order the checklist shows them.
const (
	SetupAreas         SetupItem = "areas"
	SetupProcesses     SetupItem = "processes"
	SetupPeople        SetupItem = "people"
	SetupChannels      SetupItem = "channels"
	SetupServiceLevels SetupItem = "service_levels"
	SetupSignOn        SetupItem = "sign_on"
	SetupMail          SetupItem = "mail"
)

// SetupItems lists the steps in order.
var SetupItems = []SetupItem{SetupAreas, SetupProcesses, SetupPeople, SetupChannels, SetupServiceLevels,
	SetupSignOn, SetupMail}

// Valid reports whether i is a known step.
func (i SetupItem) Valid() bool { return slices.Contains(SetupItems, i) }

// SetupFacts are what the checklist ticks itself from: counted in the
// database, or (sign-on, mail) as they are in force: saved on their
// settings pages or fixed by the environment.
type SetupFacts struct {
	Areas            int  // areas in use
	AreasWithProcess int  // areas in use with at least one process in use
	ProcessesOwned   int  // processes in use with a process owner
	People           int  // active people besides the first admin
	KeyUsers         int  // people holding the key user role anywhere
	ChannelsFilled   int  // channels with a vendor or a contact
	SupportNamed     bool // someone is named who may submit incidents to Support
	ServiceLevels    bool // the targets or the calendar were saved at least once
	SignOn           bool
	Mail             bool
}

// SetupStep is one step of the checklist as it stands.
type SetupStep struct {
	Item          SetupItem `json:"item"`
	Done          bool      `json:"done"`           // the data exists
	NotApplicable bool      `json:"not_applicable"` // someone marked it so
	Path          string    `json:"path"`           // where in the portal it is done
}

// Finished reports whether the step needs nothing more.
func (s SetupStep) Finished() bool { return s.Done || s.NotApplicable }

// setupPaths are the portal pages where each step is done.
var setupPaths = map[SetupItem]string{
	SetupAreas: "/areas", SetupProcesses: "/areas", SetupPeople: "/people", SetupChannels: "/channels",
	SetupServiceLevels: "/sla", SetupSignOn: "/settings/signon", SetupMail: "/settings/mailserver",
}

// SetupChecklist is the checklist for the facts, with the steps marked
// "not applicable" in na (a step whose data exists counts as done, not as
// not applicable). Areas are done with one area that has a process;
// processes once a process has an owner; people when someone besides the
// first admin has an account and a key user is named; channels when one
// channel is filled in and someone may submit incidents to Support.
func SetupChecklist(f SetupFacts, na map[SetupItem]bool) []SetupStep {
	done := map[SetupItem]bool{
		SetupAreas:         f.AreasWithProcess > 0,
		SetupProcesses:     f.ProcessesOwned > 0,
		SetupPeople:        f.People > 0 && f.KeyUsers > 0,
		SetupChannels:      f.ChannelsFilled > 0 && f.SupportNamed,
		SetupServiceLevels: f.ServiceLevels,
		SetupSignOn:        f.SignOn,
		SetupMail:          f.Mail,
	}
	out := make([]SetupStep, 0, len(SetupItems))
	for _, i := range SetupItems {
		out = append(out, SetupStep{Item: i, Done: done[i], NotApplicable: na[i] && !done[i], Path: setupPaths[i]})
	}
	return out
}

// SetupFinished reports whether every step of the checklist is done or not
// applicable.
func SetupFinished(steps []SetupStep) bool {
	for _, s := range steps {
		if !s.Finished() {
			return false
		}
	}
	return true
}
