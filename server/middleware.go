package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"beheer"
)

type ctxKey int

const requestIDKey ctxKey = iota

// requestID returns the id given to the HTTP request for the logs.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// statusWriter remembers the status code for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware wraps every response: a request id, security headers, a
// recovered panic answered as an internal error, and one log line.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := randomID()[:16]
		addr, _ := s.cfg.TrustedProxies.client(r)
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		r = r.WithContext(beheer.WithOrigin(ctx, beheer.Origin{RequestID: id, Address: addr.String()}))
		sw := &statusWriter{ResponseWriter: w}
		securityHeaders(sw.Header())
		if s.cfg.HTTPS {
			sw.Header().Set("Strict-Transport-Security", hsts)
		}
		sw.Header().Set("X-Request-Id", id)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "request_id", id, "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.problem(sw, r, errInternal)
				}
			}
			s.cfg.Metrics.ObserveHTTP(r.Pattern, sw.status, time.Since(start))
			level := slog.LevelDebug // every request at debug; slow and failed ones always
			if d := time.Since(start); d > time.Second {
				level = slog.LevelWarn
			}
			if sw.status >= 500 {
				level = slog.LevelError
			}
			s.log.LogAttrs(r.Context(), level, "http",
				slog.String("request_id", id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", sw.status), slog.Duration("duration", time.Since(start)))
		}()
		next.ServeHTTP(sw, r)
	})
}

// securityHeaders are sent on every response.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
}

// hsts tells browsers to reach this host over https only, for two years
// (the length browsers' preload lists ask for), subdomains included: a
// host under Beheer's name has no business speaking plain http either.
const hsts = "max-age=63072000; includeSubDomains"

// randomID returns 32 random bytes, hex-encoded.
func randomID() string {
	var b [32]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
