// Package afas reads employees from AFAS Profit through its REST API: one
// GetConnector, chosen by the customer's AFAS administrator, read page by
// page with a stable sort (see /work/shared/design/AFAS-API.md). The field
// names of a GetConnector differ per environment, so the mapping of its
// columns to an employee is configuration.
//
// Employees returns the complete list or an error, never part of it: a
// people sync deactivates whoever is missing, so a list cut short by a
// timeout, a 500 or a broken page must not reach it.
package afas

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // AFAS dates are Amsterdam time; do not depend on the host's zone files

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"beheer"
)

// Fields names the GetConnector's columns for each part of an employee.
// Number, Name and Email are required; Department, Manager and End may be
// empty (not read). End is the end of employment: a row whose end lies in
// the past is someone who left.
type Fields struct {
	Number     string
	Name       string
	Email      string
	Department string
	Manager    string
	End        string
}

// DefaultFields are the column names of a typical self-made employees
// connector; set BEHEER_AFAS_FIELDS when yours differ.
func DefaultFields() Fields {
	return Fields{Number: "Medewerker", Name: "Naam", Email: "Email", Department: "Afdeling", Manager: "Leidinggevende"}
}

// ParseFields reads a mapping such as
// "number=Medewerker,name=Naam,email=EmailWerk,department=OE,manager=Manager,end=Einde"
// on top of the defaults; "department=" switches a column off.
func ParseFields(s string) (Fields, error) {
	f := DefaultFields()
	targets := map[string]*string{"number": &f.Number, "name": &f.Name, "email": &f.Email,
		"department": &f.Department, "manager": &f.Manager, "end": &f.End}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		target := targets[strings.ToLower(strings.TrimSpace(k))]
		if !ok || target == nil {
			return Fields{}, fmt.Errorf("afas fields: %q is not one of number, name, email, department, manager, end = column", part)
		}
		*target = strings.TrimSpace(v)
	}
	if f.Number == "" || f.Name == "" || f.Email == "" {
		return Fields{}, errors.New("afas fields: number, name and email need a column")
	}
	return f, nil
}

// Config configures a client. Either Token (an App Connector token) or
// ClientID and ClientSecret (OAuth 2.0 client credentials) must be set.
type Config struct {
	// BaseURL is the environment's REST address, e.g.
	// https://12345.rest.afas.online/ProfitRestServices. HTTPS only (plain
	// HTTP is accepted for a loopback address, for tests).
	BaseURL string
	// Connector is the GetConnector id of the employees.
	Connector string
	// Token is the App Connector token: the XML
	// <token><version>1</version><data>…</data></token>, or its Base64.
	Token string
	// ClientID, ClientSecret and TokenURL are the OAuth 2.0 client
	// credentials; TokenURL defaults to {BaseURL}/oauth/token.
	ClientID, ClientSecret, TokenURL string
	// Fields maps the connector's columns; the zero value means DefaultFields.
	Fields Fields
	// Take is the number of rows per call; 0 means 1000.
	Take int
	// Timeout bounds each call; 0 means 30 seconds.
	Timeout time.Duration
	// Retries is how often a call that failed on the server's side (5xx, a
	// timeout, a broken connection) is tried again; 0 means 2, negative none.
	Retries int
	// RetryWait is the first pause before a retry, doubled each time; 0
	// means 2 seconds.
	RetryWait time.Duration
	// HTTPClient makes the calls; nil means a client of its own.
	HTTPClient *http.Client
	// Now is the clock for the end of employment; nil means time.Now.
	Now func() time.Time
}

// Client reads one GetConnector. It is safe for concurrent use.
type Client struct {
	base, connector string
	authHeader      string // "AfasToken …"; empty with OAuth
	oauth           *clientcredentials.Config
	fields          Fields
	take            int
	timeout         time.Duration
	retries         int
	retryWait       time.Duration
	http            *http.Client
	now             func() time.Time
	amsterdam       *time.Location
}

