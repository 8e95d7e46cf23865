package server

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"time"

	"beheer"
)

// createWebhook is the one way a webhook is registered, from the page or
// the API: the subscription is checked, then the address its host
// resolves to against the address policy (the same one every delivery
// meets again), and only then stored.
func (s *Server) createWebhook(ctx context.Context, a *beheer.Actor, n beheer.NewWebhook) (*beheer.Webhook, error) {
	if !beheer.CanManageWebhooks(a) {
		return nil, beheer.Refusal(beheer.PermWebhookManage)
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkWebhookHost(ctx, n.URL); err != nil {
		return nil, err
	}
	return s.store.CreateWebhook(ctx, a, n)
}

// checkWebhookHost resolves a webhook address's host and refuses it when
// a call could not go there.
func (s *Server) checkWebhookHost(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return beheer.Invalid("url", "webhook.bad_url")
	}
	host := u.Hostname()
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else {
		lookup := s.cfg.LookupIP
		if lookup == nil {
			lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
				return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
			}
		}
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		ips, _ = lookup(ctx, host)
	}
	return beheer.CheckWebhookAddresses(host, ips, s.cfg.WebhookAllow)
}

// webhooksView is the webhooks page: the subscriptions, the form to add
// one, and a secret shown once after adding.
type webhooksView struct {
	Hooks   []beheer.Webhook
	Events  []string
	Created *beheer.Webhook // just added: its secret is shown this once
	Done    string
}

// Checked reports whether an event is ticked in the refused form.
func (v *webhooksView) Checked(f formRefusal, event string) bool {
	if f.Values == nil {
		return false
	}
	for _, e := range f.Values["events"] {
		if e == event {
			return true
		}
	}
	return false
}

func (s *Server) webhooksData(r *http.Request, p *page) (*webhooksView, error) {
	hooks, err := s.store.Webhooks(r.Context(), p.Actor)
	if err != nil {
		return nil, err
	}
	return &webhooksView{Hooks: hooks, Events: beheer.WebhookEvents, Done: r.URL.Query().Get("done")}, nil
}

func (s *Server) renderWebhooks(w http.ResponseWriter, status int, p *page, v *webhooksView, f formRefusal) {
	p.Title = p.T("admin.webhooks.title")
	p.Data = struct {
		*webhooksView
		F formRefusal
	}{v, f}
	s.render(w, status, "webhooks", "", p)
}

// webhooksPage lists the subscriptions.
func (s *Server) webhooksPage(w http.ResponseWriter, r *http.Request, p *page) error {
	v, err := s.webhooksData(r, p)
	if err != nil {
		return err
	}
	s.renderWebhooks(w, http.StatusOK, p, v, formRefusal{})
	return nil
}

// webhookCreate adds a subscription and shows its secret once.
func (s *Server) webhookCreate(w http.ResponseWriter, r *http.Request, p *page) error {
	n := beheer.NewWebhook{URL: r.PostFormValue("url"), Events: r.PostForm["events"], Description: r.PostFormValue("description")}
	hook, err := s.createWebhook(r.Context(), p.Actor, n)
	if err != nil {
		return p.showRefused(r, "webhook", err, func(f formRefusal) error {
			v, err := s.webhooksData(r, p)
			if err != nil {
				return err
			}
			s.renderWebhooks(w, f.Status, p, v, f)
			return nil
		})
	}
	v, err := s.webhooksData(r, p)
	if err != nil {
		return err
	}
	v.Created = hook
	s.renderWebhooks(w, http.StatusCreated, p, v, formRefusal{})
	return nil
}

// webhookView is one subscription's page with its delivery log.
type webhookView struct {
	Hook       *beheer.Webhook
	Deliveries []beheer.WebhookDelivery
	Next       string // the next (older) page's address; "" for none
	Older      bool
	Done       string
	Refused    string
}

// deliveryPage is how many deliveries one page of the log shows.
const deliveryPage = 25

func (s *Server) webhookPage(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.showWebhook(w, r, p, id, http.StatusOK, "")
}

func (s *Server) showWebhook(w http.ResponseWriter, r *http.Request, p *page, id int64, status int, refused string) error {
	hook, err := s.store.Webhook(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	list, err := s.store.WebhookDeliveries(r.Context(), p.Actor, id, before, deliveryPage+1)
	if err != nil {
		return err
	}
	v := &webhookView{Hook: hook, Older: before > 0, Done: r.URL.Query().Get("done"), Refused: refused}
	if len(list) > deliveryPage {
		list = list[:deliveryPage]
		v.Next = "/settings/webhooks/" + strconv.FormatInt(id, 10) + "?before=" + strconv.FormatInt(list[deliveryPage-1].ID, 10)
	}
	v.Deliveries = list
	p.Title, p.Data = p.T("admin.webhook.title"), v
	s.render(w, status, "webhook", "", p)
	return nil
}

// webhookSetActive pauses or resumes a subscription.
func (s *Server) webhookSetActive(active bool) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := s.store.SetWebhookActive(r.Context(), p.Actor, id, active); err != nil {
			return err
		}
		done := "enabled"
		if !active {
			done = "disabled"
		}
		redirect(w, r, "/settings/webhooks/"+strconv.FormatInt(id, 10)+"?done="+done)
		return nil
	}
}

// webhookDelete ends a subscription.
func (s *Server) webhookDelete(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(r.Context(), p.Actor, id); err != nil {
		return err
	}
	redirect(w, r, "/settings/webhooks?done=deleted")
	return nil
}

// deliveryReplay sends a delivery again and goes back to its webhook.
func (s *Server) deliveryReplay(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	hookID, _ := strconv.ParseInt(r.PostFormValue("webhook"), 10, 64)
	d, err := s.store.ReplayDelivery(r.Context(), p.Actor, id)
	if err != nil {
		f, ok := p.refused(r, "replay", err)
		if !ok || hookID == 0 {
			return err
		}
		return s.showWebhook(w, r, p, hookID, f.Status, f.Message)
	}
	redirect(w, r, "/settings/webhooks/"+strconv.FormatInt(d.WebhookID, 10)+"?done=replayed")
	return nil
}
