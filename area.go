package beheer

import (
	"strings"
	"unicode/utf8"
)

// The rules of areas and processes (aandachtsgebieden en processen) as an
// organisation keeps them: names unique, archived rather than deleted once
// requests point at them, open requests of an archived area moved to another
// area, a process owner who has an account.

// MaxAreaCode bounds an area's code, the short name in addresses and filters.
const MaxAreaCode = 40

// CanManageAreas reports whether the actor creates, renames, orders and
// archives areas: they belong to the whole organisation, so only an area
// manager for every area may.
func CanManageAreas(a *Actor) bool { return a.Can(PermAreaManage, 0) }

// CanManageProcesses reports whether the actor keeps the processes of an
// area: an area manager of that area (or of every area).
func CanManageProcesses(a *Actor, areaID int64) bool { return a.Can(PermAreaManage, areaID) }

// AreaInput is what an administrator fills in for an area.
type AreaInput struct {
	Code        string
	Name        string
	Description string
	Integration bool
}

// Validate trims the input, lowercases the code and checks it: a code of
// lowercase letters, digits and hyphens, a name, and a description of at
// most MaxNote characters.
func (in *AreaInput) Validate() error {
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	var v Validation
	switch {
	case in.Code == "":
		v.Add("code", "field.required")
	case utf8.RuneCountInString(in.Code) > MaxAreaCode:
		v.Add("code", "field.too_long", "max", MaxAreaCode)
	case strings.IndexFunc(in.Code, IsLineBreak) >= 0:
		v.Add("code", "field.single_line")
	case !validCode(in.Code):
		v.Add("code", "area.field.code")
	}
	validateLine(&v, "name", in.Name, MaxName, true)
	validateText(&v, "description", in.Description, MaxNote, false)
	return v.Err()
}

// CodeFromName suggests an area code for a name: "Sitebeheer (InSite)"
// becomes "sitebeheer-insite".
func CodeFromName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case strings.ContainsRune("àáâäãå", r):
			b.WriteRune('a')
		case strings.ContainsRune("èéêë", r):
			b.WriteRune('e')
		case strings.ContainsRune("ìíîï", r):
			b.WriteRune('i')
		case strings.ContainsRune("òóôöõ", r):
			b.WriteRune('o')
		case strings.ContainsRune("ùúûü", r):
			b.WriteRune('u')
		default:
			if b.Len() > 0 && !dash {
				b.WriteRune('-')
				dash = true
			}
		}
	}
	code := strings.TrimRight(b.String(), "-")
	if len(code) > MaxAreaCode {
		code = strings.TrimRight(code[:MaxAreaCode], "-")
	}
	return code
}

