package mailin

import (
	"crypto/sha256"
	"encoding/hex"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// parsed is what the corpus test compares: the parts of a Message that
// decide what it becomes, with attachments reduced to name, type and hash.
type parsed struct {
	MessageID   string
	InReplyTo   []string
	From        Address
	Recipients  []string
	Subject     string
	Reply       string
	Attachments []file
	Auto        string
}

type file struct {
	Name, ContentType, SHA256 string
}

func project(m *Message) parsed {
	p := parsed{MessageID: m.MessageID, InReplyTo: m.InReplyTo, From: m.From, Recipients: m.Recipients,
		Subject: m.Subject, Reply: m.Reply, Auto: m.Auto}
	for _, a := range m.Attachments {
		sum := sha256.Sum256(a.Data)
		p.Attachments = append(p.Attachments, file{a.Name, a.ContentType, hex.EncodeToString(sum[:8])})
	}
	return p
}

func readCorpus(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestCorpus parses real-world-shaped mail into what a person wrote.
func TestCorpus(t *testing.T) {
	beheer := []string{"beheer@voorbeeld.nl"}
	cases := map[string]parsed{
		"outlook-reply-nl.eml": {
			MessageID: "AM0PR07MB1234ABCD@AM0PR07MB1234.eurprd07.prod.outlook.com",
			InReplyTo: []string{"beheer.outbox.7.1772615520000@voorbeeld.nl"},
			From:      Address{"Anna Jansen", "anna@voorbeeld.nl"}, Recipients: beheer,
			Subject: "RE: Bericht over uw aanvraag 2026-0001: Declaratie lukt niet",
			Reply:   "Hallo Fleur,\n\nDank je. Het werkt weer: ik kan de declaratie van maart indienen.\nGroet,\n\nAnna Jansen\nAfdeling HR",
		},
		"gmail-reply-nl.eml": {
			MessageID: "CAB1x2y3z4=gmail-nl@mail.gmail.com",
			InReplyTo: []string{"beheer.outbox.12.1772615520000@voorbeeld.nl"},
			From:      Address{"Anna Jansen", "anna@voorbeeld.nl"}, Recipients: beheer,
			Subject: "Re: Bericht over uw aanvraag 2026-0001: Declaratie lukt niet",
			Reply:   "Ja, het formulier én de bijlage zijn nu goed.\n\nMet vriendelijke groet,\nAnna",
		},
		"gmail-reply-en.eml": {
			MessageID: "CAF00gmail-en@mail.gmail.com",
			From:      Address{"Fleur de Vries", "fleur@voorbeeld.nl"}, Recipients: beheer,
			Subject: "Re: [2026-0001] Declaratie lukt niet",
			Reply:   "Thanks, I'll close it after the test on Accept.",
		},
		"apple-mail-reply.eml": {
			MessageID: "5E1A2B3C-APPLE-MAIL@voorbeeld.nl",
			InReplyTo: []string{"beheer.outbox.9.1772615520000@voorbeeld.nl"},
			From:      Address{"Anna Jansen", "anna@voorbeeld.nl"}, Recipients: beheer,
			Subject: "Re: Aanvraag 2026-0001 is nu in de fase Onderzoek: Declaratie lukt niet",
			Reply:   "Prima, ik wacht af.",
		},
		"html-only.eml": {
			MessageID: "DB9PR0HTMLONLY@DB9PR0.eurprd.prod.outlook.com",
			InReplyTo: []string{"beheer.outbox.15.1772550000000@voorbeeld.nl"},
			From:      Address{"Kees Bakker", "kees@voorbeeld.nl"}, Recipients: beheer,
			Subject: "RE: Nieuwe reactie op 2026-0002: Menu ontbreekt",
			Reply: "Goedemorgen,\nNa de update zie ik dit:\n\n- Het menu Declaraties ontbreekt\n" +
				"- Zie de handleiding (https://voorbeeld.nl/handleiding)\n\nGroet & dank,\nKees",
		},
		"attachment.eml": {
			MessageID:  "new-request-1@voorbeeld.nl",
			From:       Address{"Joël Smit", "joel@voorbeeld.nl"},
			Recipients: []string{"beheer@voorbeeld.nl", "teamleider@voorbeeld.nl"},
			Subject:    "Verlofaanvraag geeft foutmelding – urgent",
			Reply:      "Bij het indienen van verlof krijg ik een foutmelding.\nZie de schermafdruk en het pdf-bestand.",
			Attachments: []file{
				{"schermafdruk 1.png", "image/png", "c414cd0e204de974"},
				{"foutmelding verlof €.pdf", "application/pdf", "56c2ac043c28d354"},
			},
		},
		"iso-8859-1.eml": {
			MessageID: "sha256:162687b57ea01e80402bf866a566f51e92335898f6b93886eb0929a750f30ac1",
			From:      Address{"Renée Müller", "renee@voorbeeld.nl"}, Recipients: beheer,
			Subject: "Salarisstrook én jaaropgaaf",
			Reply:   "Ik zie mijn salarisstrook van februari niet. Kunt u dat nakijken? Het gaat om € 120, netto – dank.\n\nRenée",
		},
		"windows-1252.eml": {
			MessageID: "cp1252@voorbeeld.nl",
			From:      Address{"", "hr@voorbeeld.nl"}, Recipients: beheer,
			Subject:     "Nieuw account",
			Reply:       "Graag een nieuw account voor “Jan” – start 1 april.",
			Attachments: []file{{"gegevens.txt", "text/plain", "559c2141176c537c"}},
		},
		"auto-reply.eml": {
			MessageID: "autoreply-1@voorbeeld.nl",
			InReplyTo: []string{"beheer.outbox.7.1772615520000@voorbeeld.nl"},
			From:      Address{"Anna Jansen", "anna@voorbeeld.nl"}, Recipients: beheer,
			Subject: "Automatisch antwoord: Bericht over uw aanvraag 2026-0001",
			Reply:   "Ik ben tot en met 13 maart afwezig.",
			Auto:    AutoSubmitted,
		},
		"out-of-office.eml": {
			MessageID: "oof-1@voorbeeld.nl",
			From:      Address{"Kees Bakker", "kees@voorbeeld.nl"}, Recipients: beheer,
			Subject: "Afwezig: Nieuwe reactie op 2026-0002",
			Reply:   "Ik ben afwezig tot maandag. Voor dringende zaken: bel de servicedesk.",
			Auto:    AutoPrecedence,
		},
		"bounce.eml": {
			MessageID: "20260304082000.ABC12@mx.voorbeeld.nl",
			From:      Address{"Mail Delivery System", "mailer-daemon@mx.voorbeeld.nl"}, Recipients: beheer,
			Subject: "Undelivered Mail Returned to Sender",
			Reply: "This is the mail system at host mx.voorbeeld.nl.\n\nI'm sorry to have to inform you that your message could not\n" +
				"be delivered to one or more recipients.\n\n<oud-account@voorbeeld.nl>: user unknown",
			Attachments: []file{{"attachment-1.eml", "message/rfc822", "64c975354bb3674e"}},
			Auto:        AutoSubmitted,
		},
	}
	files, _ := filepath.Glob("testdata/*.eml")
	if len(files) != len(cases) {
		t.Errorf("%d corpus files, %d expectations", len(files), len(cases))
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := Parse(readCorpus(t, name))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, project(m)); diff != "" {
				t.Errorf("parsed differently (-want +got):\n%s", diff)
			}
			if !strings.Contains(m.Text, m.Reply) {
				t.Errorf("the reply is not part of the whole text:\n%s", m.Text)
			}
		})
	}
}