// New checks the configuration and returns a client. The token is kept
// only in the client and never appears in an error or a log line.
func New(cfg Config) (*Client, error) {
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname()))) {
		return nil, errors.New("afas: the base URL must be an https:// address")
	}
	if strings.TrimSpace(cfg.Connector) == "" {
		return nil, errors.New("afas: no connector id")
	}
	c := &Client{base: base, connector: strings.TrimSpace(cfg.Connector), fields: cfg.Fields, take: cfg.Take,
		timeout: cfg.Timeout, retries: cfg.Retries, retryWait: cfg.RetryWait, http: cfg.HTTPClient, now: cfg.Now}
	switch {
	case cfg.Token != "" && cfg.ClientID != "":
		return nil, errors.New("afas: configure a token or client credentials, not both")
	case cfg.Token != "":
		if c.authHeader, err = tokenHeader(cfg.Token); err != nil {
			return nil, err
		}
	case cfg.ClientID != "" && cfg.ClientSecret != "":
		tokenURL := cfg.TokenURL
		if tokenURL == "" {
			tokenURL = base + "/oauth/token"
		}
		c.oauth = &clientcredentials.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, TokenURL: tokenURL,
			AuthStyle: oauth2.AuthStyleInParams}
	default:
		return nil, errors.New("afas: no token and no client credentials")
	}
	if c.fields == (Fields{}) {
		c.fields = DefaultFields()
	}
	if c.fields.Number == "" || c.fields.Name == "" || c.fields.Email == "" {
		return nil, errors.New("afas: the fields number, name and email need a column")
	}
	if c.take <= 0 {
		c.take = 1000
	}
	if c.timeout <= 0 {
		c.timeout = 30 * time.Second
	}
	if c.retries == 0 {
		c.retries = 2
	} else if c.retries < 0 {
		c.retries = 0
	}
	if c.retryWait <= 0 {
		c.retryWait = 2 * time.Second
	}
	if c.http == nil {
		c.http = &http.Client{}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.amsterdam, err = time.LoadLocation("Europe/Amsterdam"); err != nil {
		return nil, err
	}
	return c, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tokenHeader builds "AfasToken <base64>" from the XML token, or from its
// Base64 when that is what was configured.
func tokenHeader(token string) (string, error) {
	token = strings.TrimSpace(token)
	if strings.HasPrefix(token, "<") {
		return "AfasToken " + base64.StdEncoding.EncodeToString([]byte(token)), nil
	}
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil || !strings.HasPrefix(strings.TrimSpace(string(raw)), "<token") {
		return "", errors.New("afas: the token is neither <token>…</token> nor its Base64")
	}
	return "AfasToken " + token, nil
}

// Kind classifies what went wrong.
type Kind int

// The kinds of failure.
const (
	KindAuth      Kind = iota + 1 // 401 or 403: the token or credentials are refused
	KindServer                    // 5xx
	KindStatus                    // another unexpected status
	KindMalformed                 // an answer that is not the documented JSON
	KindTimeout                   // no (complete) answer in time
	KindNetwork                   // no connection
	KindPaging                    // rows repeat or never end: the paging is not stable
)

// Error is a failed read. Detail never holds the token.
type Error struct {
	Kind   Kind
	Status int    // the HTTP status, when there was one
	Detail string // for the log
	Err    error
}

func (e *Error) Error() string {
	names := map[Kind]string{KindAuth: "refused the credentials", KindServer: "server error", KindStatus: "unexpected status",
		KindMalformed: "malformed answer", KindTimeout: "timeout", KindNetwork: "network error", KindPaging: "unstable paging"}
	msg := "afas: " + names[e.Kind]
	if e.Status != 0 {
		msg += " (" + strconv.Itoa(e.Status) + ")"
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of an error from this package, 0 for others.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// maxRows bounds one read, so a server that ignores skip cannot keep it
// running for ever.
const maxRows = 1_000_000

// maxPage bounds one page's body.
const maxPage = 64 << 20

// Employees reads every row of the connector, page by page sorted on the
// employee number, and returns them all, or an error and nothing.
func (c *Client) Employees(ctx context.Context) ([]beheer.Employee, error) {
	var out []beheer.Employee
	seen := map[string]bool{}
	auth := c.authHeader
	for skip := 0; ; skip += c.take {
		rows, err := c.page(ctx, &auth, skip)
		if err != nil {
			return nil, err
		}
		for i, row := range rows {
			e, left, err := c.employee(row)
			if err != nil {
				return nil, err
			}
			if e.Number != "" && seen[e.Number] {
				return nil, &Error{Kind: KindPaging, Detail: "employee " + e.Number + " came twice"}
			}
			seen[e.Number] = true
			if left {
				continue
			}
			e.Line = skip + i + 1
			out = append(out, e)
		}
		if len(rows) < c.take {
			return out, nil
		}
		if skip+c.take >= maxRows {
			return nil, &Error{Kind: KindPaging, Detail: "more than " + strconv.Itoa(maxRows) + " rows"}
		}
	}
}

// page reads one page, trying again after failures on the server's side.
// With OAuth, a refused token is replaced once.
func (c *Client) page(ctx context.Context, auth *string, skip int) ([]map[string]any, error) {
	renewed := false
	wait := c.retryWait
	for try := 0; ; try++ {
		if *auth == "" {
			tok, err := c.bearer(ctx)
			if err != nil {
				return nil, err
			}
			*auth = tok
		}
		rows, err := c.get(ctx, *auth, skip)
		var ae *Error
		if err == nil || !errors.As(err, &ae) {
			return rows, err
		}
		if ae.Kind == KindAuth && c.oauth != nil && !renewed {
			*auth, renewed = "", true
			continue
		}
		if (ae.Kind != KindServer && ae.Kind != KindTimeout && ae.Kind != KindNetwork) || try >= c.retries {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// bearer fetches an OAuth access token.
func (c *Client) bearer(ctx context.Context) (string, error) {
	cctx, cancel := context.WithTimeout(context.WithValue(ctx, oauth2.HTTPClient, c.http), c.timeout)
	defer cancel()
	tok, err := c.oauth.Token(cctx)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil {
			status := re.Response.StatusCode
			kind := KindStatus
			switch {
			case status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusBadRequest:
				kind = KindAuth
			case status >= 500:
				kind = KindServer
			}
			return "", &Error{Kind: kind, Status: status, Detail: "token endpoint"}
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return "", &Error{Kind: KindTimeout, Detail: "token endpoint", Err: err}
		}
		return "", &Error{Kind: KindNetwork, Detail: "token endpoint", Err: err}
	}
	return "Bearer " + tok.AccessToken, nil
}

// pageURL is the documented GetConnector call with a stable sort.
func (c *Client) pageURL(skip int) string {
	q := url.Values{}
	q.Set("skip", strconv.Itoa(skip))
	q.Set("take", strconv.Itoa(c.take))
	q.Set("orderbyfieldids", c.fields.Number)
	return c.base + "/connectors/" + url.PathEscape(c.connector) + "?" + q.Encode()
}

// get makes one call with its own timeout.
func (c *Client) get(ctx context.Context, auth string, skip int) ([]map[string]any, error) {
	u := c.pageURL(skip)
	if len(u) > 2048 {
		return nil, &Error{Kind: KindStatus, Detail: "query string too long"}
	}
	cctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &Error{Kind: KindStatus, Detail: "bad request URL"}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", auth)
	res, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxPage+1))
	if err != nil {
		return nil, c.transportError(ctx, err)
	}
	if err := statusError(res, body); err != nil {
		return nil, err
	}
	if len(body) > maxPage {
		return nil, &Error{Kind: KindMalformed, Detail: "page larger than " + strconv.Itoa(maxPage>>20) + " MB"}
	}
	return decodePage(body, skip)
}

// transportError tells a timeout of the call from the caller giving up.
func (c *Client) transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: KindTimeout, Detail: "no answer within " + c.timeout.String(), Err: err}
	}
	return &Error{Kind: KindNetwork, Err: err}
}

