package server

import (
	"net/http"
	"strconv"
	"sync"

	"beheer"
	"beheer/notify"
	"beheer/store"
)

// notificationsPageSize is one page of the notifications list.
const notificationsPageSize = 30

// Bell is the unread count for the bell in the header: "" for none, "99+"
// past the counting limit. One indexed count per full page.
func (p *page) Bell() string {
	if p.User == nil {
		return ""
	}
	n, err := p.s.store.UnreadNotifications(p.Request.Context(), p.User.ID)
	if err != nil || n == 0 {
		return ""
	}
	if n >= store.MaxUnread {
		return strconv.Itoa(store.MaxUnread-1) + "+"
	}
	return strconv.Itoa(n)
}

var (
	rendererOnce sync.Once
	renderer     *notify.Renderer
)

// notifyRenderer phrases notifications the way the e-mails do.
func (s *Server) notifyRenderer() *notify.Renderer {
	rendererOnce.Do(func() { renderer = notify.NewRenderer(s.catalog, s.cfg.BaseURL) })
	return renderer
}

// notificationItem is one line of the notifications page.
type notificationItem struct {
	store.Notification
	Summary string
}

type notificationsData struct {
	Items  []notificationItem
	Before int64 // the next page starts below this id; 0: no more
	Older  bool  // this is not the first page
	Unread int
}

func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request, p *page) error {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	list, err := s.store.Notifications(r.Context(), p.Actor, before, notificationsPageSize+1)
	if err != nil {
		return err
	}
	d := notificationsData{Older: before > 0}
	if len(list) > notificationsPageSize {
		list = list[:notificationsPageSize]
		d.Before = list[len(list)-1].ID
	}
	rd := s.notifyRenderer()
	for _, n := range list {
		if !n.Read {
			d.Unread++
		}
		d.Items = append(d.Items, notificationItem{Notification: n,
			Summary: rd.Summary(p.Lang, n.EventKind, n.Kind, n.Data, n.ActorName)})
	}
	if r.URL.Query().Get("done") == "1" {
		p.Flash = p.T("notify.all_read")
	}
	p.Title, p.Data = p.T("notify.title"), d
	s.render(w, http.StatusOK, "notifications", "", p)
	return nil
}

// notificationsRead marks one notification (field id) or all as read, then
// goes on to next (a request page) or back to the list.
func (s *Server) notificationsRead(w http.ResponseWriter, r *http.Request, p *page) error {
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if id < 0 {
		id = 0
	}
	if err := s.store.MarkNotificationsRead(r.Context(), p.Actor, id); err != nil {
		return err
	}
	next := "/notifications"
	if id == 0 {
		next += "?done=1"
	}
	if n := r.PostFormValue("next"); n != "" {
		next = safeNext(n)
	}
	redirect(w, r, next)
	return nil
}

// notifyKindRow is one kind on the settings page, with its choices.
type notifyKindRow struct {
	Kind  string
	Mode  string
	Label string
	Help  string
	Modes []notifyModeChoice
}

// notifyModeChoice is one choice of a kind: the mode and its label.
type notifyModeChoice struct{ Mode, Label string }

type notifySettingsData struct {
	Rows []notifyKindRow
}

// notifyKinds are the kinds that can concern this person: their e-mail
// settings on the page and in the API.
func notifyKinds(a *beheer.Actor) []string {
	var out []string
	for _, k := range store.NotifyKinds {
		switch k {
		case store.NotifyAssigned, store.NotifyReply:
			if !a.HasRole(beheer.RoleFunctionalAdmin) && !a.HasRole(beheer.RoleTechnicalAdmin) {
				continue
			}
		case store.NotifyDecision:
			if !a.HasRole(beheer.RoleKeyUser) {
				continue
			}
		case store.NotifyTask:
			if !a.HasRole(beheer.RoleTechnicalAdmin) {
				continue
			}
		case store.NotifyMonthly:
			if !a.HasRole(beheer.RoleManagement) {
				continue
			}
		case store.NotifyAlert:
			// Team alerts reach an area's team and followers, who read
			// its requests; a requester alone is never one of them.
			if !a.CanAnywhere(beheer.PermRequestRead) {
				continue
			}
		}
		out = append(out, k)
	}
	return out
}

// notifyRow builds the row of a kind: the monthly report is on or off,
// every other kind immediate, in the digest or off.
func notifyRow(p *page, kind, mode string) notifyKindRow {
	row := notifyKindRow{Kind: kind, Mode: mode, Label: p.T("notify.kind." + kind)}
	label := func(m string) string { return p.T("notify.mode." + m) }
	if kind == store.NotifyMonthly {
		row.Label, row.Help = p.T("monthly.setting.label"), p.T("monthly.setting.help")
		label = func(m string) string { return p.T("monthly.setting." + m) }
	}
	for _, m := range store.ModesOf(kind) {
		row.Modes = append(row.Modes, notifyModeChoice{Mode: m, Label: label(m)})
	}
	return row
}

func (s *Server) notifySettingsPage(w http.ResponseWriter, r *http.Request, p *page) error {
	prefs, err := s.store.NotifyPrefs(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = p.T("notify.settings.saved")
	}
	return s.renderNotifySettings(w, p, http.StatusOK, prefs)
}

func (s *Server) renderNotifySettings(w http.ResponseWriter, p *page, status int, prefs map[string]string) error {
	var d notifySettingsData
	for _, k := range notifyKinds(p.Actor) {
		d.Rows = append(d.Rows, notifyRow(p, k, prefs[k]))
	}
	p.Title, p.Data = p.T("notify.settings.title"), d
	s.render(w, status, "notifications_settings", "", p)
	return nil
}

func (s *Server) notifySettingsSave(w http.ResponseWriter, r *http.Request, p *page) error {
	prefs := map[string]string{}
	for _, k := range notifyKinds(p.Actor) {
		if v := r.PostFormValue(k); v != "" {
			prefs[k] = v
		}
	}
	if err := s.store.SetNotifyPrefs(r.Context(), p.Actor, prefs); err != nil {
		if p.formErrors(err) {
			current, rerr := s.store.NotifyPrefs(r.Context(), p.Actor)
			if rerr != nil {
				return rerr
			}
			for k, v := range prefs {
				current[k] = v
			}
			return s.renderNotifySettings(w, p, http.StatusUnprocessableEntity, current)
		}
		return err
	}
	redirect(w, r, "/settings/notifications?saved=1")
	return nil
}

// apiNotifySettings answers the person's e-mail setting per kind that can
// concern them, as the settings page shows them.
func (s *Server) apiNotifySettings(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	prefs, err := s.store.NotifyPrefs(r.Context(), a)
	if err != nil {
		return err
	}
	out := map[string]string{}
	for _, k := range notifyKinds(a) {
		out[k] = prefs[k]
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiSetNotifySettings changes the person's e-mail settings: an object of
// kind and mode; kinds left out keep theirs.
func (s *Server) apiSetNotifySettings(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	kinds := notifyKinds(a)
	modes := make([]*string, len(kinds))
	into := fields{}
	for i, k := range kinds {
		into[k] = &modes[i]
	}
	if err := s.decodeJSON(w, r, into); err != nil {
		return err
	}
	prefs := map[string]string{}
	for i, k := range kinds {
		if modes[i] != nil {
			prefs[k] = *modes[i]
		}
	}
	if err := s.store.SetNotifyPrefs(r.Context(), a, prefs); err != nil {
		return err
	}
	return s.apiNotifySettings(w, r, a)
}
