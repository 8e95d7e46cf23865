package server

import (
	"net/http"
	"strconv"

	"beheer"
)

func (s *Server) apiWebhooks(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	list, err := s.store.Webhooks(r.Context(), a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}

func (s *Server) apiCreateWebhook(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var n beheer.NewWebhook
	if err := s.decodeJSON(w, r, fields{"url": &n.URL, "events": &n.Events, "description": &n.Description}); err != nil {
		return err
	}
	hook, err := s.createWebhook(r.Context(), a, n)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/webhooks/"+strconv.FormatInt(hook.ID, 10)+"/deliveries")
	writeJSON(w, http.StatusCreated, hook)
	return nil
}

func (s *Server) apiDeleteWebhook(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiWebhookDeliveries is the delivery log, newest first, 50 a page;
// ?before=<id> gives the next page.
func (s *Server) apiWebhookDeliveries(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	list, err := s.store.WebhookDeliveries(r.Context(), a, id, before, 50)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}

func (s *Server) apiReplayDelivery(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.store.ReplayDelivery(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, d)
	return nil
}

func (s *Server) apiWebhook(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	hook, err := s.store.Webhook(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, hook)
	return nil
}

// apiPatchWebhook pauses ({"active": false}) or resumes a subscription.
func (s *Server) apiPatchWebhook(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var active *bool
	if err := s.decodeJSON(w, r, fields{"active": &active}); err != nil {
		return err
	}
	if active == nil {
		return beheer.Invalid("active", "field.required")
	}
	if err := s.store.SetWebhookActive(r.Context(), a, id, *active); err != nil {
		return err
	}
	return s.apiWebhook(w, r, a)
}
