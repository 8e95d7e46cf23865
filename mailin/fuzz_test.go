package mailin

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to Parse, with the corpus as seeds (run in
// every go test). Parse must never panic, must return valid UTF-8, must
// keep its reply inside its text and must stay within its limits.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, name := range files {
		f.Add(readCorpus(f, filepath.Base(name)))
	}
	f.Add([]byte("Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=a\n\n--a--"))
	f.Add([]byte("Content-Type: text/html\nContent-Transfer-Encoding: base64\n\nPGI+eDwvYj4=\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw)
		if err != nil {
			return
		}
		for _, s := range []string{m.MessageID, m.Subject, m.Text, m.Reply, m.From.Name, m.From.Address, m.Auto} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q", s)
			}
		}
		if m.MessageID == "" || len(m.MessageID) > 250 {
			t.Fatalf("message id %q", m.MessageID)
		}
		if strings.ContainsAny(m.Subject, "\r\n") {
			t.Fatalf("subject with a line break %q", m.Subject)
		}
		if len(m.Text) > maxText || len(m.Attachments) > maxParts {
			t.Fatalf("limits: text %d, attachments %d", len(m.Text), len(m.Attachments))
		}
		if len(m.Reply) > len(m.Text) {
			t.Fatalf("reply longer than the text")
		}
	})
}
