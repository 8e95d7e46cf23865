package mailin

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// imapServer runs a real IMAP server (go-imap's in-memory one) on
// 127.0.0.1 with TLS, and returns its address and a TLS configuration that
// trusts it.
func imapServer(t *testing.T, user *imapmemserver.User) (string, *tls.Config) {
	t.Helper()
	web := httptest.NewTLSServer(http.NotFoundHandler()) // for its certificate for 127.0.0.1
	t.Cleanup(web.Close)
	mem := imapmemserver.New()
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps: imap.CapSet{imap.CapIMAP4rev1: {}},
	})
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: web.TLS.Certificates})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), web.Client().Transport.(*http.Transport).TLSClientConfig
}

// TestPollerIMAP fetches unseen mail from a real IMAP server: a reply
// becomes a comment, an auto-reply and junk change nothing, every handled
// message is marked \Seen, a seen message is left alone and a second copy
// of the reply is recognised.
func TestPollerIMAP(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		anna, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "anna@voorbeeld.nl", Name: "Anna"}, "")
		if err != nil {
			t.Fatal(err)
		}
		r, err := st.CreateRequest(ctx, anna.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Declaratie"})
		if err != nil {
			t.Fatal(err)
		}
		reply := "From: Anna <anna@voorbeeld.nl>\r\nTo: beheer@voorbeeld.nl\r\nSubject: Re: [" + r.Number + "] Declaratie\r\n" +
			"Message-ID: <imap-reply@voorbeeld.nl>\r\n\r\nHet werkt weer.\r\n\r\nOp ma 2 mrt 2026 om 10:00 schreef Beheer <b@v.nl>:\r\n> Lukt het?\r\n"
		user := imapmemserver.NewUser("beheer", "geheim wachtwoord")
		if err := user.Create("INBOX", nil); err != nil {
			t.Fatal(err)
		}
		add := func(raw string, flags ...imap.Flag) {
			t.Helper()
			buf := []byte(raw)
			if _, err := user.Append("INBOX", newLiteral(buf), &imap.AppendOptions{Flags: flags}); err != nil {
				t.Fatal(err)
			}
		}
		add(reply)
		add(string(readCorpus(t, "auto-reply.eml")))
		add("geen e-mail")
		seen := "From: anna@voorbeeld.nl\r\nSubject: [" + r.Number + "]\r\nMessage-ID: <seen@x>\r\n\r\nAl gelezen\r\n"
		add(seen, imap.FlagSeen)
		addr, tlsConfig := imapServer(t, user)

		u := url.URL{Scheme: "imaps", User: url.UserPassword("beheer", "geheim wachtwoord"), Host: addr, Path: "/INBOX"}
		p, err := NewPoller(u.String(), &Receiver{Store: st, Intake: "beheer@voorbeeld.nl"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		p.TLSConfig = tlsConfig
		n, err := p.Poll(ctx)
		if err != nil || n != 3 {
			t.Fatalf("first poll: %d messages, %v", n, err)
		}
		comments, _ := st.Comments(ctx, store.System, r.ID)
		if len(comments) != 1 || comments[0].Body != "Het werkt weer." || comments[0].AuthorID != anna.ID {
			t.Fatalf("comments %+v", comments)
		}
		if n, err := p.Poll(ctx); err != nil || n != 0 {
			t.Fatalf("second poll: %d messages, %v", n, err)
		}
		if unseen := unseenCount(t, addr, tlsConfig); unseen != 0 {
			t.Errorf("%d messages left unseen", unseen)
		}

		// The same reply delivered again: handled once.
		add(reply)
		if n, err := p.Poll(ctx); err != nil || n != 1 {
			t.Fatalf("third poll: %d messages, %v", n, err)
		}
		if comments, _ := st.Comments(ctx, store.System, r.ID); len(comments) != 1 {
			t.Fatalf("%d comments after a second copy", len(comments))
		}

		// A wrong password is an error, not a silent empty poll.
		u.User = url.UserPassword("beheer", "fout")
		bad, _ := NewPoller(u.String(), &Receiver{Store: st}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		bad.TLSConfig = tlsConfig
		if _, err := bad.Poll(ctx); err == nil {
			t.Error("a wrong password polled without error")
		}
	})
}

func unseenCount(t *testing.T, addr string, tlsConfig *tls.Config) int {
	t.Helper()
	c, err := imapclient.DialTLS(addr, &imapclient.Options{TLSConfig: tlsConfig})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("beheer", "geheim wachtwoord").Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return len(found.AllUIDs())
}

func TestNewPollerURL(t *testing.T) {
	r := &Receiver{}
	for _, c := range []struct {
		url, addr, tls, mailbox string
		ok                      bool
	}{
		{"imaps://u:p@mail.voorbeeld.nl/INBOX", "mail.voorbeeld.nl:993", "imaps", "INBOX", true},
		{"imap://u:p@mail.voorbeeld.nl", "mail.voorbeeld.nl:143", "starttls", "INBOX", true},
		{"imaps://u%40x.nl:p%2F@h:1993/Beheer/In", "h:1993", "imaps", "Beheer/In", true},
		{"pop3://u:p@h", "", "", "", false},
		{"imaps://h/INBOX", "", "", "", false},
	} {
		p, err := NewPoller(c.url, r, nil)
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v", c.url, err)
			continue
		}
		if c.ok && (p.addr != c.addr || p.tls != c.tls || p.mailbox != c.mailbox) {
			t.Errorf("%s: %s %s %s", c.url, p.addr, p.tls, p.mailbox)
		}
	}
	p, _ := NewPoller("imaps://u%40x.nl:p%2F@h/INBOX", r, nil)
	if p.user != "u@x.nl" || p.password != "p/" {
		t.Errorf("user %q password %q", p.user, p.password)
	}
}

