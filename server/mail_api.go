package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"beheer"
	"beheer/mailin"
)

// mailInbound is the answer to a posted message: what became of it, and
// that in a sentence.
type mailInbound struct {
	*beheer.MailResult
	Message string `json:"message"`
}

// apiMailInbound receives one raw RFC 5322 message (Content-Type
// message/rfc822), for a mail gateway that posts instead of piping. Only
// who may manage integrations may post — a technical admin, or a
// functional admin of every area — because the message acts in its
// sender's name. The answer is 200 whatever the outcome; the outcome says
// whether it became a comment or a request, or why not.
func (s *Server) apiMailInbound(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	if !beheer.CanManageIntegrations(a) {
		return beheer.Refusal(beheer.PermIntegrationManage)
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "message/rfc822" {
		return beheer.Errorf(codeUnsupportedMedia, "error.unsupported_media_type")
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, mailin.MaxSize))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return beheer.Errorf(beheer.CodeTooLarge, "mailin.too_large", "max", beheer.FormatBytes(mailin.MaxSize))
		}
		return beheer.Errorf(codeBadRequest, "mailin.malformed")
	}
	rcv := &mailin.Receiver{Store: s.store, Intake: s.cfg.MailIntake}
	res, err := rcv.Receive(r.Context(), raw)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mailInbound{MailResult: res, Message: mailin.Describe(s.catalog, s.lang(r), res)})
	return nil
}

// mailLogFilter reads ?outcome=, ?limit= and ?cursor=.
func mailLogFilter(q url.Values) (beheer.MailLogFilter, error) {
	f := beheer.MailLogFilter{Outcome: beheer.MailOutcome(q.Get("outcome")), Cursor: q.Get("cursor")}
	return f, kbLimitParam(q.Get("limit"), &f.Limit)
}

// apiMailLog is the log of incoming mail, newest first; next_cursor gives
// the next page. The same people as may post mail.
func (s *Server) apiMailLog(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	if !beheer.CanManageIntegrations(a) {
		return beheer.Refusal(beheer.PermIntegrationManage)
	}
	f, err := mailLogFilter(r.URL.Query())
	if err != nil {
		return err
	}
	page, err := s.store.MailLog(r.Context(), a, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Items      []beheer.MailLogEntry `json:"items"`
		NextCursor *string               `json:"next_cursor"`
	}{page.Items, kbCursor(page.NextCursor)})
	return nil
}

// ManagesIntegrations reports whether the viewer may see the integration
// pages (the log of incoming mail): an admin of every area.
func (p *page) ManagesIntegrations() bool { return beheer.CanManageIntegrations(p.Actor) }

// mailLogRow is one message on the log page, with what became of it in a
// sentence.
type mailLogRow struct {
	beheer.MailLogEntry
	Summary string
	Detail  string // the rule that refused it, when there is one
}

type mailLogData struct {
	Items    []mailLogRow
	Outcome  beheer.MailOutcome
	Outcomes []beheer.MailOutcome
	Next     string // the next page's address; "" for none
	Older    bool   // this is not the first page
}

// mailLogPage shows the log of incoming mail to the admins of every area.
// Only they: the log names requests and senders of every area. It shows
// request numbers, never titles.
func (s *Server) mailLogPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if !beheer.CanManageIntegrations(p.Actor) {
		return beheer.Refusal(beheer.PermIntegrationManage)
	}
	f, err := mailLogFilter(r.URL.Query())
	if err != nil {
		return err
	}
	list, err := s.store.MailLog(r.Context(), p.Actor, f)
	if err != nil {
		return err
	}
	d := mailLogData{Outcome: f.Outcome, Outcomes: beheer.MailOutcomes, Older: f.Cursor != ""}
	for _, m := range list.Items {
		res := &beheer.MailResult{Outcome: m.Outcome, Number: m.Number, Reason: m.Reason}
		row := mailLogRow{MailLogEntry: m, Summary: mailin.Describe(s.catalog, p.Lang, res)}
		if (m.Outcome == beheer.MailRefusedForbidden || m.Outcome == beheer.MailRefusedInvalid) && s.catalog.Has(m.Reason) {
			row.Detail = p.T(m.Reason)
		}
		d.Items = append(d.Items, row)
	}
	if list.NextCursor != "" {
		q := url.Values{"cursor": {list.NextCursor}}
		if f.Outcome != "" {
			q.Set("outcome", string(f.Outcome))
		}
		if f.Limit != 0 {
			q.Set("limit", strconv.Itoa(f.Limit))
		}
		d.Next = "/settings/mail?" + q.Encode()
	}
	p.Title, p.Data = p.T("mailin.log.title"), d
	s.render(w, http.StatusOK, "mailin", "", p)
	return nil
}
