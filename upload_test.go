package beheer

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Sample file contents, each the start of a real file of its kind.
var (
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	jpegBytes = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	gifBytes  = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!")
	pdfBytes  = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	zipBytes  = []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4\xd2lZ\x01\x00\x00 \x05\x00\x00\x13\x00\x08\x02[Content_Types].xml")
	htmlBytes = []byte("<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>")
	svgBytes  = []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>`)
	xmlSVG    = []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<svg xmlns="http://www.w3.org/2000/svg"/>`)
	textBytes = []byte("Beste beheerder,\nde export loopt vast bij regel 12.\n")
	exeBytes  = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
)

// utf16le encodes s as UTF-16, little-endian, without a byte-order mark.
func utf16le(s string) []byte {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.Bytes()
}

func TestCleanFileName(t *testing.T) {
	long := strings.Repeat("a", 300) + ".pdf"
	tests := []struct {
		name string
		in   string
		want string
		bug  string
	}{
		{"plain", "offerte 2026.pdf", "offerte 2026.pdf", ""},
		{"unicode", "Überweisung €12 – juni.pdf", "Überweisung €12 – juni.pdf", ""},
		{"path_traversal", "../../etc/passwd", "passwd", ""},
		{"absolute_path", "/etc/passwd", "passwd", ""},
		{"windows_path", `C:\x\y.pdf`, "y.pdf", ""},
		{"windows_traversal", `..\..\windows\system32\cmd.exe`, "cmd.exe", ""},
		{"mixed_separators", `a/b\c/d.txt`, "d.txt", ""},
		{"trailing_slash", "map/", "map", ""},
		{"drive_letter_only", "C:file.txt", "Cfile.txt", ""},
		{"nul", "a\x00b.txt", "ab.txt", ""},
		{"newlines", "a\r\nb.txt", "ab.txt", ""},
		{"tab", "a\tb.txt", "ab.txt", ""},
		{"escape", "\x1b[31mred.txt", "[31mred.txt", ""},
		{"del", "a\x7fb.txt", "ab.txt", ""},
		{"c1_control", "a\u0085b\u009bc.txt", "abc.txt", ""},
		{"rtl_override", "factuur\u202Efdp.exe", "factuurfdp.exe", ""},
		{"ltr_override", "a\u202Db.txt", "ab.txt", ""},
		{"rtl_mark", "\u200Fx.pdf", "x.pdf", ""},
		{"bidi_isolates", "\u2066x\u2069.pdf", "x.pdf", ""},
		{"arabic_letter_mark", "a\u061Cb.pdf", "ab.pdf", ""},
		{"invalid_utf8", "a\xffb\xc0.txt", "ab.txt", ""},
		{"reserved_characters", `a:b*c?d"e<f>g|h.txt`, "abcdefgh.txt", ""},
		{"leading_dot", ".htaccess", "htaccess", ""},
		{"leading_dots", "...verborgen.txt", "verborgen.txt", ""},
		{"leading_space_then_dot", " .env", "env", ""},
		{"dot_space_dot", ". .htaccess", "htaccess", `a name starting ". ." keeps a leading space and a dot (" .htaccess"): ` +
			`dots are trimmed before spaces are, so the result starts with whitespace followed by a dot, ` +
			`and cleaning it again gives a different name ("htaccess")`},
		{"inner_dots_kept", "v1.2.3.tar.gz", "v1.2.3.tar.gz", ""},
		{"surrounding_spaces", "  rapport.docx  ", "rapport.docx", ""},
		{"empty", "", "", ""},
		{"dot", ".", "", ""},
		{"dotdot", "..", "", ""},
		{"dots", "....", "", ""},
		{"slash", "/", "", ""},
		{"backslash", `\`, "", ""},
		{"spaces", "   ", "", ""},
		{"only_controls", "\x00\x01\u202E", "", ""},
		{"dir_then_dotdot", "a/..", "", ""},
		{"long_ascii", long, strings.Repeat("a", MaxFileName), ""},
		{"exactly_max", strings.Repeat("b", MaxFileName), strings.Repeat("b", MaxFileName), ""},
		{"long_two_byte", strings.Repeat("é", 150), strings.Repeat("é", MaxFileName/2), ""},
		{"long_three_byte", strings.Repeat("€", 100), strings.Repeat("€", MaxFileName/3), ""},
		{"long_four_byte", "x" + strings.Repeat("😀", 60), "x" + strings.Repeat("😀", (MaxFileName-1)/4), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+"→"+strings.ReplaceAll(shorten(tt.want), "/", "∕"), func(t *testing.T) {
			got := CleanFileName(tt.in)
			checkCleanName(t, tt.in, got)
			verdict(t, tt.bug, got == tt.want, "CleanFileName(%q) = %q, want %q", tt.in, got, tt.want)
			verdict(t, tt.bug, CleanFileName(got) == got, "CleanFileName is not stable: %q → %q → %q", tt.in, got, CleanFileName(got))
		})
	}
}

func shorten(s string) string {
	if s == "" {
		return `""`
	}
	if utf8.RuneCountInString(s) > 20 {
		return string([]rune(s)[:20]) + "…"
	}
	return s
}

// checkCleanName asserts the promises of CleanFileName on one output.
func checkCleanName(t *testing.T, in, out string) {
	t.Helper()
	if strings.ContainsAny(out, `/\`) {
		t.Errorf("CleanFileName(%q) = %q contains a path separator", in, out)
	}
	if strings.ContainsAny(out, `:*?"<>|`) {
		t.Errorf("CleanFileName(%q) = %q contains a reserved character", in, out)
	}
	for _, r := range out {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			t.Errorf("CleanFileName(%q) = %q contains %U", in, out, r)
		}
	}
	if strings.HasPrefix(out, ".") {
		t.Errorf("CleanFileName(%q) = %q starts with a dot", in, out)
	}
	if out == "." || out == ".." {
		t.Errorf("CleanFileName(%q) = %q", in, out)
	}
	if !utf8.ValidString(out) {
		t.Errorf("CleanFileName(%q) = %q is not valid UTF-8", in, out)
	}
	if len(out) > MaxFileName {
		t.Errorf("CleanFileName(%q) is %d bytes, more than %d", in, len(out), MaxFileName)
	}
}

