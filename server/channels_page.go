package server

import (
	"net/http"
	"strconv"

	"beheer"
)

// The channels page: per outside channel the party behind it, its contact
// people, and for Support its rule and who may submit incidents there.

// channelCard is one channel on the page.
type channelCard struct {
	beheer.ChannelDetails
	Contacts []beheer.ChannelContact
}

// channelsView is the channels page.
type channelsView struct {
	formRefusal
	Channels     []channelCard
	People       []*beheer.User // active, to link contacts to
	Policy       beheer.Policy
	Submitters   []beheer.ChannelContact // linked to an account, may submit to Support
	CanSetPolicy bool
}

func (s *Server) channelsPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showChannels(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showChannels(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	ctx := r.Context()
	chs, err := s.store.Channels(ctx)
	if err != nil {
		return err
	}
	prof, err := s.store.Profile(ctx, p.Actor)
	if err != nil {
		return err
	}
	people, err := s.store.Users(ctx, p.Actor)
	if err != nil {
		return err
	}
	v := channelsView{formRefusal: fe, Policy: prof.Policy, CanSetPolicy: beheer.CanManageSettings(p.Actor)}
	for _, d := range chs {
		v.Channels = append(v.Channels, channelCard{ChannelDetails: d, Contacts: prof.ContactsOf(d.Channel)})
	}
	for _, c := range prof.Contacts {
		if c.UserID != 0 && c.MaySubmitSupportIncidents {
			v.Submitters = append(v.Submitters, c)
		}
	}
	for _, u := range people {
		if u.Active {
			v.People = append(v.People, u)
		}
	}
	if p.Flash == "" {
		p.Flash = savedMessage(p, r)
	}
	p.Title, p.Data = p.T("channels.title"), v
	s.render(w, status, "channels", "", p)
	return nil
}

// channelsForm ends a form of the channels page like areaForm does.
func (s *Server) channelsForm(w http.ResponseWriter, r *http.Request, p *page, form, done string, err error) error {
	if err != nil {
		return p.showRefused(r, form, err, func(fe formRefusal) error { return s.showChannels(w, r, p, fe.Status, fe) })
	}
	redirect(w, r, "/channels?done="+done+"#"+form)
	return nil
}

func (s *Server) saveChannel(w http.ResponseWriter, r *http.Request, p *page) error {
	d := beheer.ChannelDetails{Channel: beheer.Channel(r.PathValue("channel")), Vendor: r.PostFormValue("vendor"),
		Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email"), PortalURL: r.PostFormValue("portal_url"),
		Contract: r.PostFormValue("contract_notes")}
	if !d.Channel.Valid() {
		return beheer.ErrNotFound()
	}
	_, err := s.store.SetChannel(r.Context(), p.Actor, postedVersion(r), d)
	return s.channelsForm(w, r, p, "channel-"+string(d.Channel), "channel_saved", err)
}

// addChannelContact adds a contact to a channel; for Support, a person
// chosen from the organisation's people may be marked as a submitter.
func (s *Server) addChannelContact(w http.ResponseWriter, r *http.Request, p *page) error {
	in := readContactForm(r)
	in.Channel = beheer.Channel(r.PathValue("channel"))
	if !in.Channel.Valid() {
		return beheer.ErrNotFound()
	}
	in.UserID, _ = strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	_, err := s.store.AddContact(r.Context(), p.Actor, in)
	return s.channelsForm(w, r, p, "contact-"+string(in.Channel), "contact_added", err)
}

func (s *Server) removeChannelContact(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.channelsForm(w, r, p, "contacts", "contact_removed", s.store.DeleteContact(r.Context(), p.Actor, id))
}

// saveSupportRule switches the Support rule on or off, keeping the other
// rule settings as they are.
func (s *Server) saveSupportRule(w http.ResponseWriter, r *http.Request, p *page) error {
	pol, err := s.store.Policy(r.Context())
	if err != nil {
		return err
	}
	pol.SupportIncidentsOnly = r.PostFormValue("support_incidents_only") == "1"
	return s.channelsForm(w, r, p, "support-rule", "rule_saved", s.store.SetPolicy(r.Context(), p.Actor, pol))
}
