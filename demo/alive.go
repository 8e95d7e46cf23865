package demo

import (
	"context"
	"fmt"
	"time"

	"beheer"
	"beheer/notify"
	"beheer/store"
)

// What makes the demo look lived in rather than freshly installed: news on
// the home pages, the year's objectives with the requests that serve them,
// the people the team deals with at every channel, and a bell with some
// notifications read and some not.

// loadAlive adds the news, the channel contacts and — when the year's plan
// is there — its objectives, lets the notification worker pass over
// everything the demo did and has each person read most of their
// notifications, as people do: by opening the requests they are about. Up
// to half stay unread: the newest, a few of each kind. None of it is per request, so it costs the bulk demo next
// to nothing.
func loadAlive(ctx context.Context, st *store.Store, o *org, areas map[string]beheer.Area, now time.Time) error {
	if len(o.admins) == 0 || len(o.management) == 0 {
		return nil
	}
	st = st.WithClock(func() time.Time { return now })
	if err := loadNews(ctx, st, o, now); err != nil {
		return fmt.Errorf("news: %w", err)
	}
	if err := loadContacts(ctx, st, o); err != nil {
		return fmt.Errorf("contacts: %w", err)
	}
	// The worker passes over what happened so far before the directie
	// starts following requests, as it would have in the year behind us.
	w, err := notify.New(st, notify.Config{}, nil)
	if err != nil {
		return err
	}
	if err := notifyAll(ctx, w.Notifier); err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	if err := loadObjectives(ctx, st, o, areas, now); err != nil {
		return fmt.Errorf("objectives: %w", err)
	}
	if err := notifyAll(ctx, w.Notifier); err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	for _, u := range o.users {
		if err := readOlder(ctx, st, u.Actor()); err != nil {
			return fmt.Errorf("notifications: %w", err)
		}
	}
	return nil
}

// day formats a date the Dutch way for a news item ("3 november").
func day(t time.Time) string {
	months := [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
		"oktober", "november", "december"}
	return fmt.Sprintf("%d %s", t.Day(), months[t.Month()-1])
}

// loadNews publishes the news of the past weeks: the last Profit update
// live (as that release's announcement), the next one with its test
// window from the year's plan, a resolved outage, a new way of working and
// a call to the key users.
func loadNews(ctx context.Context, st *store.Store, o *org, now time.Time) error {
	admin := o.admins[0].Actor()
	releases, err := st.Releases(ctx, admin, 10, "")
	if err != nil {
		return err
	}
	var last *beheer.Release
	for _, r := range releases.Items {
		if last == nil && r.Name == "Profit-update voorjaar" && !r.ProductionOn.IsZero() && !r.ProductionOn.After(now) {
			last = r
		}
	}
	acceptance := now.AddDate(0, 0, 10)
	if windows, err := st.TestWindows(ctx); err != nil {
		return err
	} else if len(windows) > 0 {
		if next := windows[0].NextOccurrence(now); next.Start.After(now) {
			acceptance = next.Start
		}
	}
	production := acceptance.AddDate(0, 0, 14)
	news := func(ago time.Duration, in beheer.PublicationInput) error {
		at := now.Add(-ago)
		in.Kind, in.PublishAt = beheer.PublicationNews, at
		_, err := st.WithClock(func() time.Time { return at }).CreatePublication(ctx, admin, in)
		return err
	}
	if last != nil {
		at := last.ProductionOn
		if _, err := st.WithClock(func() time.Time { return at }).AnnounceReleaseNews(ctx, admin, last.ID, beheer.PublicationInput{
			Title:     "De voorjaarsupdate van AFAS Profit staat live",
			Body:      "Sinds vanochtend werkt iedereen met de voorjaarsupdate van Profit. Functioneel en technisch beheer hebben haar op AFAS Accept getest en goedgekeurd.\n\nWat u merkt:\n\n- In InSite staat de tegel **Declaraties** nu op de startpagina.\n- De loonstrook opent direct als PDF, zonder extra klik.\n\nZiet u iets wat niet meer werkt zoals vroeger? Meld het in Beheer.",
			PublishAt: at}); err != nil {
			return err
		}
	}
	items := []struct {
		ago time.Duration
		in  beheer.PublicationInput
	}{
		{3 * 24 * time.Hour, beheer.PublicationInput{Title: "Volgende Profit-update: testen op Accept vanaf " + day(acceptance),
			Body: fmt.Sprintf("De volgende update van AFAS Profit staat vanaf **%s** klaar op AFAS Accept, de testomgeving. Op **%s** gaat zij live.\n\n"+
				"Sleutelgebruikers: test in die weken uw eigen processen met de testlijst die u per mail krijgt — verlof, declaraties, de salarisrun en de koppelingen. "+
				"Wat niet werkt, meldt u als incident in Beheer met *Accept* in de titel.\n\n"+
				"De releasenotes staan op [help.afas.nl](https://help.afas.nl/releasenotes/profit).", day(acceptance), day(production)),
			ExpireAt: production.AddDate(0, 0, 7)}},
		{17 * 24 * time.Hour, beheer.PublicationInput{Title: "Opgelost: InSite was traag",
			Body: "Gisteren reageerde InSite een middag lang traag: pagina's deden er soms een halve minuut over. De oorzaak lag bij AFAS Online en is door AFAS verholpen.\n\n" +
				"Bent u in die tijd een declaratie of verlofaanvraag kwijtgeraakt? Kijk onder **Mijn aanvragen** of zij er staat en dien haar anders opnieuw in.",
			ExpireAt: now.AddDate(0, 0, 14)}},
		{9 * 24 * time.Hour, beheer.PublicationInput{Title: "Nieuwe werkwijze: wijzigingen in Profit alleen nog via Beheer",
			Body: "Vanaf deze maand loopt elke vraag om iets in Profit te veranderen — een extra veld, een nieuwe workflow, andere rechten — via een aanvraag in Beheer. " +
				"Mailtjes en losse verzoeken bij de koffieautomaat nemen we niet meer in behandeling.\n\n" +
				"Zo ziet u zelf waar uw aanvraag staat, beslist de sleutelgebruiker van uw afdeling mee over wijzigingen en testen we alles eerst op Accept."}},
		{5 * 24 * time.Hour, beheer.PublicationInput{Title: "Sleutelgebruikers: uw wensen voor de jaarplanner",
			Body: "De functioneel beheerders maken de jaarplanner beheer voor volgend jaar. Welke processen lopen stroef, wat wilt u anders? " +
				"Zet uw wensen vóór het kwartaalgesprek met de directie onder **Jaarplan → Input geven**.",
			AudienceRole: beheer.RoleKeyUser, ExpireAt: now.AddDate(0, 1, 0)}},
	}
	for _, it := range items {
		if err := news(it.ago, it.in); err != nil {
			return err
		}
	}
	return nil
}

