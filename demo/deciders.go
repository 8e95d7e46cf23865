package demo

import (
	"context"
	"time"

	"beheer"
	"beheer/store"
)

// decidersShowcase is how many change requests loadDeciders files.
const decidersShowcase = 4

// loadDeciders shows who decides change requests beyond the key users:
// Inkoop, an area without key user whose processes are owned by people
// from the business, with one change decided by its process owner and one
// waiting for her; Financieel, where two of three named deciders must
// approve, with a change that has one approval; and the HR key user away
// for two weeks, with the Financieel key user as her deputy, who decided
// one change on her behalf.
func loadDeciders(ctx context.Context, st *store.Store, o *org, areas map[string]beheer.Area, now time.Time) error {
	hrKeys, finKeys := o.keyUsers[areas["hr"].ID], o.keyUsers[areas["financieel"].ID]
	plain := plainEmployees(o)
	if len(o.admins) < 3 || len(hrKeys) == 0 || len(finKeys) == 0 || len(plain) < 2 || len(o.users) == 0 {
		return nil
	}
	at := st.WithClock(func() time.Time { return now })
	admin := o.admins[0].Actor()
	inkoop, err := st.CreateArea(ctx, admin, beheer.Area{Code: "inkoop", Name: "Inkoop",
		Description: "Bestellingen, leveranciers en goedkeuring van inkooporders. Geen sleutelgebruiker: de proceseigenaren besluiten."})
	if err != nil {
		return err
	}
	orders, err := st.CreateProcess(ctx, admin, beheer.Process{AreaID: inkoop.ID, Name: "Bestellingen", OwnerID: plain[0].ID,
		Description: "Bestelaanvragen en hun goedkeuring in Profit."})
	if err != nil {
		return err
	}
	if _, err := st.CreateProcess(ctx, admin, beheer.Process{AreaID: inkoop.ID, Name: "Leveranciers", OwnerID: plain[1].ID,
		Description: "Leveranciersgegevens en contracten."}); err != nil {
		return err
	}
	c := showcase{st: at, admin: admin, requester: o.users[len(o.users)-1].Actor()}
	if err := c.change(ctx, inkoop.ID, orders.ID, "Bestelformulier: projectnummer verplicht maken",
		"Bij bestellingen voor projecten ontbreekt vaak het projectnummer. Graag het veld verplicht maken voor kostensoort 4xxx.",
		plain[0].Actor(), "Akkoord: scheelt de afdeling Financiën veel correcties achteraf."); err != nil {
		return err
	}
	if err := c.change(ctx, inkoop.ID, orders.ID, "Goedkeuringsgrens inkooporders naar € 25.000",
		"De huidige grens van € 10.000 zorgt voor veel goedkeuringen door de directie. Voorstel: verhogen naar € 25.000.",
		nil, ""); err != nil {
		return err
	}

	finAdmin := o.admins[2]
	rule := beheer.ApprovalRule{AreaID: areas["financieel"].ID, Mode: beheer.ApprovalQuorum, Required: 2,
		Deciders: []int64{finKeys[0].ID, finAdmin.ID, o.admins[0].ID}}
	if _, err := st.SetApprovalRule(ctx, admin, rule, 0); err != nil {
		return err
	}
	if err := c.change(ctx, areas["financieel"].ID, 0, "Nieuwe kostenplaatsstructuur per 1 januari",
		"De begroting kent vanaf volgend jaar programma's in plaats van afdelingen. De kostenplaatsen moeten daarop aansluiten.",
		finKeys[0].Actor(), "Akkoord, mits de oude kostenplaatsen tot de jaarafsluiting blijven bestaan."); err != nil {
		return err
	}

	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if _, err := st.SetDeputy(ctx, hrKeys[0].Actor(), beheer.Deputy{UserID: hrKeys[0].ID, DeputyID: finKeys[0].ID,
		From: day.AddDate(0, 0, -2), Until: day.AddDate(0, 0, 12)}, 0); err != nil {
		return err
	}
	return c.change(ctx, areas["hr"].ID, 0, "Verlofsoort ‘mantelzorgverlof’ toevoegen",
		"Medewerkers kunnen mantelzorgverlof nu alleen als bijzonder verlof aanvragen. Graag een eigen verlofsoort.",
		finKeys[0].Actor(), "Akkoord namens de sleutelgebruiker HR, die met vakantie is; past in het nieuwe verlofbeleid.")
}

// showcase files the change requests of the deciders' showcase.
type showcase struct {
	st               *store.Store
	admin, requester *beheer.Actor
}

// change files a change request, takes it into Onderzoek, puts it before
// its deciders and, with a voter, records their approval.
func (c showcase) change(ctx context.Context, area, process int64, title, description string, voter *beheer.Actor, motivation string) error {
	r, err := c.st.CreateRequest(ctx, c.requester, beheer.NewRequest{Type: beheer.TypeChange, Title: title,
		Description: description, AreaID: area, ProcessID: process})
	if err != nil {
		return err
	}
	if _, err = c.st.Transition(ctx, c.admin, r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation,
		Note: "Impact bekeken; voorgelegd ter besluitvorming."}); err != nil {
		return err
	}
	waiting := beheer.StatusAwaitingDecision
	if _, err := c.st.UpdateRequest(ctx, c.admin, r.ID, 0, beheer.Patch{Status: &waiting}); err != nil {
		return err
	}
	if voter != nil {
		_, err = c.st.Decide(ctx, voter, r.ID, beheer.DecisionApproved, motivation)
	}
	return err
}

// plainEmployees are the people without any role: process owners from the
// business.
func plainEmployees(o *org) []*beheer.User {
	var out []*beheer.User
	for _, u := range o.employees {
		if len(u.Roles) == 0 {
			out = append(out, u)
		}
	}
	return out
}
