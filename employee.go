package beheer

import (
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Employee is a person as the organisation's HR administration knows them:
// the rows an AFAS Profit GetConnector or a CSV file delivers. A people sync
// turns a complete list of employees into accounts: new people are added as
// plain users (requesters), people who left are deactivated, never deleted.
type Employee struct {
	Number     string `json:"employee_number"`      // medewerkernummer; unique when set
	Name       string `json:"name"`                 // full name
	Email      string `json:"email"`                // the login; matched case-insensitively
	Department string `json:"department,omitempty"` // afdeling / organisational unit
	Manager    string `json:"manager,omitempty"`    // the manager's employee number
	// Line is where the row came from (the CSV line, the AFAS row), so a
	// problem with it can be named; 0 means its position in the list.
	Line int `json:"-"`
}

// The sources people can come from. A person added by hand has source "".
const (
	SourceAFAS = "afas"
	SourceCSV  = "csv"
)

// ValidSource reports whether s names a people source a sync may run for.
func ValidSource(s string) bool { return s == SourceAFAS || s == SourceCSV }

// MaxEmployeeNumber bounds an employee number (AFAS uses up to 15 characters;
// other systems a little more).
const MaxEmployeeNumber = 50

// Normalise trims every field and lower-cases the e-mail address, so the
// same person read twice compares equal.
func (e *Employee) Normalise() {
	e.Number = strings.TrimSpace(e.Number)
	e.Name = strings.Join(strings.Fields(e.Name), " ")
	e.Email = strings.ToLower(strings.TrimSpace(e.Email))
	e.Department = strings.Join(strings.Fields(e.Department), " ")
	e.Manager = strings.TrimSpace(e.Manager)
}

// Validate normalises the employee and checks every field. The field names
// are the ones of the JSON form (employee_number, name, email, department,
// manager).
func (e *Employee) Validate() error {
	e.Normalise()
	var v Validation
	switch {
	case utf8.RuneCountInString(e.Number) > MaxEmployeeNumber:
		v.Add("employee_number", "field.too_long", "max", MaxEmployeeNumber)
	case hasControl(e.Number) || strings.ContainsAny(e.Number, "\t\r\n"):
		v.Add("employee_number", "field.invalid")
	}
	validateLine(&v, "name", e.Name, MaxName, true)
	if e.Email == "" {
		v.Add("email", "field.required")
	} else if a, err := mail.ParseAddress(e.Email); err != nil || a.Address != e.Email || len(e.Email) > MaxName {
		v.Add("email", "field.invalid_email")
	}
	validateLine(&v, "department", e.Department, MaxName, false)
	switch {
	case utf8.RuneCountInString(e.Manager) > MaxEmployeeNumber:
		v.Add("manager", "field.too_long", "max", MaxEmployeeNumber)
	case hasControl(e.Manager) || strings.ContainsAny(e.Manager, "\t\r\n"):
		v.Add("manager", "field.invalid")
	case e.Manager != "" && e.Manager == e.Number:
		v.Add("manager", "people_import.own_manager")
	}
	return v.Err()
}

// DepartmentKey is how departments are compared: case and spacing do not
// matter, so "Salarisadministratie" and "salarisadministratie " are one.
func DepartmentKey(department string) string {
	return strings.ToLower(strings.Join(strings.Fields(department), " "))
}
