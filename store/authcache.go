package store

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"beheer"
)

// Looking up an API token is on every API call's path. On PostgreSQL every
// statement is a round trip to another process, and on a small machine the
// lookup cost as much as reading the request it was sent for; on SQLite,
// under a steady stream of writes, it cost a tenth of the time of filing a
// request. The store therefore remembers whom a token belongs to — but only
// while it can tell that nothing changed that could make that wrong. What
// tells differs per engine.
//
// PostgreSQL: triggers on users, user_roles and api_tokens (migrations 0061,
// 0141) send a notification on channel beheer_auth when a transaction that
// changed them commits, whichever process made the change: another server, a
// command on the command line, the database's own console. A connection of
// the store's own listens for it; each notification empties the cache. While
// that connection is not listening — before it is set up, after it breaks —
// the cache is not used at all, and it starts empty again once listening
// resumes, since notifications sent meanwhile were lost. Changes this
// process makes empty the cache as soon as they commit (writePeople), before
// the notification arrives. Entries also expire after authTTL, so even a
// silently dead listening connection cannot keep a token alive for long.
//
// SQLite: triggers on the same tables (migration 0270) raise the count in
// auth_changes inside the changing transaction, whichever process made it.
// An entry keeps the count it was read with, in the same statement, and is
// used only after reading the count again shows it unchanged: one read of
// one row in place of a join over three tables. A change is therefore seen
// by the very next lookup, from any process on the file.
//
// On both, a lookup that started before a change and finishes after the
// cache was emptied for it must not put what it read back: each emptying
// starts a new generation, and a lookup keeps its result only if the
// generation it started in is still current.
//
// The same changes decide whether a person is still active and what they
// are called, so the cache also remembers that of the people a form's
// person field names (activePerson): filing through such a form then costs
// no lookup of its own on PostgreSQL.

// authChannel is the notification channel of migration 0061, orgChannel
// that of migration 0101 (orgcache.go); one connection listens on both.
const (
	authChannel = "beheer_auth"
	orgChannel  = "beheer_org"
)

const (
	authTTL        = 10 * time.Second // how long an entry is used
	authMaxEntries = 10000            // more live tokens than this: start over
)

// authCache maps the SHA-256 of an API token to its active person, and the
// id of an active person to their name.
type authCache struct {
	stop      func() // ends the listening
	count     string // SQLite: the SQL of the count of changes
	mu        sync.Mutex
	listening bool
	gen       uint64
	ttl       time.Duration
	entries   map[authKey]authEntry
}

// authKey finds an entry: a token's SHA-256, or a person's id.
type authKey struct {
	token  [32]byte
	person int64
}

func tokenKey(sum [32]byte) authKey { return authKey{token: sum} }
func personKey(id int64) authKey    { return authKey{person: id} }

type authEntry struct {
	u            *beheer.User // a token's person
	name         string       // a person's name
	token        int64        // the token's id, for its last use
	changes      int64        // SQLite: auth_changes.n when read
	tokenExpires time.Time    // by the store's clock
	expires      time.Time    // of the entry, by the wall clock
}

func newAuthCache() *authCache {
	return &authCache{ttl: authTTL, entries: map[authKey]authEntry{}}
}

// checkAuthCache starts the cache whose entries are checked before use
// against the count of changes, read by the SQL count (SQLite).
func (s *Store) checkAuthCache(count string) {
	s.auth = newAuthCache()
	s.auth.count = count
	s.auth.setListening(true)
}

// authCount is the SQL of the count of changes; "" where the cache hears of
// changes instead, or there is no cache.
func (c *authCache) authCount() string {
	if c == nil {
		return ""
	}
	return c.count
}

// cached returns the entry of k and whether it may be used: it is known,
// and (SQLite) the count of changes still is what it was read with; and the
// generation a lookup starts in, for put.
func (s *Store) cached(ctx context.Context, k authKey) (authEntry, bool, uint64, error) {
	e, known, gen := s.auth.get(k, time.Now())
	count := s.auth.authCount()
	if !known || count == "" {
		return e, known, gen, nil
	}
	var n int64
	err := s.read(ctx, func(q querier) error { return q.QueryRowContext(ctx, `SELECT `+count).Scan(&n) })
	return e, err == nil && n == e.changes, gen, err
}

// changesColumn is what a lookup reads beside what it caches, for
// authEntry.changes: the count of changes, or 0 where there is none.
func (s *Store) changesColumn() string {
	return cmp.Or(s.auth.authCount(), "0")
}

// startAuthCache starts the cache and the connection that listens for
// changes (PostgreSQL).
func (s *Store) startAuthCache(dsn string) {
	s.auth = newAuthCache()
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { s.listenAuth(ctx, dsn) })
	s.auth.stop = func() { stop(); wg.Wait() }
}

// close stops listening.
func (c *authCache) close() {
	if c != nil && c.stop != nil {
		c.stop()
	}
}

// get returns the entry of k, if known, with a copy of a token's person,
// and the generation a lookup starts in, for put.
func (c *authCache) get(k authKey, now time.Time) (authEntry, bool, uint64) {
	if c == nil {
		return authEntry{}, false, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok && c.listening && now.Before(e.expires) {
		e.u = copyUser(e.u)
		return e, true, c.gen
	}
	return authEntry{}, false, c.gen
}

// put remembers what a lookup that started in generation gen found (e
// without its expiry), unless the cache was emptied since.
func (c *authCache) put(k authKey, gen uint64, e authEntry, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.listening || gen != c.gen {
		return
	}
	if len(c.entries) >= authMaxEntries {
		clear(c.entries)
	}
	e.u, e.expires = copyUser(e.u), now.Add(c.ttl)
	c.entries[k] = e
}

// forget empties the cache and starts a new generation.
func (c *authCache) forget() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

// setListening turns the cache on or off (PostgreSQL: while listening for
// changes; SQLite: always on); either way it starts empty.
func (c *authCache) setListening(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.listening = on
	c.gen++
	clear(c.entries)
}

// copyUser keeps the cached person apart from what callers do with theirs.
func copyUser(u *beheer.User) *beheer.User {
	if u == nil {
		return nil
	}
	c := *u
	c.Roles = slices.Clone(u.Roles)
	return &c
}

// listenAuth keeps a connection listening on authChannel until ctx ends,
// connecting again after a failure.
func (s *Store) listenAuth(ctx context.Context, dsn string) {
	const first = 100 * time.Millisecond
	wait := first
	for ctx.Err() == nil {
		listened, err := s.listenAuthOnce(ctx, dsn)
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("token cache off: not listening for changes", "err", err)
		if listened {
			wait = first
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// listenAuthOnce listens on one connection until it fails or ctx ends; it
// reports whether it got as far as listening.
func (s *Store) listenAuthOnce(ctx context.Context, dsn string) (bool, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	for _, ch := range []string{orgChannel, authChannel} {
		if _, err := conn.Exec(ctx, `LISTEN `+ch); err != nil {
			return false, err
		}
	}
	s.auth.setListening(true)
	s.orgc.setListening(true)
	defer s.orgc.setListening(false)
	defer s.auth.setListening(false)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		if n.Channel == orgChannel {
			s.orgc.forget()
		} else {
			s.auth.forget()
		}
	}
}

// writePeople is write for work that changes people, their roles or their
// tokens: once it has committed, the token cache forgets what it knew.
func (s *Store) writePeople(ctx context.Context, fn func(*tx) error) error {
	defer s.auth.forget()
	return s.write(ctx, fn)
}
