package i18n

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadEmbedded(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Keys()) == 0 {
		t.Fatal("no keys")
	}
}

// requiredKeys are the keys other packages rely on.
var requiredKeys = []string{
	"error.internal", "error.not_found", "error.forbidden", "error.unauthorized", "error.conflict",
	"error.invalid", "error.precondition_required", "error.precondition_failed", "error.too_large",
	"error.rate_limited", "error.unsupported_media_type", "error.method_not_allowed",
	"field.required", "field.too_long", "field.invalid_choice", "field.unknown", "field.not_allowed",
	"field.invalid", "field.invalid_email",
	"phase.intake", "phase.investigation", "phase.execution", "phase.optimisation", "phase.closed",
	"phase.rejected", "phase.withdrawn",
	"type.question", "type.wish", "type.change", "type.incident", "type.access", "type.technical",
	"status.awaiting_triage", "status.awaiting_assignee", "status.awaiting_requester",
	"status.awaiting_decision", "status.awaiting_technical", "status.awaiting_channel", "status.done",
	"priority.low", "priority.normal", "priority.high", "priority.urgent",
	"role.user", "role.key_user", "role.functional_admin", "role.technical_admin", "role.management",
	"channel.consultancy", "channel.service_management", "channel.system_integrator", "channel.support",
	"decision.approved", "decision.rejected",
}

func TestRequiredKeys(t *testing.T) {
	c := MustLoad()
	for _, k := range requiredKeys {
		if !c.Has(k) {
			t.Errorf("missing key %q", k)
		}
	}
}

func TestSameKeysInEveryLanguage(t *testing.T) {
	c := MustLoad()
	for _, lang := range Langs() {
		var keys []string
		for k := range c.msgs[lang] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, c.Keys()) {
			t.Errorf("%s keys differ from the catalogue keys", lang)
		}
	}
}

func TestSamePlaceholdersInEveryLanguage(t *testing.T) {
	c := MustLoad()
	for _, k := range c.Keys() {
		want := placeholders(c.msgs[NL][k])
		for _, lang := range Langs() {
			if got := placeholders(c.msgs[lang][k]); !slices.Equal(got, want) {
				t.Errorf("%s: %s has placeholders %v, nl has %v", k, lang, got, want)
			}
		}
	}
}

