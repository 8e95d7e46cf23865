package beheer

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxFileName bounds an attachment's name in bytes.
const MaxFileName = 200

// CleanFileName makes a name safe to store and to offer as a download: no
// directories, no control or bidirectional-override characters, no leading
// dots, at most MaxFileName bytes. It returns "" when nothing usable is left.
func CleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r),
			r == '/', r == ':', r == '"', r == '<', r == '>', r == '|', r == '*', r == '?':
			continue
		}
		if b.Len()+utf8.RuneLen(r) > MaxFileName {
			break
		}
		b.WriteRune(r)
	}
	clean := strings.TrimRightFunc(strings.TrimLeftFunc(b.String(), func(r rune) bool {
		return r == '.' || unicode.IsSpace(r)
	}), unicode.IsSpace)
	if clean == "" || clean == "." || clean == ".." {
		return ""
	}
	return clean
}

// activeTypes are content types a browser would execute or render with
// script; they are refused as uploads.
var activeTypes = []string{"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml", "text/javascript"}

// CheckUpload validates an upload: the cleaned name, the type sniffed from
// its bytes, and whether the extension agrees with the content.
func CheckUpload(name string, data []byte) (cleanName, contentType string, err error) {
	var v Validation
	cleanName = CleanFileName(name)
	if cleanName == "" {
		v.Add("file", "upload.bad_name")
		return "", "", v.Err()
	}
	if len(data) == 0 {
		v.Add("file", "upload.empty")
		return "", "", v.Err()
	}
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	ext := strings.ToLower(path.Ext(cleanName))
	claimed, _, _ := mime.ParseMediaType(mime.TypeByExtension(ext))
	if isActive(sniffed) || isActive(claimed) || hasMarkup(data, sniffed) {
		v.Add("file", "upload.active_content")
		return "", "", v.Err()
	}
	if !agrees(sniffed, claimed, ext) {
		v.Add("file", "upload.type_mismatch", "ext", ext, "type", sniffed)
		return "", "", v.Err()
	}
	contentType = sniffed
	if claimed != "" && (sniffed == "application/octet-stream" || sniffed == "application/zip" || sniffed == "text/plain") {
		contentType = claimed
	}
	return cleanName, contentType, nil
}

// isActive reports a type a browser would render with script: HTML, SVG,
// JavaScript and every XML type.
func isActive(t string) bool {
	return slices.Contains(activeTypes, t) || strings.HasSuffix(t, "+xml") || strings.HasSuffix(t, "/xml")
}

// hasMarkup looks for SVG or script anywhere in text content, and at the
// start of anything else.
func hasMarkup(data []byte, sniffed string) bool {
	scan := data
	if !strings.HasPrefix(sniffed, "text/") {
		scan = data[:min(len(data), 1024)]
	}
	lower := bytes.ToLower(scan)
	return bytes.Contains(lower, []byte("<svg")) || bytes.Contains(lower, []byte("<script"))
}

// agrees reports whether an extension's type fits what the bytes are.
// Generic sniffs (octet-stream, zip, plain text) fit many extensions; a
// specific sniff must match the extension's family.
func agrees(sniffed, claimed, ext string) bool {
	if claimed == "" || claimed == sniffed {
		return true
	}
	switch sniffed {
	case "application/octet-stream":
		return !strings.HasPrefix(claimed, "image/") && claimed != "application/pdf"
	case "application/zip":
		return ext == ".zip" || strings.HasPrefix(ext, ".docx") || strings.HasPrefix(ext, ".xlsx") ||
			strings.HasPrefix(ext, ".pptx") || strings.HasPrefix(ext, ".od")
	case "text/plain":
		return strings.HasPrefix(claimed, "text/") || claimed == "application/json" || ext == ".log" || ext == ".md"
	}
	// Same family (image/jpeg for .jpg) counts as agreeing.
	sf, _, _ := strings.Cut(sniffed, "/")
	cf, _, _ := strings.Cut(claimed, "/")
	return sf == cf && sf != "application"
}

// Upload is a file as a person sent it, before it is checked.
type Upload struct {
	Name string
	Data []byte
}

// CheckAttachment checks one file to attach: its size against the limit
// max (CodeTooLarge above it), then its name and content with CheckUpload.
func CheckAttachment(name string, data []byte, max int64) (cleanName, contentType string, err error) {
	if int64(len(data)) > max {
		return "", "", Errorf(CodeTooLarge, "error.too_large", "max", FormatBytes(max))
	}
	return CheckUpload(name, data)
}

// CheckUploads checks files sent together, such as the attachments of a
// new request, with CheckAttachment. The first refused file gets a message
// on field that names it and says why, so the person knows which file to
// leave out; the caller refuses them all.
func CheckUploads(v *Validation, field string, files []Upload, max int64) {
	for _, f := range files {
		_, _, err := CheckAttachment(f.Name, f.Data, max)
		var e *Error
		if !errors.As(err, &e) {
			continue
		}
		reason := Message{Key: e.Key, Args: e.Args}
		if len(e.Fields) > 0 {
			reason = Message{Key: e.Fields[0].Key, Args: e.Fields[0].Args}
		}
		name := CleanFileName(f.Name)
		if name == "" {
			name = f.Name
		}
		v.Add(field, "upload.file_refused", "name", name, "reason", reason)
		return
	}
}

// The upload quota: how much one person may upload per day.
const (
	// DefaultUploadQuotaMB is a new organisation's quota per person per
	// day: ten files of the largest default size, more than a person sends
	// in a day of ordinary work, too little to fill the disk.
	DefaultUploadQuotaMB = 250
	// MaxUploadQuotaMB bounds the setting: 100 GB.
	MaxUploadQuotaMB = 100 << 10
	// UploadQuotaWindow is the day the quota counts: the last 24 hours,
	// the same in every time zone and without a rush at midnight.
	UploadQuotaWindow = 24 * time.Hour
)

// CheckUploadQuota refuses files that would take a person past the
// organisation's upload quota (in MB; 0 sets no limit), on field: used is
// what they uploaded in the last UploadQuotaWindow, adding what they send
// now. The message says the quota and what is left of it today.
func CheckUploadQuota(field string, quotaMB int, used, adding int64) error {
	quota := int64(quotaMB) << 20
	if quotaMB <= 0 || used+adding <= quota {
		return nil
	}
	return Invalid(field, "upload.quota_exceeded", "quota", FormatBytes(quota), "left", FormatBytes(max(quota-used, 0)))
}

// FormatBytes renders a size for messages, e.g. "25 MB".
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
