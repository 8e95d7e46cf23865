package demo

import (
	"context"
	"time"

	"beheer"
	"beheer/store"
)

// loadRegister fills the technical register: the organisation's
// integrations, its identity provider and its mail server, with review
// dates around now — one review overdue, one due within a month — and the
// system integrator who maintains the salary integration as a contact of
// the organisation profile.
func loadRegister(ctx context.Context, st *store.Store, o *org, areas map[string]beheer.Area, now time.Time) error {
	if len(o.technical) == 0 || len(o.admins) == 0 {
		return nil
	}
	st = st.WithClock(func() time.Time { return now })
	tech, techInt := o.technical[0].Actor(), o.technical[len(o.technical)-1].Actor()
	si, err := st.AddContact(ctx, o.admins[0].Actor(), beheer.ContactInput{Channel: beheer.ChannelSystemIntegrator,
		Name: "Sanne de Boer", Organisation: "Koppelwerk Integraties BV", Email: "support@koppelwerk.example",
		Phone: "+31 30 123 4567"})
	if err != nil {
		return err
	}
	today := st.Today()
	ago := func(months int) time.Time { return today.AddDate(0, -months, 0) }
	integration := func(name, other, technique string, dir beheer.RegisterDirection, owner *beheer.Actor) beheer.RegisterInput {
		return beheer.RegisterInput{Kind: beheer.RegisterKindIntegration, Name: name, Status: beheer.RegisterActive, OwnerID: owner.UserID,
			AreaID: areas["integraties"].ID, Direction: dir, OtherSystem: other, Technique: technique, ReviewMonths: 12}
	}
	salary := integration("AFAS → Visma Raet salarisverwerking", "Visma Raet Youforce", "AFAS GetConnector, nachtelijke SFTP-export",
		beheer.DirectionOutbound, techInt)
	salary.AreaID, salary.MaintainerContactID, salary.ReviewMonths, salary.LastReviewedOn = areas["salaris"].ID, si.ID, 6, ago(3)
	salary.Description = "Stuurt elke nacht om 02:00 de **salarismutaties** (in- en uitdienst, contracten, looncomponenten) " +
		"naar Visma Raet.\n\nBij een storing: controleer het exportlogboek in Profit en meld het bij Koppelwerk."
	topdesk := integration("AFAS → Topdesk medewerkers en afdelingen", "Topdesk", "Topdesk-API met AFAS GetConnector Medewerkers",
		beheer.DirectionOutbound, tech)
	topdesk.Maintainer, topdesk.LastReviewedOn = "Topdesk Professional Services", ago(14) // overdue
	topdesk.Description = "Houdt de personen en afdelingen in Topdesk gelijk aan AFAS, elk uur."
	bank := integration("Rabobank → AFAS bankafschriften", "Rabobank", "CAMT.053 via de AFAS bankkoppeling",
		beheer.DirectionInbound, tech)
	bank.AreaID, bank.LastReviewedOn = areas["financieel"].ID, ago(5)
	crm := integration("AFAS ↔ Salesforce", "Salesforce Sales Cloud", "Middleware van Koppelwerk", beheer.DirectionBidirectional, techInt)
	crm.Status, crm.AreaID, crm.MaintainerContactID = beheer.RegisterPlanned, areas["crm"].ID, si.ID
	for _, in := range []beheer.RegisterInput{salary, topdesk, bank, crm,
		{Kind: beheer.RegisterKindIdentityProvider, Name: "SSO via Microsoft Entra ID", Status: beheer.RegisterActive, OwnerID: tech.UserID,
			Protocol: beheer.ProtocolOIDC, IssuerURL: "https://login.microsoftonline.com/3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f/v2.0",
			ClientIDs: "6f1c2d3e-4b5a-4c7d-9e8f-0a1b2c3d4e5f", ReviewMonths: 12, LastReviewedOn: ago(2),
			Description: "Single sign-on voor InSite en Beheer. Het client secret staat in de kluis van technisch beheer en " +
				"verloopt elke 24 maanden."},
		{Kind: beheer.RegisterKindMailServer, Name: "SMTP-relay mail.voorbeeld.nl", Status: beheer.RegisterActive, OwnerID: tech.UserID,
			Host: "mail.voorbeeld.nl", Port: 587, TLSMode: beheer.TLSStartTLS, Sender: "noreply@voorbeeld.nl", ReviewMonths: 12,
			LastReviewedOn: ago(11), DNSNotes: "- SPF: `v=spf1 include:spf.protection.outlook.com include:afas.online -all`\n" +
				"- DKIM: selector1 en selector2 via Microsoft 365\n- DMARC: `p=quarantine; rua=mailto:dmarc@voorbeeld.nl`",
			Description: "Verstuurt de e-mail uit AFAS Online (loonstroken, facturen, workflows) namens voorbeeld.nl."},
	} {
		if _, err := st.CreateRegisterEntry(ctx, tech, in); err != nil {
			return err
		}
	}
	return nil
}
