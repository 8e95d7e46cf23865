package beheer

import (
	"fmt"
	"strings"
	"testing"
)

// TestMailOutcomes: every outcome is known; only a comment, files or a
// request count as accepted.
func TestMailOutcomes(t *testing.T) {
	accepted := map[MailOutcome]bool{MailComment: true, MailAttachment: true, MailRequest: true}
	for _, o := range MailOutcomes {
		t.Run(fmt.Sprintf("%s/accepted=%v", o, accepted[o]), func(t *testing.T) {
			if !o.Valid() {
				t.Error("not valid")
			}
			if got := (&MailResult{Outcome: o}).Accepted(); got != accepted[o] {
				t.Errorf("Accepted = %v", got)
			}
		})
	}
	for _, o := range []MailOutcome{"", "pending", "Comment"} {
		if o.Valid() || o.Accepted() {
			t.Errorf("%q is valid or accepted", o)
		}
	}
}

func TestInboundMailValidate(t *testing.T) {
	tests := []struct {
		name, id, from string
		wantID, wantFr string
		want           result
	}{
		{"trimmed_and_lowered", " <abc@x.nl> ", " Anna@Voorbeeld.NL ", "<abc@x.nl>", "anna@voorbeeld.nl", allowed},
		{"no_sender_is_for_later", "abc@x.nl", "", "abc@x.nl", "", allowed},
		{"no_message_id", "  ", "anna@voorbeeld.nl", "", "anna@voorbeeld.nl", result{Code: CodeInvalid, Key: "mailin.malformed"}},
		{"longest_message_id", strings.Repeat("a", MaxMessageID), "", strings.Repeat("a", MaxMessageID), "", allowed},
		{"message_id_too_long", strings.Repeat("a", MaxMessageID+1), "", strings.Repeat("a", MaxMessageID+1), "",
			result{Code: CodeInvalid, Key: "mailin.malformed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+outcomeName(tt.want), func(t *testing.T) {
			in := InboundMail{MessageID: tt.id, From: tt.from}
			expect(t, "", in.Validate(), tt.want)
			if in.MessageID != tt.wantID || in.From != tt.wantFr {
				t.Errorf("normalised to %q, %q", in.MessageID, in.From)
			}
		})
	}
}

// TestInboundMailSubject: a request number and the internal marker are
// read from the subject.
func TestInboundMailSubject(t *testing.T) {
	tests := []struct {
		subject  string
		number   string
		internal bool
	}{
		{"Re: [Beheer] 2026-0042 Verlof", "2026-0042", false},
		{"2026-004213", "2026-004213", false},
		{"Aanvraag (2026-0042)", "2026-0042", false},
		{"[intern] 2026-0042", "2026-0042", true},
		{"RE: [Internal] vraag", "", true},
		{"Factuur 12026-0042", "", false}, // part of a longer number
		{"Periode 2026-01-31", "", false}, // a date
		{"Nummer 2026-042", "", false},    // too few digits
		{"Nummer 2026-0042-1", "", false}, // more dashes follow
		{"intern overleg", "", false},     // only with brackets
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.subject), func(t *testing.T) {
			in := InboundMail{Subject: tt.subject}
			if got := in.RequestNumber(); got != tt.number {
				t.Errorf("RequestNumber = %q, want %q", got, tt.number)
			}
			if got := in.AsksInternal(); got != tt.internal {
				t.Errorf("AsksInternal = %v, want %v", got, tt.internal)
			}
		})
	}
}

// TestInboundMailNewRequest: what a message to the intake address files.
func TestInboundMailNewRequest(t *testing.T) {
	files := []InboundFile{{Name: "scherm.png"}}
	long := strings.Repeat("x", MaxTitle+10)
	tests := []struct {
		name  string
		in    InboundMail
		title string
		desc  string
		ok    bool
	}{
		{"subject", InboundMail{Subject: "Export werkt niet", Text: "  De lijst is leeg.\n"}, "Export werkt niet", "De lijst is leeg.", true},
		{"reply_prefixes_go", InboundMail{Subject: "Re: Fwd: AW: Doorst: Export", Text: "x"}, "Export", "x", true},
		{"numbered_prefix_goes", InboundMail{Subject: "RE[2]: Export"}, "Export", "", true},
		{"prefix_inside_stays", InboundMail{Subject: "Vraag re: export"}, "Vraag re: export", "", true},
		{"first_line_without_subject", InboundMail{Subject: "Re: ", Text: "Eerste regel\ntweede regel"}, "Eerste regel", "Eerste regel\ntweede regel", true},
		{"file_name_without_text", InboundMail{Files: files}, "scherm.png", "", true},
		{"long_subject_clipped", InboundMail{Subject: long}, strings.Repeat("x", MaxTitle-1) + "…", "", true},
		{"nothing", InboundMail{Subject: "Fwd:", Text: " \n "}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/ok=%v", tt.name, tt.ok), func(t *testing.T) {
			n, ok := tt.in.NewRequest()
			if ok != tt.ok || n.Title != tt.title || n.Description != tt.desc {
				t.Errorf("NewRequest = %+v, %v; want %q, %q, %v", n, ok, tt.title, tt.desc, tt.ok)
			}
			if ok && n.Type != TypeQuestion {
				t.Errorf("type %q", n.Type)
			}
		})
	}
}

