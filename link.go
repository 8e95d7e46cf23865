package beheer

import "slices"

// Links between requests: a follow-up from Optimalisatie, a duplicate, a
// request that blocks another, one caused by another, or simply related
// ones. A link has a direction — "this request follows from that one" —
// and reads the other way round from the other side.

// LinkKind says how one request relates to another.
type LinkKind string

// The link kinds: a fixed list, so that links can be counted and read
// the same way by everyone.
const (
	LinkFollowsFrom LinkKind = "follows_from" // a follow-up of the other request
	LinkDuplicates  LinkKind = "duplicates"   // the same question as the other
	LinkBlocks      LinkKind = "blocks"       // the other waits for this one
	LinkRelatesTo   LinkKind = "relates_to"   // related, without more to say
	LinkCausedBy    LinkKind = "caused_by"    // the other one caused this
)

// LinkKinds lists the kinds in display order.
var LinkKinds = []LinkKind{LinkFollowsFrom, LinkDuplicates, LinkBlocks, LinkRelatesTo, LinkCausedBy}

// Valid reports whether k is one of the kinds.
func (k LinkKind) Valid() bool { return slices.Contains(LinkKinds, k) }

// Label is the catalogue key of the kind as read from the request that
// holds the link (outward) or from the request it points to: "volgt uit"
// from one side is "heeft als vervolg" from the other.
func (k LinkKind) Label(outward bool) string {
	if outward {
		return "link.kind." + string(k)
	}
	return "link.inverse." + string(k)
}

// CheckLink says whether the actor may link the request r to another
// request, as kind: who manages r or filed it, with a known kind, to
// another request. Whether the actor may see the other request is the
// caller's to check (it answers as for an unknown request).
func CheckLink(a *Actor, r *Request, f Facts, otherID int64, kind LinkKind) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	var v Validation
	switch {
	case kind == "":
		v.Add("kind", "field.required")
	case !kind.Valid():
		v.Add("kind", "link.field.kind", "choices", LinkKinds)
	}
	switch {
	case otherID == 0:
		v.Add("other", "link.field.other_required")
	case otherID == r.ID:
		v.Add("other", "link.field.self")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if !CanManage(a, r) && r.RequesterID != a.UserID {
		return ErrForbidden("link.forbidden")
	}
	return nil
}
