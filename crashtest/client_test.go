package crashtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// client speaks the JSON API of one server process, with its own
// connection pool so no connection outlives the process.
type client struct {
	base string
	http *http.Client
}

func newClient(p *process) *client {
	tr := &http.Transport{MaxIdleConnsPerHost: 2 * workers}
	return &client{base: "http://" + p.addr, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

func (c *client) close() { c.http.CloseIdleConnections() }

// statusError is an answer with another status than expected.
type statusError struct {
	method, path string
	status       int
	body         string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s %s: status %d: %s", e.method, e.path, e.status, e.body)
}

// do sends body as JSON with the bearer token and decodes the answer into
// out when it has the wanted status. A transport error (the process died)
// wraps errUnreachable; another status is a *statusError.
func (c *client) do(ctx context.Context, token, method, path string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %v", errUnreachable, method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("%w: %s %s: reading the answer: %v", errUnreachable, method, path, err)
	}
	if res.StatusCode != want {
		return &statusError{method, path, res.StatusCode, string(b)}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: decoding %q: %v", method, path, b, err)
	}
	return nil
}

// request is the part of the API's Request that the test checks.
type request struct {
	ID          int64  `json:"id"`
	Number      string `json:"number"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Area        string `json:"area"`
	Phase       string `json:"phase"`
	Requester   struct {
		ID int64 `json:"id"`
	} `json:"requester"`
}

// comment is the part of the API's Comment that the test checks.
type comment struct {
	ID        int64  `json:"id"`
	RequestID int64  `json:"request_id"`
	Body      string `json:"body"`
}

// auditEntry is one row of a request's audit trail.
type auditEntry struct {
	ID        int64  `json:"id"`
	RequestID int64  `json:"request_id"`
	Action    string `json:"action"`
	Field     string `json:"field"`
	Before    string `json:"before"`
	After     string `json:"after"`
}

func (c *client) createRequest(ctx context.Context, token, title, description string) (*request, error) {
	var r request
	err := c.do(ctx, token, "POST", "/api/v1/requests",
		map[string]any{"type": "question", "title": title, "description": description, "area": "hr",
			"answers": map[string]any{"omgeving": "productie", "kenmerk": description}},
		http.StatusCreated, &r)
	return &r, err
}

func (c *client) addComment(ctx context.Context, token string, id int64, body string) (*comment, error) {
	var cm comment
	err := c.do(ctx, token, "POST", fmt.Sprintf("/api/v1/requests/%d/comments", id),
		map[string]any{"body": body}, http.StatusCreated, &cm)
	return &cm, err
}

func (c *client) transition(ctx context.Context, token string, id int64, to string) (*request, error) {
	var r request
	err := c.do(ctx, token, "POST", fmt.Sprintf("/api/v1/requests/%d/transitions", id),
		map[string]any{"to": to}, http.StatusOK, &r)
	return &r, err
}

// allRequests pages through every request the token may see, oldest first.
func (c *client) allRequests(ctx context.Context, token string) ([]request, error) {
	var all []request
	cursor := ""
	for {
		q := url.Values{"sort": {"oldest"}, "limit": {"100"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page struct {
			Items      []request `json:"items"`
			NextCursor *string   `json:"next_cursor"`
		}
		if err := c.do(ctx, token, "GET", "/api/v1/requests?"+q.Encode(), nil, http.StatusOK, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.NextCursor == nil || *page.NextCursor == "" {
			return all, nil
		}
		cursor = *page.NextCursor
	}
}

func (c *client) comments(ctx context.Context, token string, id int64) ([]comment, error) {
	var list struct {
		Items []comment `json:"items"`
	}
	err := c.do(ctx, token, "GET", "/api/v1/requests/"+strconv.FormatInt(id, 10)+"/comments", nil, http.StatusOK, &list)
	return list.Items, err
}

func (c *client) audit(ctx context.Context, token string, id int64) ([]auditEntry, error) {
	var list struct {
		Items []auditEntry `json:"items"`
	}
	err := c.do(ctx, token, "GET", "/api/v1/requests/"+strconv.FormatInt(id, 10)+"/audit", nil, http.StatusOK, &list)
	return list.Items, err
}
