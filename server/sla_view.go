package server

import (
	"context"
	"time"

	"beheer"
	"beheer/i18n"
)

// SLABadge is a request's service level as the pages show it: a short label,
// a longer explanation, and a class for the colour (the text alone says it
// all; colour only helps).
type SLABadge struct {
	Class  string // sla-ok, sla-warn, sla-late, sla-paused, sla-done
	Label  string
	Detail string
	Due    time.Time // when the resolution target is reached, if running
}

// businessDuration formats business time: "3 u 20 min", "45 min", and
// from two working days on "4,5 werkdagen".
func (p *page) businessDuration(d, workday time.Duration) string {
	if d < 0 {
		d = -d
	}
	if workday > 0 && d >= 2*workday {
		days := float64(d) / float64(workday)
		dec := 1
		if days >= 10 {
			dec = 0
		}
		return p.T("sla.duration.days", "n", i18n.FormatNumber(p.Lang, days, dec))
	}
	m := int64(d / time.Minute)
	h, m := m/60, m%60
	switch {
	case h == 0:
		return p.T("sla.duration.m", "m", m)
	case m == 0:
		return p.T("sla.duration.h", "h", i18n.FormatInt(p.Lang, h))
	}
	return p.T("sla.duration.hm", "h", i18n.FormatInt(p.Lang, h), "m", m)
}

// slaBadge describes a request's resolution clock (and its first response
// while that is still open).
func (p *page) slaBadge(r *beheer.Request, st beheer.SLAState) SLABadge {
	res := st.Resolution
	b := SLABadge{Due: res.Due}
	detail := p.T("sla.badge.detail", "used", p.businessDuration(res.Elapsed, st.Workday), "target", p.businessDuration(res.Target, st.Workday),
		"priority", r.Priority)
	switch {
	case res.Done && res.Breached():
		b.Class, b.Label = "sla-late", p.T("sla.badge.missed")
	case res.Done:
		b.Class, b.Label = "sla-done", p.T("sla.badge.met")
	case !st.ParkedUntil.IsZero():
		b.Class, b.Label = "sla-paused", p.T("sla.badge.parked", "date", p.DateTime(st.ParkedUntil))
	case res.Breached():
		b.Class, b.Label = "sla-late", p.T("sla.badge.late", "late", p.businessDuration(res.Left(), st.Workday))
	case st.Paused:
		b.Class, b.Label = "sla-paused", p.T("sla.badge.paused", "left", p.businessDuration(res.Left(), st.Workday))
	case res.Warning():
		b.Class, b.Label = "sla-warn", p.T("sla.badge.left", "left", p.businessDuration(res.Left(), st.Workday))
	default:
		b.Class, b.Label = "sla-ok", p.T("sla.badge.left", "left", p.businessDuration(res.Left(), st.Workday))
	}
	if !res.Done && !res.Due.IsZero() {
		detail += " " + p.T("sla.badge.due", "due", p.DateTime(res.Due))
	}
	if resp := st.Response; !resp.Done && r.Phase.Open() {
		if resp.Breached() {
			detail += " " + p.T("sla.badge.response_late", "late", p.businessDuration(resp.Left(), st.Workday))
		} else {
			detail += " " + p.T("sla.badge.response_left", "left", p.businessDuration(resp.Left(), st.Workday))
		}
	}
	b.Detail = detail
	return b
}

// SLABadges computes the badges of a page of requests with one store call
// (one query for all their status logs). Other pages use it as
//
//	v.SLA, err = s.SLABadges(r.Context(), p, page.Items)
//
// and show {{template "sla-badge" (dict "p" $ "s" (index $v.SLA .ID))}}.
func (s *Server) SLABadges(ctx context.Context, p *page, reqs []*beheer.Request) (map[int64]SLABadge, error) {
	states, err := s.store.SLAStates(ctx, reqs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]SLABadge, len(reqs))
	for _, r := range reqs {
		out[r.ID] = p.slaBadge(r, states[r.ID])
	}
	return out, nil
}