// contacts are the people the team deals with at each channel, beside the
// functional admins who are Support's authorised contacts.
var contacts = []beheer.ContactInput{
	{Channel: beheer.ChannelConsultancy, Name: "Marloes Verbeek", Organisation: "AFAS Software, consultant HRM en Payroll",
		Email: "m.verbeek@afas.example", Phone: "088 030 21 47"},
	{Channel: beheer.ChannelConsultancy, Name: "Jeroen Hendriks", Organisation: "AFAS Software, accountmanager",
		Email: "j.hendriks@afas.example"},
	{Channel: beheer.ChannelServiceManagement, Name: "Ilse Brouwer", Organisation: "AFAS Software, servicemanager",
		Email: "servicemanagement@afas.example", Phone: "088 030 22 10"},
	{Channel: beheer.ChannelSystemIntegrator, Name: "Thomas Wijnands", Organisation: "Koppelwerk Integraties BV, technisch consultant",
		Email: "t.wijnands@koppelwerk.example", Phone: "+31 30 123 4570"},
	{Channel: beheer.ChannelSupport, Name: "AFAS Support, servicedesk", Organisation: "AFAS Software",
		Email: "support@afas.example", Phone: "088 030 20 00"},
}

// loadContacts adds the outside contacts of every channel.
func loadContacts(ctx context.Context, st *store.Store, o *org) error {
	for _, c := range contacts {
		if _, err := st.AddContact(ctx, o.admins[0].Actor(), c); err != nil {
			return err
		}
	}
	return nil
}

// objectives are the year's goals management set, each with the area and
// the kinds of request that serve it (nil: every kind).
var objectives = []struct {
	in    beheer.ObjectiveInput
	area  string
	types []beheer.Type
}{
	{beheer.ObjectiveInput{Title: "Declaraties volledig digitaal",
		Description: "Geen papieren declaratieformulieren meer: iedereen declareert via InSite, met de bon als foto.",
		Target:      "Eind van het jaar komt 100% van de declaraties via InSite binnen; doorlooptijd tot uitbetaling hooguit 10 werkdagen.",
		Status:      beheer.ObjectiveInProgress}, "financieel", []beheer.Type{beheer.TypeWish, beheer.TypeChange, beheer.TypeIncident}},
	{beheer.ObjectiveInput{Title: "Minder tijd kwijt aan autorisaties",
		Description: "Rechten per functie in autorisatiegroepen, zodat een nieuwe medewerker op dag één kan werken.",
		Target:      "Een autorisatieaanvraag is binnen 2 werkdagen afgehandeld; het aantal losse rechten per persoon halveert.",
		Status:      beheer.ObjectiveInProgress}, "autorisaties", []beheer.Type{beheer.TypeChange, beheer.TypeQuestion}},
	{beheer.ObjectiveInput{Title: "Verlof en verzuim zelf regelen in InSite",
		Description: "Medewerkers en leidinggevenden regelen verlof en ziekmeldingen zelf; HR hoeft niets meer over te typen.",
		Target:      "90% van de verlofaanvragen en ziekmeldingen zonder tussenkomst van HR verwerkt.",
		Status:      beheer.ObjectivePlanned}, "hr", nil},
	{beheer.ObjectiveInput{Title: "Koppelingen zonder verrassingen",
		Description: "Elke koppeling heeft een eigenaar, een beheerder bij de leverancier en een jaarlijkse controle.",
		Target:      "Geen storing in een koppeling die langer dan één werkdag duurt.",
		Status:      beheer.ObjectiveInProgress}, "integraties", []beheer.Type{beheer.TypeIncident, beheer.TypeChange}},
}