// TestAutoReason checks each sign of a machine-sent message on its own.
func TestAutoReason(t *testing.T) {
	cases := []struct {
		name    string
		headers map[string]string
		from    string
		want    string
	}{
		{"person", map[string]string{"Subject": "Vraag"}, "anna@voorbeeld.nl", ""},
		{"auto-submitted no", map[string]string{"Auto-Submitted": "no"}, "anna@voorbeeld.nl", ""},
		{"auto-generated", map[string]string{"Auto-Submitted": "auto-generated"}, "anna@voorbeeld.nl", AutoSubmitted},
		{"auto-replied with comment", map[string]string{"Auto-Submitted": "Auto-Replied (vacation)"}, "a@b.nl", AutoSubmitted},
		{"precedence bulk", map[string]string{"Precedence": "bulk"}, "a@b.nl", AutoPrecedence},
		{"precedence junk", map[string]string{"Precedence": "junk"}, "a@b.nl", AutoPrecedence},
		{"precedence list", map[string]string{"Precedence": "list"}, "a@b.nl", AutoPrecedence},
		{"precedence first-class", map[string]string{"Precedence": "first-class"}, "a@b.nl", ""},
		{"x-autoreply", map[string]string{"X-Autoreply": "yes"}, "a@b.nl", AutoReplyHeader},
		{"x-autorespond", map[string]string{"X-Autorespond": "Out of office"}, "a@b.nl", AutoReplyHeader},
		{"exchange suppress", map[string]string{"X-Auto-Response-Suppress": "All"}, "a@b.nl", AutoSuppress},
		{"exchange suppress oof", map[string]string{"X-Auto-Response-Suppress": "DR, OOF, AutoReply"}, "a@b.nl", AutoSuppress},
		{"null return path", map[string]string{"Return-Path": "<>"}, "a@b.nl", AutoNullSender},
		{"return path", map[string]string{"Return-Path": "<a@b.nl>"}, "a@b.nl", ""},
		{"mailer-daemon", nil, "mailer-daemon@mx.voorbeeld.nl", AutoDaemon},
		{"postmaster", nil, "postmaster@voorbeeld.nl", AutoDaemon},
		{"report", map[string]string{"Content-Type": `multipart/report; report-type=delivery-status; boundary="x"`}, "a@b.nl", AutoReport},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := textproto.MIMEHeader{}
			for k, v := range c.headers {
				h.Set(k, v)
			}
			if got := autoReason(h, c.from); got != c.want {
				t.Errorf("autoReason = %q, want %q", got, c.want)
			}
		})
	}
}

