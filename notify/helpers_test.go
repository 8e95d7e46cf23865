package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// --- a real SMTP server in the test ---------------------------------------

// received is one message as the SMTP server got it.
type received struct {
	From  string
	Rcpts []string
	Data  []byte
}

// smtpSink is an in-process SMTP server on 127.0.0.1 that keeps every
// message; reject, when set, refuses DATA with its error.
type smtpSink struct {
	mu     sync.Mutex
	msgs   []received
	reject func(n int) error // n: how many DATA commands came before
	datas  int
	addr   *net.TCPAddr
}

func newSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	s := &smtpSink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &sinkSession{sink: s}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().(*net.TCPAddr)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *smtpSink) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

type sinkSession struct {
	sink *smtpSink
	cur  received
}

func (x *sinkSession) Reset()        { x.cur = received{} }
func (x *sinkSession) Logout() error { return nil }
func (x *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	x.cur.From = from
	return nil
}
func (x *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.cur.Rcpts = append(x.cur.Rcpts, to)
	return nil
}
func (x *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.sink.mu.Lock()
	defer x.sink.mu.Unlock()
	n := x.sink.datas
	x.sink.datas++
	if x.sink.reject != nil {
		if err := x.sink.reject(n); err != nil {
			return err
		}
	}
	x.cur.Data = b
	x.sink.msgs = append(x.sink.msgs, x.cur)
	return nil
}

// parsedMail is a received message taken apart.
type parsedMail struct {
	Header  mail.Header
	Subject string
	Text    string
	HTML    string
}

func parseMail(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse mail: %v\n%s", err, raw)
	}
	dec := new(mime.WordDecoder)
	subj, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	p := parsedMail{Header: m.Header, Subject: subj}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q, want multipart/alternative", m.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(part) // NextPart decodes quoted-printable
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			p.Text = string(body)
		case "text/html":
			p.HTML = string(body)
		}
	}
	return p
}

// --- a controllable clock and an organisation ---------------------------

type clock struct{ ms atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ms.Store(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).UnixMilli())
	return c
}
func (c *clock) Now() time.Time      { return time.UnixMilli(c.ms.Load()).UTC() }
func (c *clock) Add(d time.Duration) { c.ms.Add(d.Milliseconds()) }

// org is a small organisation on a store.
type org struct {
	st    *store.Store
	area  int64
	ids   map[string]int64
	users map[string]*beheer.User
}

func (o *org) actor(name string) *beheer.Actor { return o.users[name].Actor() }

func newOrg(t *testing.T, st *store.Store) *org {
	t.Helper()
	ctx := context.Background()
	a, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "hr", Name: "HR"})
	if err != nil {
		t.Fatal(err)
	}
	o := &org{st: st, area: a.ID, ids: map[string]int64{}, users: map[string]*beheer.User{}}
	for _, p := range []struct {
		name, lang string
		roles      []beheer.Assignment
	}{
		{"requester", "nl", nil},
		{"english", "en", nil},
		{"functional", "nl", []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin}}},
		{"functional2", "nl", []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin}}},
		{"keyuser", "nl", []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: a.ID}}},
		{"technical", "en", []beheer.Assignment{{Role: beheer.RoleTechnicalAdmin}}},
	} {
		u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: p.name + "@voorbeeld.nl",
			Name: "Persoon " + p.name, Lang: p.lang, Roles: p.roles}, "")
		if err != nil {
			t.Fatal(err)
		}
		o.ids[p.name], o.users[p.name] = u.ID, u
	}
	// The organisation of these tests sends no team alerts: each test
	// counts the mails of what it is about; team alerts have their own
	// (collab_test.go).
	off := beheer.AlertSettings{}
	for _, al := range beheer.Alerts {
		off[al] = false
	}
	if err := st.SetAreaAlerts(ctx, store.System, a.ID, off); err != nil {
		t.Fatal(err)
	}
	return o
}

// file files a request in area hr and returns it.
func (o *org) file(t *testing.T, who, title string, typ beheer.Type) *beheer.Request {
	t.Helper()
	r, err := o.st.CreateRequest(context.Background(), o.actor(who), beheer.NewRequest{Type: typ, Title: title,
		Description: "Omschrijving", AreaID: o.area})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// toOptimisation moves a request through Onderzoek and Uitvoering to
// Optimalisatie as actor.
func toOptimisation(t *testing.T, st *store.Store, actor *beheer.Actor, id int64) {
	t.Helper()
	for _, to := range []beheer.Phase{beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation} {
		if _, err := st.Transition(context.Background(), actor, id, 0, beheer.Transition{To: to}); err != nil {
			t.Fatal(err)
		}
	}
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// workersFor builds workers that mail to sink.
func workersFor(t *testing.T, st *store.Store, sink *smtpSink) *Workers {
	t.Helper()
	cfg := Config{From: "Beheer <beheer@voorbeeld.nl>", BaseURL: "https://beheer.voorbeeld.nl", TLS: "none",
		WebhookAllow: []string{"127.0.0.1/32"}, Lease: time.Minute}
	if sink != nil {
		cfg.SMTPHost, cfg.SMTPPort = "127.0.0.1", sink.addr.Port
	}
	w, err := New(st, cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// drain runs the event worker and the mailer until neither has work.
func drain(t *testing.T, w *Workers) {
	t.Helper()
	ctx := context.Background()
	for range 50 {
		n, err := w.Notifier.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := 0
		if w.cfg.MailEnabled() {
			if m, err = w.Mailer.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n == 0 && m == 0 {
			return
		}
	}
	t.Fatal("workers did not settle")
}

func to(m received) string { return strings.Join(m.Rcpts, ",") }