// activeContentTypes are the types a browser would run script in; an accepted
// upload never has one.
var activeContentTypes = []string{"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml",
	"application/xml", "text/javascript"}

func TestCheckUpload(t *testing.T) {
	docx := "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	padded := append(bytes.Repeat([]byte("regel met gewone tekst\n"), 100), []byte("<script>alert(1)</script>\n")...)
	utf16XML := utf16le(`<?xml version="1.0"?><rdf xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></rdf>`)
	tests := []struct {
		name     string
		file     string
		data     []byte
		wantName string
		wantType string // when accepted
		wantKey  string // the field key when refused
		bug      string
	}{
		{"png_as_png", "foto.png", pngBytes, "foto.png", "image/png", "", ""},
		{"png_as_PNG", "FOTO.PNG", pngBytes, "FOTO.PNG", "image/png", "", ""},
		{"png_as_jpg", "foto.jpg", pngBytes, "foto.jpg", "image/png", "", ""},
		{"jpeg_as_jpeg", "foto.jpeg", jpegBytes, "foto.jpeg", "image/jpeg", "", ""},
		{"gif_as_gif", "anim.gif", gifBytes, "anim.gif", "image/gif", "", ""},
		{"png_without_extension", "schermafdruk", pngBytes, "schermafdruk", "image/png", "", ""},
		{"pdf_as_pdf", "offerte.pdf", pdfBytes, "offerte.pdf", "application/pdf", "", ""},
		{"docx_zip", "notulen.docx", zipBytes, "notulen.docx", docx, "", ""},
		{"zip_as_zip", "export.zip", zipBytes, "export.zip", "application/zip", "", ""},
		{"text_as_txt", "log.txt", textBytes, "log.txt", "text/plain", "", ""},
		{"text_as_json", "data.json", []byte(`{"a": 1}`), "data.json", "application/json", "", ""},
		{"text_without_extension", "README", textBytes, "README", "text/plain", "", ""},
		{"cleaned_name", "../../geheim/loon.pdf", pdfBytes, "loon.pdf", "application/pdf", "", ""},

		// The extension must fit the bytes.
		{"png_as_pdf", "foto.pdf", pngBytes, "", "", "upload.type_mismatch", ""},
		{"pdf_as_png", "offerte.png", pdfBytes, "", "", "upload.type_mismatch", ""},
		{"text_as_png", "foto.png", textBytes, "", "", "upload.type_mismatch", ""},
		{"binary_as_png", "foto.png", exeBytes, "", "", "upload.type_mismatch", ""},
		{"binary_as_pdf", "offerte.pdf", exeBytes, "", "", "upload.type_mismatch", ""},
		{"zip_as_pdf", "offerte.pdf", zipBytes, "", "", "upload.type_mismatch", ""},
		{"gif_as_pdf", "offerte.pdf", gifBytes, "", "", "upload.type_mismatch", ""},

		// Anything a browser would run script in is refused.
		{"html_as_html", "pagina.html", htmlBytes, "", "", "upload.active_content", ""},
		{"html_as_txt", "pagina.txt", htmlBytes, "", "", "upload.active_content", ""},
		{"html_as_png", "foto.png", htmlBytes, "", "", "upload.active_content", ""},
		{"html_without_extension", "pagina", htmlBytes, "", "", "upload.active_content", ""},
		{"text_as_htm", "pagina.htm", textBytes, "", "", "upload.active_content", ""},
		{"text_as_HTML", "pagina.HTML", textBytes, "", "", "upload.active_content", ""},
		{"svg_as_svg", "logo.svg", svgBytes, "", "", "upload.active_content", ""},
		{"svg_as_png", "logo.png", svgBytes, "", "", "upload.active_content", ""},
		{"svg_as_txt", "logo.txt", svgBytes, "", "", "upload.active_content", ""},
		{"xml_svg_as_svg", "logo.svg", xmlSVG, "", "", "upload.active_content", ""},
		{"png_as_svg", "logo.svg", pngBytes, "", "", "upload.active_content", ""},
		{"script_in_txt", "notitie.txt", []byte("Zie hieronder <script>alert(1)</script>"), "", "", "upload.active_content", ""},
		{"SCRIPT_in_txt", "notitie.txt", []byte("tekst <ScRiPt src=//x></ScRiPt>"), "", "", "upload.active_content", ""},
		{"script_in_txt_after_2KiB", "notitie.txt", padded, "", "", "upload.active_content",
			`"<script>" in a .txt is only looked for in the first 1024 bytes; the same file with the tag further down is accepted as text/plain`},
		{"text_as_js", "app.js", []byte("console.log(1)"), "", "", "upload.active_content", ""},
		{"text_as_xml", "data.xml", []byte("gewone tekst"), "", "", "upload.active_content", ""},
		{"xml_as_txt", "data.txt", []byte(`<?xml version="1.0"?><a/>`), "", "", "upload.active_content", ""},
		{"xml_family_as_rdf", "feed.rdf", utf16XML, "", "", "upload.active_content",
			"only text/xml and application/xml are refused, not the +xml family (application/rdf+xml, atom+xml, xslt+xml…), " +
				"which browsers render as XML with XHTML script; UTF-16 XML sniffs as octet-stream and is stored as application/rdf+xml"},

		// Nothing, or no usable name.
		{"empty", "leeg.txt", []byte{}, "", "", "upload.empty", ""},
		{"nil", "leeg.txt", nil, "", "", "upload.empty", ""},
		{"no_name", "", pngBytes, "", "", "upload.bad_name", ""},
		{"name_only_dots", "..", pngBytes, "", "", "upload.bad_name", ""},
		{"name_only_slashes", "//", pngBytes, "", "", "upload.bad_name", ""},
	}
	for _, tt := range tests {
		want := "ok"
		if tt.wantKey != "" {
			want = strings.TrimPrefix(tt.wantKey, "upload.")
		}
		t.Run(tt.name+"→"+want, func(t *testing.T) {
			name, ctype, err := CheckUpload(tt.file, tt.data)
			if tt.wantKey == "" {
				if err != nil {
					t.Fatalf("CheckUpload(%q) = %v, want accepted", tt.file, err)
				}
				if name != tt.wantName {
					t.Errorf("name = %q, want %q", name, tt.wantName)
				}
				bug := ""
				if tt.wantType == docx && mime.TypeByExtension(".docx") == "" {
					bug = "the content type of .docx comes from the host's MIME tables (/etc/mime.types); without them it is application/zip"
				}
				verdict(t, bug, ctype == tt.wantType, "content type = %q, want %q", ctype, tt.wantType)
				return
			}
			got := resultOf(err)
			e, _ := err.(*Error)
			good := got.Code == CodeInvalid && e != nil && len(e.Fields) == 1 &&
				e.Fields[0].Field == "file" && e.Fields[0].Key == tt.wantKey
			verdict(t, tt.bug, good, "CheckUpload(%q) = %v (type %q), want invalid file %s", tt.file, err, ctype, tt.wantKey)
			if name != "" || ctype != "" {
				t.Errorf("refused upload still returns name %q, type %q", name, ctype)
			}
		})
	}
}