// validCode reports a code of lowercase letters, digits and single inner
// hyphens.
func validCode(c string) bool {
	if strings.HasPrefix(c, "-") || strings.HasSuffix(c, "-") || strings.Contains(c, "--") {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// CheckAreaUnique adds a message to v when another area than id already
// has the code or, ignoring case, the name: two areas called "HR" would
// make every list and report ambiguous.
func CheckAreaUnique(v *Validation, in AreaInput, id int64, existing []Area) {
	for _, a := range existing {
		if a.ID == id {
			continue
		}
		if a.Code == in.Code {
			v.Add("code", "area.code_taken")
		}
		if strings.EqualFold(a.Name, in.Name) {
			v.Add("name", "area.name_taken", "name", a.Name)
		}
	}
}

// ArchiveArea is what archiving an area asks: where its open requests go.
type ArchiveArea struct {
	// MoveTo is the area that takes the open requests; 0 when there are
	// none to move.
	MoveTo int64
}

// CheckArchiveArea says whether area a may be archived with open requests
// open: a request still being worked on must not end up in an area nobody
// can choose any more, so with open requests the archive names another
// area in use that takes them (with their processes' names kept where that
// area has a process of the same name). to is that area as found, nil when
// it does not exist.
func CheckArchiveArea(a Area, open int, in ArchiveArea, to *Area) error {
	if a.Archived() {
		return Errorf(CodeConflict, "area.already_archived")
	}
	var v Validation
	switch {
	case in.MoveTo == 0 && open > 0:
		v.Add("move_to", "area.archive_move_required", "count", open)
		return &Error{Code: CodeConflict, Key: "area.archive_has_open", Args: []any{"count", open}, Fields: v.Fields}
	case in.MoveTo == 0:
		return nil
	case in.MoveTo == a.ID:
		v.Add("move_to", "area.move_to_self")
	case to == nil:
		v.Add("move_to", "field.unknown_area")
	case to.Archived():
		v.Add("move_to", "area.move_to_archived", "name", to.Name)
	}
	return v.Err()
}

// ProcessInput is what an administrator fills in for a process.
type ProcessInput struct {
	AreaID      int64
	Name        string
	Description string
	OwnerID     int64 // 0: no process owner (yet)
}

// Validate trims and checks the input: an area, a name and a description
// of at most MaxNote characters.
func (in *ProcessInput) Validate() error {
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	var v Validation
	if in.AreaID <= 0 {
		v.Add("area_id", "field.required")
	}
	validateLine(&v, "name", in.Name, MaxName, true)
	validateText(&v, "description", in.Description, MaxNote, false)
	if in.OwnerID < 0 {
		v.Add("owner_id", "process.owner_unknown")
	}
	return v.Err()
}

// CheckProcessUnique adds a message to v when another process than id in
// area already has the name, ignoring case: within an area a process name
// says which one is meant.
func CheckProcessUnique(v *Validation, name string, area, id int64, existing []Process) {
	for _, p := range existing {
		if p.ID != id && p.AreaID == area && strings.EqualFold(p.Name, name) {
			v.Add("name", "process.name_taken", "name", p.Name)
			return
		}
	}
}

// CheckProcessPlace says whether a process may be created in, or moved to,
// area to (nil when it does not exist): an area in use.
func CheckProcessPlace(v *Validation, to *Area) {
	switch {
	case to == nil:
		v.Add("area_id", "field.unknown_area")
	case to.Archived():
		v.Add("area_id", "area.move_to_archived", "name", to.Name)
	}
}

// CheckProcessOwner says whether the person (nil when no account has the
// id) may own a process: a process owner decides change requests, so they
// need an active account.
func CheckProcessOwner(v *Validation, owner *User) {
	switch {
	case owner == nil:
		v.Add("owner_id", "process.owner_unknown")
	case !owner.Active:
		v.Add("owner_id", "process.owner_inactive", "name", owner.Name)
	}
}

// CheckPlaceOpen refuses a new request in an archived area or process: they
// are no longer offered, and the rule holds for the API as for the form.
func CheckPlaceOpen(area *Area, process *Process) error {
	var v Validation
	if area != nil && area.Archived() {
		v.Add("area", "area.archived", "name", area.Name)
	}
	if process != nil && process.Archived() {
		v.Add("process", "process.archived", "name", process.Name)
	}
	return v.Err()
}

// ActiveAreas returns the areas that are not archived, in the order given.
func ActiveAreas(as []Area) []Area {
	out := make([]Area, 0, len(as))
	for _, a := range as {
		if !a.Archived() {
			out = append(out, a)
		}
	}
	return out
}

// ActiveProcesses returns the processes that are not archived.
func ActiveProcesses(ps []Process) []Process {
	out := make([]Process, 0, len(ps))
	for _, p := range ps {
		if !p.Archived() {
			out = append(out, p)
		}
	}
	return out
}

// Reorder returns ids in the order wanted, checked against the ids that
// exist: every existing id exactly once. ok is false for anything else, so a
// stale list (someone added an area meanwhile) is refused, not half applied.
func Reorder(existing, wanted []int64) bool {
	if len(existing) != len(wanted) {
		return false
	}
	seen := make(map[int64]bool, len(existing))
	for _, id := range existing {
		seen[id] = true
	}
	for _, id := range wanted {
		if !seen[id] {
			return false
		}
		delete(seen, id)
	}
	return len(seen) == 0
}