// literal is a message to append.
type literal struct{ *bytes.Reader }

func newLiteral(b []byte) literal { return literal{bytes.NewReader(b)} }

// TestPollerCheck: "check now" signs in to a real IMAP server and counts
// the unread messages without marking any; a wrong password, an unknown
// folder and a closed port each say which step failed.
func TestPollerCheck(t *testing.T) {
	user := imapmemserver.NewUser("beheer", "geheim wachtwoord")
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	for i, flags := range [][]imap.Flag{nil, nil, {imap.FlagSeen}} {
		raw := []byte("From: anna@voorbeeld.nl\r\nSubject: Vraag " + string(rune('a'+i)) + "\r\n\r\nTekst\r\n")
		if _, err := user.Append("INBOX", newLiteral(raw), &imap.AppendOptions{Flags: flags}); err != nil {
			t.Fatal(err)
		}
	}
	addr, tlsConfig := imapServer(t, user)
	check := func(password, folder string) (int, error) {
		u := url.URL{Scheme: "imaps", User: url.UserPassword("beheer", password), Host: addr, Path: "/" + folder}
		p, err := NewPoller(u.String(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		p.TLSConfig = tlsConfig
		return p.Check(context.Background())
	}
	for range 2 { // checking marks nothing
		if n, err := check("geheim wachtwoord", "INBOX"); err != nil || n != 2 {
			t.Fatalf("check: %d unread, %v; want 2", n, err)
		}
	}
	for _, tc := range []struct{ password, folder, step string }{
		{"fout", "INBOX", "login"},
		{"geheim wachtwoord", "Bestaat-niet", "select"},
	} {
		_, err := check(tc.password, tc.folder)
		var ce *CheckError
		if !errors.As(err, &ce) || ce.Step != tc.step {
			t.Errorf("%s/%s: %v, want a failed %s", tc.password, tc.folder, err, tc.step)
		}
	}
	closed := &Poller{addr: "127.0.0.1:1", tls: "imaps", user: "x", password: "y", mailbox: "INBOX"}
	var ce *CheckError
	if _, err := closed.Check(context.Background()); !errors.As(err, &ce) || ce.Step != "dial" {
		t.Errorf("a closed port: %v", err)
	}
}