// linksPerObjective is how many requests the demo links to each objective.
const linksPerObjective = 4

// loadObjectives sets the year's objectives as the directie would, owned
// by management and the functional admin, links to each the latest
// requests of its area that serve it and keeps the directie posted on one
// of them; then the directie approves the plan. Without the year's plan (the bulk
// demo) there is nothing to set them in.
func loadObjectives(ctx context.Context, st *store.Store, o *org, areas map[string]beheer.Area, now time.Time) error {
	admin, director := o.admins[0].Actor(), o.management[0].Actor()
	if plan, err := st.Plan(ctx, admin, now.Year()); err != nil || plan == nil {
		if beheer.ErrorCode(err) == beheer.CodeNotFound {
			return nil
		}
		return err
	}
	owners := []int64{o.management[0].ID, o.admins[0].ID}
	for i, x := range objectives {
		x.in.OwnerID = owners[i%len(owners)]
		obj, err := st.CreateObjective(ctx, director, now.Year(), x.in)
		if err != nil {
			return err
		}
		list, err := st.Requests(ctx, admin, store.Filter{AreaIDs: []int64{areas[x.area].ID}, Types: x.types, Limit: linksPerObjective})
		if err != nil {
			return err
		}
		followed := false
		for _, r := range list.Items {
			if err := st.LinkObjectiveRequest(ctx, admin, obj.ID, r.ID); err != nil {
				return err
			}
			if !followed && r.RequesterID != director.UserID {
				followed = true
				if err := keepPosted(ctx, st, admin, director.UserID, r.ID, obj.Title); err != nil {
					return err
				}
			}
		}
	}
	_, err := st.ApprovePlan(ctx, director, now.Year())
	return err
}

// keepPosted has the functional admin add the directie, who set the
// objective, as a follower of one of its requests and tell where it
// stands: so management hears of the work on its goals.
func keepPosted(ctx context.Context, st *store.Store, admin *beheer.Actor, director, requestID int64, objective string) error {
	if err := st.Follow(ctx, admin, requestID, director); err != nil {
		return err
	}
	_, err := st.AddComment(ctx, admin, requestID, beheer.NewComment{Body: fmt.Sprintf("Deze aanvraag hoort bij de "+
		"doelstelling **%s** uit het jaarplan. De directie volgt haar mee; bij elke stap hoort u hier hoe het ervoor staat.", objective)})
	return err
}

// unreadKept is at most how many of a person's newest notifications stay
// unread, and unreadPerKind at most how many of one kind: a bell that says
// "99+", or twelve times the same thing, is a bell nobody reads.
const (
	unreadKept    = 12
	unreadPerKind = 3
)

// notifyAll runs the notification worker's pass until no event is left —
// in-app only: the demo sends no mail.
func notifyAll(ctx context.Context, n *notify.Notifier) error {
	for {
		k, err := n.RunOnce(ctx)
		if err != nil || k == 0 {
			return err
		}
	}
}

// readOlder marks the actor's notifications read but for the newest few of
// each kind: per request where none of those left unread is about that
// request, one by one where one is.
func readOlder(ctx context.Context, st *store.Store, actor *beheer.Actor) error {
	var all []store.Notification
	for before := int64(0); ; {
		page, err := st.Notifications(ctx, actor, before, 200)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) < 200 {
			break
		}
		before = page[len(page)-1].ID
	}
	keep := min((len(all)+1)/2, unreadKept)
	unread, perKind, kept := map[int64]bool{}, map[string]int{}, map[int64]bool{}
	for _, n := range all {
		if len(unread) < keep && perKind[n.Kind] < unreadPerKind {
			unread[n.ID] = true
			perKind[n.Kind]++
			kept[n.RequestID] = true
		}
	}
	opened := map[int64]bool{}
	for _, n := range all {
		switch {
		case unread[n.ID] || n.Read || opened[n.RequestID]:
		case n.RequestID != 0 && !kept[n.RequestID]:
			opened[n.RequestID] = true
			if err := st.MarkRequestRead(ctx, actor, n.RequestID); err != nil {
				return err
			}
		default:
			if err := st.MarkNotificationsRead(ctx, actor, n.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
