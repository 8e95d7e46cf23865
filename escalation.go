package beheer

import (
	"slices"
	"time"
)

// Channel is an outside party the management team can bring in.
type Channel string

// The channels.
const (
	ChannelConsultancy       Channel = "consultancy"
	ChannelServiceManagement Channel = "service_management"
	ChannelSystemIntegrator  Channel = "system_integrator"
	ChannelSupport           Channel = "support"
)

// Channels lists the channels in display order.
var Channels = []Channel{ChannelConsultancy, ChannelServiceManagement, ChannelSystemIntegrator, ChannelSupport}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

// Escalation is a request handed to an outside party.
type Escalation struct {
	ID        int64     `json:"id"`
	RequestID int64     `json:"request_id"`
	Channel   Channel   `json:"channel"`
	Reference string    `json:"reference"`
	Note      string    `json:"note,omitempty"`
	OpenedBy  int64     `json:"opened_by"`
	OpenedAt  time.Time `json:"opened_at"`
	ClosedAt  time.Time `json:"closed_at,omitzero"`
	Outcome   string    `json:"outcome,omitempty"`
}

// Open reports whether the outside party still has the request.
func (e *Escalation) Open() bool { return e.ClosedAt.IsZero() }

// SuggestChannel names the channel that fits a request that Support refuses.
func SuggestChannel(t Type, integrationsArea bool) Channel {
	switch {
	case t == TypeTechnical || integrationsArea:
		return ChannelSystemIntegrator
	case t == TypeChange || t == TypeWish:
		return ChannelConsultancy
	default:
		return ChannelServiceManagement
	}
}

// NewEscalation is what a functional or technical admin fills in.
type NewEscalation struct {
	Channel   Channel
	Reference string
	Note      string
}

// CheckEscalation says whether the actor may hand the request to the channel.
// Functional admins escalate to every channel, technical admins to the system
// integrator. With the Support rule on, only incidents go to Support; anything
// else is refused with a message that names the right channel.
func CheckEscalation(a *Actor, r *Request, f Facts, e NewEscalation, p Policy, integrationsArea bool) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	var v Validation
	if e.Channel == "" {
		v.Add("channel", "field.required")
	} else if !e.Channel.Valid() {
		v.Add("channel", "field.invalid_choice", "choices", Channels)
	}
	validateLine(&v, "reference", e.Reference, MaxReference, false)
	validateText(&v, "note", e.Note, MaxNote, false)
	if err := v.Err(); err != nil {
		return err
	}
	functional := a.Can(PermRequestEscalate, r.AreaID)
	technical := a.Can(PermRequestTechnical, r.AreaID) || f.HasTask
	if !functional && !(technical && e.Channel == ChannelSystemIntegrator) {
		return ErrForbidden("escalation.forbidden")
	}
	if r.Phase != PhaseInvestigation && r.Phase != PhaseExecution {
		return Errorf(CodeConflict, "escalation.wrong_phase")
	}
	if p.SupportIncidentsOnly && e.Channel == ChannelSupport && r.Type != TypeIncident {
		v.Add("channel", "escalation.support_incidents_only", "channel", SuggestChannel(r.Type, integrationsArea))
		return v.Err()
	}
	return nil
}

// CheckCloseEscalation says whether the actor may record the outcome of an
// escalation and take the request back.
func CheckCloseEscalation(a *Actor, r *Request, f Facts, e *Escalation, outcome string) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	var v Validation
	validateText(&v, "outcome", outcome, MaxNote, true)
	if err := v.Err(); err != nil {
		return err
	}
	if !a.Can(PermRequestEscalate, r.AreaID) && !(e.Channel == ChannelSystemIntegrator && (a.Can(PermRequestTechnical, r.AreaID) || f.HasTask)) {
		return ErrForbidden("escalation.forbidden")
	}
	if !e.Open() {
		return Errorf(CodeConflict, "escalation.already_closed")
	}
	return nil
}
