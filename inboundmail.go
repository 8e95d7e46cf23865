package beheer

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Incoming mail: package mailin parses a received message into an
// InboundMail; the store decides what it becomes, by the rules of this
// file and of comments and requests, and writes it once, with a row in the
// log of incoming mail.

// MailOutcome is what became of a received message.
type MailOutcome string

// The outcomes of an incoming message.
const (
	MailComment          MailOutcome = "comment"           // a comment on the request it answers
	MailAttachment       MailOutcome = "attachment"        // an answer with files and no text: the files only
	MailRequest          MailOutcome = "request"           // a new request
	MailIgnoredAuto      MailOutcome = "ignored_auto"      // an auto-reply, bounce or bulk mail: nothing happens
	MailRefusedUnknown   MailOutcome = "refused_unknown"   // the sender is no active user
	MailRefusedForbidden MailOutcome = "refused_forbidden" // the sender may not do what the message would do
	MailRefusedUnmatched MailOutcome = "refused_unmatched" // no answer to Beheer's mail and not sent to the intake address
	MailRefusedEmpty     MailOutcome = "refused_empty"     // neither text nor files
	MailRefusedInvalid   MailOutcome = "refused_invalid"   // the text breaks a rule (for example control characters)
)

// MailOutcomes are the outcomes a message can have, in the order the log's
// filter offers them.
var MailOutcomes = []MailOutcome{MailComment, MailAttachment, MailRequest, MailIgnoredAuto, MailRefusedUnknown,
	MailRefusedForbidden, MailRefusedUnmatched, MailRefusedEmpty, MailRefusedInvalid}

// Valid reports whether o is a known outcome.
func (o MailOutcome) Valid() bool { return slices.Contains(MailOutcomes, o) }

// Accepted reports whether a message with this outcome became a comment,
// files or a request: anything else changed nothing but the log.
func (o MailOutcome) Accepted() bool {
	return o == MailComment || o == MailAttachment || o == MailRequest
}

// MaxMessageID bounds a Message-ID; a longer one is no message Beheer
// handles.
const MaxMessageID = 500

// InboundMail is a received message as the store needs it.
type InboundMail struct {
	MessageID string
	From      string // the sender's address
	Subject   string
	// Text is the whole text (for a new request); Reply the part above the
	// quoted message (for a comment).
	Text  string
	Reply string
	// References are the message ids the message answers, In-Reply-To
	// first.
	References []string
	// ToIntake is set when the message was sent to the intake address.
	ToIntake bool
	// Auto is why the message was sent by a machine; such a message changes
	// nothing.
	Auto  string
	Files []InboundFile
}

// InboundFile is an attachment of a received message.
type InboundFile struct {
	Name string
	Data []byte
}

// Validate normalises the message id and the sender (whose address is
// compared without case) and refuses a message without a usable id: it
// could not be handled exactly once.
func (in *InboundMail) Validate() error {
	in.MessageID = strings.TrimSpace(in.MessageID)
	in.From = strings.ToLower(strings.TrimSpace(in.From))
	if in.MessageID == "" || len(in.MessageID) > MaxMessageID {
		return Errorf(CodeInvalid, "mailin.malformed")
	}
	return nil
}

// internalMarker in a subject asks for an internal note.
var internalMarker = regexp.MustCompile(`(?i)\[(intern|internal)\]`)

// AsksInternal reports whether the subject asks for an internal note
// ("[intern]" or "[internal]", any case).
func (in *InboundMail) AsksInternal() bool { return internalMarker.MatchString(in.Subject) }

// requestNumber finds a request number such as 2026-0042 in a subject.
var requestNumber = regexp.MustCompile(`(?:^|[^\d-])(\d{4}-\d{4,6})(?:$|[^\d-])`)

// RequestNumber is the request number the subject names (such as
// 2026-0042, not part of a longer run of digits and dashes), or "".
func (in *InboundMail) RequestNumber() string {
	if m := requestNumber.FindStringSubmatch(in.Subject); m != nil {
		return m[1]
	}
	return ""
}

// CommentBody is the reply as a comment: the text above the quoted
// message, cut to the longest comment.
func (in *InboundMail) CommentBody() string {
	return ClipText(strings.TrimSpace(in.Reply), MaxComment)
}

// replyPrefix matches the "Re:", "Antw:", "Fwd:" and "Doorst:" that mail
// clients put before a subject.
var replyPrefix = regexp.MustCompile(`(?i)^\s*((re|aw|antw|antwoord|fw|fwd|tr|wg|doorst|doorgestuurd|sv|vs)(\[\d+\])?\s*:\s*)+`)

// NewRequest is the request a message to the intake address files: a
// question (the functional admin classifies it at triage) titled by the
// subject without its Re:/Fwd:, else by the first line of the text, else by
// the first file's name; the text is its description. ok is false for a
// message with neither a title nor files: it files nothing.
func (in *InboundMail) NewRequest() (n NewRequest, ok bool) {
	title := strings.TrimSpace(replyPrefix.ReplaceAllString(in.Subject, ""))
	text := strings.TrimSpace(in.Text)
	if title == "" {
		title, _, _ = strings.Cut(text, "\n")
	}
	title = ClipText(strings.TrimSpace(OneLine(title)), MaxTitle)
	if title == "" && len(in.Files) == 0 {
		return NewRequest{}, false
	}
	if title == "" {
		title = ClipText(OneLine(in.Files[0].Name), MaxTitle)
	}
	return NewRequest{Type: TypeQuestion, Title: title, Description: ClipText(text, MaxDescription)}, true
}

