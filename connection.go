package beheer

import (
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Connections: how Beheer reaches the organisation's identity provider
// (single sign-on with OpenID Connect) and its mail server (SMTP out, an
// IMAP mailbox in). An organisation sets them on its own pages; where the
// environment sets one, the environment wins and the page says so.

// ConnGroup is one page of connection settings.
type ConnGroup string

// The two pages.
const (
	ConnSignOn ConnGroup = "signon"
	ConnMail   ConnGroup = "mail"
)

// ConnGroups lists the pages in the order the portal shows them.
var ConnGroups = []ConnGroup{ConnSignOn, ConnMail}

// Valid reports whether g is one of the pages.
func (g ConnGroup) Valid() bool { return slices.Contains(ConnGroups, g) }

// ConnKind says how a setting is entered and checked.
type ConnKind string

// The kinds of setting.
const (
	KindText    ConnKind = "text"    // one line of text
	KindHost    ConnKind = "host"    // a host name or address, without scheme or port
	KindURL     ConnKind = "url"     // an absolute http or https address
	KindSecret  ConnKind = "secret"  // never shown again once saved
	KindBool    ConnKind = "bool"    // on or off
	KindPort    ConnKind = "port"    // 1–65535
	KindChoice  ConnKind = "choice"  // one of Choices
	KindSender  ConnKind = "sender"  // "Naam <adres@voorbeeld.nl>" or a bare address
	KindMailbox ConnKind = "mailbox" // imaps://gebruiker@host:993/INBOX, without password
	KindRoleMap ConnKind = "rolemap" // group=role[:area],… per line
)

// ConnSetting declares one connection setting.
type ConnSetting struct {
	// Key names the setting in forms, the API and the database.
	Key     string
	Group   ConnGroup
	Kind    ConnKind
	Default string
	Choices []string
	// GrantsRoles marks the settings that decide who gets which roles:
	// changing one is changing roles.
	GrantsRoles bool
}

// The connection settings' keys.
const (
	ConnOIDCIssuer       = "oidc_issuer"
	ConnOIDCClientID     = "oidc_client_id"
	ConnOIDCClientSecret = "oidc_client_secret"
	ConnOIDCRedirectURL  = "oidc_redirect_url"
	ConnOIDCName         = "oidc_name"
	ConnOIDCScopes       = "oidc_scopes"
	ConnOIDCGroupsClaim  = "oidc_groups_claim"
	ConnOIDCRoles        = "oidc_roles"
	ConnOIDCCreateUsers  = "oidc_create_users"
	ConnOIDCSyncRoles    = "oidc_sync_roles"
	ConnSMTPHost         = "smtp_host"
	ConnSMTPPort         = "smtp_port"
	ConnSMTPUser         = "smtp_user"
	ConnSMTPPassword     = "smtp_password"
	ConnSMTPTLS          = "smtp_tls"
	ConnMailFrom         = "mail_from"
	ConnIMAPURL          = "imap_url"
	ConnIMAPPassword     = "imap_password"
)

// SMTPTLSModes are the ways a connection to the SMTP server is secured.
var SMTPTLSModes = []string{"starttls", "tls", "none"}

// ConnSettings declares every connection setting, in the order the pages
// show them.
var ConnSettings = []ConnSetting{
	{Key: ConnOIDCIssuer, Group: ConnSignOn, Kind: KindURL},
	{Key: ConnOIDCClientID, Group: ConnSignOn, Kind: KindText},
	{Key: ConnOIDCClientSecret, Group: ConnSignOn, Kind: KindSecret},
	{Key: ConnOIDCRedirectURL, Group: ConnSignOn, Kind: KindURL},
	{Key: ConnOIDCName, Group: ConnSignOn, Kind: KindText, Default: "SSO"},
	{Key: ConnOIDCScopes, Group: ConnSignOn, Kind: KindText},
	{Key: ConnOIDCGroupsClaim, Group: ConnSignOn, Kind: KindText, Default: "groups"},
	{Key: ConnOIDCRoles, Group: ConnSignOn, Kind: KindRoleMap, GrantsRoles: true},
	{Key: ConnOIDCCreateUsers, Group: ConnSignOn, Kind: KindBool, Default: "false", GrantsRoles: true},
	{Key: ConnOIDCSyncRoles, Group: ConnSignOn, Kind: KindBool, Default: "false", GrantsRoles: true},
	{Key: ConnSMTPHost, Group: ConnMail, Kind: KindHost},
	{Key: ConnSMTPPort, Group: ConnMail, Kind: KindPort},
	{Key: ConnSMTPUser, Group: ConnMail, Kind: KindText},
	{Key: ConnSMTPPassword, Group: ConnMail, Kind: KindSecret},
	{Key: ConnSMTPTLS, Group: ConnMail, Kind: KindChoice, Default: "starttls", Choices: SMTPTLSModes},
	{Key: ConnMailFrom, Group: ConnMail, Kind: KindSender},
	{Key: ConnIMAPURL, Group: ConnMail, Kind: KindMailbox},
	{Key: ConnIMAPPassword, Group: ConnMail, Kind: KindSecret},
}

// ConnSettingOf returns the declaration of a key.
func ConnSettingOf(key string) (ConnSetting, bool) {
	i := slices.IndexFunc(ConnSettings, func(s ConnSetting) bool { return s.Key == key })
	if i < 0 {
		return ConnSetting{}, false
	}
	return ConnSettings[i], true
}

// ConnSettingsOf lists the settings of one page.
func ConnSettingsOf(g ConnGroup) []ConnSetting {
	var out []ConnSetting
	for _, s := range ConnSettings {
		if s.Group == g {
			out = append(out, s)
		}
	}
	return out
}

// ConnValues are connection settings by key, secrets in plain text: what
// the parts use, never what a page or an answer shows.
type ConnValues map[string]string

// Get returns the value of key, or its default when it is empty.
func (v ConnValues) Get(key string) string {
	if s := v[key]; s != "" {
		return s
	}
	s, _ := ConnSettingOf(key)
	return s.Default
}

// On reports whether a setting of kind bool is on.
func (v ConnValues) On(key string) bool { b, _ := strconv.ParseBool(v.Get(key)); return b }

// Port returns a port setting, 0 when none is set.
func (v ConnValues) Port(key string) int { n, _ := strconv.Atoi(v[key]); return n }

// Over returns v with the values of top put over it: the environment's
// values over what the pages saved.
func (v ConnValues) Over(top ConnValues) ConnValues {
	out := ConnValues{}
	for k, s := range v {
		out[k] = s
	}
	for k, s := range top {
		out[k] = s
	}
	return out
}

// Changed lists the keys of group whose values differ between v and
// other, in declaration order.
func (v ConnValues) Changed(other ConnValues, g ConnGroup) []string {
	var out []string
	for _, s := range ConnSettingsOf(g) {
		if v[s.Key] != other[s.Key] {
			out = append(out, s.Key)
		}
	}
	return out
}

// maxConnText bounds a connection setting; a role map may be longer.
const (
	maxConnText    = 500
	maxConnRoleMap = 10000
)

// Check adds a message to val for every setting of group that is not
// well formed, and for settings that need one another: sign-on needs a
// client id and a redirect address beside its issuer, mail out needs a
// sender, a mailbox needs its password. The role map is checked against
// the areas by ParseRoleMap.
func (v ConnValues) Check(g ConnGroup, val *Validation) {
	for _, s := range ConnSettingsOf(g) {
		if x := v[s.Key]; x != "" {
			s.check(x, val)
		}
	}
	need := func(key, because string) {
		if v[because] != "" && v[key] == "" && !val.Has(key) {
			val.Add(key, "admin.conn.needed_by", "setting", Message{Key: "admin.field." + because})
		}
	}
	switch g {
	case ConnSignOn:
		need(ConnOIDCClientID, ConnOIDCIssuer)
		need(ConnOIDCRedirectURL, ConnOIDCIssuer)
	case ConnMail:
		need(ConnMailFrom, ConnSMTPHost)
		need(ConnIMAPPassword, ConnIMAPURL)
	}
}

// check checks one non-empty value by its kind.
func (s ConnSetting) check(x string, val *Validation) {
	limit := maxConnText
	if s.Kind == KindRoleMap {
		limit = maxConnRoleMap
	}
	if utf8.RuneCountInString(x) > limit {
		val.Add(s.Key, "field.too_long", "max", limit)
		return
	}
	if hasControl(x) || (s.Kind != KindRoleMap && strings.ContainsAny(x, "\r\n")) {
		val.Add(s.Key, "field.invalid")
		return
	}
	switch s.Kind {
	case KindURL:
		if !ValidWebURL(x) {
			val.Add(s.Key, "admin.conn.bad_url")
		}
	case KindHost:
		if strings.ContainsAny(x, "/:@ ") {
			val.Add(s.Key, "admin.conn.bad_host")
		}
	case KindPort:
		if n, err := strconv.Atoi(x); err != nil || n < 1 || n > 65535 {
			val.Add(s.Key, "field.range", "min", 1, "max", 65535)
		}
	case KindBool:
		if _, err := strconv.ParseBool(x); err != nil {
			val.Add(s.Key, "field.invalid")
		}
	case KindChoice:
		if !slices.Contains(s.Choices, x) {
			val.Add(s.Key, "field.invalid_choice", "choices", strings.Join(s.Choices, ", "))
		}
	case KindSender:
		if _, err := mail.ParseAddress(x); err != nil {
			val.Add(s.Key, "admin.conn.bad_sender")
		}
	case KindMailbox:
		if _, _, err := SplitMailbox(x); err != nil {
			val.Add(s.Key, "admin.conn.bad_mailbox")
		}
	}
}

// SplitMailbox reads an IMAP mailbox address and returns it without its
// password, and the password it held: imaps://gebruiker@host:993/INBOX
// (TLS from the start) or imap://… (STARTTLS). A person may paste the
// address with the password in it, as the environment takes it; the page
// keeps the password apart, as a secret.
func SplitMailbox(raw string) (addr, password string, err error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "imaps" && u.Scheme != "imap") || u.Hostname() == "" || u.User == nil ||
		u.User.Username() == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", "", Invalid(ConnIMAPURL, "admin.conn.bad_mailbox")
	}
	password, _ = u.User.Password()
	u.User = url.User(u.User.Username())
	return u.String(), password, nil
}

