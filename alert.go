package beheer

import (
	"slices"
	"time"
)

// Alert is a team alert (teammelding): something the people who run an
// area must hear of without being named in it.
type Alert string

// The team alerts.
const (
	// AlertNewRequest: a new request arrived in the area.
	AlertNewRequest Alert = "new_request"
	// AlertEscalationClosed: an outside party answered an escalation.
	AlertEscalationClosed Alert = "escalation_closed"
	// AlertVendorReturned: the last open escalation was closed, so the
	// request is back with the team.
	AlertVendorReturned Alert = "vendor_returned"
	// AlertTaskOverdue: a technical task is open longer than TaskOverdueAfter.
	AlertTaskOverdue Alert = "task_overdue"
)

// Alerts lists the team alerts in the order the settings show them.
var Alerts = []Alert{AlertNewRequest, AlertEscalationClosed, AlertVendorReturned, AlertTaskOverdue}

// Valid reports whether al is a known alert.
func (al Alert) Valid() bool { return slices.Contains(Alerts, al) }

// TaskOverdueAfter is how long a technical task may stay open before its
// request's team is alerted, once.
const TaskOverdueAfter = 5 * 24 * time.Hour

// AlertSettings says which alerts an area sends; an alert not named is on.
type AlertSettings map[Alert]bool

// On reports whether the area sends al.
func (s AlertSettings) On(al Alert) bool {
	on, set := s[al]
	return !set || on
}

// CanSetAlerts reports whether the actor may choose the alerts of area: a
// functional admin of that area.
func CanSetAlerts(a *Actor, area int64) bool {
	return area != 0 && a.Can(PermAreaManage, area) && a.Can(PermRequestManage, area)
}

// CheckAlertSettings validates the alerts of an area as the form sends
// them.
func CheckAlertSettings(a *Actor, area int64, s AlertSettings) error {
	if !CanSetAlerts(a, area) {
		return ErrForbidden("alert.forbidden")
	}
	var v Validation
	for al := range s {
		if !al.Valid() {
			v.Add(string(al), "field.unknown")
		}
	}
	return v.Err()
}

// AlertAudience is whom a team alert goes to: the assignee where the
// request has one and the alert is about work they hold, otherwise the
// functional admins of the area; area followers hear of new requests too.
// A new request goes to the team, never to one person: it has no
// assignee yet.
func AlertAudience(al Alert, assignee int64, admins, areaFollowers []int64) []int64 {
	switch al {
	case AlertNewRequest:
		return slices.Concat(admins, areaFollowers)
	default:
		if assignee != 0 {
			return []int64{assignee}
		}
		return slices.Clone(admins)
	}
}
