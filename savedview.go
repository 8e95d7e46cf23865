package beheer

import (
	"strings"
)

// Limits of saved queue views.
const (
	// MaxSavedViews bounds how many views one person keeps.
	MaxSavedViews = 50
	// MaxViewName bounds a view's name, which is shown as a tab.
	MaxViewName = 80
	// MaxViewQuery bounds a view's query.
	MaxViewQuery = 2000
)

// SavedView is a named queue filter of one person.
type SavedView struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Query string `json:"query"` // the queue's URL query, e.g. phase=investigation&sort=priority
}

// Validate trims the name and checks that there is one, and that name and
// query fit.
func (sv *SavedView) Validate() error {
	sv.Name = strings.TrimSpace(sv.Name)
	var v Validation
	validateLine(&v, "name", sv.Name, MaxViewName, true)
	if len(sv.Query) > MaxViewQuery {
		v.Add("query", "field.too_long", "max", MaxViewQuery)
	}
	return v.Err()
}

// CheckViewCount refuses another view to someone who keeps the most
// already (kept is how many they have).
func CheckViewCount(kept int) error {
	if kept >= MaxSavedViews {
		return Invalid("name", "view.too_many", "max", MaxSavedViews)
	}
	return nil
}
