package beheer

import (
	"net/mail"
	"strings"
	"time"
)

// Area is a focus area of the application, such as HR or Salaris.
type Area struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Integration bool   `json:"integrations,omitempty"` // the area of integrations (for the channel rule)
	// Position orders the areas where the organisation lists them; equal
	// positions fall back to the name.
	Position int `json:"position"`
	// ArchivedAt is when the area was archived: no new requests go there,
	// old ones keep showing it. Zero while in use.
	ArchivedAt time.Time `json:"archived_at,omitzero"`
	Version    int64     `json:"version"`
}

// Archived reports whether the area is no longer offered for new requests.
func (a Area) Archived() bool { return !a.ArchivedAt.IsZero() }

// Process is a business process inside an area, such as Declaraties.
type Process struct {
	ID          int64  `json:"id"`
	AreaID      int64  `json:"area_id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// OwnerID is the process owner: who decides a change request when the
	// area has no key user. 0 while nobody is named.
	OwnerID    int64     `json:"owner_id,omitempty"`
	OwnerName  string    `json:"owner,omitempty"`
	Position   int       `json:"position"`
	ArchivedAt time.Time `json:"archived_at,omitzero"`
	Version    int64     `json:"version"`
}

// Archived reports whether the process is no longer offered for new
// requests.
func (p Process) Archived() bool { return !p.ArchivedAt.IsZero() }

// User is a person with an account.
type User struct {
	ID        int64        `json:"id"`
	Email     string       `json:"email"`
	Name      string       `json:"name"`
	Lang      string       `json:"lang"`
	Active    bool         `json:"active"`
	Roles     []Assignment `json:"roles"`
	CreatedAt time.Time    `json:"created_at"`
}

// Actor returns the user as the actor of an action.
func (u *User) Actor() *Actor {
	return &Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Roles: u.Roles}
}

// NewUser is what is needed to add a person.
type NewUser struct {
	Email string
	Name  string
	Lang  string
	Roles []Assignment
}

// Validate checks the fields and normalises the e-mail address.
func (n *NewUser) Validate() error {
	var v Validation
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	n.Name = strings.TrimSpace(n.Name)
	if n.Email == "" {
		v.Add("email", "field.required")
	} else if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email || len(n.Email) > MaxName {
		v.Add("email", "field.invalid_email")
	}
	validateLine(&v, "name", n.Name, MaxName, true)
	if n.Lang == "" {
		n.Lang = "nl"
	} else if n.Lang != "nl" && n.Lang != "en" {
		v.Add("lang", "field.invalid_choice", "choices", []string{"nl", "en"})
	}
	for _, r := range n.Roles {
		if !r.Role.Valid() || (r.AreaID != 0 && !r.Role.Scopable()) {
			v.Add("roles", "field.invalid")
			break
		}
	}
	return v.Err()
}

// Comment is a message on a request, public or internal.
type Comment struct {
	ID         int64     `json:"id"`
	RequestID  int64     `json:"request_id"`
	AuthorID   int64     `json:"author_id"`
	AuthorName string    `json:"author,omitempty"`
	Body       string    `json:"body"`
	Internal   bool      `json:"internal"`
	CreatedAt  time.Time `json:"created_at"`
	// MentionsWithoutEffect are the mentions in a comment just written
	// that reach nobody: no one by that name may read the comment. The
	// writer is told; the person, if any, is not.
	MentionsWithoutEffect []string `json:"mentions_without_effect,omitempty"`
}

// NewComment is what a person writes.
type NewComment struct {
	Body     string
	Internal bool
}

// Validate checks the body.
func (n *NewComment) Validate() error {
	var v Validation
	validateText(&v, "body", n.Body, MaxComment, true)
	return v.Err()
}

// Attachment is a file attached to a request, stored in the database.
type Attachment struct {
	ID          int64     `json:"id"`
	RequestID   int64     `json:"request_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploaderID  int64     `json:"uploader_id"`
	CreatedAt   time.Time `json:"created_at"`
	// ThumbType is the type of its stored thumbnail: "" while none has
	// been made, ThumbNone when none can be (see Previewable).
	ThumbType string `json:"-"`
}

// AuditEntry is one change in the audit trail: who, when, what before, what after.
type AuditEntry struct {
	ID        int64     `json:"id"`
	RequestID int64     `json:"request_id,omitempty"`
	ActorID   int64     `json:"actor_id,omitempty"`
	ActorName string    `json:"actor,omitempty"`
	At        time.Time `json:"at"`
	Action    string    `json:"action"`
	Field     string    `json:"field,omitempty"`
	Before    string    `json:"before,omitempty"`
	After     string    `json:"after,omitempty"`
	Internal  bool      `json:"-"` // concerns an internal note: hidden from the requester
}

// CheckAttach says whether the actor may add a file to the request: anyone
// who may comment publicly on it.
func CheckAttach(a *Actor, r *Request, f Facts) error {
	if err := CheckComment(a, r, f, false); err != nil {
		return err
	}
	if !r.Phase.Open() {
		return Errorf(CodeConflict, "request.not_open")
	}
	return nil
}
