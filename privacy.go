package beheer

import (
	"strconv"
	"time"
)

// PersonData is everything Beheer holds about one person, for a data
// subject's access request (AVG/GDPR article 15).
type PersonData struct {
	User       *User           `json:"user"`
	Requests   []PersonRequest `json:"requests"`
	Comments   []Comment       `json:"comments"`
	Audit      []AuditEntry    `json:"audit"`
	Identities []string        `json:"identities"`
	Tokens     int             `json:"api_tokens"`
	// Mail is the e-mail the person sent to Beheer: linked to them, or
	// from their address.
	Mail       []PersonMail `json:"incoming_mail"`
	ExportedAt time.Time    `json:"exported_at"`
}

// PersonRequest is a request the person filed.
type PersonRequest struct {
	Number    string    `json:"number"`
	Title     string    `json:"title"`
	Phase     Phase     `json:"phase"`
	CreatedAt time.Time `json:"created_at"`
}

// CanExportPerson reports whether the actor may read everything Beheer
// holds about a person: the person themselves (their right of access), or
// a functional admin for all areas, who answers such requests.
func CanExportPerson(a *Actor, userID int64) bool {
	return a != nil && (a.UserID == userID || a.Can(PermUserManage, 0))
}

// CheckExportPerson refuses an export the actor may not make.
func CheckExportPerson(a *Actor, userID int64) error {
	if !CanExportPerson(a, userID) {
		return Refusal(PermUserManage)
	}
	return nil
}

// CheckAnonymise says whether the actor may anonymise a person: only a
// functional admin for all areas, as it is never undone, and never
// themselves.
func CheckAnonymise(a *Actor, userID int64) error {
	if !a.Can(PermUserManage, 0) {
		return Refusal(PermUserManage)
	}
	if userID == a.UserID {
		return Errorf(CodeConflict, "people.not_yourself")
	}
	return nil
}

// AnonymousPerson is the name and e-mail address an anonymised person
// keeps: unique (the address is a login), recognisable as a former
// employee in the history, and at a domain that never receives mail.
func AnonymousPerson(userID int64) (name, email string) {
	id := strconv.FormatInt(userID, 10)
	return "Oud-medewerker " + id, "verwijderd-" + id + "@anoniem.invalid"
}
