package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"beheer/demo"
	"beheer/i18n"
	"beheer/server"
	"beheer/store"
)

// benchRequests is the size of the demo data the page benchmarks run on.
const benchRequests = 50_000

var (
	benchOnce    sync.Once
	benchHandler http.Handler
	benchCookie  string
	benchToken   string
	benchErr     error
)

// benchServer returns the server on a SQLite file holding the demo
// organisation and benchRequests requests, with a functional admin's
// session cookie and API token. It is built once per test binary.
func benchServer(b *testing.B) (http.Handler, string, string) {
	b.Helper()
	benchOnce.Do(func() {
		ctx := context.Background()
		dir, err := os.MkdirTemp("", "beheer-bench-")
		if err != nil {
			benchErr = err
			return
		}
		cleanups = append(cleanups, func() { os.RemoveAll(dir) })
		st, err := store.Open(ctx, filepath.Join(dir, "beheer.db"), store.Options{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			benchErr = err
			return
		}
		cleanups = append(cleanups, func() { st.Close() })
		logins, err := demo.Load(ctx, st, demo.Options{Requests: benchRequests, Seed: 13})
		if err != nil {
			benchErr = err
			return
		}
		// Every open request's deadline, as the running portal keeps it, so
		// the queue's rows carry their due badges.
		if _, err := st.SLASweep(ctx); err != nil {
			benchErr = err
			return
		}
		for _, l := range logins {
			if l.Role != "Functioneel beheerder" {
				continue
			}
			u, _, err := st.UserByEmail(ctx, l.Email)
			if err != nil {
				benchErr = err
				return
			}
			sess, err := st.CreateSession(ctx, u.ID)
			if err != nil {
				benchErr = err
				return
			}
			benchCookie = sess.ID
			if benchToken, benchErr = st.CreateToken(ctx, u.ID, "bench"); benchErr != nil {
				return
			}
		}
		benchHandler = server.New(st, i18n.MustLoad(), slog.New(slog.DiscardHandler), server.Config{})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchHandler, benchCookie, benchToken
}

// benchGet serves one GET through the handler and checks the status.
func benchGet(b *testing.B, h http.Handler, path, cookie, token string, header ...string) {
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "beheer_session", Value: cookie})
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %.300s", path, rec.Code, rec.Body.String())
	}
	io.Copy(io.Discard, rec.Body)
}

// BenchmarkQueuePage renders the functional admin's work queue as HTML:
// the whole page, and the table alone as htmx asks for it.
func BenchmarkQueuePage(b *testing.B) {
	h, cookie, _ := benchServer(b)
	for name, path := range map[string]string{
		"page":          "/queue?phase=investigation",
		"page default":  "/queue",
		"htmx sorted":   "/queue?phase=execution&sort=priority",
		"text search":   "/queue?q=declaratie",
		"area and type": "/queue?area=hr&type=incident&sort=updated",
		"time left":     "/queue?sort=due",
		"late":          "/queue?due=late&sort=due",
	} {
		var header []string
		if name == "htmx sorted" {
			header = []string{"HX-Request", "true", "HX-Target", "queue-results"}
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				benchGet(b, h, path, cookie, "", header...)
			}
		})
	}
}

// BenchmarkRequestPage renders one request's page with its timeline.
func BenchmarkRequestPage(b *testing.B) {
	h, cookie, _ := benchServer(b)
	i := 0
	for b.Loop() {
		i++
		benchGet(b, h, "/requests/"+strconv.Itoa(1+i%benchRequests), cookie, "")
	}
}

// BenchmarkAPIList answers the API's filtered, sorted list page.
func BenchmarkAPIList(b *testing.B) {
	h, _, token := benchServer(b)
	for b.Loop() {
		benchGet(b, h, "/api/v1/requests?phase=investigation&sort=updated&limit=25", "", token)
	}
}
