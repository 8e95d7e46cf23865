package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/afas"
	"beheer/i18n"
)

// envOf is an environment of the given pairs.
func envOf(pairs ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return func(k string) string { return m[k] }
}

// load reads the settings of command from args and the pairs.
func load(t *testing.T, command string, args []string, pairs ...string) (*Config, error) {
	t.Helper()
	e := env{getenv: envOf(pairs...), stdout: io.Discard, stderr: io.Discard}
	return loadConfig(e, newFlags(command), args)
}

// TestConfigDefaults pins what serve runs with when nothing is given: the
// defaults the code had before the settings were declared in one place.
func TestConfigDefaults(t *testing.T) {
	got, err := load(t, "serve", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{Data: "beheer-data", Addr: "127.0.0.1:8080", LogLevel: slog.LevelInfo, APIWriteRate: 100,
		SLASweep: 5 * time.Minute, ReviewSweep: time.Hour, SMTPTLS: "starttls", IMAPInterval: time.Minute,
		WebhookAllow: []string{}, OIDCScopes: []string{}, LocalLogin: true, OIDCName: "SSO", OIDCGroupsClaim: "groups", AFASFields: afas.DefaultFields(),
		AFASTake: 1000, AFASTimeout: 30 * time.Second, ACMEDomains: []string{}, ACMEDirectory: letsEncrypt,
		BackupSchedule: beheer.BackupSchedule{Daily: true, Minute: 3 * 60}, BackupKeep: beheer.BackupRetention{Daily: 7, Weekly: 4}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults\n got %+v\nwant %+v", got, want)
	}
}

// TestConfigPrecedence: a flag beats the environment, which beats the
// default.
func TestConfigPrecedence(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		pairs []string
		want  func(*Config) bool
	}{
		{"default", nil, nil, func(c *Config) bool { return c.MetricsAddr == "" && !c.LogJSON && c.Database == "" }},
		{"environment", nil, []string{"BEHEER_METRICS_ADDR", "127.0.0.1:9090", "BEHEER_LOG_JSON", "true", "BEHEER_DATABASE", "postgres://a"},
			func(c *Config) bool {
				return c.MetricsAddr == "127.0.0.1:9090" && c.LogJSON && c.Database == "postgres://a"
			}},
		{"flag over environment", []string{"--metrics-addr", "127.0.0.1:9191", "--log-json=false", "--database", "postgres://b"},
			[]string{"BEHEER_METRICS_ADDR", "127.0.0.1:9090", "BEHEER_LOG_JSON", "true", "BEHEER_DATABASE", "postgres://a"},
			func(c *Config) bool {
				return c.MetricsAddr == "127.0.0.1:9191" && !c.LogJSON && c.Database == "postgres://b"
			}},
		{"empty flag switches off", []string{"--metrics-addr="}, []string{"BEHEER_METRICS_ADDR", "127.0.0.1:9090"},
			func(c *Config) bool { return c.MetricsAddr == "" }},
		{"bare boolean flag", []string{"--log-json", "--demo"}, nil, func(c *Config) bool { return c.LogJSON && c.Demo }},
		{"empty variable is not set", nil, []string{"BEHEER_LOCAL_LOGIN", "", "BEHEER_SLA_SWEEP_INTERVAL", ""},
			func(c *Config) bool { return c.LocalLogin && c.SLASweep == 5*time.Minute }},
		{"lists", nil, []string{"BEHEER_WEBHOOK_ALLOW", "10.1.2.0/24, 10.9.9.9", "BEHEER_OIDC_SCOPES", "groups  offline_access"},
			func(c *Config) bool {
				return reflect.DeepEqual(c.WebhookAllow, []string{"10.1.2.0/24", "10.9.9.9"}) &&
					reflect.DeepEqual(c.OIDCScopes, []string{"groups", "offline_access"})
			}},
		{"trusted proxies", nil, []string{"BEHEER_TRUSTED_PROXIES", "10.0.0.0/8 192.0.2.7"},
			func(c *Config) bool {
				return len(c.TrustedProxies) == 2 && c.TrustedProxies[1].String() == "192.0.2.7/32"
			}},
		{"base URL without its slash", nil, []string{"BEHEER_BASE_URL", "https://beheer.voorbeeld.nl/"},
			func(c *Config) bool { return c.BaseURL == "https://beheer.voorbeeld.nl" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := load(t, "serve", tt.args, tt.pairs...)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.want(c) {
				t.Errorf("%+v", c)
			}
		})
	}
}