func TestCheckUploadMismatchArgs(t *testing.T) {
	_, _, err := CheckUpload("foto.pdf", pngBytes)
	e, _ := err.(*Error)
	if e == nil || len(e.Fields) != 1 {
		t.Fatalf("err = %v", err)
	}
	args := e.Fields[0].Args
	if len(args) != 4 || args[0] != "ext" || args[1] != ".pdf" || args[2] != "type" || args[3] != "image/png" {
		t.Errorf("args = %v, want [ext .pdf type image/png]", args)
	}
}

func TestFormatBytes(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{0, "0 B"}, {1023, "1023 B"}, {1024, "1 kB"}, {1 << 20, "1 MB"}, {25 << 20, "25 MB"}, {(1 << 20) - 1, "1023 kB"}} {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatBytes(tt.n); got != tt.want {
				t.Errorf("FormatBytes(%d) = %q", tt.n, got)
			}
		})
	}
}

func FuzzCleanFileName(f *testing.F) {
	for _, s := range []string{
		"", ".", "..", "...", "/", `\`, "a/b", `a\b`, "../../etc/passwd", `C:\x\y.pdf`,
		".htaccess", ". .x", " .x", "factuur\u202Efdp.exe", "\u2066x\u2069", "a\x00b", "\x1b[0m",
		"a\xffb", "\xc0\xaf", "Überweisung €.pdf", strings.Repeat("é", 150), strings.Repeat(".", 250) + "x",
		strings.Repeat("a", 199) + "€", `a:b*c?d"e<f>g|h`, "\u00a0.x", "x.\u2028",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := CleanFileName(in)
		checkCleanName(t, in, out)
	})
}

