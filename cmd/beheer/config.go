package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"beheer"
	"beheer/afas"
	"beheer/server"
)

// Config is every setting of the binary, read once per command from flags,
// the environment and defaults and checked before any part starts, so a
// wrong value stops the start with one line instead of surfacing later in
// a worker. The parts get their own configuration from it.
type Config struct {
	// Data is the directory of the SQLite file; Database a PostgreSQL URL.
	Data, Database string

	// Addr is where the server listens; Demo loads the demo organisation
	// into an empty database first.
	Addr string
	Demo bool
	// BaseURL is the public address, without a trailing slash.
	BaseURL string
	// LogJSON writes logs as JSON; LogLevel filters them.
	LogJSON  bool
	LogLevel slog.Level
	// MetricsAddr is the operator listener; empty means none.
	MetricsAddr string
	// APIWriteRate bounds API writes per token per second; 0 means no limit.
	APIWriteRate float64
	// SLASweep and ReviewSweep are the background sweeps' periods; 0 means off.
	SLASweep, ReviewSweep time.Duration

	// SMTP and outgoing mail; an empty SMTPHost switches e-mail off.
	SMTPHost                        string
	SMTPPort                        int
	SMTPUser, SMTPPassword, SMTPTLS string
	MailFrom                        string
	// WebhookAllow lists the blocked networks webhooks may reach anyway.
	WebhookAllow []string
	// MailIntake is the address at which mail becomes a new request.
	MailIntake string
	// IMAPURL is the mailbox to poll, every IMAPInterval; empty means none.
	IMAPURL      string
	IMAPInterval time.Duration

	// TLSCert and TLSKey are the files of the certificate Beheer serves
	// itself; ACMEDomains asks ACMEDirectory for one instead (ACMEEmail
	// is the account's contact). Either makes the server https only.
	TLSCert, TLSKey          string
	ACMEDomains              []string
	ACMEEmail, ACMEDirectory string

	// BackupDir is the folder of the scheduled backups ("" is "backups"
	// in Data); BackupSchedule says when, BackupKeep how many stay.
	BackupDir      string
	BackupSchedule beheer.BackupSchedule
	BackupKeep     beheer.BackupRetention

	// LocalLogin allows e-mail and password; SecureCookies marks cookies
	// for TLS even when neither TLS nor an https BaseURL says so.
	LocalLogin, SecureCookies bool
	// TrustedProxies are the reverse proxies whose forwarded headers name
	// the client's address.
	TrustedProxies server.TrustedProxies
	// Single sign-on with OpenID Connect; an empty OIDCIssuer means none.
	OIDCIssuer, OIDCClientID, OIDCClientSecret, OIDCRedirectURL string
	OIDCName, OIDCGroupsClaim, OIDCRoles                        string
	OIDCScopes                                                  []string
	OIDCCreateUsers, OIDCSyncRoles                              bool

	// AFAS Profit; an empty AFASURL means no AFAS.
	AFASURL, AFASConnector, AFASToken            string
	AFASClientID, AFASClientSecret, AFASTokenURL string
	AFASFields                                   afas.Fields
	AFASTake                                     int
	AFASTimeout, AFASSyncInterval                time.Duration

	// SecretKey (or the file SecretKeyFile holds) seals the secrets the
	// sign-on and mail pages save; without one none can be saved there.
	SecretKey, SecretKeyFile string

	// Fixed are the sign-on and mail settings the environment gives, by
	// connection key, and FixedBy the variable that gives each: they win
	// over what the pages saved. nil when the environment gives none.
	Fixed   map[string]string
	FixedBy map[string]string
}

// setting declares one setting as data. The one list in settings drives
// reading, checking, "beheer serve --help" and the README's table; its
// description is the catalogue's "config.<name>" in Dutch and English.
type setting struct {
	flag  string   // the flag without dashes; "" when there is none
	env   string   // the environment variable; "" when there is none
	def   string   // the default, written as a person would give it
	only  []string // the commands (flag set names) that take it; nil: every one
	value value    // parses the text into its field of Config
	// conn is the connection setting (beheer.ConnSettings) the variable
	// fixes when it is set: it then wins over the sign-on or mail page.
	conn string
}

