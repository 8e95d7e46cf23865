// Package mailin turns incoming e-mail into comments and requests. Parse
// reads a raw RFC 5322 message — MIME parts, transfer encodings, charsets,
// HTML-only mail — into the text a person wrote, without the quoted reply
// below it, with its attachments and whether it was sent by a machine
// (auto-replies, bounces) rather than a person. Parsing is pure; Receiver
// hands a parsed message to the store, which decides in one transaction
// what it becomes, and Poller fetches messages from an IMAP mailbox.
package mailin

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"beheer"
)

// MaxSize bounds one raw message. Attachments are bounded again, one by
// one, by the store's attachment limit.
const MaxSize = 64 << 20

// Limits that keep a hostile message from costing much to parse.
const (
	maxDepth = 12  // nesting of multipart bodies
	maxParts = 200 // MIME parts in one message
	maxText  = 1 << 20
	maxIDs   = 50 // message ids kept from References
)

// ErrMalformed is returned for input that is not an e-mail message.
var ErrMalformed = errors.New("mailin: not an e-mail message")

// Message is one parsed e-mail.
type Message struct {
	// MessageID is the Message-ID without angle brackets. A message without
	// one gets "sha256:" and the hash of its bytes, so that a second
	// delivery of the same bytes is still recognised.
	MessageID string
	// InReplyTo and References are the message ids this one answers,
	// without angle brackets.
	InReplyTo  []string
	References []string
	From       Address
	// Recipients are the lower-cased addresses of To, Cc and the headers in
	// which mail servers record the envelope recipient (Delivered-To,
	// X-Original-To, Envelope-To), so a Bcc to the intake address counts.
	Recipients []string
	Subject    string
	Date       time.Time
	// Text is the whole readable text; an HTML-only message is converted.
	Text string
	// Reply is Text without the quoted message it answers, without the
	// "On … wrote:" line above it and without the signature.
	Reply       string
	Attachments []Attachment
	// Auto says why the message was sent by a machine (an auto-reply, a
	// bounce, bulk mail); empty for a person's message. Such messages never
	// become requests or comments.
	Auto string
}

// Address is a sender.
type Address struct {
	Name    string
	Address string // lower case
}

// Attachment is a file that came with a message. Name is as the message
// gives it; the store cleans it and sniffs the content again.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Parse reads one raw message. It fails only when raw is no message at all
// (no header section); damaged parts are read as far as they go, because a
// person's mail is better taken in part than lost.
func Parse(raw []byte) (*Message, error) {
	if len(raw) > MaxSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrMalformed, MaxSize)
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(normaliseStart(raw)))
	if err != nil || len(msg.Header) == 0 {
		return nil, ErrMalformed
	}
	h := textproto.MIMEHeader(msg.Header)
	body, _ := io.ReadAll(msg.Body)
	m := &Message{
		MessageID:  firstID(h.Get("Message-Id")),
		InReplyTo:  messageIDs(h.Get("In-Reply-To")),
		References: messageIDs(strings.Join(h.Values("References"), " ")),
		From:       parseFrom(h.Get("From")),
		Recipients: recipients(h),
		Subject:    oneLine(decodeHeader(h.Get("Subject"))),
	}
	if m.MessageID == "" || len(m.MessageID) > 250 {
		sum := sha256.Sum256(raw)
		m.MessageID = "sha256:" + hex.EncodeToString(sum[:])
	}
	if d, err := msg.Header.Date(); err == nil {
		m.Date = d.UTC()
	}
	w := &walker{}
	segs := w.entity(h, body, 0)
	m.Text = clip(segments(segs))
	m.Reply = trimReply(m.Text)
	m.Attachments = w.atts
	m.Auto = autoReason(h, m.From.Address)
	return m, nil
}

// normaliseStart drops what may stand before the header section: an mbox
// "From " line and leading blank lines.
func normaliseStart(raw []byte) []byte {
	raw = bytes.TrimLeft(raw, "\r\n")
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	return raw
}

var wordDecoder = &mime.WordDecoder{CharsetReader: charsetReader}

// decodeHeader decodes RFC 2047 encoded words; a header it cannot decode is
// kept as it is, made valid UTF-8.
func decodeHeader(s string) string {
	d, err := wordDecoder.DecodeHeader(s)
	if err != nil {
		d = s
	}
	return toUTF8("", []byte(d))
}

// oneLine folds a header value to one line without control characters
// or line separators.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r < 0x20 || r == 0x7f || r == ' ' || beheer.IsLineBreak(r)
	}), " ")
}

var addrSpec = regexp.MustCompile(`[^\s<>()",;:@]+@[^\s<>()",;:@]+`)

// parseFrom reads the sender. An address net/mail refuses is still taken
// when one address can be found in it.
func parseFrom(s string) Address {
	p := netmail.AddressParser{WordDecoder: wordDecoder}
	if list, err := p.ParseList(s); err == nil && len(list) > 0 {
		return Address{Name: oneLine(list[0].Name), Address: strings.ToLower(list[0].Address)}
	}
	if a := addrSpec.FindString(s); a != "" {
		return Address{Address: strings.ToLower(a)}
	}
	return Address{}
}

// recipients lists the addresses a message was sent to.
func recipients(h textproto.MIMEHeader) []string {
	var out []string
	for _, key := range []string{"To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"} {
		for _, v := range h.Values(key) {
			for _, a := range addrSpec.FindAllString(decodeHeader(v), 100) {
				a = strings.ToLower(a)
				if !slices.Contains(out, a) {
					out = append(out, a)
				}
			}
		}
	}
	return out
}

