// Package demo loads a realistic Dutch demo organisation into Beheer: areas
// and processes, about 25 people in all five roles, and requests in every
// phase with their comments, decisions, escalations and tasks, dated over the
// past year. Everything goes through the store's rules, so the demo data is
// data the product itself could have made.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"beheer"
	"beheer/demo/text"
	"beheer/password"
	"beheer/store"
)

// Password is the password of every demo login.
const Password = "beheer-demo-2026"

// Options tune the demo.
type Options struct {
	// Requests is how many requests to generate; 0 means 300.
	Requests int
	// Seed makes the generated text repeatable.
	Seed uint64
	// Now is the end of the demo year; zero means time.Now.
	Now time.Time
	// Progress, when set, is told how many requests the bulk loader has
	// written so far.
	Progress func(n int)
}

// Login is one demo account to print for people trying Beheer.
type Login struct {
	Role     string
	Email    string
	Password string
}

// person is a demo person and the roles they hold by area code ("" for all).
type person struct {
	roles [][2]string
	login string // the role this person demonstrates, if any
}

// cast is who does what in the demo organisation, by position in the
// generated people list.
var cast = []person{
	{roles: [][2]string{{"functional_admin", ""}}, login: "Functioneel beheerder"},
	{roles: [][2]string{{"functional_admin", "hr"}, {"functional_admin", "salaris"}}},
	{roles: [][2]string{{"functional_admin", "financieel"}, {"functional_admin", "crm"}}},
	{roles: [][2]string{{"technical_admin", ""}}, login: "Technisch beheerder"},
	{roles: [][2]string{{"technical_admin", "integraties"}}},
	{roles: [][2]string{{"key_user", "hr"}, {"key_user", "salaris"}}, login: "Sleutelgebruiker / proceseigenaar"},
	{roles: [][2]string{{"key_user", "financieel"}}},
	{roles: [][2]string{{"key_user", "crm"}}},
	{roles: [][2]string{{"key_user", "sitebeheer"}, {"key_user", "autorisaties"}}},
	{roles: [][2]string{{"key_user", "integraties"}}},
	{roles: [][2]string{{"management", ""}}, login: "Directie"},
	{roles: [][2]string{{"management", ""}}},
	{login: "Gebruiker"},
}

// peopleCount is the size of the demo organisation.
const peopleCount = 26

// LoadIfEmpty loads the demo when the database has no people yet and returns
// the logins; on a database in use it does nothing.
func LoadIfEmpty(ctx context.Context, st *store.Store, opts Options) ([]Login, error) {
	users, err := st.Users(ctx, store.System)
	if err != nil {
		return nil, err
	}
	if len(users) > 0 {
		return nil, nil
	}
	return Load(ctx, st, opts)
}

