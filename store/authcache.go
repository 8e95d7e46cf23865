package store

import (
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

// authCache maps the SHA-256 of an API token to its active person.
type authCache struct {
	stop      func() // ends the listening
	mu        sync.Mutex
	listening bool
	gen       uint64
	ttl       time.Duration
	entries   map[[32]byte]authEntry
}

type authEntry struct {
	u            *beheer.User
	token        int64     // the token's id, for its last use
	changes      int64     // SQLite: auth_changes.n when read
	tokenExpires time.Time // by the store's clock
	expires      time.Time // of the entry, by the wall clock
}

func newAuthCache() *authCache {
	return &authCache{ttl: authTTL, entries: map[[32]byte]authEntry{}}
}

// checkAuthCache starts the cache whose entries are checked against the
// count of changes before use (SQLite).
func (s *Store) checkAuthCache() {
	s.auth = newAuthCache()
	s.auth.setListening(true)
}

// authUnchanged reports whether the count of changes (the SQL count, see
// dialect.authCount) still is what an entry was read with; always where
// there is no count, as the cache hears of changes instead.
func (s *Store) authUnchanged(ctx context.Context, count string, changes int64) (bool, error) {
	if count == "" {
		return true, nil
	}
	var n int64
	err := s.read(ctx, func(q querier) error { return q.QueryRowContext(ctx, `SELECT `+count).Scan(&n) })
	return n == changes, err
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

// get returns the entry of a token with a copy of its person, if known
// (e.u is nil otherwise), and the generation a lookup starts in, for put.
func (c *authCache) get(sum [32]byte, now time.Time) (authEntry, uint64) {
	if c == nil {
		return authEntry{}, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[sum]; ok && c.listening && now.Before(e.expires) {
		e.u = copyUser(e.u)
		return e, c.gen
	}
	return authEntry{}, c.gen
}

// put remembers what a lookup that started in generation gen found (e
// without its expiry), unless the cache was emptied since.
func (c *authCache) put(sum [32]byte, gen uint64, e authEntry, now time.Time) {
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
	c.entries[sum] = e
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
