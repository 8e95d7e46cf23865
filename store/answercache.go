package store

import (
	"slices"
	"sync"

	"beheer"
)

// A request's answers are ten or so rows, and reading them doubled the
// read of the request itself (BenchmarkReadAnswered). They change only
// together with the request's version (UpdateAnswers raises it), so the
// store remembers the answers of the requests it read last by id and
// version: a changed request has another version and is read again, in
// this process or after another process changed it on the same
// PostgreSQL. Nothing needs to hear of changes, unlike the token and
// organisation caches.

// answerCacheMax is how many requests' answers are remembered; past it the
// cache starts over (some 10 MB at ten answers each).
const answerCacheMax = 20000

// answerCache holds requests' answers by id, each at one version.
type answerCache struct {
	mu      sync.Mutex
	entries map[int64]answerEntry
}

type answerEntry struct {
	version  int64
	answered Answered
}

// get returns the answers of request id at version, if remembered, as a
// copy a caller may change. The fields are a form version's, which never
// change, and are shared.
func (c *answerCache) get(id, version int64) (Answered, bool) {
	c.mu.Lock()
	e, ok := c.entries[id]
	c.mu.Unlock()
	if !ok || e.version != version {
		return Answered{}, false
	}
	return Answered{Fields: e.answered.Fields, Answers: copyAnswers(e.answered.Answers)}, true
}

// put remembers a copy of the answers of request id at version.
func (c *answerCache) put(id, version int64, a Answered) {
	a.Answers = copyAnswers(a.Answers)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= answerCacheMax {
		c.entries = map[int64]answerEntry{}
	}
	c.entries[id] = answerEntry{version: version, answered: a}
}

// copyAnswers copies answers with their values.
func copyAnswers(answers []beheer.Answer) []beheer.Answer {
	out := slices.Clone(answers)
	for i := range out {
		out[i].Values = slices.Clone(out[i].Values)
	}
	return out
}