func FuzzCheckUpload(f *testing.F) {
	seeds := []struct {
		name string
		data []byte
	}{
		{"foto.png", pngBytes}, {"foto.pdf", pngBytes}, {"offerte.pdf", pdfBytes}, {"notulen.docx", zipBytes},
		{"pagina.html", htmlBytes}, {"logo.svg", svgBytes}, {"logo.png", svgBytes}, {"notitie.txt", textBytes},
		{"notitie.txt", []byte("<script>alert(1)</script>")}, {"data.xml", xmlSVG}, {"leeg.txt", nil},
		{"", pngBytes}, {"../x.gif", gifBytes}, {"a.exe", exeBytes}, {"feed.rdf", utf16le("<?xml version='1.0'?><a/>")},
		{"x", []byte("\xef\xbb\xbf<html>")}, {"y.jpg", jpegBytes},
	}
	for _, s := range seeds {
		f.Add(s.name, s.data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		clean, ctype, err := CheckUpload(name, data)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Code != CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "file" {
				t.Fatalf("CheckUpload(%q, %q) = %v, want an invalid file error", name, data, err)
			}
			if clean != "" || ctype != "" {
				t.Fatalf("refused upload returns name %q, type %q", clean, ctype)
			}
			return
		}
		if slices.Contains(activeContentTypes, ctype) {
			t.Fatalf("CheckUpload(%q, %q) accepted active content as %q", name, data, ctype)
		}
		if ctype == "" {
			t.Fatalf("CheckUpload(%q, %q) accepted without a content type", name, data)
		}
		if len(data) == 0 {
			t.Fatalf("CheckUpload(%q) accepted no data", name)
		}
		if clean == "" || clean != CleanFileName(name) {
			t.Fatalf("CheckUpload(%q) name = %q, CleanFileName gives %q", name, clean, CleanFileName(name))
		}
	})
}