// settings declares every setting, bound to the fields of c. It is called
// with a throw-away Config to list them for help and documentation.
func settings(c *Config) []setting {
	serve := []string{"serve"}
	web := []string{"serve", "health"} // where and how the server answers
	backups := []string{"serve", "backup", "backup drill"}
	intake := []string{"serve", "mail receive"}
	afasSync := []string{"serve", "people sync-afas"}
	return []setting{
		{flag: "data", env: "BEHEER_DATA", def: "beheer-data", value: text{&c.Data}},
		{flag: "database", env: "BEHEER_DATABASE", value: text{&c.Database}},

		{flag: "addr", env: "BEHEER_ADDR", def: "127.0.0.1:8080", only: web, value: hostPort(&c.Addr)},
		{flag: "tls-cert", env: "BEHEER_TLS_CERT", only: web, value: text{&c.TLSCert}},
		{flag: "tls-key", env: "BEHEER_TLS_KEY", only: web, value: text{&c.TLSKey}},
		{flag: "acme-domain", env: "BEHEER_ACME_DOMAIN", only: web, value: hostnames{&c.ACMEDomains}},
		{flag: "acme-email", env: "BEHEER_ACME_EMAIL", only: serve, value: mailbox(&c.ACMEEmail)},
		{flag: "acme-directory", env: "BEHEER_ACME_DIRECTORY", def: letsEncrypt, only: serve, value: webURL(&c.ACMEDirectory)},
		{flag: "demo", def: "false", only: serve, value: boolean{&c.Demo}},
		{env: "BEHEER_BASE_URL", only: serve, value: publicURL{&c.BaseURL}},
		{flag: "log-json", env: "BEHEER_LOG_JSON", def: "false", only: serve, value: boolean{&c.LogJSON}},
		{env: "BEHEER_LOG_LEVEL", def: "info", only: serve, value: level{&c.LogLevel}},
		{flag: "metrics-addr", env: "BEHEER_METRICS_ADDR", only: serve, value: hostPort(&c.MetricsAddr)},
		{env: "BEHEER_API_WRITE_RATE", def: "100", only: serve, value: rate{&c.APIWriteRate}},
		{env: "BEHEER_SLA_SWEEP_INTERVAL", def: "5m", only: serve, value: duration{&c.SLASweep, 0}},
		{env: "BEHEER_REVIEW_SWEEP_INTERVAL", def: "1h", only: serve, value: duration{&c.ReviewSweep, 0}},

		{flag: "backup-dir", env: "BEHEER_BACKUP_DIR", only: backups, value: text{&c.BackupDir}},
		{env: "BEHEER_BACKUP_SCHEDULE", def: "03:00", only: serve, value: schedule{&c.BackupSchedule}},
		{env: "BEHEER_BACKUP_KEEP_DAILY", def: "7", only: backups, value: whole{&c.BackupKeep.Daily, 0, 0, "a whole number"}},
		{env: "BEHEER_BACKUP_KEEP_WEEKLY", def: "4", only: backups, value: whole{&c.BackupKeep.Weekly, 0, 0, "a whole number"}},

		{env: "BEHEER_SMTP_HOST", only: serve, value: text{&c.SMTPHost}, conn: beheer.ConnSMTPHost},
		{env: "BEHEER_SMTP_PORT", only: serve, value: whole{&c.SMTPPort, 1, 65535, "a port number"}, conn: beheer.ConnSMTPPort},
		{env: "BEHEER_SMTP_USER", only: serve, value: text{&c.SMTPUser}, conn: beheer.ConnSMTPUser},
		{env: "BEHEER_SMTP_PASSWORD", only: serve, value: text{&c.SMTPPassword}, conn: beheer.ConnSMTPPassword},
		{env: "BEHEER_SMTP_TLS", def: "starttls", only: serve, value: choice(&c.SMTPTLS, "starttls", "tls", "none"), conn: beheer.ConnSMTPTLS},
		{env: "BEHEER_MAIL_FROM", only: serve, value: sender(&c.MailFrom), conn: beheer.ConnMailFrom},
		{env: "BEHEER_WEBHOOK_ALLOW", only: serve, value: networks{&c.WebhookAllow}},
		{flag: "intake", env: "BEHEER_MAIL_INTAKE", only: intake, value: mailbox(&c.MailIntake)},
		{env: "BEHEER_IMAP_URL", only: serve, value: text{&c.IMAPURL}, conn: beheer.ConnIMAPURL},
		{env: "BEHEER_IMAP_INTERVAL", def: "1m", only: serve, value: duration{&c.IMAPInterval, time.Nanosecond}},

		{env: "BEHEER_LOCAL_LOGIN", def: "true", only: serve, value: boolean{&c.LocalLogin}},
		{env: "BEHEER_SECURE_COOKIES", def: "false", only: serve, value: boolean{&c.SecureCookies}},
		{env: "BEHEER_TRUSTED_PROXIES", only: serve, value: proxies{&c.TrustedProxies}},
		{env: "BEHEER_OIDC_ISSUER", only: serve, value: webURL(&c.OIDCIssuer), conn: beheer.ConnOIDCIssuer},
		{env: "BEHEER_OIDC_CLIENT_ID", only: serve, value: text{&c.OIDCClientID}, conn: beheer.ConnOIDCClientID},
		{env: "BEHEER_OIDC_CLIENT_SECRET", only: serve, value: text{&c.OIDCClientSecret}, conn: beheer.ConnOIDCClientSecret},
		{env: "BEHEER_OIDC_REDIRECT_URL", only: serve, value: webURL(&c.OIDCRedirectURL), conn: beheer.ConnOIDCRedirectURL},
		{env: "BEHEER_OIDC_NAME", def: "SSO", only: serve, value: text{&c.OIDCName}, conn: beheer.ConnOIDCName},
		{env: "BEHEER_OIDC_SCOPES", only: serve, value: list{&c.OIDCScopes, strings.Fields}, conn: beheer.ConnOIDCScopes},
		{env: "BEHEER_OIDC_GROUPS_CLAIM", def: "groups", only: serve, value: text{&c.OIDCGroupsClaim}, conn: beheer.ConnOIDCGroupsClaim},
		{env: "BEHEER_OIDC_ROLES", only: serve, value: text{&c.OIDCRoles}, conn: beheer.ConnOIDCRoles},
		{env: "BEHEER_OIDC_CREATE_USERS", def: "false", only: serve, value: boolean{&c.OIDCCreateUsers}, conn: beheer.ConnOIDCCreateUsers},
		{env: "BEHEER_OIDC_SYNC_ROLES", def: "false", only: serve, value: boolean{&c.OIDCSyncRoles}, conn: beheer.ConnOIDCSyncRoles},
		{env: "BEHEER_SECRET_KEY", only: serve, value: secretKey{&c.SecretKey}},
		{env: "BEHEER_SECRET_KEY_FILE", only: serve, value: text{&c.SecretKeyFile}},

		{env: "BEHEER_AFAS_URL", only: afasSync, value: webURL(&c.AFASURL)},
		{env: "BEHEER_AFAS_CONNECTOR", only: afasSync, value: text{&c.AFASConnector}},
		{env: "BEHEER_AFAS_TOKEN", only: afasSync, value: text{&c.AFASToken}},
		{env: "BEHEER_AFAS_CLIENT_ID", only: afasSync, value: text{&c.AFASClientID}},
		{env: "BEHEER_AFAS_CLIENT_SECRET", only: afasSync, value: text{&c.AFASClientSecret}},
		{env: "BEHEER_AFAS_TOKEN_URL", only: afasSync, value: webURL(&c.AFASTokenURL)},
		{env: "BEHEER_AFAS_FIELDS", only: afasSync, value: fields{&c.AFASFields}},
		{env: "BEHEER_AFAS_TAKE", def: "1000", only: afasSync, value: whole{&c.AFASTake, 1, 0, "a whole number"}},
		{env: "BEHEER_AFAS_TIMEOUT", def: "30s", only: afasSync, value: duration{&c.AFASTimeout, 0}},
		{env: "BEHEER_AFAS_SYNC_INTERVAL", def: "0", only: serve, value: duration{&c.AFASSyncInterval, 0}},
	}
}

