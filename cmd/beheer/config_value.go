package main

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"beheer"
	"beheer/afas"
	"beheer/notify"
	"beheer/server"
)

// value is the kind of a setting: set parses its text into the setting's
// field of Config or says, in the error, what the setting accepts. Empty
// text is the field's zero value, which the parts read as their own
// default or as off.
type value interface {
	set(s string) error
}

// text is any text.
type text struct{ p *string }

func (v text) set(s string) error { *v.p = s; return nil }

// boolean is "true" or "false" and nothing else: "1" or "yes" used to be
// read as false without a word.
type boolean struct{ p *bool }

func (v boolean) set(s string) error {
	switch s {
	case "true", "":
		*v.p = s == "true"
	case "false":
		*v.p = false
	default:
		return errors.New("want true or false")
	}
	return nil
}

// duration is a Go duration (30s, 5m, 1h) of at least min.
type duration struct {
	p   *time.Duration
	min time.Duration
}

func (v duration) set(s string) error {
	if s == "" {
		s = "0"
	}
	d, err := time.ParseDuration(s)
	switch {
	case (err != nil || d < v.min) && v.min > 0:
		return errors.New("want a duration above 0, such as 30s, 5m or 1h")
	case err != nil || d < 0:
		return errors.New("want a duration such as 30s, 5m or 1h, or 0")
	}
	*v.p = d
	return nil
}

// whole is a whole number of at least min and, when max is not 0, at
// most max; what names it in the refusal.
type whole struct {
	p        *int
	min, max int
	what     string
}

func (v whole) set(s string) error {
	if s == "" {
		*v.p = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	switch {
	case (err != nil || n < v.min || n > v.max) && v.max != 0:
		return fmt.Errorf("want %s from %d to %d", v.what, v.min, v.max)
	case err != nil || n < v.min:
		return fmt.Errorf("want %s of %d or more", v.what, v.min)
	}
	*v.p = n
	return nil
}

// rate is a number of times per second; 0 means no limit.
type rate struct{ p *float64 }

func (v rate) set(s string) error {
	if s == "" {
		*v.p = 0
		return nil
	}
	r, err := strconv.ParseFloat(s, 64)
	if err != nil || r < 0 || math.IsInf(r, 0) || math.IsNaN(r) {
		return errors.New("want a number per second, such as 100 or 2.5, or 0 for no limit")
	}
	*v.p = r
	return nil
}

// level is a log level: debug, info, warn or error (any case, with an
// optional offset such as info+2, as log/slog reads it).
type level struct{ p *slog.Level }

func (v level) set(s string) error {
	if s == "" {
		*v.p = slog.LevelInfo
		return nil
	}
	if err := v.p.UnmarshalText([]byte(s)); err != nil {
		return errors.New("want debug, info, warn or error")
	}
	return nil
}

// list is words, split by split.
type list struct {
	p     *[]string
	split func(string) []string
}

func (v list) set(s string) error { *v.p = v.split(s); return nil }

// commaOrSpace splits a list written with commas, spaces or both.
func commaOrSpace(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// networks is a list of networks in CIDR notation or single addresses.
type networks struct{ p *[]string }

func (v networks) set(s string) error {
	entries := commaOrSpace(s)
	if _, err := notify.ParseAllow(entries); err != nil {
		return errors.New("want networks such as 10.1.2.0/24 or addresses such as 10.1.2.3, separated by commas")
	}
	*v.p = entries
	return nil
}

// proxies is the list of trusted reverse proxies: networks in CIDR
// notation or single addresses.
type proxies struct{ p *server.TrustedProxies }

func (v proxies) set(s string) error {
	tp, err := server.ParseTrustedProxies(commaOrSpace(s))
	if err != nil {
		return err
	}
	*v.p = tp
	return nil
}

// checked is text that ok accepts; empty is always accepted (not set).
// want says what ok accepts.
type checked struct {
	p    *string
	ok   func(string) bool
	want string
}

func (v checked) set(s string) error {
	if s != "" && !v.ok(s) {
		return errors.New("want " + v.want)
	}
	*v.p = s
	return nil
}

// choice is one of a few words, written exactly.
func choice(p *string, of ...string) checked {
	return checked{p, func(s string) bool { return slices.Contains(of, s) }, "one of " + strings.Join(of, ", ")}
}

// hostPort is an address to listen on.
func hostPort(p *string) checked {
	return checked{p, func(s string) bool {
		_, _, err := net.SplitHostPort(s)
		return err == nil
	}, "host:port, such as 127.0.0.1:8080"}
}

// webURL is an absolute http:// or https:// URL.
func webURL(p *string) checked {
	return checked{p, func(s string) bool {
		u, err := url.Parse(s)
		return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
	}, "an absolute URL starting with https:// or http://"}
}

// publicURL is a webURL without its trailing slash, for the public
// address that links append paths to.
type publicURL struct{ p *string }

func (v publicURL) set(s string) error {
	if err := webURL(v.p).set(s); err != nil {
		return err
	}
	*v.p = strings.TrimSuffix(s, "/")
	return nil
}

// sender is an e-mail address, with or without a name ("Beheer
// <beheer@example.nl>").
func sender(p *string) checked {
	return checked{p, func(s string) bool {
		_, err := mail.ParseAddress(s)
		return err == nil
	}, "an e-mail address, such as beheer@example.nl or Beheer <beheer@example.nl>"}
}

// mailbox is a bare e-mail address, as recipients are compared with it.
func mailbox(p *string) checked {
	return checked{p, func(s string) bool {
		a, err := mail.ParseAddress(s)
		return err == nil && a.Name == "" && !strings.Contains(s, "<")
	}, "an e-mail address without a name, such as beheer@example.nl"}
}

// fields maps the AFAS connector's columns (afas.ParseFields).
type fields struct{ p *afas.Fields }

func (v fields) set(s string) error {
	f, err := afas.ParseFields(s)
	if err != nil {
		return err
	}
	*v.p = f
	return nil
}

// secretKey is 32 random bytes in base64 or hex (beheer.ParseSecretKey).
type secretKey struct{ p *string }

func (v secretKey) set(s string) error {
	if s != "" {
		if _, err := beheer.ParseSecretKey(s); err != nil {
			return err
		}
	}
	*v.p = s
	return nil
}

// hostnames is a list of host names without scheme or port, such as
// beheer.voorbeeld.nl, separated by commas.
type hostnames struct{ p *[]string }

func (v hostnames) set(s string) error {
	names := commaOrSpace(s)
	for _, n := range names {
		if !isHostname(n) {
			return errors.New("want host names such as beheer.voorbeeld.nl, separated by commas")
		}
	}
	*v.p = names
	return nil
}

// isHostname reports whether s is a DNS name of labels of letters, digits
// and hyphens (not an address, not a URL).
func isHostname(s string) bool {
	if len(s) > 253 || net.ParseIP(s) != nil {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// schedule is when backups are made: a time of day ("03:00", in the
// organisation's zone), a duration ("6h") or "off".
type schedule struct{ p *beheer.BackupSchedule }

func (v schedule) set(s string) error {
	if s == "" {
		s = "off"
	}
	sched, ok := beheer.ParseBackupSchedule(s)
	if !ok {
		return errors.New("want a time of day such as 03:00, a duration such as 6h, or off")
	}
	*v.p = sched
	return nil
}
