package beheer

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FollowReason says how a person came to follow a request: added by
// someone, on their own, as the requester of a duplicate or of a request
// joined to a parent incident, or by joining a parent incident from the
// new-request form.
type FollowReason string

// The reasons.
const (
	FollowAdded     FollowReason = "added"
	FollowSelf      FollowReason = "self"
	FollowDuplicate FollowReason = "duplicate"
	FollowParent    FollowReason = "parent"
	FollowJoined    FollowReason = "joined"
)

// Follower is a colleague who follows a request (volger): they read its
// public side and hear of its public updates, never its internal notes.
type Follower struct {
	UserID  int64        `json:"user_id"`
	Name    string       `json:"name"`
	Reason  FollowReason `json:"reason"`
	AddedBy int64        `json:"added_by,omitempty"`
	AddedAt time.Time    `json:"added_at"`
}

// CanAddFollower reports whether the actor may add someone else as a
// follower: the requester, or whoever manages the request.
func CanAddFollower(a *Actor, r *Request) bool {
	return a != nil && (r.RequesterID == a.UserID || CanManage(a, r))
}

// CheckFollow says whether the actor may make person follow the request.
// person is nil when no such person exists; active is whether they may
// sign in. Following oneself is for staff who work on the request's area
// (they keep an eye on a request that way; management reads without
// acting); adding a colleague is for the requester and its managers.
func CheckFollow(a *Actor, r *Request, f Facts, person *User) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	self := person != nil && person.ID == a.UserID
	if person != nil && !self && !CanAddFollower(a, r) || self && !a.Can(PermRequestComment, r.AreaID) && !CanManage(a, r) {
		return ErrForbidden("follow.forbidden")
	}
	var v Validation
	switch {
	case person == nil:
		v.Add("user", "follow.unknown_person")
	case !person.Active:
		v.Add("user", "follow.inactive")
	case person.ID == r.RequesterID:
		v.Add("user", "follow.is_requester")
	}
	return v.Err()
}

// CheckUnfollow says whether the actor may stop person following: the
// follower themselves, the requester, or a manager.
func CheckUnfollow(a *Actor, r *Request, f Facts, personID int64) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	if personID != a.UserID && !CanAddFollower(a, r) {
		return ErrForbidden("follow.forbidden")
	}
	return nil
}

// CanFollowArea reports whether the actor may follow an area (hear of
// every new request in it): whoever may read the area's requests, a key
// user above all.
func CanFollowArea(a *Actor, area int64) bool { return area != 0 && a.Can(PermRequestRead, area) }

// Mentions lists, once each and in order, the handles mentioned in a
// comment: "@" at the start of the text or after a space or an opening
// bracket, followed by a handle (the part of a person's e-mail address
// before the "@", as the autocomplete inserts it). An e-mail address in
// the text is no mention.
func Mentions(body string) []string {
	var out []string
	for i := 0; i < len(body); i++ {
		if body[i] != '@' {
			continue
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(body[:i])
			if !unicode.IsSpace(prev) && !strings.ContainsRune("([{\"'", prev) {
				continue
			}
		}
		h := handleAt(body[i+1:])
		if h != "" && !containsFold(out, h) {
			out = append(out, strings.ToLower(h))
		}
		i += len(h)
	}
	return out
}

// handleAt is the handle at the start of s: letters, digits, dots,
// hyphens, underscores and plus signs, without a trailing dot.
func handleAt(s string) string {
	end := 0
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-+", r)) {
			break
		}
		end += n
	}
	return strings.TrimRight(s[:end], ".-")
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// Handle is the name by which a person is mentioned: their e-mail
// address's local part, in lower case.
func Handle(email string) string {
	local, _, _ := strings.Cut(email, "@")
	return strings.ToLower(local)
}

// MentionReaches reports whether a mention of person in a comment reaches
// them: only when they may read the request, and for an internal note only
// when they may read internal notes. A mention that does not reach its
// person notifies nobody and tells them nothing; the note is saved all the
// same, and its writer is told the mention had no effect.
func MentionReaches(person *Actor, r *Request, f Facts, internal bool) bool {
	if !CanRead(person, r, f) {
		return false
	}
	return !internal || CanSeeInternal(person, r, f)
}
