package store

import (
	"context"

	"beheer"
)

// CycleParts says which of a request's cycle records a page wants: the
// Accept tests (from Uitvoering on), the evaluation with the process owner
// (from Optimalisatie on) and the hours (for who sees the internal work).
type CycleParts struct {
	Tests, Review, Time bool
}

// CycleRecords are a request's records of the seed's cycle as the actor may
// see them: links to other requests, the outages it was filed about, and
// what CycleParts asked for.
type CycleRecords struct {
	Links      []LinkedRequest
	Outages    []*beheer.Outage
	Tests      []beheer.ChangeTest
	Evaluation *beheer.OwnerEvaluation
	Evaluators beheer.EvaluatorFacts
	Time       []beheer.TimeEntry
}

// RequestCycle reads a request's cycle records for its page: one check
// that the actor sees the request and one read for all of them, where
// asking each alone would load the request again every time.
func (s *Store) RequestCycle(ctx context.Context, actor *beheer.Actor, id int64, parts CycleParts) (*CycleRecords, error) {
	r, f, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	parts.Time = parts.Time && beheer.CanSeeInternal(actor, r, f)
	c := &CycleRecords{}
	var candidates []LinkedRequest
	err = s.read(ctx, func(q querier) error {
		var err error
		if candidates, err = linkCandidates(ctx, q, id); err != nil {
			return err
		}
		if c.Outages, err = queryOutages(ctx, q, `o.id IN (SELECT outage_id FROM outage_requests WHERE request_id = $1)`, id); err != nil {
			return err
		}
		if parts.Tests {
			if c.Tests, err = queryChangeTests(ctx, q, id); err != nil {
				return err
			}
		}
		if parts.Review {
			if c.Evaluation, err = ownerEvaluation(ctx, q, id); err != nil {
				return err
			}
			if c.Evaluators, err = evaluatorFacts(ctx, q, r); err != nil {
				return err
			}
		}
		if parts.Time {
			c.Time, err = queryTimeEntries(ctx, q, `e.request_id = $1`, id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	c.Links, err = s.visibleLinks(ctx, actor, candidates)
	return c, err
}