// TestTrimReply checks the quote and signature markers one by one, and
// that a person's own text is never cut.
func TestTrimReply(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Dank je.\n\nGroet, Anna", "Dank je.\n\nGroet, Anna"},
		{"english attribution", "Yes.\n\nOn Mon, 2 Mar 2026 at 10:00, Fleur <f@v.nl> wrote:\n> Is it fixed?", "Yes."},
		{"dutch gmail", "Ja.\n\nOp ma 2 mrt 2026 om 10:00 schreef Fleur <f@v.nl>:\n> Opgelost?", "Ja."},
		{"apple dutch wrapped", "Ja.\n\nOp 2 mrt 2026 om 10:00 heeft Fleur <f@v.nl> het\nvolgende geschreven:\n\n> Opgelost?", "Ja."},
		{"outlook separator", "Prima.\n\n-----Oorspronkelijk bericht-----\nVan: Beheer\nHallo", "Prima."},
		{"original message", "Fine.\n-----Original Message-----\nFrom: Beheer", "Fine."},
		{"outlook header block", "Akkoord.\n\nVan: Beheer <b@v.nl>\nVerzonden: maandag 2 maart 2026 10:00\nAan: Anna\nOnderwerp: x\n\nTekst", "Akkoord."},
		{"outlook english block", "OK.\n________________________________\nFrom: Beheer <b@v.nl>\nSent: Monday\nTo: Anna", "OK."},
		{"signature", "Klaar.\n-- \nAnna Jansen\nHR", "Klaar."},
		{"inline answer kept", "> Werkt het?\nJa.\n> En de export?\nOok.", "Ja.\nOok."},
		{"mobile signature", "Goed.\n\nVerzonden vanaf mijn iPhone", "Goed."},
		{"van in a sentence", "Van: dat weet ik niet.\nGroet", "Van: dat weet ik niet.\nGroet"},
		{"op without date", "Op kantoor schreef iemand:\nhet werkt", "Op kantoor schreef iemand:\nhet werkt"},
		{"only quote", "> Werkt het?", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := trimReply(c.in); got != c.want {
				t.Errorf("trimReply(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestHTMLText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"paragraphs", "<p>Een</p><p>Twee<br>drie</p>", "Een\n\nTwee\ndrie"},
		{"entities and spaces", "<div>a&nbsp;&amp;   b\n c</div>", "a & b c"},
		{"script and style dropped", "<style>p{}</style><script>x()</script><p>tekst</p>", "tekst"},
		{"link", `<a href="https://v.nl/x">hier</a>`, "hier (https://v.nl/x)"},
		{"link as text", `<a href="https://v.nl/x">https://v.nl/x</a>`, "https://v.nl/x"},
		{"javascript link hidden", `<a href="javascript:alert(1)">klik</a>`, "klik"},
		{"list", "<ol><li>een</li><li>twee</li></ol>", "- een\n- twee"},
		{"blockquote quoted", "<p>Ja</p><blockquote>Vraag?</blockquote>", "Ja\n\n> Vraag?"},
		{"table", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := tidy(htmlText(c.in)); got != c.want {
				t.Errorf("htmlText(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestCharsets(t *testing.T) {
	cases := []struct {
		charset string
		in      []byte
		want    string
	}{
		{"utf-8", []byte("caf\xc3\xa9"), "café"},
		{"us-ascii", []byte("plain"), "plain"},
		{"iso-8859-1", []byte("caf\xe9"), "café"},
		{"ISO-8859-1", []byte("\x80"), "€"}, // read as windows-1252
		{"windows-1252", []byte("\x93x\x94"), "“x”"},
		{"", []byte("caf\xe9"), "café"},           // unlabelled, not UTF-8
		{"utf-8", []byte("caf\xe9"), "caf\uFFFD"}, // mislabelled
		{"x-unknown", []byte("abc"), "abc"},
		{"iso-8859-15", []byte("\xa4"), "€"},
	}
	for _, c := range cases {
		if got := toUTF8(c.charset, c.in); got != c.want {
			t.Errorf("toUTF8(%q, %q) = %q, want %q", c.charset, c.in, got, c.want)
		}
	}
}

func TestParseRefusesNonMail(t *testing.T) {
	for _, in := range []string{"", "\r\n\r\n", "geen headers hier", strings.Repeat("x", 100)} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}

// TestParseWithoutMessageID derives a stable id from the bytes.
func TestParseWithoutMessageID(t *testing.T) {
	raw := []byte("From: a@b.nl\nSubject: x\n\nbody\n")
	m1, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := Parse(raw)
	m3, _ := Parse(append(raw, '!'))
	if m1.MessageID != m2.MessageID || m1.MessageID == m3.MessageID || !strings.HasPrefix(m1.MessageID, "sha256:") {
		t.Errorf("derived ids %q %q %q", m1.MessageID, m2.MessageID, m3.MessageID)
	}
}
