package mailin

import (
	"context"
	"errors"
	"slices"
	"strings"

	"beheer"
	"beheer/i18n"
	"beheer/store"
)

// Receiver hands received messages to the store. The pipe (beheer mail
// receive), the API endpoint and the IMAP poller all go through it, so a
// message is handled the same whichever way it came, and once.
type Receiver struct {
	Store *store.Store
	// Intake is the address at which a message that answers nothing becomes
	// a new request (BEHEER_MAIL_INTAKE). Empty: no message does; replies
	// still become comments.
	Intake string
}

// Receive parses one raw message and lets the store decide what it
// becomes. Input that is no e-mail message is refused with an invalid
// error; a message that is deliberately ignored (an auto-reply, an unknown
// sender) is no error: its result says why.
func (r *Receiver) Receive(ctx context.Context, raw []byte) (*beheer.MailResult, error) {
	if len(raw) > MaxSize {
		return nil, beheer.Errorf(beheer.CodeTooLarge, "mailin.too_large", "max", beheer.FormatBytes(MaxSize))
	}
	m, err := Parse(raw)
	if err != nil {
		if errors.Is(err, ErrMalformed) {
			return nil, beheer.Errorf(beheer.CodeInvalid, "mailin.malformed")
		}
		return nil, err
	}
	return r.Store.ReceiveMail(ctx, r.inbound(m))
}

// inbound is what the store needs of a parsed message.
func (r *Receiver) inbound(m *Message) beheer.InboundMail {
	refs := slices.Clone(m.InReplyTo)
	older := slices.Clone(m.References)
	slices.Reverse(older) // References lists the oldest first
	for _, id := range older {
		if !slices.Contains(refs, id) {
			refs = append(refs, id)
		}
	}
	in := beheer.InboundMail{
		MessageID: m.MessageID, From: m.From.Address, Subject: m.Subject,
		Text: m.Text, Reply: m.Reply, References: refs, Auto: m.Auto,
	}
	intake := strings.ToLower(strings.TrimSpace(r.Intake))
	in.ToIntake = intake != "" && slices.Contains(m.Recipients, intake)
	for _, a := range m.Attachments {
		in.Files = append(in.Files, beheer.InboundFile{Name: a.Name, Data: a.Data})
	}
	return in
}

// Describe tells in a sentence what became of a message, for the command
// line and the API.
func Describe(cat *i18n.Catalog, lang i18n.Lang, res *beheer.MailResult) string {
	text := cat.T(lang, "mailin.outcome."+string(res.Outcome), "number", res.Number, "reason", res.Reason)
	if res.Duplicate {
		text = cat.T(lang, "mailin.duplicate") + " " + text
	}
	for _, s := range res.Skipped {
		text += " " + cat.T(lang, "mailin.skipped", "name", s.Name) + " " + cat.T(lang, s.Reason)
	}
	return text
}
