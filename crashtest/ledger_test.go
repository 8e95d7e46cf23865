package crashtest

import (
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
)

// ledger is what the clients know about their writes: what they sent,
// what the server acknowledged, and what a restarted server has shown —
// which must then stay, because it was committed.
type ledger struct {
	mu      sync.Mutex
	sent    map[string]sentCreate // by title: every create sent
	bodies  map[string]int64      // every comment body sent, to its request
	entries map[int64]*entry      // acknowledged or seen requests, by id

	inflightFound int // writes found that were never acknowledged
	verified      int // acknowledged writes found, summed over all checks
	finalVerified int // acknowledged writes found in the final check
}

// sentCreate is a create as the client sent it.
type sentCreate struct {
	description string
	round       int
}

// entry is one request the ledger knows by id.
type entry struct {
	number, title, description string
	acked                      bool   // the create was acknowledged
	comment                    string // body of the acknowledged comment
	moveSent                   bool   // a move to investigation was sent
	moved                      bool   // ... and acknowledged

	seen         bool             // listed by a restarted server
	seenPhase    string           // its phase then
	seenComments map[int64]string // comments shown by a restarted server
	deep         bool             // comments and audit trail checked
}

func newLedger() *ledger {
	return &ledger{sent: map[string]sentCreate{}, bodies: map[string]int64{}, entries: map[int64]*entry{}}
}

func (l *ledger) sendCreate(title, description string, round int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent[title] = sentCreate{description, round}
}

