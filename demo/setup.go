package demo

import (
	"context"

	"beheer"
	"beheer/store"
)

// loadSetup fills in what an organisation sets up itself: its name, a
// process owner for most processes (a key user of the area where it has
// one), the vendors behind the channels, and its functional admins as the
// people who may submit incidents to Support. The demo counts as set up,
// so no checklist is shown.
func loadSetup(ctx context.Context, st *store.Store, o *org, areas map[string]beheer.Area) error {
	if len(o.admins) == 0 {
		return nil
	}
	admin := o.admins[0].Actor()
	if _, err := st.SetOrganisation(ctx, admin, 0, beheer.OrganisationInput{Name: "Gemeente Voorbeeld", Lang: "nl",
		Zone: "Europe/Amsterdam"}); err != nil {
		return err
	}
	if err := ownProcesses(ctx, st, o, admin); err != nil {
		return err
	}
	for _, d := range []beheer.ChannelDetails{
		{Channel: beheer.ChannelConsultancy, Vendor: "AFAS Software", Email: "consultancy@afas.example",
			PortalURL: "https://klant.afas.nl", Contract: "Maandelijkse consultancydag (12 dagen per jaar), te plannen via de klantportal."},
		{Channel: beheer.ChannelServiceManagement, Vendor: "AFAS Software", PortalURL: "https://klant.afas.nl",
			Contract: "Per inrichtingsvraag een losse aanvraag; strippenkaart van 40 uur."},
		{Channel: beheer.ChannelSystemIntegrator, Vendor: "Koppelwerk Integraties BV", Phone: "+31 30 123 4567",
			Email: "support@koppelwerk.example", Contract: "Onderhoudscontract koppelingen, reactie binnen één werkdag."},
		{Channel: beheer.ChannelSupport, Vendor: "AFAS Software", Phone: "088 - 030 20 00", PortalURL: "https://klant.afas.nl",
			Contract: "Alleen incidenten (fouten in de software), gemeld door de aangewezen contactpersonen."},
	} {
		if _, err := st.SetChannel(ctx, admin, 0, d); err != nil {
			return err
		}
	}
	for _, u := range o.admins {
		if _, err := st.AddContact(ctx, admin, beheer.ContactInput{Channel: beheer.ChannelSupport, UserID: u.ID,
			Organisation: "Gemeente Voorbeeld", MaySubmitSupportIncidents: true}); err != nil {
			return err
		}
	}
	return nil
}

// ownProcesses names a process owner for every process but the last of
// each area: a key user of the area, else an employee.
func ownProcesses(ctx context.Context, st *store.Store, o *org, admin *beheer.Actor) error {
	processes, err := st.Processes(ctx)
	if err != nil {
		return err
	}
	for i, p := range processes {
		if i+1 < len(processes) && processes[i+1].AreaID != p.AreaID || i+1 == len(processes) {
			continue // the last of its area stays without an owner
		}
		owners := o.keyUsers[p.AreaID]
		if len(owners) == 0 {
			owners = o.employees
		}
		if len(owners) == 0 {
			continue
		}
		owner := owners[i%len(owners)]
		if _, err := st.UpdateProcess(ctx, admin, p.ID, 0, beheer.ProcessInput{AreaID: p.AreaID, Name: p.Name,
			Description: p.Description, OwnerID: owner.ID}); err != nil {
			return err
		}
	}
	return nil
}
