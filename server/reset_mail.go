package server

import (
	"context"
	"html"

	"beheer"
	"beheer/i18n"
	"beheer/store"
)

// outboxResets sends password-reset links as e-mail through the outbox, in
// the person's language.
type outboxResets struct {
	st  *store.Store
	cat *i18n.Catalog
}

// OutboxResets delivers reset links by e-mail; use it when mail is set up.
func OutboxResets(st *store.Store, cat *i18n.Catalog) ResetSender { return outboxResets{st, cat} }

func (o outboxResets) SendReset(ctx context.Context, u *beheer.User, link string) error {
	lang, ok := i18n.ParseLang(u.Lang)
	if !ok {
		lang = i18n.NL
	}
	body := o.cat.T(lang, "login.reset_mail_body", "name", u.Name, "minutes", int(beheer.ResetLifetime.Minutes()))
	return o.st.QueueMail(ctx, u.ID, &store.OutMail{
		To: u.Email, ToName: u.Name, Lang: string(lang),
		Subject: o.cat.T(lang, "login.reset_mail_subject"),
		Text:    body + "\n\n" + link + "\n",
		HTML:    "<p>" + html.EscapeString(body) + `</p><p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + "</a></p>",
	})
}