// Load adds the demo organisation and its requests.
func Load(ctx context.Context, st *store.Store, opts Options) ([]Login, error) {
	if opts.Requests == 0 {
		opts.Requests = 300
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	areas, err := loadAreas(ctx, st)
	if err != nil {
		return nil, err
	}
	hash, err := password.Hash(Password)
	if err != nil {
		return nil, err
	}
	org, logins, err := loadPeople(ctx, st, areas, hash, opts.Seed)
	if err != nil {
		return nil, err
	}
	if err := loadRegister(ctx, st, org, areas, opts.Now); err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	if err := loadSetup(ctx, st, org, areas); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	if err := loadAdmin(ctx, st, org); err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	if err := loadTokens(ctx, st, org); err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	if err := loadArticles(ctx, st, org, areas, opts.Now); err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	g := &generator{st: st, org: org, areas: areas, text: text.New(opts.Seed + 1),
		rnd: rand.New(rand.NewPCG(opts.Seed, 7)), end: opts.Now}
	// The requests of working together (a parent incident and the
	// requests joined to it, a duplicate), a few filed through the
	// ready-made forms and the deciders' showcase are part of the count.
	generated, together := opts.Requests, opts.Requests >= collabMin
	if together {
		generated -= collabRequests
	}
	withForms := 0
	if opts.Requests >= 10 {
		withForms = len(formRequests) + len(reportChanges)
	}
	generated -= withForms
	showcase := opts.Requests >= 2*decidersShowcase
	if showcase {
		generated -= decidersShowcase
	}
	bulk := generated > bulkThreshold
	if bulk {
		if err := g.bulk(ctx, generated, opts.Progress); err != nil {
			return nil, err
		}
	} else {
		for i := range generated {
			if err := g.request(ctx, i, generated); err != nil {
				return nil, fmt.Errorf("request %d: %w", i, err)
			}
		}
	}
	if showcase {
		if err := loadDeciders(ctx, st, org, areas, opts.Now); err != nil {
			return nil, fmt.Errorf("deciders: %w", err)
		}
	}
	if err := loadForms(ctx, st, org, withForms > 0); err != nil {
		return nil, fmt.Errorf("forms: %w", err)
	}
	if together {
		if err := loadCollab(ctx, st, org, areas, opts.Now); err != nil {
			return nil, fmt.Errorf("working together: %w", err)
		}
	}
	if bulk { // the running portal's first sweep measures the deadlines
		if err := st.SetClosure(ctx, store.System, demoClosure); err != nil {
			return nil, err
		}
	} else {
		if err := loadCycle(ctx, st, org, opts.Now); err != nil {
			return nil, fmt.Errorf("cycle: %w", err)
		}
		if err := settle(ctx, st, org, opts.Now); err != nil {
			return nil, err
		}
	}
	if err := loadAlive(ctx, st, org, areas, opts.Now); err != nil {
		return nil, fmt.Errorf("alive: %w", err)
	}
	return logins, nil
}

// settle measures every open request's deadline now, as the service-level
// sweep keeps it (so the queue and the home pages show due badges at once),
// reminds the requesters who have not rated their outcome yet, and then lets
// Optimalisatie close the loop as a Dutch organisation would set it: a 4 or
// 5 closes the request, a 1 or 2 sends it back to the assignee, ten working
// days without a reaction close it. The reminders went out over the last
// days, so the running portal's sweep closes the requests one by one in the
// days to come rather than all at its first run.
func settle(ctx context.Context, st *store.Store, o *org, now time.Time) error {
	if _, err := st.WithClock(func() time.Time { return now }).SLASweep(ctx); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	admin := o.admins[0].Actor()
	f := store.Filter{Phases: []beheer.Phase{beheer.PhaseOptimisation},
		Statuses: []beheer.Status{beheer.StatusAwaitingRequester}, Limit: store.MaxLimit}
	for i := 0; ; {
		waiting, err := st.Requests(ctx, admin, f)
		if err != nil {
			return err
		}
		for _, r := range waiting.Items {
			at := now.AddDate(0, 0, -(1 + i%12)) // within the ten working days
			if _, err := st.WithClock(func() time.Time { return at }).AddComment(ctx, admin, r.ID,
				beheer.NewComment{Body: reminder}); err != nil {
				return fmt.Errorf("reminder on %s: %w", r.Number, err)
			}
			i++
		}
		if f.Cursor = waiting.NextCursor; f.Cursor == "" {
			return st.SetClosure(ctx, store.System, demoClosure)
		}
	}
}

// reminder is what the functional admin writes to a requester who has not
// rated the outcome of their request.
const reminder = "Herinnering: wilt u laten weten of de aanvraag naar wens is afgehandeld? " +
	"Geef een beoordeling op de aanvraag; zonder reactie ronden we hem na tien werkdagen af."

// demoClosure is how the demo organisation ends Optimalisatie.
var demoClosure = beheer.Closure{CloseAtRating: 4, PoorRating: 2, CloseAfterDays: 10}

// org is the demo organisation as the generator needs it.
type org struct {
	users      []*beheer.User
	admins     []*beheer.User // functional, unscoped first
	technical  []*beheer.User
	keyUsers   map[int64][]*beheer.User // by area
	management []*beheer.User
	employees  []*beheer.User
}

func loadAreas(ctx context.Context, st *store.Store) (map[string]beheer.Area, error) {
	out := map[string]beheer.Area{}
	for _, a := range text.Areas() {
		area, err := st.CreateArea(ctx, store.System, beheer.Area{Code: a.Code, Name: a.Name,
			Description: a.Description, Integration: a.Code == "integraties"})
		if err != nil {
			return nil, err
		}
		for _, p := range a.Processes {
			if _, err := st.CreateProcess(ctx, store.System, beheer.Process{AreaID: area.ID, Name: p}); err != nil {
				return nil, err
			}
		}
		out[a.Code] = *area
	}
	return out, nil
}

func loadPeople(ctx context.Context, st *store.Store, areas map[string]beheer.Area, hash string, seed uint64) (*org, []Login, error) {
	o := &org{keyUsers: map[int64][]*beheer.User{}}
	var logins []Login
	for i, p := range text.People(int64(seed), peopleCount) {
		var role person
		if i < len(cast) {
			role = cast[i]
		}
		var as []beheer.Assignment
		for _, r := range role.roles {
			as = append(as, beheer.Assignment{Role: beheer.Role(r[0]), AreaID: areas[r[1]].ID})
		}
		u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: p.Email, Name: p.First + " " + p.Last, Roles: as}, hash)
		if err != nil {
			return nil, nil, err
		}
		o.add(u)
		if role.login != "" {
			logins = append(logins, Login{Role: role.login, Email: u.Email, Password: Password})
		}
	}
	return o, logins, nil
}

func (o *org) add(u *beheer.User) {
	o.users = append(o.users, u)
	if len(u.Roles) == 0 {
		o.employees = append(o.employees, u)
	}
	for _, r := range u.Roles {
		switch r.Role {
		case beheer.RoleFunctionalAdmin:
			if r.AreaID == 0 || len(o.admins) == 0 || o.admins[len(o.admins)-1] != u {
				o.admins = append(o.admins, u)
			}
		case beheer.RoleTechnicalAdmin:
			o.technical = append(o.technical, u)
		case beheer.RoleKeyUser:
			o.keyUsers[r.AreaID] = append(o.keyUsers[r.AreaID], u)
			o.employees = append(o.employees, u)
		case beheer.RoleManagement:
			o.management = append(o.management, u)
		}
	}
}
