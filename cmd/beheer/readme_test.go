package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"beheer/i18n"
)

var update = flag.Bool("update", false, "rewrite the README's table of settings from the declaration")

// The README's table of settings sits between these lines.
const (
	tableStart = "<!-- instellingen: gemaakt uit cmd/beheer/config.go; bijwerken met go test ./cmd/beheer -run TestREADMESettings -update -->\n"
	tableEnd   = "<!-- /instellingen -->\n"
)

// readmePath is the repository's README, seen from this package.
var readmePath = filepath.Join("..", "..", "README.md")

// settingsTable is the README's table of every setting, in Dutch.
func settingsTable(cat *i18n.Catalog) string {
	code := func(s string) string {
		if s == "" {
			return ""
		}
		return "`" + s + "`"
	}
	var b strings.Builder
	b.WriteString("| vlag | variabele | standaard | opdracht | betekenis |\n|---|---|---|---|---|\n")
	for _, s := range settings(new(Config)) {
		commands := "alle"
		if s.only != nil {
			var cs []string
			for _, c := range s.only {
				cs = append(cs, code(c))
			}
			commands = strings.Join(cs, ", ")
		}
		desc := strings.ReplaceAll(cat.T(i18n.NL, s.key()), "|", `\|`)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", code(s.flagName()), code(s.env), code(s.def), commands, desc)
	}
	return b.String()
}

// TestREADMESettings: the README lists exactly the declared settings, as
// the declaration says; -update writes the table.
func TestREADMESettings(t *testing.T) {
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	before, rest, ok := strings.Cut(readme, tableStart)
	table, after, ok2 := strings.Cut(rest, tableEnd)
	if !ok || !ok2 {
		t.Fatalf("the README has no table of settings between\n%s%s", tableStart, tableEnd)
	}
	want := settingsTable(i18n.MustLoad())
	if table == want {
		return
	}
	if *update {
		if err := os.WriteFile(readmePath, []byte(before+tableStart+want+tableEnd+after), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the README's table of settings differs from cmd/beheer/config.go; run\n"+
		"  go test ./cmd/beheer -run TestREADMESettings -update\nwant:\n%s", want)
}

// variable is a name of a setting in the environment, or a family of
// them (BEHEER_SMTP_*).
var variable = regexp.MustCompile(`BEHEER_[A-Z0-9_]*[A-Z0-9](_\*)?`)

// testOnly are variables read by tests, not by the program.
var testOnly = []string{"BEHEER_CRASH_ROUNDS"}

// TestSettingsReadInOnePlace: outside config.go no Go code of the program
// reads the environment, and every BEHEER_ variable that code or the
// README names is a declared setting (so none is read somewhere else or
// documented but gone).
func TestSettingsReadInOnePlace(t *testing.T) {
	declared := map[string]bool{}
	for _, s := range settings(new(Config)) {
		declared[s.env] = true
		for i, r := range s.env {
			if r == '_' {
				declared[s.env[:i+1]+"*"] = true
			}
		}
	}
	reads := regexp.MustCompile(`(?i)\b(getenv|lookupenv|environ)\(`)
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		for _, m := range reads.FindAllString(string(src), -1) {
			if !isEnvReader(filepath.ToSlash(rel), m) {
				t.Errorf("%s reads the environment (%s); settings are read in cmd/beheer/config.go", rel, m)
			}
		}
		for _, v := range variable.FindAllString(string(src), -1) {
			if !declared[v] {
				t.Errorf("%s names %s, which is no declared setting", rel, v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range variable.FindAllString(string(readme), -1) {
		if !declared[v] && !slices.Contains(testOnly, v) {
			t.Errorf("the README names %s, which is no declared setting", v)
		}
	}
}

// isEnvReader reports whether the call m in file rel is one of the places
// allowed to touch the environment: config.go, and the test helper that
// starts PostgreSQL (CI, and the environment of the cluster it starts).
// main hands os.Getenv over without calling it.
func isEnvReader(rel, m string) bool {
	switch rel {
	case "cmd/beheer/config.go":
		return m == "getenv("
	case "internal/pgtest/pgtest.go":
		return true
	}
	return false
}