// ClipText cuts s to at most max characters, the last an ellipsis, for
// text that must fit whatever a sender wrote.
func ClipText(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// outboxMessageID matches the Message-ID of Beheer's own mail (see
// notify.MessageID): beheer.outbox.<row id>.<created, Unix ms>@domain.
var outboxMessageID = regexp.MustCompile(`^beheer\.outbox\.(\d{1,18})\.(\d{1,18})@`)

// ParseOutboxMessageID reads the outbox row id and its creation time (Unix
// milliseconds) from the Message-ID of a mail Beheer sent, so a reply finds
// the request the mail was about.
func ParseOutboxMessageID(id string) (row, createdMS int64, ok bool) {
	m := outboxMessageID.FindStringSubmatch(strings.Trim(id, "<>"))
	if m == nil {
		return 0, 0, false
	}
	row, err1 := strconv.ParseInt(m[1], 10, 64)
	createdMS, err2 := strconv.ParseInt(m[2], 10, 64)
	return row, createdMS, err1 == nil && err2 == nil
}

// MailResult says what became of a received message.
type MailResult struct {
	Outcome   MailOutcome `json:"outcome"`
	RequestID int64       `json:"request_id,omitempty"`
	Number    string      `json:"number,omitempty"`
	CommentID int64       `json:"comment_id,omitempty"`
	// Reason is the catalogue key (or the loop reason) behind a refusal.
	Reason string `json:"reason,omitempty"`
	// Duplicate is set when the message had been handled before; the
	// outcome is the one it had then.
	Duplicate bool `json:"duplicate,omitempty"`
	// Skipped lists the attachments that were not stored, with why.
	Skipped []SkippedFile `json:"skipped,omitempty"`
}

// SkippedFile is an attachment that was refused.
type SkippedFile struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Accepted reports whether the message became a comment, files or a
// request.
func (r *MailResult) Accepted() bool { return r.Outcome.Accepted() }

// Refuse records a rule's refusal as the outcome, with the most telling
// message as the reason. A request the sender may not see (not found) is
// not named: the result does not tell which request it was.
func (r *MailResult) Refuse(outcome MailOutcome, e *Error) {
	r.Outcome, r.Reason = outcome, refusalKey(e)
	r.CommentID = 0
	if outcome == MailRefusedForbidden && e.Code == CodeNotFound {
		r.RequestID, r.Number = 0, ""
	}
}

// Skip lists an attachment the rules refused; the rest of the message
// still counts.
func (r *MailResult) Skip(name string, e *Error) {
	r.Skipped = append(r.Skipped, SkippedFile{Name: CleanFileName(name), Reason: refusalKey(e)})
}

// CheckFiles settles a message of files only once its sent files are
// handled: when every one was refused, so is the message, for the first
// file's reason.
func (r *MailResult) CheckFiles(sent int) {
	if r.Outcome == MailAttachment && sent > 0 && len(r.Skipped) == sent {
		r.Outcome, r.Reason = MailRefusedForbidden, r.Skipped[0].Reason
	}
}

// refusalKey is the most telling catalogue key of a refusal: the first
// field's message, else the error's own.
func refusalKey(e *Error) string {
	if len(e.Fields) > 0 {
		return e.Fields[0].Key
	}
	return e.Key
}

// MailLogEntry is one received message in the log of incoming mail.
type MailLogEntry struct {
	ID         int64       `json:"id"`
	MessageID  string      `json:"message_id"`
	Sender     string      `json:"sender"`
	Subject    string      `json:"subject"`
	ReceivedAt time.Time   `json:"received_at"`
	Outcome    MailOutcome `json:"outcome"`
	Reason     string      `json:"reason,omitempty"`
	// UserID and UserName are the known sender's.
	UserID   int64  `json:"user_id,omitempty"`
	UserName string `json:"user_name,omitempty"`
	// RequestID and Number are the request the message became or answered.
	RequestID int64  `json:"request_id,omitempty"`
	Number    string `json:"number,omitempty"`
	CommentID int64  `json:"comment_id,omitempty"`
}

// MailLogFilter selects a page of the log.
type MailLogFilter struct {
	Outcome MailOutcome // one of MailOutcomes; "" for all
	Limit   int         // 1..the store's MaxLimit; 0 is its default
	Cursor  string      // from a previous MailLogPage
}

// Validate checks the outcome asked for; the store checks the page.
func (f MailLogFilter) Validate() error {
	if f.Outcome != "" && !f.Outcome.Valid() {
		return Invalid("outcome", "field.invalid_choice", "choices", joinCodes(MailOutcomes))
	}
	return nil
}

// MailLogPage is one page of the log with the cursor of the next.
type MailLogPage struct {
	Items      []MailLogEntry
	NextCursor string
}

// PersonMail is a message a person sent to Beheer, for their data export.
type PersonMail struct {
	MessageID  string      `json:"message_id"`
	ReceivedAt time.Time   `json:"received_at"`
	Subject    string      `json:"subject"`
	Outcome    MailOutcome `json:"outcome"`
	Number     string      `json:"number,omitempty"`
}