// TestConfigRefusesBadValues: a wrong value stops the start with one line
// that names the setting, the value given and what is accepted, before
// the database is opened.
func TestConfigRefusesBadValues(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		pairs []string
		want  string
	}{
		{"duration", nil, []string{"BEHEER_SLA_SWEEP_INTERVAL", "5 minutes"}, `BEHEER_SLA_SWEEP_INTERVAL is "5 minutes": want a duration such as 30s, 5m or 1h, or 0`},
		{"negative duration", nil, []string{"BEHEER_REVIEW_SWEEP_INTERVAL", "-1h"}, `BEHEER_REVIEW_SWEEP_INTERVAL is "-1h": want a duration`},
		{"zero interval", nil, []string{"BEHEER_IMAP_INTERVAL", "0s"}, `BEHEER_IMAP_INTERVAL is "0s": want a duration above 0`},
		{"port no number", nil, []string{"BEHEER_SMTP_PORT", "abc"}, `BEHEER_SMTP_PORT is "abc": want a port number from 1 to 65535`},
		{"port out of range", nil, []string{"BEHEER_SMTP_PORT", "70000"}, `BEHEER_SMTP_PORT is "70000": want a port number`},
		{"TLS mode", nil, []string{"BEHEER_SMTP_TLS", "ssl"}, `BEHEER_SMTP_TLS is "ssl": want one of starttls, tls, none`},
		{"log level", nil, []string{"BEHEER_LOG_LEVEL", "verbose"}, `BEHEER_LOG_LEVEL is "verbose": want debug, info, warn or error`},
		{"boolean", nil, []string{"BEHEER_SECURE_COOKIES", "yes"}, `BEHEER_SECURE_COOKIES is "yes": want true or false`},
		{"boolean flag", []string{"--log-json=ja"}, nil, `invalid boolean value "ja" for -log-json: want true or false`},
		{"rate", nil, []string{"BEHEER_API_WRITE_RATE", "-5"}, `BEHEER_API_WRITE_RATE is "-5": want a number per second`},
		{"count", nil, []string{"BEHEER_AFAS_TAKE", "0"}, `BEHEER_AFAS_TAKE is "0": want a whole number of 1 or more`},
		{"URL", nil, []string{"BEHEER_BASE_URL", "beheer.voorbeeld.nl"}, `BEHEER_BASE_URL is "beheer.voorbeeld.nl": want an absolute URL`},
		{"network", nil, []string{"BEHEER_WEBHOOK_ALLOW", "10.0.0.0/8,intern"}, `BEHEER_WEBHOOK_ALLOW is "10.0.0.0/8,intern": want networks such as 10.1.2.0/24`},
		{"sender", nil, []string{"BEHEER_MAIL_FROM", "Beheer"}, `BEHEER_MAIL_FROM is "Beheer": want an e-mail address`},
		{"trusted proxies", nil, []string{"BEHEER_TRUSTED_PROXIES", "10.0.0.0/8, proxy.intern"},
			`BEHEER_TRUSTED_PROXIES is "10.0.0.0/8, proxy.intern": "proxy.intern" is no address or network: want networks such as 10.0.0.0/8`},
		{"AFAS fields", nil, []string{"BEHEER_AFAS_FIELDS", "nummer=Nr"}, `BEHEER_AFAS_FIELDS is "nummer=Nr": afas fields: "nummer=Nr" is not one of number`},
		{"address flag", []string{"--addr", "8080"}, nil, `--addr is "8080": want host:port, such as 127.0.0.1:8080`},
		{"address variable", nil, []string{"BEHEER_METRICS_ADDR", "metrics"}, `BEHEER_METRICS_ADDR is "metrics": want host:port`},
		{"unknown flag", []string{"--adres", "x"}, nil, `flag provided but not defined: -adres ("beheer serve --help" lists the flags and settings)`},
		{"ACME domain", nil, []string{"BEHEER_ACME_DOMAIN", "https://beheer.voorbeeld.nl"}, `BEHEER_ACME_DOMAIN is "https://beheer.voorbeeld.nl": want host names such as beheer.voorbeeld.nl`},
		{"ACME address", nil, []string{"BEHEER_ACME_DOMAIN", "10.1.2.3"}, `BEHEER_ACME_DOMAIN is "10.1.2.3": want host names`},
		{"backup schedule", nil, []string{"BEHEER_BACKUP_SCHEDULE", "'s nachts"}, `BEHEER_BACKUP_SCHEDULE is "'s nachts": want a time of day such as 03:00, a duration such as 6h, or off`},
		{"backups kept", nil, []string{"BEHEER_BACKUP_KEEP_DAILY", "-1"}, `BEHEER_BACKUP_KEEP_DAILY is "-1": want a whole number of 0 or more`},
		{"key without certificate", []string{"--tls-key", "key.pem"}, nil, "--tls-cert and --tls-key go together"},
		{"certificate and ACME", []string{"--tls-cert", "cert.pem", "--tls-key", "key.pem", "--acme-domain", "beheer.voorbeeld.nl"}, nil,
			"give a certificate (--tls-cert, --tls-key) or --acme-domain, not both"},
		{"SMTP without sender", nil, []string{"BEHEER_SMTP_HOST", "smtp.voorbeeld.nl"}, "BEHEER_SMTP_HOST needs BEHEER_MAIL_FROM"},
		{"SSO only without SSO", nil, []string{"BEHEER_LOCAL_LOGIN", "false"}, "BEHEER_LOCAL_LOGIN=false needs single sign-on (BEHEER_OIDC_ISSUER)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			_, err := cliEnv(t, envOf(tt.pairs...), append([]string{"serve", "--data", data}, tt.args...)...)
			if err == nil || err.Error() != tt.want && !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("more than one line: %q", err)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Errorf("the data directory was made before the settings were checked: %v", err)
			}
		})
	}
}