// TestNewRequestCheck is the truth table of a new request with its
// attachments: a file over the limit or one CheckUpload refuses is named in
// one message on "files", beside the other fields' messages; without
// attachments Check is Validate.
func TestNewRequestCheck(t *testing.T) {
	const max = 256
	valid := NewRequest{Type: TypeQuestion, Title: "Loonstrook"}
	big := bytes.Repeat([]byte("a"), max+1)
	tests := []struct {
		name     string
		title    string
		files    []Upload
		want     result
		fileName string  // named in the message on files
		reason   Message // why
	}{
		{"no attachments", "Loonstrook", nil, allowed, "", Message{}},
		{"good attachments", "Loonstrook", []Upload{{"scherm.png", pngBytes}, {"log.txt", textBytes}}, allowed, "", Message{}},
		{"exactly the limit", "Loonstrook", []Upload{{"a.txt", big[:max]}}, allowed, "", Message{}},
		{"too large", "Loonstrook", []Upload{{"scherm.png", pngBytes}, {"groot.txt", big}}, invalid("files"), "groot.txt",
			Message{Key: "error.too_large", Args: []any{"max", "256 B"}}},
		{"active content", "Loonstrook", []Upload{{"pagina.html", htmlBytes}}, invalid("files"), "pagina.html",
			Message{Key: "upload.active_content"}},
		{"the first of two refused files", "Loonstrook", []Upload{{"leeg.txt", nil}, {"pagina.html", htmlBytes}}, invalid("files"),
			"leeg.txt", Message{Key: "upload.empty"}},
		{"a name cleaned for the message", "Loonstrook", []Upload{{"../map/pagina.html", htmlBytes}}, invalid("files"), "pagina.html",
			Message{Key: "upload.active_content"}},
		{"a field and a file", "", []Upload{{"pagina.html", htmlBytes}}, invalid("title", "files"), "pagina.html",
			Message{Key: "upload.active_content"}},
		{"a field alone", "", nil, invalid("title"), "", Message{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := valid
			n.Title, n.Attachments = tt.title, tt.files
			err := n.Check(max)
			expect(t, "", err, tt.want)
			if tt.fileName == "" {
				return
			}
			for _, f := range err.(*Error).Fields {
				if f.Field != "files" {
					continue
				}
				want := []any{"name", tt.fileName, "reason", tt.reason}
				if f.Key != "upload.file_refused" || fmt.Sprint(f.Args) != fmt.Sprint(want) {
					t.Errorf("files: %s %v, want upload.file_refused %v", f.Key, f.Args, want)
				}
			}
		})
	}
}

// TestCheckUploadQuota: files pass while what a person uploaded today
// and what they send stay within the quota, exactly at it too; past it
// they are refused on the field with the quota and what is left; a quota
// of 0 sets no limit.
func TestCheckUploadQuota(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name         string
		quotaMB      int
		used, adding int64
		left         string // "" when allowed
	}{
		{"nothing_yet", 10, 0, 4 * mb, ""},
		{"exactly_full", 10, 6 * mb, 4 * mb, ""},
		{"one_byte_over", 10, 6 * mb, 4*mb + 1, "4 MB"},
		{"over_before", 10, 11 * mb, 1, "0 B"},
		{"no_limit", 0, 900 * mb, 900 * mb, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckUploadQuota("files", tt.quotaMB, tt.used, tt.adding)
			if tt.left == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "files" || e.Fields[0].Key != "upload.quota_exceeded" {
				t.Fatalf("got %v, want upload.quota_exceeded on files", err)
			}
			if args := fmt.Sprint(e.Fields[0].Args); args != fmt.Sprint([]any{"quota", "10 MB", "left", tt.left}) {
				t.Errorf("args %s", args)
			}
		})
	}
}