// JoinMailbox puts the password back into a mailbox address, as the IMAP
// poller reads it.
func JoinMailbox(addr, password string) string {
	u, err := url.Parse(addr)
	if err != nil || u.User == nil || password == "" {
		return addr
	}
	u.User = url.UserPassword(u.User.Username(), password)
	return u.String()
}

// CanManageConnections reports whether the actor may see and change the
// sign-on and mail settings: who manages integrations (a technical
// admin, or a functional admin of every area), since the identity
// provider and the mail server are integrations.
func CanManageConnections(a *Actor) bool { return CanManageIntegrations(a) }

// CheckConnChange says whether the actor may change group's settings from
// before to after. The settings that decide who gets which roles — the
// role map, creating accounts, taking roles from the provider — hand out
// roles, so changing them needs who manages people for every area. So
// does changing the provider or client while accounts or roles come from
// it: whoever controls the provider then decides who gets in with which
// roles.
func CheckConnChange(a *Actor, g ConnGroup, before, after ConnValues) error {
	if !CanManageConnections(a) {
		return Refusal(PermIntegrationManage)
	}
	if a.Can(PermUserManage, 0) {
		return nil
	}
	grants := after.On(ConnOIDCCreateUsers) || after.On(ConnOIDCSyncRoles)
	for _, key := range before.Changed(after, g) {
		s, _ := ConnSettingOf(key)
		if s.GrantsRoles || (grants && (key == ConnOIDCIssuer || key == ConnOIDCClientID)) {
			return ErrForbidden("admin.conn.forbidden_roles")
		}
	}
	return nil
}
