package server

import (
	"context"
	"html"

	"beheer"
	"beheer/i18n"
	"beheer/store"
)

// outboxMail sends reset links and login alerts as e-mail through the
// outbox, in the person's language.
type outboxMail struct {
	st  *store.Store
	cat *i18n.Catalog
}

// OutboxMail delivers reset links and login alerts by e-mail; use it when
// mail is set up.
func OutboxMail(st *store.Store, cat *i18n.Catalog) AccountMail { return outboxMail{st, cat} }

func (o outboxMail) SendReset(ctx context.Context, u *beheer.User, link string) error {
	lang := o.lang(u)
	body := o.cat.T(lang, "login.reset_mail_body", "name", u.Name, "minutes", int(beheer.ResetLifetime.Minutes()))
	return o.st.QueueMail(ctx, u.ID, &store.OutMail{
		To: u.Email, ToName: u.Name, Lang: string(lang),
		Subject: o.cat.T(lang, "login.reset_mail_subject"),
		Text:    body + "\n\n" + link + "\n",
		HTML:    "<p>" + html.EscapeString(body) + `</p><p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + "</a></p>",
	})
}

// SendLoginAlert tells the owner of an account that someone is guessing
// its password, and that they get in as before.
func (o outboxMail) SendLoginAlert(ctx context.Context, u *beheer.User, failures int) error {
	lang := o.lang(u)
	body := o.cat.T(lang, "security.alert_mail_body", "name", u.Name, "count", failures,
		"minutes", int(beheer.FailureWindow.Minutes()))
	return o.st.QueueMail(ctx, u.ID, &store.OutMail{
		To: u.Email, ToName: u.Name, Lang: string(lang),
		Subject: o.cat.T(lang, "security.alert_mail_subject"),
		Text:    body + "\n",
		HTML:    "<p>" + html.EscapeString(body) + "</p>",
	})
}

// lang is the person's language, Dutch when unknown.
func (o outboxMail) lang(u *beheer.User) i18n.Lang {
	if lang, ok := i18n.ParseLang(u.Lang); ok {
		return lang
	}
	return i18n.NL
}