// TestConfigPerCommand: a command reads only the settings it takes, so a
// wrong mail setting does not stop a migration, and mail receive checks
// its intake address.
func TestConfigPerCommand(t *testing.T) {
	data := "--data=" + filepath.Join(t.TempDir(), "data")
	if out, err := cliEnv(t, envOf("BEHEER_SMTP_PORT", "abc"), "migrate", data); err != nil {
		t.Fatalf("migrate read a serve setting: %v %s", err, out)
	}
	if _, err := cliEnv(t, noEnv, "migrate", data, "--addr", "127.0.0.1:1"); err == nil {
		t.Error("migrate took --addr")
	}
	_, err := cliEnv(t, noEnv, "mail", "receive", data, "--intake", "Beheer <beheer@voorbeeld.nl>")
	if err == nil || err.Error() != `--intake is "Beheer <beheer@voorbeeld.nl>": want an e-mail address without a name, such as beheer@example.nl` {
		t.Errorf("intake with a name: %v", err)
	}
}

// TestPartsConfig: what the parts get from the settings.
func TestPartsConfig(t *testing.T) {
	for raw, want := range map[string]float64{"": 100, "0": -1, "2.5": 2.5} {
		c, err := load(t, "serve", nil, "BEHEER_API_WRITE_RATE", raw)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := c.serverConfig(nil, nil)
		if got := sc.WriteRate; err != nil || got != want {
			t.Errorf("BEHEER_API_WRITE_RATE=%q: server write rate %v, want %v", raw, got, want)
		}
	}
	c, err := load(t, "serve", nil, "BEHEER_SMTP_HOST", "smtp.voorbeeld.nl", "BEHEER_SMTP_PORT", "2525",
		"BEHEER_MAIL_FROM", "Beheer <beheer@voorbeeld.nl>", "BEHEER_BASE_URL", "https://beheer.voorbeeld.nl/")
	if err != nil {
		t.Fatal(err)
	}
	n := c.notifyConfig(nil, c.connections(nil))
	m, err := n.Mail(context.Background())
	if err != nil || m.Host != "smtp.voorbeeld.nl" || m.Port != 2525 || m.TLS != "starttls" || m.From != "Beheer <beheer@voorbeeld.nl>" ||
		n.BaseURL != "https://beheer.voorbeeld.nl" {
		t.Errorf("notify config %+v, mail %+v, %v", n, m, err)
	}
}

// TestServeHelp: "beheer serve --help" succeeds and lists every setting
// with its flag, variable, default and description.
func TestServeHelp(t *testing.T) {
	var out, errOut strings.Builder
	if err := run(context.Background(), []string{"serve", "--help"}, noEnv, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	cat := i18n.MustLoad()
	lines := strings.Split(out.String(), "\n")
	for _, s := range settings(new(Config)) {
		found := false
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) > 3 && f[0] == dash(s.flagName()) && f[1] == dash(s.env) && f[2] == dash(s.def) &&
				strings.HasSuffix(l, cat.T(i18n.EN, s.key())) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s is not in the help:\n%s", s.label(), out.String())
		}
	}
}

// TestSettingsDeclared: every setting has a name to give it by, a unique
// one, a description in the catalogue and a default its own kind accepts.
func TestSettingsDeclared(t *testing.T) {
	cat := i18n.MustLoad()
	seen := map[string]bool{}
	for _, s := range settings(new(Config)) {
		for _, n := range []string{s.flag, s.env, s.key()} {
			if n != "" && seen[n] {
				t.Errorf("%s declared twice", n)
			}
			seen[n] = true
		}
		if s.flag == "" && s.env == "" {
			t.Errorf("%s has neither a flag nor a variable", s.key())
		}
		if s.env != "" && !strings.HasPrefix(s.env, "BEHEER_") {
			t.Errorf("%s does not start with BEHEER_", s.env)
		}
		if !cat.Has(s.key()) {
			t.Errorf("no description %s in the catalogue", s.key())
		}
		if err := s.value.set(s.def); err != nil {
			t.Errorf("%s: the default %q is refused: %v", s.label(), s.def, err)
		}
	}
}

// TestEveryCommandTakesHelp: --help works for every command and is no error.
func TestEveryCommandTakesHelp(t *testing.T) {
	for _, args := range [][]string{{"migrate"}, {"user", "add"}, {"token", "create"}, {"demo"}, {"backup"},
		{"mail", "receive"}, {"people", "sync-afas"}, {"health"}, {"backup", "drill"}} {
		var out strings.Builder
		err := run(context.Background(), append(args, "--help"), noEnv, strings.NewReader(""), &out, io.Discard)
		if err != nil || !regexp.MustCompile(`--database +BEHEER_DATABASE`).MatchString(out.String()) {
			t.Errorf("%v --help: %v\n%s", args, err, out.String())
		}
	}
}