func statusError(res *http.Response, body []byte) error {
	switch s := res.StatusCode; {
	case s >= 200 && s < 300:
		return nil
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return &Error{Kind: KindAuth, Status: s}
	case s >= 500:
		// UpdateConnectors put the reason in externalMessage; keep it short.
		var m struct {
			ExternalMessage string `json:"externalMessage"`
		}
		json.Unmarshal(body, &m)
		detail := m.ExternalMessage
		if len(detail) > 200 {
			detail = detail[:200]
		}
		return &Error{Kind: KindServer, Status: s, Detail: detail}
	default:
		return &Error{Kind: KindStatus, Status: s}
	}
}

// decodePage reads {"skip":…,"take":…,"rows":[…]}.
func decodePage(body []byte, skip int) ([]map[string]any, error) {
	var p struct {
		Skip *int              `json:"skip"`
		Rows *[]map[string]any `json:"rows"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, &Error{Kind: KindMalformed, Detail: "not the documented JSON", Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &Error{Kind: KindMalformed, Detail: "data after the JSON"}
	}
	if p.Rows == nil {
		return nil, &Error{Kind: KindMalformed, Detail: "no rows"}
	}
	if p.Skip != nil && *p.Skip != skip {
		return nil, &Error{Kind: KindPaging, Detail: fmt.Sprintf("asked skip %d, got %d", skip, *p.Skip)}
	}
	for _, r := range *p.Rows {
		if r == nil {
			return nil, &Error{Kind: KindMalformed, Detail: "a row that is not an object"}
		}
	}
	return *p.Rows, nil
}

// employee maps a row; left reports an end of employment in the past.
// A configured column missing from the row means the mapping is wrong:
// that fails the whole read rather than blanking everyone's data.
func (c *Client) employee(row map[string]any) (e beheer.Employee, left bool, err error) {
	get := func(col string) (string, error) {
		if col == "" {
			return "", nil
		}
		v, ok := row[col]
		if !ok {
			return "", &Error{Kind: KindMalformed, Detail: "the rows have no column " + strconv.Quote(col) + " (check BEHEER_AFAS_FIELDS)"}
		}
		switch x := v.(type) {
		case nil:
			return "", nil
		case string:
			return x, nil
		case json.Number:
			return x.String(), nil
		case bool:
			return strconv.FormatBool(x), nil
		}
		return "", &Error{Kind: KindMalformed, Detail: "column " + strconv.Quote(col) + " holds a list or an object"}
	}
	for _, f := range []struct {
		col string
		to  *string
	}{{c.fields.Number, &e.Number}, {c.fields.Name, &e.Name}, {c.fields.Email, &e.Email},
		{c.fields.Department, &e.Department}, {c.fields.Manager, &e.Manager}} {
		if *f.to, err = get(f.col); err != nil {
			return e, false, err
		}
	}
	end, err := get(c.fields.End)
	if err != nil || end == "" {
		return e, false, err
	}
	return e, c.ended(end), nil
}

// ended reports whether an end of employment lies in the past. AFAS writes
// date-times with a Z that is really Amsterdam time. A date that cannot be
// read counts as no end, so that nobody is deactivated by a typo.
func (c *Client) ended(v string) bool {
	for _, layout := range []string{"2006-01-02T15:04:05Z", "2006-01-02T15:04:05.999999999Z", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, c.amsterdam); err == nil {
			// The last working day still counts: the end is that day's close.
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
				t = t.AddDate(0, 0, 1)
			}
			return !c.now().Before(t)
		}
	}
	return false
}