// ackCreate records an acknowledged create and checks the answer is the
// request that was sent.
func (l *ledger) ackCreate(t *testing.T, r *request, title, description string) {
	if r.Title != title || r.Description != description || r.Phase != "intake" || !numberPattern.MatchString(r.Number) {
		t.Errorf("create %q answered %+v", title, *r)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, dup := l.entries[r.ID]; dup {
		t.Errorf("create %q answered id %d, already given out", title, r.ID)
	}
	l.entries[r.ID] = &entry{number: r.Number, title: title, description: description, acked: true}
}

func (l *ledger) sendComment(id int64, body string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bodies[body] = id
}

// ackComment records an acknowledged comment. The answer's id is not
// used: the comment is recognised by its unique body.
func (l *ledger) ackComment(t *testing.T, id int64, cm *comment, body string) {
	if cm.Body != body || cm.RequestID != id {
		t.Errorf("comment on %d answered %+v", id, *cm)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries[id].comment = body
}

func (l *ledger) sendMove(id int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries[id].moveSent = true
}

func (l *ledger) ackMove(t *testing.T, r *request) {
	if r.Phase != "investigation" {
		t.Errorf("transition of %d answered phase %q", r.ID, r.Phase)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries[r.ID].moved = true
}

// numberPattern is a request number: year and sequence.
var numberPattern = regexp.MustCompile(`^([0-9]{4})-([0-9]{4,})$`)

// checkList compares the requests a restarted server lists with the
// ledger: every acknowledged or earlier seen request is there, unchanged;
// every other one is a create that was in flight this round; numbers are
// unique and gap-free; every phase is explained by an acknowledged or
// in-flight transition. It returns the requests whose comments and audit
// trail still need checking. The caller holds l.mu.
func (l *ledger) checkList(t *testing.T, engine string, round int, list []request, final bool) []request {
	t.Helper()
	seqs := map[string][]int{}
	byID := map[int64]bool{}
	numbers := map[string]int64{}
	inflight := 0
	var deep []request
	for _, r := range list {
		if byID[r.ID] {
			t.Errorf("%s verify %d: request %d listed twice", engine, round, r.ID)
		}
		byID[r.ID] = true
		if other, dup := numbers[r.Number]; dup {
			t.Errorf("%s verify %d: number %s on requests %d and %d", engine, round, r.Number, other, r.ID)
		}
		numbers[r.Number] = r.ID
		if m := numberPattern.FindStringSubmatch(r.Number); m != nil {
			seq, _ := strconv.Atoi(m[2])
			seqs[m[1]] = append(seqs[m[1]], seq)
		} else {
			t.Errorf("%s verify %d: request %d has number %q", engine, round, r.ID, r.Number)
		}
		e := l.entries[r.ID]
		if e == nil {
			e = l.adopt(t, engine, round, r)
			if e == nil {
				continue
			}
			inflight++
		}
		l.checkRequest(t, engine, round, r, e, final)
		if !e.deep || final {
			deep = append(deep, r)
		}
	}
	if inflight > workers {
		t.Errorf("%s verify %d: %d unacknowledged creates, but only %d could be in flight", engine, round, inflight, workers)
	}
	for id, e := range l.entries {
		if !byID[id] {
			t.Errorf("%s verify %d: request %d (%s %q, acknowledged %v, seen before %v) is gone", engine, round, id, e.number, e.title, e.acked, e.seen)
		}
	}
	for year, s := range seqs {
		slices.Sort(s)
		for i, seq := range s {
			if seq != i+1 {
				t.Errorf("%s verify %d: numbers of %s are not 1..%d without gaps: %v", engine, round, year, len(s), s)
				break
			}
		}
	}
	return deep
}

// adopt takes a request the server has but never acknowledged: it must be
// a create sent this round, whole.
func (l *ledger) adopt(t *testing.T, engine string, round int, r request) *entry {
	s, ok := l.sent[r.Title]
	switch {
	case !ok:
		t.Errorf("%s verify %d: request %d %q was never sent", engine, round, r.ID, r.Title)
		return nil
	case s.round != round:
		t.Errorf("%s verify %d: request %d %q, sent in round %d, appeared only now", engine, round, r.ID, r.Title, s.round)
	}
	l.inflightFound++
	e := &entry{number: r.Number, title: r.Title, description: s.description}
	l.entries[r.ID] = e
	return e
}

// checkRequest compares one listed request with its entry.
func (l *ledger) checkRequest(t *testing.T, engine string, round int, r request, e *entry, final bool) {
	if r.Number != e.number || r.Title != e.title || r.Description != e.description || r.Area != "hr" {
		t.Errorf("%s verify %d: request %d is %s %q %q area %q, want %s %q %q area hr",
			engine, round, r.ID, r.Number, r.Title, r.Description, r.Area, e.number, e.title, e.description)
	}
	switch {
	case r.Phase == "intake" && e.moved:
		t.Errorf("%s verify %d: request %d lost its acknowledged move to investigation", engine, round, r.ID)
	case r.Phase == "intake" && e.seenPhase == "investigation":
		t.Errorf("%s verify %d: request %d went back from investigation to intake", engine, round, r.ID)
	case r.Phase == "investigation" && !e.moveSent:
		t.Errorf("%s verify %d: request %d is in investigation, but no move was sent", engine, round, r.ID)
	case r.Phase != "intake" && r.Phase != "investigation":
		t.Errorf("%s verify %d: request %d in phase %q", engine, round, r.ID, r.Phase)
	}
	if e.acked {
		l.count(final)
	}
	if e.moved && r.Phase == "investigation" {
		l.count(final)
	}
	if e.moveSent && !e.moved && r.Phase == "investigation" && e.seenPhase != "investigation" {
		l.inflightFound++ // a move in flight at the kill
	}
	e.seen, e.seenPhase = true, r.Phase
}

// count records one acknowledged write found.
func (l *ledger) count(final bool) {
	l.verified++
	if final {
		l.finalVerified++
	}
}

// checkDeep checks one request's comments and audit trail: the audit row
// of its creation, one audit row per comment and per transition, the
// acknowledged comment, and nothing that was not sent. The caller holds l.mu.
func (l *ledger) checkDeep(t *testing.T, engine string, round int, r request, comments []comment, audit []auditEntry, final bool) {
	t.Helper()
	e := l.entries[r.ID]
	actions := map[string]int{}
	commentAudit := map[string]int{}
	for _, a := range audit {
		switch {
		case a.Action == "request.created" && a.After == r.Number:
			actions["created"]++
		case a.Action == "request.transition" && a.Before == "intake" && a.After == "investigation":
			actions["moved"]++
		case a.Action == "request.transition":
			actions["other move"]++
		case a.Action == "comment.added":
			commentAudit[a.After]++
		}
	}
	if actions["created"] != 1 {
		t.Errorf("%s verify %d: request %d %s has %d request.created audit rows, want 1: %+v", engine, round, r.ID, r.Number, actions["created"], audit)
	}
	wantMoved := 0
	if r.Phase == "investigation" {
		wantMoved = 1
	}
	if actions["moved"] != wantMoved || actions["other move"] != 0 {
		t.Errorf("%s verify %d: request %d in %s has transition audit rows %v: %+v", engine, round, r.ID, r.Phase, actions, audit)
	}
	l.checkComments(t, engine, round, r, e, comments, commentAudit, final)
	e.deep = true
}

// checkComments is the comment half of checkDeep.
func (l *ledger) checkComments(t *testing.T, engine string, round int, r request, e *entry, comments []comment, audit map[string]int, final bool) {
	shown := map[int64]string{}
	bodies := map[string]bool{}
	for _, cm := range comments {
		shown[cm.ID], bodies[cm.Body] = cm.Body, true
		if id, ok := l.bodies[cm.Body]; !ok || id != r.ID {
			t.Errorf("%s verify %d: request %d has a comment that was never sent to it: %+v", engine, round, r.ID, cm)
		}
		if audit[strconv.FormatInt(cm.ID, 10)] != 1 {
			t.Errorf("%s verify %d: comment %d on request %d has %d comment.added audit rows, want 1", engine, round, cm.ID, r.ID, audit[strconv.FormatInt(cm.ID, 10)])
		}
		if cm.Body != e.comment && e.seenComments[cm.ID] == "" {
			l.inflightFound++ // a comment in flight at the kill
		}
	}
	if len(audit) != len(comments) {
		t.Errorf("%s verify %d: request %d has %d comments but comment.added audit rows for %v", engine, round, r.ID, len(comments), audit)
	}
	if len(comments) > 1 {
		t.Errorf("%s verify %d: request %d has %d comments, only one was sent", engine, round, r.ID, len(comments))
	}
	if e.comment != "" {
		if !bodies[e.comment] {
			t.Errorf("%s verify %d: request %d lost its acknowledged comment %q; has %+v", engine, round, r.ID, e.comment, comments)
		} else {
			l.count(final)
		}
	}
	for id, body := range e.seenComments {
		if shown[id] != body {
			t.Errorf("%s verify %d: request %d lost comment %d %q seen after an earlier restart", engine, round, r.ID, id, body)
		}
	}
	e.seenComments = shown
}

// totals returns the number of requests and comments a restarted server
// has shown and the number of acknowledged writes.
func (l *ledger) totals() (requests, comments, acked int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.entries {
		requests++
		comments += len(e.seenComments)
		if e.acked {
			acked++
		}
		if e.comment != "" {
			acked++
		}
		if e.moved {
			acked++
		}
	}
	return requests, comments, acked
}

// acked is how many writes have been acknowledged so far.
func (l *ledger) acked() int {
	_, _, n := l.totals()
	return n
}
