package server_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// portalBrowser is a signed-in portal session: the session's cookie and
// CSRF token, and a client that does not follow redirects, so a test sees
// them.
type portalBrowser struct {
	f      *fixture
	cookie string
	csrf   string
	client *http.Client
}

// portalLogin signs a person of the fixture in, as the login page does.
func portalLogin(f *fixture, who string) *portalBrowser {
	f.t.Helper()
	sess, err := f.st.CreateSession(context.Background(), f.ids[who])
	if err != nil {
		f.t.Fatal(err)
	}
	return &portalBrowser{f: f, cookie: sess.ID, csrf: sess.CSRF, client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *portalBrowser) send(req *http.Request) response {
	b.f.t.Helper()
	req.AddCookie(&http.Cookie{Name: "beheer_session", Value: b.cookie})
	res, err := b.client.Do(req)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, raw: string(data)}
}

// get fetches a page; extra headers come in pairs.
func (b *portalBrowser) get(p string, headers ...string) response {
	b.f.t.Helper()
	req, _ := http.NewRequest("GET", b.f.srv.URL+p, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.send(req)
}

// post sends a form with the session's CSRF token.
func (b *portalBrowser) post(p string, form url.Values) response {
	b.f.t.Helper()
	form.Set("csrf", b.csrf)
	return b.postRaw(p, form)
}

// postRaw sends a form as given, without adding a CSRF token.
func (b *portalBrowser) postRaw(p string, form url.Values) response {
	b.f.t.Helper()
	req, _ := http.NewRequest("POST", b.f.srv.URL+p, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}