// name is the setting's name in the catalogue: its variable without the
// prefix, or else its flag, in lower case with underscores.
func (s setting) name() string {
	if s.env != "" {
		return strings.ToLower(strings.TrimPrefix(s.env, "BEHEER_"))
	}
	return strings.ReplaceAll(s.flag, "-", "_")
}

// key is the catalogue key of the setting's description.
func (s setting) key() string { return "config." + s.name() }

// label names the setting as a person gives it: its variable, or its flag.
func (s setting) label() string {
	if s.env != "" {
		return s.env
	}
	return s.flagName()
}

// takenBy reports whether the command takes the setting.
func (s setting) takenBy(command string) bool {
	return s.only == nil || slices.Contains(s.only, command)
}

// given is a setting's text as read so far, and where it came from. It is
// the setting's flag.Value, so a flag given on the command line replaces
// what the environment or the default said.
type given struct {
	setting
	raw, from string
	fromEnv   bool // the environment gave it
}

// String is the text so far (flag.Value).
func (g *given) String() string {
	if g == nil {
		return ""
	}
	return g.raw
}

// Set takes the flag's text (flag.Value). A boolean flag is written back
// as true or false, so "--log-json" and "--log-json=1" keep their meaning.
func (g *given) Set(s string) error {
	if g.isBool() {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return errors.New("want true or false")
		}
		s = strconv.FormatBool(b)
	}
	g.raw, g.from = s, "--"+g.flag
	return nil
}

