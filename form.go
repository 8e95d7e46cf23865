package beheer

import (
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A form asks the questions a request type needs answered when it is filed
// (for whom, which role, which environment, from when), so nobody has to
// ask back for the basics. Functional admins design a form per request type,
// optionally per process; each save is a new version and a request keeps
// the version it was filed with, so changing a form never breaks old
// requests. A form that requests use is archived, never deleted.

// FieldKind is what sort of answer a form field takes.
type FieldKind string

// The field kinds.
const (
	FieldText       FieldKind = "text"         // korte tekst
	FieldLongText   FieldKind = "long_text"    // lange tekst
	FieldNumber     FieldKind = "number"       // getal, optioneel met minimum en maximum
	FieldDate       FieldKind = "date"         // datum
	FieldChoice     FieldKind = "choice"       // keuze uit een lijst, één antwoord
	FieldMulti      FieldKind = "multi_choice" // keuze uit een lijst, meer antwoorden
	FieldYesNo      FieldKind = "yes_no"       // ja/nee
	FieldPerson     FieldKind = "person"       // een actieve persoon
	FieldPlace      FieldKind = "place"        // een gebied, eventueel met proces
	FieldAttachment FieldKind = "attachment"   // een bijlage bij de aanvraag
)

// FieldKinds lists the kinds in the order the designer offers them.
var FieldKinds = []FieldKind{FieldText, FieldLongText, FieldNumber, FieldDate, FieldChoice, FieldMulti,
	FieldYesNo, FieldPerson, FieldPlace, FieldAttachment}

// Valid reports whether k is a known kind.
func (k FieldKind) Valid() bool { return slices.Contains(FieldKinds, k) }

// HasChoices reports whether fields of this kind need a list of choices.
func (k FieldKind) HasChoices() bool { return k == FieldChoice || k == FieldMulti }

// Limits of a form.
const (
	MaxFormFields   = 40
	MaxFieldChoices = 50
	MaxFieldHelp    = 500
	MaxAnswerText   = 500
	MaxAnswerLong   = 5000
)

// Choice is one option of a choice field: the stored value and its labels.
type Choice struct {
	Value string `json:"value"`
	Label Texts  `json:"label"`
}

// Condition shows a field only when an earlier field has a given value (for
// a multiple choice: when that value is among the answers).
type Condition struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// FormField is one question of a form.
type FormField struct {
	Name     string     `json:"name"` // stable key of the answer, e.g. "omgeving"
	Kind     FieldKind  `json:"kind"`
	Label    Texts      `json:"label"`
	Help     Texts      `json:"help"`
	Required bool       `json:"required"`
	Min      *float64   `json:"min,omitempty"` // numbers only
	Max      *float64   `json:"max,omitempty"`
	Choices  []Choice   `json:"choices,omitempty"`
	ShowIf   *Condition `json:"show_if,omitempty"`
	Default  string     `json:"default,omitempty"` // a valid answer, filled in when nothing is sent
}

// Form is a request type's form (for one process, or for every process when
// ProcessID is 0) at its current version.
type Form struct {
	ID         int64       `json:"id"`
	Type       Type        `json:"type"`
	ProcessID  int64       `json:"process_id,omitempty"`
	Name       Texts       `json:"name"`
	Version    int64       `json:"version"`    // the current version's number, raised by every save
	VersionID  int64       `json:"version_id"` // the current version's id, what a request refers to
	Fields     []FormField `json:"fields"`
	InUse      int64       `json:"in_use"` // requests filed with any version
	ArchivedAt time.Time   `json:"archived_at,omitzero"`
	UpdatedAt  time.Time   `json:"updated_at,omitzero"`
}

// Active reports whether the form is offered for new requests.
func (f *Form) Active() bool { return f.ArchivedAt.IsZero() }

// Field returns the field named name, or nil.
func (f *Form) Field(name string) *FormField { return fieldNamed(f.Fields, name) }

func fieldNamed(fields []FormField, name string) *FormField {
	for i := range fields {
		if fields[i].Name == name {
			return &fields[i]
		}
	}
	return nil
}

var fieldNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ValidFieldName reports whether s can name a field: lower-case letters,
// digits and underscores, starting with a letter, at most 40 characters.
// Names end up in URLs (answer.<name>=…) and export headers.
func ValidFieldName(s string) bool { return fieldNamePattern.MatchString(s) }

// ValidateForm trims and checks a form as the designer or the API sends it:
// a type, a Dutch name, at least one field, each field well formed, no
// field name twice, conditions that point at an earlier field and a value it
// can have, defaults that are valid answers. Messages name the field as
// fields.<i>.<part>.
func ValidateForm(f *Form) error {
	var v Validation
	if !f.Type.Valid() {
		v.Add("type", "field.invalid_choice", "choices", joinCodes(Types))
	}
	f.Name.trim()
	validateText(&v, "name.nl", f.Name.NL, MaxName, true)
	validateText(&v, "name.en", f.Name.EN, MaxName, false)
	switch {
	case len(f.Fields) == 0:
		v.Add("fields", "form.no_fields")
	case len(f.Fields) > MaxFormFields:
		v.Add("fields", "field.too_many", "max", MaxFormFields)
	}
	for i := range f.Fields {
		validateField(&v, "fields."+strconv.Itoa(i)+".", f.Fields[:i], &f.Fields[i])
	}
	return v.Err()
}

// validateField checks one field against the fields before it.
func validateField(v *Validation, at string, before []FormField, fd *FormField) {
	fd.Name = strings.TrimSpace(fd.Name)
	fd.Label.trim()
	fd.Help.trim()
	switch {
	case !ValidFieldName(fd.Name):
		v.Add(at+"name", "form.bad_field_name")
	case fieldNamed(before, fd.Name) != nil:
		v.Add(at+"name", "form.duplicate_field", "name", fd.Name)
	}
	if !fd.Kind.Valid() {
		v.Add(at+"kind", "field.invalid_choice", "choices", joinCodes(FieldKinds))
		return
	}
	validateText(v, at+"label.nl", fd.Label.NL, MaxName, true)
	validateText(v, at+"label.en", fd.Label.EN, MaxName, false)
	validateText(v, at+"help.nl", fd.Help.NL, MaxFieldHelp, false)
	validateText(v, at+"help.en", fd.Help.EN, MaxFieldHelp, false)
	validateChoices(v, at, fd)
	if fd.Kind != FieldNumber {
		fd.Min, fd.Max = nil, nil
	} else if fd.Min != nil && fd.Max != nil && *fd.Min > *fd.Max {
		v.Add(at+"max", "form.max_below_min")
	}
	if c := fd.ShowIf; c != nil {
		c.Field, c.Value = strings.TrimSpace(c.Field), strings.TrimSpace(c.Value)
		if c.Field == "" {
			fd.ShowIf = nil
		} else if on := fieldNamed(before, c.Field); on == nil {
			v.Add(at+"show_if.field", "form.condition_field")
		} else if val, ok := checkValue(on, c.Value, AnswerLookup{}); ok {
			c.Value = val // as answers are stored: ja → true, 01-03-2026 → 2026-03-01
		} else if !lookedUp(on.Kind) {
			v.Add(at+"show_if.value", "form.condition_value")
		}
	}
	fd.Default = strings.TrimSpace(fd.Default)
	if fd.Default == "" {
		return
	}
	if fd.Kind == FieldAttachment || fd.Kind == FieldPerson || fd.Kind == FieldPlace {
		v.Add(at+"default", "form.no_default")
	} else if a, fe := checkAnswer(fd, splitDefault(fd), AnswerLookup{}); fe != nil {
		v.Add(at+"default", fe.Key, fe.Args...)
	} else if len(a.Values) > 0 {
		fd.Default = strings.Join(a.Values, ",") // as answers are stored
	}
}

// lookedUp reports kinds whose values are checked against the database.
func lookedUp(k FieldKind) bool { return k == FieldPerson || k == FieldPlace || k == FieldAttachment }

// validateChoices checks a choice field's list and drops a list from any
// other field.
func validateChoices(v *Validation, at string, fd *FormField) {
	if !fd.Kind.HasChoices() {
		fd.Choices = nil
		return
	}
	switch {
	case len(fd.Choices) == 0:
		v.Add(at+"choices", "form.no_choices")
	case len(fd.Choices) > MaxFieldChoices:
		v.Add(at+"choices", "field.too_many", "max", MaxFieldChoices)
	}
	seen := map[string]bool{}
	for i := range fd.Choices {
		c := &fd.Choices[i]
		c.Value = strings.TrimSpace(c.Value)
		c.Label.trim()
		if c.Label.NL == "" {
			c.Label.NL = c.Value
		}
		ci := at + "choices." + strconv.Itoa(i)
		switch {
		case c.Value == "" || len(c.Value) > 100 || hasControl(c.Value):
			v.Add(ci, "form.bad_choice")
		case seen[c.Value]:
			v.Add(ci, "form.duplicate_choice", "value", c.Value)
		}
		seen[c.Value] = true
		validateText(v, ci+".label.nl", c.Label.NL, MaxName, false)
		validateText(v, ci+".label.en", c.Label.EN, MaxName, false)
	}
}

// splitDefault is a field's default as sent values (a multiple choice's
// default lists its values separated by commas).
func splitDefault(fd *FormField) []string {
	if fd.Kind != FieldMulti {
		return []string{fd.Default}
	}
	var out []string
	for p := range strings.SplitSeq(fd.Default, ",") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

// Answer is the answer to one field, typed: Values holds the canonical
// text of each value (one, or several for a multiple choice), Number the
// number of a number field. Numbers are written with a dot, dates as
// YYYY-MM-DD, yes/no as "true"/"false", a person as their id, a place as
// "<area id>" or "<area id>/<process id>", an attachment as its file name.
type Answer struct {
	Field  string    `json:"field"`
	Kind   FieldKind `json:"kind"`
	Values []string  `json:"values"`
	Number *float64  `json:"number,omitempty"`
}

// Value is the answer's values joined for one cell or line.
func (a Answer) Value() string { return strings.Join(a.Values, ", ") }

// AnswerLookup is what checking answers needs from the database: whether a
// person may be named and a place exists, and which files were attached.
// Unset functions accept nothing.
type AnswerLookup struct {
	Person func(id int64) bool
	Place  func(area, process int64) bool
	Files  []string
}

// CheckAnswers checks what was sent for a form (field name → sent values;
// a field absent from in gets its default) and returns the typed answers of
// the fields shown, in the form's order. Fields hidden by their condition
// are not answered, whatever was sent. Messages name the field
// answers.<name>; a name the form does not have is refused.
func CheckAnswers(fields []FormField, in map[string][]string, look AnswerLookup) ([]Answer, error) {
	var v Validation
	for name := range in {
		if fieldNamed(fields, name) == nil {
			v.Add("answers."+name, "form.unknown_field")
		}
	}
	var out []Answer
	for i := range fields {
		fd := &fields[i]
		if !Shown(fd, out) {
			continue
		}
		sent, ok := in[fd.Name]
		if !ok && fd.Default != "" {
			sent = splitDefault(fd)
		}
		a, fe := checkAnswer(fd, sent, look)
		if fe != nil {
			v.Add("answers."+fd.Name, fe.Key, fe.Args...)
			continue
		}
		if len(a.Values) > 0 {
			out = append(out, a)
		}
	}
	if err := v.Err(); err != nil {
		slices.SortStableFunc(v.Fields, func(a, b FieldError) int { return strings.Compare(a.Field, b.Field) })
		return nil, err
	}
	return out, nil
}

// Shown reports whether a field is asked given the answers so far.
func Shown(fd *FormField, answers []Answer) bool {
	if fd.ShowIf == nil {
		return true
	}
	for _, a := range answers {
		if a.Field == fd.ShowIf.Field {
			return slices.Contains(a.Values, fd.ShowIf.Value)
		}
	}
	return false
}

// checkAnswer checks the values sent for one shown field.
func checkAnswer(fd *FormField, sent []string, look AnswerLookup) (Answer, *FieldError) {
	a := Answer{Field: fd.Name, Kind: fd.Kind}
	for _, s := range sent {
		s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
		if s == "" {
			continue
		}
		if len(a.Values) > 0 && fd.Kind != FieldMulti {
			return a, &FieldError{Key: "form.one_value"}
		}
		val, ok := checkValue(fd, s, look)
		if !ok {
			return a, valueError(fd, s)
		}
		if !slices.Contains(a.Values, val) {
			a.Values = append(a.Values, val)
		}
	}
	if len(a.Values) == 0 {
		if fd.Required {
			return a, &FieldError{Key: "field.required"}
		}
		return a, nil
	}
	if fd.Kind == FieldNumber {
		n, _ := strconv.ParseFloat(a.Values[0], 64)
		a.Number = &n
		if fe := numberRange(fd, n); fe != nil {
			return a, fe
		}
	}
	if fd.Kind == FieldText || fd.Kind == FieldLongText {
		max := MaxAnswerText
		if fd.Kind == FieldLongText {
			max = MaxAnswerLong
		}
		var tv Validation
		validateText(&tv, "", a.Values[0], max, false)
		if len(tv.Fields) > 0 {
			return a, &tv.Fields[0]
		}
	}
	return a, nil
}

// numberRange checks a number against the field's minimum and maximum.
func numberRange(fd *FormField, n float64) *FieldError {
	lo, hi := fd.Min, fd.Max
	switch {
	case lo != nil && hi != nil && (n < *lo || n > *hi):
		return &FieldError{Key: "field.range", Args: []any{"min", formatNumber(*lo), "max", formatNumber(*hi)}}
	case lo != nil && n < *lo:
		return &FieldError{Key: "form.number_min", Args: []any{"min", formatNumber(*lo)}}
	case hi != nil && n > *hi:
		return &FieldError{Key: "form.number_max", Args: []any{"max", formatNumber(*hi)}}
	}
	return nil
}

// valueError is the message for a value a field cannot take.
func valueError(fd *FormField, s string) *FieldError {
	switch fd.Kind {
	case FieldNumber:
		return &FieldError{Key: "form.not_a_number"}
	case FieldDate:
		return &FieldError{Key: "form.not_a_date"}
	case FieldChoice, FieldMulti:
		labels := make([]string, len(fd.Choices))
		for i, c := range fd.Choices {
			labels[i] = c.Value
		}
		return &FieldError{Key: "field.invalid_choice", Args: []any{"choices", strings.Join(labels, ", ")}}
	case FieldYesNo:
		return &FieldError{Key: "form.not_yes_no"}
	case FieldPerson:
		return &FieldError{Key: "form.not_a_person"}
	case FieldPlace:
		return &FieldError{Key: "form.not_a_place"}
	case FieldAttachment:
		return &FieldError{Key: "form.not_attached", Args: []any{"name", s}}
	}
	return &FieldError{Key: "field.invalid"}
}

// checkValue turns one sent value into its canonical text.
func checkValue(fd *FormField, s string, look AnswerLookup) (string, bool) {
	switch fd.Kind {
	case FieldText, FieldLongText:
		return s, true
	case FieldNumber:
		n, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err != nil || n != n || n > 1e15 || n < -1e15 {
			return "", false
		}
		return formatNumber(n), true
	case FieldDate:
		return parseAnswerDay(s)
	case FieldChoice, FieldMulti:
		for _, c := range fd.Choices {
			if c.Value == s {
				return s, true
			}
		}
		return "", false
	case FieldYesNo:
		switch strings.ToLower(s) {
		case "true", "ja", "yes", "1":
			return "true", true
		case "false", "nee", "no", "0":
			return "false", true
		}
		return "", false
	case FieldPerson:
		id, err := strconv.ParseInt(s, 10, 64)
		return strconv.FormatInt(id, 10), err == nil && id > 0 && look.Person != nil && look.Person(id)
	case FieldPlace:
		area, process, ok := ParsePlace(s)
		return s, ok && look.Place != nil && look.Place(area, process)
	case FieldAttachment:
		return s, slices.Contains(look.Files, s)
	}
	return "", false
}

// parseAnswerDay reads a date as yyyy-mm-dd (ParseDay) or as Dutch people
// type it, dd-mm-yyyy, and returns it as yyyy-mm-dd.
func parseAnswerDay(s string) (string, bool) {
	if d, ok := ParseDay(s); ok {
		return FormatDay(d), true
	}
	for _, layout := range []string{"02-01-2006", "2-1-2006"} {
		if d, err := time.Parse(layout, s); err == nil {
			return FormatDay(d), true
		}
	}
	return "", false
}

// NormaliseAnswer writes a value as fields of fd's kind store it, for
// filtering on it (ja → true, 01-03-2026 → 2026-03-01, 7,50 → 7.5); a
// value the kind cannot take is returned trimmed, matching nothing.
func NormaliseAnswer(fd *FormField, s string) string {
	s = strings.TrimSpace(s)
	switch fd.Kind {
	case FieldNumber, FieldDate, FieldYesNo:
		if v, ok := checkValue(fd, s, AnswerLookup{}); ok {
			return v
		}
	}
	return s
}

// HeldNames is what a request's answers name: the people and places they keep
// naming after the person left or the area or process was archived. When
// the answers are changed those stay valid where they were; only naming
// someone who left, or an archived place, anew is refused.
type HeldNames struct {
	people map[int64]bool
	places map[[2]int64]bool // {area, process}
}

// HeldAnswers is what answers name.
func HeldAnswers(answers []Answer) HeldNames {
	h := HeldNames{people: map[int64]bool{}, places: map[[2]int64]bool{}}
	for _, a := range answers {
		for _, v := range a.Values {
			switch a.Kind {
			case FieldPerson:
				if id, err := strconv.ParseInt(v, 10, 64); err == nil {
					h.people[id] = true
				}
			case FieldPlace:
				if area, process, ok := ParsePlace(v); ok {
					h.places[[2]int64{area, process}] = true
				}
			}
		}
	}
	return h
}

// Person reports whether the answers name person id.
func (h HeldNames) Person(id int64) bool { return h.people[id] }

// Place reports whether the answers name the area, or the process of it.
func (h HeldNames) Place(area, process int64) bool { return h.places[[2]int64{area, process}] }

// ParsePlace reads a place answer: "<area id>" or "<area id>/<process id>".
func ParsePlace(s string) (area, process int64, ok bool) {
	a, p, hasProcess := strings.Cut(s, "/")
	area, err := strconv.ParseInt(a, 10, 64)
	if err != nil || area <= 0 {
		return 0, 0, false
	}
	if hasProcess {
		if process, err = strconv.ParseInt(p, 10, 64); err != nil || process <= 0 {
			return 0, 0, false
		}
	}
	return area, process, true
}

// formatNumber writes a number as short as it reads.
func formatNumber(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

// PickForm is the form a new request of type t in process is filed with:
// the active form for that type and process, else the type's form for every
// process, else nil.
func PickForm(forms []Form, t Type, process int64) *Form {
	var general *Form
	for i := range forms {
		f := &forms[i]
		if f.Type != t || !f.Active() {
			continue
		}
		if process != 0 && f.ProcessID == process {
			return f
		}
		if f.ProcessID == 0 {
			general = f
		}
	}
	return general
}

// CheckFormScope refuses a second active form for the same type and
// process: which one a new request gets would be a guess.
func CheckFormScope(forms []Form, f *Form) error {
	for _, o := range forms {
		if o.ID != f.ID && o.Active() && o.Type == f.Type && o.ProcessID == f.ProcessID {
			return Invalid("type", "form.duplicate_scope")
		}
	}
	return nil
}

// CheckFormDelete refuses deleting a form that requests were filed with:
// they keep referring to its versions. Such a form is archived instead.
func CheckFormDelete(f *Form) error {
	if f.InUse > 0 {
		return Invalid("form", "form.in_use", "count", f.InUse)
	}
	return nil
}

// CanEditAnswers reports whether the actor may change a request's answers
// after filing: whoever manages the request, or its requester while it is
// still in Aanvraag — once the investigation starts, the work rests on
// what was answered, and only the team changes it. The API, the portal's
// edit page and the button that opens it all ask this one rule.
func CanEditAnswers(a *Actor, r *Request) bool {
	return a != nil && (CanManage(a, r) || r.RequesterID == a.UserID && r.Phase == PhaseIntake)
}

// AnswerChange is one answer changed after filing, for the audit trail.
type AnswerChange struct {
	Field, Before, After string
}

// DiffAnswers lists the fields whose answers differ between before and
// after, in the order of fields.
func DiffAnswers(fields []FormField, before, after []Answer) []AnswerChange {
	find := func(as []Answer, name string) string {
		for _, a := range as {
			if a.Field == name {
				return a.Value()
			}
		}
		return ""
	}
	var out []AnswerChange
	for _, fd := range fields {
		b, a := find(before, fd.Name), find(after, fd.Name)
		if a != b {
			out = append(out, AnswerChange{Field: fd.Name, Before: b, After: a})
		}
	}
	return out
}

// AnswerTexts are the texts a request is found by through its answers:
// what was typed, choices by their values and labels, dates also as Dutch
// people write them, people and places by the name that name gives ("" or
// a nil name: not found by them). Yes/no answers are left out: searching
// "ja" would find every request that has one.
func AnswerTexts(fields []FormField, answers []Answer, name func(k FieldKind, v string) string) []string {
	var out []string
	for _, a := range answers {
		fd := fieldNamed(fields, a.Field)
		if fd == nil || fd.Kind == FieldYesNo {
			continue
		}
		for _, v := range a.Values {
			switch fd.Kind {
			case FieldChoice, FieldMulti:
				out = append(out, v)
				for _, c := range fd.Choices {
					if c.Value == v {
						out = append(out, c.Label.NL, c.Label.EN)
					}
				}
			case FieldDate:
				out = append(out, v)
				if d, ok := ParseDay(v); ok {
					out = append(out, d.Format("02-01-2006"))
				}
			case FieldPerson, FieldPlace:
				if name != nil {
					out = append(out, name(fd.Kind, v))
				}
			default:
				out = append(out, v)
			}
		}
	}
	return out
}

// MaxKeyedAnswer is the longest answer value, in characters, a queue filter
// finds through the search index (AnswerKeys). A longer one is an
// explanation that no filter picks from a list; a filter on it reads the
// requests' answers themselves.
const MaxKeyedAnswer = 100

// answerKeyPrefix starts every answer key. Keys are letters and digits, as
// every search term is, and start as no Dutch or English word does.
const answerKeyPrefix = "zqa"

// AnswerKey is the search term that stands for one value of field, written
// as the field's kind stores it: a queue filtered on answer.<field>=<value>
// reads the requests that hold the key from the search index, which filing
// writes for a whole commit at once, instead of an index of its own that
// each filing writes a row into per answer. Two answers may share a key;
// the filter checks the answer itself.
func AnswerKey(field, value string) string {
	h := fnv.New64a()
	h.Write([]byte(field))
	h.Write([]byte{0})
	h.Write([]byte(value))
	return answerKeyPrefix + strconv.FormatUint(h.Sum64(), 36)
}

// AnswerKeys are the keys (AnswerKey) of the answers' values of at most
// MaxKeyedAnswer characters, each once.
func AnswerKeys(answers []Answer) []string {
	var out []string
	for _, a := range answers {
		for _, v := range a.Values {
			if Keyed(v) {
				if k := AnswerKey(a.Field, v); !slices.Contains(out, k) {
					out = append(out, k)
				}
			}
		}
	}
	return out
}

// Keyed says whether an answer value is short enough to have a key.
func Keyed(value string) bool { return utf8.RuneCountInString(value) <= MaxKeyedAnswer }