func TestInboundMailCommentBody(t *testing.T) {
	for _, tt := range []struct{ reply, want string }{
		{"  Dank je!\n", "Dank je!"},
		{"", ""},
		{strings.Repeat("é", MaxComment+1), strings.Repeat("é", MaxComment-1) + "…"},
	} {
		if got := (&InboundMail{Reply: tt.reply}).CommentBody(); got != tt.want {
			t.Errorf("CommentBody(%.20q) = %.20q, want %.20q", tt.reply, got, tt.want)
		}
	}
}

func TestClipText(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"kort", 10, "kort"},
		{"precies10!", 10, "precies10!"},
		{"één twee drie", 5, "één…"}, // characters, not bytes; no space before the ellipsis
		{"abcdefghijk", 10, "abcdefghi…"},
	} {
		if got := ClipText(tt.in, tt.max); got != tt.want {
			t.Errorf("ClipText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestParseOutboxMessageID(t *testing.T) {
	for _, c := range []struct {
		in      string
		row, ms int64
		ok      bool
	}{
		{"beheer.outbox.7.1772615520000@voorbeeld.nl", 7, 1772615520000, true},
		{"<beheer.outbox.12.1@x>", 12, 1, true},
		{"beheer.outbox.x.1@x", 0, 0, false},
		{"CAB123@mail.gmail.com", 0, 0, false},
		{"beheer.outbox.99999999999999999999.1@x", 0, 0, false},
	} {
		row, ms, ok := ParseOutboxMessageID(c.in)
		if row != c.row || ms != c.ms || ok != c.ok {
			t.Errorf("ParseOutboxMessageID(%q) = %d, %d, %v", c.in, row, ms, ok)
		}
	}
}

// TestMailResultRefuse: a refusal names the rule's message; a request the
// sender may not see is not named.
func TestMailResultRefuse(t *testing.T) {
	fieldErr := Invalid("body", "field.invalid")
	tests := []struct {
		name    string
		outcome MailOutcome
		err     *Error
		reason  string
		named   bool
	}{
		{"forbidden_keeps_the_request", MailRefusedForbidden, ErrForbidden("comment.internal_forbidden"), "comment.internal_forbidden", true},
		{"not_found_hides_the_request", MailRefusedForbidden, ErrNotFound(), "error.not_found", false},
		{"invalid_names_the_field_message", MailRefusedInvalid, fieldErr, "field.invalid", true},
		{"not_found_on_invalid_keeps_it", MailRefusedInvalid, ErrNotFound(), "error.not_found", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := MailResult{Outcome: MailComment, RequestID: 7, Number: "2026-0007", CommentID: 3}
			r.Refuse(tt.outcome, tt.err)
			if r.Outcome != tt.outcome || r.Reason != tt.reason || r.CommentID != 0 {
				t.Errorf("result %+v", r)
			}
			if named := r.RequestID == 7 && r.Number == "2026-0007"; named != tt.named {
				t.Errorf("request named = %v, want %v (%+v)", named, tt.named, r)
			}
		})
	}
}

// TestMailResultFiles: refused files are listed with a clean name; files
// alone all refused refuse the message, for the first file's reason.
func TestMailResultFiles(t *testing.T) {
	tests := []struct {
		name    string
		outcome MailOutcome
		sent    int
		refused int
		want    MailOutcome
	}{
		{"files_only_all_refused", MailAttachment, 2, 2, MailRefusedForbidden},
		{"files_only_some_refused", MailAttachment, 2, 1, MailAttachment},
		{"comment_with_all_files_refused", MailComment, 1, 1, MailComment},
		{"request_with_all_files_refused", MailRequest, 1, 1, MailRequest},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.name, tt.want), func(t *testing.T) {
			r := MailResult{Outcome: tt.outcome}
			for i := range tt.refused {
				r.Skip(fmt.Sprintf("../map/bestand%d.exe", i), Invalid("file", fmt.Sprintf("attachment.refused_%d", i)))
			}
			r.CheckFiles(tt.sent)
			if r.Outcome != tt.want {
				t.Errorf("outcome %q", r.Outcome)
			}
			if tt.want == MailRefusedForbidden && r.Reason != "attachment.refused_0" {
				t.Errorf("reason %q", r.Reason)
			}
			if len(r.Skipped) != tt.refused || (tt.refused > 0 && r.Skipped[0].Name != CleanFileName("../map/bestand0.exe")) {
				t.Errorf("skipped %+v", r.Skipped)
			}
		})
	}
}

func TestMailLogFilterValidate(t *testing.T) {
	for _, tt := range []struct {
		outcome MailOutcome
		want    result
	}{
		{"", allowed},
		{MailRefusedUnknown, allowed},
		{"pending", invalid("outcome")},
	} {
		t.Run(string(tt.outcome)+"/"+outcomeName(tt.want), func(t *testing.T) {
			expect(t, "", MailLogFilter{Outcome: tt.outcome}.Validate(), tt.want)
		})
	}
}
