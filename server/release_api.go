package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"beheer"
)

// The releases' JSON API under /api/v1/releases.

// apiRelease is a release with its test round.
type apiRelease struct {
	ID              int64        `json:"id"`
	Name            string       `json:"name"`
	VersionLabel    string       `json:"version_label"`
	AcceptanceOn    *string      `json:"acceptance_on"`
	ProductionOn    *string      `json:"production_on"`
	NotesURL        string       `json:"notes_url"`
	AnnouncedAt     *time.Time   `json:"announced_at"`
	AnnouncementURL string       `json:"announcement_url"`
	Counts          apiCounts    `json:"counts"`
	Checks          []apiCheck   `json:"checks,omitempty"`
	SignOffs        []apiSignOff `json:"signoffs,omitempty"`
	Findings        []apiRequest `json:"findings,omitempty"`
	CreatedAt       time.Time    `json:"created_at"`
	UpdatedAt       time.Time    `json:"updated_at"`
	Version         int64        `json:"version"`
}

// apiCounts counts a release's checklist items by result.
type apiCounts struct {
	Total    int `json:"total"`
	Open     int `json:"open"`
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	Blocked  int `json:"blocked"`
	SignOffs int `json:"signoffs"`
}

// apiCheck is one checklist item.
type apiCheck struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Assignee  *person    `json:"assignee"`
	Result    string     `json:"result"`
	Note      string     `json:"note"`
	File      *string    `json:"file"`
	CheckedBy *person    `json:"checked_by"`
	CheckedAt *time.Time `json:"checked_at"`
}

// apiSignOff is one side's sign-off.
type apiSignOff struct {
	Kind     string    `json:"kind"`
	By       person    `json:"by"`
	Note     string    `json:"note"`
	SignedAt time.Time `json:"signed_at"`
}

// apiCheckTemplate is an item of the reusable checklist.
type apiCheckTemplate struct {
	ID    int64  `json:"id"`
	Kind  string `json:"kind"`
	Title string `json:"title"`
}

func optISODay(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := isoDay(t)
	return &s
}

func toAPICheck(c *beheer.ReleaseCheck) apiCheck {
	out := apiCheck{ID: c.ID, Kind: string(c.Kind), Title: c.Title, Result: string(c.Result), Note: c.Note}
	if c.AssigneeID != 0 {
		out.Assignee = &person{c.AssigneeID, c.AssigneeName}
	}
	if c.FileName != "" {
		f := "/api/v1/releases/" + strconv.FormatInt(c.ReleaseID, 10) + "/checks/" + strconv.FormatInt(c.ID, 10) + "/file"
		out.File = &f
	}
	if c.CheckedBy != 0 {
		out.CheckedBy = &person{c.CheckedBy, c.CheckedByName}
		out.CheckedAt = &c.CheckedAt
	}
	return out
}

func toAPIRelease(r *beheer.Release) apiRelease {
	out := apiRelease{ID: r.ID, Name: r.Name, VersionLabel: r.VersionLabel, AcceptanceOn: optISODay(r.AcceptanceOn),
		ProductionOn: optISODay(r.ProductionOn), NotesURL: r.NotesURL, AnnouncementURL: r.AnnouncementURL,
		Counts:    apiCounts{r.Counts.Total, r.Counts.Open(), r.Counts.Passed, r.Counts.Failed, r.Counts.Blocked, r.Counts.SignOffs},
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
	if !r.AnnouncedAt.IsZero() {
		out.AnnouncedAt = &r.AnnouncedAt
	}
	for _, c := range r.Checks {
		out.Checks = append(out.Checks, toAPICheck(c))
	}
	for _, g := range r.SignOffs {
		out.SignOffs = append(out.SignOffs, apiSignOff{string(g.Kind), person{g.UserID, g.UserName}, g.Note, g.SignedAt})
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, toAPIRequest(f))
	}
	return out
}

func writeRelease(w http.ResponseWriter, status int, r *beheer.Release) {
	w.Header().Set("ETag", etag(r.Version))
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/releases/"+strconv.FormatInt(r.ID, 10))
	}
	writeJSON(w, status, toAPIRelease(r))
}