// IsBoolFlag lets a boolean flag stand without a value (flag.Value).
func (g *given) IsBoolFlag() bool { return g.isBool() }

func (g *given) isBool() bool {
	_, ok := g.value.(boolean)
	return ok
}

// loadConfig reads the settings the command (named by fs) takes — each
// from its flag in args, else its environment variable, else its default —
// and checks them. The command registers its own flags on fs first; a
// setting the command does not take keeps its default.
func loadConfig(e env, fs *flag.FlagSet, args []string) (*Config, error) {
	c := &Config{}
	var all, taken []*given
	for _, s := range settings(c) {
		g := &given{setting: s, raw: s.def, from: s.label()}
		all = append(all, g)
		if !s.takenBy(fs.Name()) {
			continue
		}
		taken = append(taken, g)
		if v := readEnv(e, s.env); v != "" {
			g.raw, g.from, g.fromEnv = v, s.env, true
		}
		if s.flag != "" {
			fs.Var(g, s.flag, "")
		}
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		printHelp(e.stdout, fs, taken)
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("%w (\"beheer %s --help\" lists the flags and settings)", err, fs.Name())
	}
	for _, g := range all {
		if err := g.value.set(g.raw); err != nil {
			return nil, fmt.Errorf("%s is %q: %w", g.from, g.raw, err)
		}
		if g.conn != "" && g.fromEnv {
			c.fix(g.conn, g.env, g.raw)
		}
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

// fix records a connection setting the environment gives. A mailbox
// address holds its password, which the pages keep apart.
func (c *Config) fix(key, env, raw string) {
	if c.Fixed == nil {
		c.Fixed, c.FixedBy = map[string]string{}, map[string]string{}
	}
	switch set, _ := beheer.ConnSettingOf(key); {
	case key == beheer.ConnIMAPURL:
		addr, password, err := beheer.SplitMailbox(raw)
		if err != nil {
			addr = raw // the poller refuses it with its own message
		}
		c.Fixed[beheer.ConnIMAPPassword], c.FixedBy[beheer.ConnIMAPPassword] = password, env
		raw = addr
	case set.Kind == beheer.KindBool:
		b, _ := strconv.ParseBool(raw)
		raw = strconv.FormatBool(b)
	}
	c.Fixed[key], c.FixedBy[key] = raw, env
}

// readEnv is the one place that reads the environment; empty counts as
// not set.
func readEnv(e env, name string) string {
	if name == "" {
		return ""
	}
	return e.getenv(name)
}

// check refuses combinations of settings that cannot work.
func (c *Config) check() error {
	switch {
	case !c.LocalLogin && c.OIDCIssuer == "":
		return errors.New("BEHEER_LOCAL_LOGIN=false needs single sign-on (BEHEER_OIDC_ISSUER)")
	case c.AFASSyncInterval > 0 && c.AFASURL == "":
		return errors.New("BEHEER_AFAS_SYNC_INTERVAL needs BEHEER_AFAS_URL, BEHEER_AFAS_CONNECTOR and a token or client credentials")
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return errors.New("--tls-cert and --tls-key go together (BEHEER_TLS_CERT, BEHEER_TLS_KEY): give both or neither")
	case c.TLSCert != "" && len(c.ACMEDomains) > 0:
		return errors.New("give a certificate (--tls-cert, --tls-key) or --acme-domain, not both")
	case c.SMTPHost != "" && c.MailFrom == "":
		return errors.New("BEHEER_SMTP_HOST needs BEHEER_MAIL_FROM, the sender of the e-mail")
	case c.SecretKey != "" && c.SecretKeyFile != "":
		return errors.New("give BEHEER_SECRET_KEY or BEHEER_SECRET_KEY_FILE, not both")
	}
	return nil
}