// TestLocaleFilesCanonical keeps every file sorted by key and indented with
// two spaces, so that additions by different people merge cleanly.
func TestLocaleFilesCanonical(t *testing.T) {
	files, err := fs.Glob(locales, "locales/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("glob: %v %v", files, err)
	}
	for _, name := range files {
		data, err := fs.ReadFile(locales, name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(m); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, want.Bytes()) {
			t.Errorf("%s is not sorted by key with 2-space indent and a final newline", name)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name  string
		files fstest.MapFS
		want  string // substring of the error; "" means success
	}{
		{"merges files", fstest.MapFS{
			"locales/nl/core.json":   file(`{"a": "A"}`),
			"locales/nl/portal.json": file(`{"b": "B"}`),
			"locales/en/core.json":   file(`{"a": "A", "b": "B"}`),
		}, ""},
		{"duplicate across files", fstest.MapFS{
			"locales/nl/core.json":   file(`{"a": "A"}`),
			"locales/nl/portal.json": file(`{"a": "B"}`),
			"locales/en/core.json":   file(`{"a": "A"}`),
		}, `key "a" already defined in locales/nl/core.json`},
		{"duplicate in one file", fstest.MapFS{
			"locales/nl/core.json": file(`{"a": "A", "a": "B"}`),
			"locales/en/core.json": file(`{"a": "A"}`),
		}, `key "a" already defined`},
		{"invalid JSON", fstest.MapFS{
			"locales/nl/core.json": file(`{"a": "A",}`),
			"locales/en/core.json": file(`{"a": "A"}`),
		}, "invalid JSON"},
		{"trailing data", fstest.MapFS{
			"locales/nl/core.json": file(`{"a": "A"} {}`),
			"locales/en/core.json": file(`{"a": "A"}`),
		}, "after the closing brace"},
		{"not an object", fstest.MapFS{
			"locales/nl/core.json": file(`["a"]`),
			"locales/en/core.json": file(`{"a": "A"}`),
		}, "invalid JSON"},
		{"nested value", fstest.MapFS{
			"locales/nl/core.json": file(`{"a": {"b": "c"}}`),
			"locales/en/core.json": file(`{"a": "A"}`),
		}, "must be a string"},
		{"empty message", fstest.MapFS{
			"locales/nl/core.json": file(`{"a": " "}`),
			"locales/en/core.json": file(`{"a": "A"}`),
		}, "empty message"},
		{"key only in nl", fstest.MapFS{
			"locales/nl/core.json": file(`{"a": "A", "b": "B"}`),
			"locales/en/core.json": file(`{"a": "A"}`),
		}, "b (in nl, not in en)"},
		{"key only in en", fstest.MapFS{
			"locales/nl/core.json": file(`{"a": "A"}`),
			"locales/en/core.json": file(`{"a": "A", "c": "C"}`),
		}, "c (in en, not in nl)"},
		{"language without files", fstest.MapFS{
			"locales/nl/core.json": file(`{"a": "A"}`),
		}, `no message files for "en"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := load(tt.files)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := c.Keys(); !slices.Equal(got, []string{"a", "b"}) {
					t.Errorf("keys = %v", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestT(t *testing.T) {
	c := MustLoad()
	type phase string
	tests := []struct {
		name string
		lang Lang
		key  string
		args []any
		want string
	}{
		{"plain nl", NL, "phase.intake", nil, "Aanvraag"},
		{"plain en", EN, "phase.intake", nil, "Request"},
		{"placeholder", NL, "field.too_long", []any{"max", 200}, "Maximaal 200 tekens."},
		{"placeholder en", EN, "error.too_large", []any{"max", "10 MB"}, "The file or message is too large (maximum 10 MB)."},
		{"slice joined", NL, "field.invalid_choice", []any{"choices", []phase{"intake", "closed"}},
			"Kies een van: intake, closed."},
		{"missing value stays visible", NL, "field.too_long", nil, "Maximaal {max} tekens."},
		{"odd args ignored", NL, "field.too_long", []any{"max"}, "Maximaal {max} tekens."},
		{"unknown name ignored", NL, "field.too_long", []any{"min", 1}, "Maximaal {max} tekens."},
		{"missing key", NL, "no.such.key", nil, "[no.such.key]"},
		{"missing key with args", EN, "no.such.key", []any{"a", 1}, "[no.such.key]"},
		{"unknown language falls back to nl", Lang("de"), "priority.high", nil, "Hoog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.T(tt.lang, tt.key, tt.args...); got != tt.want {
				t.Errorf("T = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNilCatalog(t *testing.T) {
	var c *Catalog
	if got := c.T(NL, "x"); got != "[x]" {
		t.Errorf("T = %q", got)
	}
	if c.Has("x") || c.Keys() != nil {
		t.Error("nil catalogue has keys")
	}
}

func TestKeysIsACopy(t *testing.T) {
	c := MustLoad()
	k := c.Keys()
	k[0] = "changed"
	if c.Keys()[0] == "changed" {
		t.Error("Keys exposes the catalogue's slice")
	}
	if !slices.IsSorted(c.Keys()) {
		t.Error("Keys not sorted")
	}
}

func TestInterpolate(t *testing.T) {
	tests := []struct {
		msg  string
		args []any
		want string
	}{
		{"{a} en {b}", []any{"a", 1, "b", 2.5}, "1 en 2.5"},
		{"{a}{a}", []any{"a", "x"}, "xx"},
		{"no placeholders", []any{"a", 1}, "no placeholders"},
		{"{a}", []any{"a", "{b}", "b", "nope"}, "{b}"}, // values are not re-scanned
		{"{ a } {} {a-b} {a", []any{"a", 1}, "{ a } {} {a-b} {a"},
		{"{{a}}", []any{"a", 1}, "{1}"},
		{"{a}", []any{"a", []byte("hi")}, "[104 105]"},
		{"{a}", []any{"a", nil}, "<nil>"},
	}
	for _, tt := range tests {
		if got := interpolate(tt.msg, tt.args); got != tt.want {
			t.Errorf("interpolate(%q, %v) = %q, want %q", tt.msg, tt.args, got, tt.want)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	got := placeholders("{b} {a} {b} {not valid} {}")
	if want := []string{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("placeholders = %v, want %v", got, want)
	}
}
