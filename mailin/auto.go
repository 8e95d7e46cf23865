package mailin

import (
	"mime"
	"net/textproto"
	"strings"
)

// The reasons a message counts as sent by a machine.
const (
	AutoSubmitted   = "auto-submitted"           // Auto-Submitted other than "no" (RFC 3834)
	AutoPrecedence  = "precedence"               // Precedence: bulk, junk, list or auto_reply
	AutoReplyHeader = "x-autoreply"              // X-Autoreply, X-Autorespond
	AutoSuppress    = "x-auto-response-suppress" // Exchange marks its automatic mail so
	AutoNullSender  = "null-sender"              // Return-Path: <> (bounces and auto-replies)
	AutoDaemon      = "mailer-daemon"            // From MAILER-DAEMON or postmaster
	AutoReport      = "delivery-report"          // multipart/report: a bounce or receipt
)

// autoReason says why a message was sent by a machine, or "" when nothing
// says so. Answering such mail, or filing it as a request, is how mail
// loops start.
func autoReason(h textproto.MIMEHeader, from string) string {
	if v := headerWord(h.Get("Auto-Submitted")); v != "" && v != "no" {
		return AutoSubmitted
	}
	switch headerWord(h.Get("Precedence")) {
	case "bulk", "junk", "list", "auto_reply", "auto-reply":
		return AutoPrecedence
	}
	for _, key := range []string{"X-Autoreply", "X-Autorespond", "X-Auto-Reply"} {
		if v := headerWord(h.Get(key)); v != "" && v != "no" && v != "false" {
			return AutoReplyHeader
		}
	}
	if v := strings.ToLower(h.Get("X-Auto-Response-Suppress")); strings.Contains(v, "all") ||
		strings.Contains(v, "oof") || strings.Contains(v, "autoreply") {
		return AutoSuppress
	}
	for _, rp := range h.Values("Return-Path") {
		if strings.TrimSpace(rp) == "<>" || strings.TrimSpace(rp) == "" {
			return AutoNullSender
		}
	}
	local, _, _ := strings.Cut(from, "@")
	if local == "mailer-daemon" || local == "postmaster" {
		return AutoDaemon
	}
	if ct, _, _ := mime.ParseMediaType(h.Get("Content-Type")); ct == "multipart/report" {
		return AutoReport
	}
	return ""
}

// headerWord is the first word of a header value, lower case, without
// parameters or comments.
func headerWord(v string) string {
	v, _, _ = strings.Cut(v, ";")
	v, _, _ = strings.Cut(v, "(")
	return strings.ToLower(strings.TrimSpace(v))
}