var bracketID = regexp.MustCompile(`<([^<>\s]+)>`)

// messageIDs reads a list of message ids: <a@b> <c@d>, or bare ids from
// clients that drop the brackets.
func messageIDs(s string) []string {
	var out []string
	for _, m := range bracketID.FindAllStringSubmatch(s, maxIDs) {
		if !slices.Contains(out, m[1]) && validID(m[1]) {
			out = append(out, m[1])
		}
	}
	if len(out) == 0 {
		for _, f := range strings.Fields(s) {
			if strings.Contains(f, "@") && validID(f) && !slices.Contains(out, f) && len(out) < maxIDs {
				out = append(out, f)
			}
		}
	}
	return out
}

// validID reports whether id can be a message id as the store keeps it:
// at most 250 bytes of valid UTF-8 without control characters. (A stray
// byte would make PostgreSQL refuse the row, and the mail server would
// deliver the message again and again.)
func validID(id string) bool {
	if len(id) > 250 || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if r <= ' ' || r == 0x7f {
			return false
		}
	}
	return true
}

func firstID(s string) string {
	if ids := messageIDs(s); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// segment is a piece of body text, HTML or plain.
type segment struct {
	text string
	html bool
}

// segments joins the body pieces into one readable text.
func segments(segs []segment) string {
	var parts []string
	for _, s := range segs {
		t := s.text
		if s.html {
			t = htmlText(t)
		}
		if t = tidy(t); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n\n")
}

// walker collects the attachments while the body is read.
type walker struct {
	atts  []Attachment
	parts int
}

// entity reads one MIME entity and returns its body text.
func (w *walker) entity(h textproto.MIMEHeader, body []byte, depth int) []segment {
	w.parts++
	if w.parts > maxParts || depth > maxDepth {
		return nil
	}
	ctype, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || ctype == "" {
		ctype, params = "text/plain", map[string]string{}
	}
	if strings.HasPrefix(ctype, "multipart/") {
		if params["boundary"] == "" {
			return []segment{{text: toUTF8("", body)}}
		}
		return w.multipart(ctype, params["boundary"], body, depth)
	}
	data := decodeTransfer(h.Get("Content-Transfer-Encoding"), body)
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := fileName(dparams["filename"], params["name"])
	switch {
	case ctype == "message/delivery-status", ctype == "message/disposition-notification",
		ctype == "text/rfc822-headers", ctype == "message/feedback-report":
		return nil // the machine-readable part of a report
	case disp != "attachment" && name == "" && (ctype == "text/plain" || ctype == "text/html"):
		return []segment{{text: toUTF8(params["charset"], data), html: ctype == "text/html"}}
	}
	if len(data) == 0 {
		return nil
	}
	if name == "" {
		name = defaultName(ctype, len(w.atts)+1)
	}
	w.atts = append(w.atts, Attachment{Name: name, ContentType: ctype, Data: data})
	return nil
}

// multipart reads the parts of a multipart body. Of alternatives the plain
// text is taken when it has any, else the richest; the attachments of every
// alternative are kept (Outlook puts pasted screenshots only in the HTML
// alternative's multipart/related).
func (w *walker) multipart(ctype, boundary string, body []byte, depth int) []segment {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var out []segment
	var alts [][]segment
	for {
		p, err := mr.NextRawPart()
		if err != nil {
			break
		}
		data, err := io.ReadAll(io.LimitReader(p, MaxSize))
		if err != nil && len(data) == 0 {
			break
		}
		segs := w.entity(p.Header, data, depth+1)
		if ctype == "multipart/alternative" {
			alts = append(alts, segs)
			continue
		}
		if ctype == "multipart/related" && len(out) > 0 {
			continue // the body is the first part; the rest are its resources
		}
		out = append(out, segs...)
	}
	if ctype != "multipart/alternative" {
		return out
	}
	var best []segment
	for _, a := range alts {
		if len(a) > 0 && !hasHTML(a) && strings.TrimSpace(segments(a)) != "" {
			return a
		}
		if len(a) > 0 {
			best = a
		}
	}
	return best
}

func hasHTML(segs []segment) bool {
	for _, s := range segs {
		if s.html {
			return true
		}
	}
	return false
}

// decodeTransfer undoes base64 and quoted-printable; a damaged encoding
// yields what could be decoded up to the damage.
func decodeTransfer(enc string, body []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, body)
		out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean))+3)
		n, err := base64.StdEncoding.Decode(out, clean)
		if err != nil {
			// Try without padding, then keep what decoded.
			if m, err2 := base64.RawStdEncoding.Decode(out, bytes.TrimRight(clean, "=")); err2 == nil {
				n = m
			}
		}
		return out[:n]
	case "quoted-printable":
		out, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		return out
	}
	return body
}

// fileName picks the attachment's name from the disposition or the type,
// decoding the RFC 2047 words Outlook puts in quoted names.
func fileName(names ...string) string {
	for _, n := range names {
		if n = strings.TrimSpace(decodeHeader(n)); n != "" {
			return n
		}
	}
	return ""
}

// defaultName names an attachment that came without a name.
func defaultName(ctype string, n int) string {
	ext := ".bin"
	switch ctype {
	case "message/rfc822":
		ext = ".eml"
	case "text/plain":
		ext = ".txt"
	default:
		if exts, _ := mime.ExtensionsByType(ctype); len(exts) > 0 {
			ext = exts[0]
		}
	}
	return fmt.Sprintf("attachment-%d%s", n, ext)
}

// clip bounds the text of one message.
func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	s = s[:maxText]
	for len(s) > 0 && !isRuneStart(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return strings.ToValidUTF8(s, "")
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