func (s *Server) apiListReleases(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var limit int
	if err := kbLimitParam(r.URL.Query().Get("limit"), &limit); err != nil {
		return err
	}
	page, err := s.store.Releases(r.Context(), a, limit, r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	items := make([]apiRelease, len(page.Items))
	for i, x := range page.Items {
		items[i] = toAPIRelease(x)
	}
	writeJSON(w, http.StatusOK, struct {
		Items      []apiRelease `json:"items"`
		NextCursor *string      `json:"next_cursor"`
	}{items, kbCursor(page.NextCursor)})
	return nil
}

// readReleaseJSON decodes a release; template is only read on create.
func (s *Server) readReleaseJSON(w http.ResponseWriter, r *http.Request, template *bool) (beheer.ReleaseInput, error) {
	var in beheer.ReleaseInput
	var acc, prod string
	f := fields{"name": &in.Name, "version_label": &in.VersionLabel, "acceptance_on": &acc, "production_on": &prod,
		"notes_url": &in.NotesURL}
	if template != nil {
		f["use_template"] = template
	}
	if err := s.decodeJSON(w, r, f); err != nil {
		return in, err
	}
	var v beheer.Validation
	in.AcceptanceOn = apiDay(acc, "acceptance_on", &v)
	in.ProductionOn = apiDay(prod, "production_on", &v)
	return in, v.Err()
}

func (s *Server) apiCreateRelease(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	template := true
	in, err := s.readReleaseJSON(w, r, &template)
	if err != nil {
		return err
	}
	rel, err := s.store.CreateRelease(r.Context(), a, in, template)
	if err != nil {
		return err
	}
	writeRelease(w, http.StatusCreated, rel)
	return nil
}

func (s *Server) apiGetRelease(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rel, err := s.store.Release(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeRelease(w, http.StatusOK, rel)
	return nil
}

func (s *Server) apiPutRelease(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _, err := ifMatch(r)
	if err != nil {
		return err
	}
	in, err := s.readReleaseJSON(w, r, nil)
	if err != nil {
		return err
	}
	rel, err := s.store.UpdateRelease(r.Context(), a, id, version, in)
	if err != nil {
		return err
	}
	writeRelease(w, http.StatusOK, rel)
	return nil
}

func (s *Server) apiAddCheck(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in beheer.ReleaseCheckInput
	var kind string
	var assignee *int64
	if err := s.decodeJSON(w, r, fields{"kind": &kind, "title": &in.Title, "assignee_id": &assignee}); err != nil {
		return err
	}
	in.Kind = beheer.CheckKind(kind)
	if assignee != nil {
		in.AssigneeID = *assignee
	}
	c, err := s.store.AddCheck(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPICheck(c))
	return nil
}

// releaseCheckID reads {check} of a path and makes sure it belongs to {id}.
func (s *Server) releaseCheckID(r *http.Request, a *beheer.Actor) (int64, int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	check, err := pathID(r, "check")
	if err != nil {
		return 0, 0, err
	}
	rel, err := s.store.Release(r.Context(), a, id)
	if err != nil {
		return 0, 0, err
	}
	for _, c := range rel.Checks {
		if c.ID == check {
			return id, check, nil
		}
	}
	return 0, 0, beheer.ErrNotFound()
}

func (s *Server) apiRecordCheck(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	_, check, err := s.releaseCheckID(r, a)
	if err != nil {
		return err
	}
	var result, note string
	if err := s.decodeJSON(w, r, fields{"result": &result, "note": &note}); err != nil {
		return err
	}
	c, err := s.store.RecordCheck(r.Context(), a, check, beheer.CheckResult(result), note, nil)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPICheck(c))
	return nil
}

func (s *Server) apiCheckFile(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	_, check, err := s.releaseCheckID(r, a)
	if err != nil {
		return err
	}
	return s.sendCheckFile(w, r, a, check)
}

// sendCheckFile answers with a checklist item's file as a download.
func (s *Server) sendCheckFile(w http.ResponseWriter, r *http.Request, a *beheer.Actor, check int64) error {
	name, ctype, data, err := s.store.ReleaseCheckFile(r.Context(), a, check)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename*=UTF-8''`+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
	return nil
}

func (s *Server) apiAddFinding(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var n beheer.NewRequest
	var area json.RawMessage
	var check *int64
	if err := s.decodeJSON(w, r, fields{"check_id": &check, "type": &n.Type, "title": &n.Title,
		"description": &n.Description, "area": &area, "priority": &n.Priority}); err != nil {
		return err
	}
	var v beheer.Validation
	n.AreaID = s.areaID(r, area, &v)
	if err := v.Err(); err != nil {
		return err
	}
	var checkID int64
	if check != nil {
		checkID = *check
	}
	req, err := s.store.AddFinding(r.Context(), a, id, checkID, n)
	if err != nil {
		return err
	}
	writeRequest(w, http.StatusCreated, req)
	return nil
}

func (s *Server) apiSignOff(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var kind, note string
	if err := s.decodeJSON(w, r, fields{"kind": &kind, "note": &note}); err != nil {
		return err
	}
	rel, err := s.store.SignOffRelease(r.Context(), a, id, beheer.CheckKind(kind), note)
	if err != nil {
		return err
	}
	writeRelease(w, http.StatusOK, rel)
	return nil
}

func (s *Server) apiAnnounceRelease(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var link string
	if err := s.decodeJSON(w, r, fields{"announcement_url": &link}); err != nil {
		return err
	}
	rel, err := s.store.AnnounceRelease(r.Context(), a, id, link)
	if err != nil {
		return err
	}
	writeRelease(w, http.StatusOK, rel)
	return nil
}

func (s *Server) apiCheckTemplates(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	list, err := s.store.CheckTemplates(r.Context(), a)
	if err != nil {
		return err
	}
	items := make([]apiCheckTemplate, len(list))
	for i, c := range list {
		items[i] = apiCheckTemplate{c.ID, string(c.Kind), c.Title}
	}
	writeJSON(w, http.StatusOK, itemsOf(items))
	return nil
}

func (s *Server) apiAddCheckTemplate(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var kind, title string
	if err := s.decodeJSON(w, r, fields{"kind": &kind, "title": &title}); err != nil {
		return err
	}
	c, err := s.store.AddCheckTemplate(r.Context(), a, beheer.CheckKind(kind), title)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, apiCheckTemplate{c.ID, string(c.Kind), c.Title})
	return nil
}

func (s *Server) apiDeleteCheckTemplate(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteCheckTemplate(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiReleaseNews writes the news item that ends a signed-off release and
// records it as the release's announcement.
func (s *Server) apiReleaseNews(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in beheer.PublicationInput
	if err := s.decodeJSON(w, r, fields{"title": &in.Title, "body": &in.Body}); err != nil {
		return err
	}
	newsID, err := s.store.AnnounceReleaseNews(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	rel, err := s.store.Release(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, apiReleaseNewsOut{NewsID: newsID, Release: toAPIRelease(rel)})
	return nil
}

// apiReleaseNewsOut is the answer to writing a release's news item.
type apiReleaseNewsOut struct {
	NewsID  int64      `json:"news_id"`
	Release apiRelease `json:"release"`
}
