package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"beheer"
	"beheer/store"
)

// taskListView is a technical admin's task list: open tasks with the
// deadline of their request, filtered on whose and late, sorted by time
// left or by when they were handed over, a page at a time.
type taskListView struct {
	Who, Sort string
	Late      bool
	Items     []store.TaskItem
	Next      string // the next page's URL, or ""
	Prev      string // the previous page's URL, or ""
	Notice    string // why the list is not what the URL asked for, in words
}

// WhoOptions and SortOptions list the filter's choices, the current one
// selected.
func (v *taskListView) WhoOptions(p *page) []option {
	var out []option
	for _, w := range []string{store.TaskMine, store.TaskTeam} {
		out = append(out, option{w, p.T("tasks.who_" + w), w == v.Who})
	}
	return out
}

func (v *taskListView) SortOptions(p *page) []option {
	var out []option
	for _, s := range store.TaskSorts {
		out = append(out, option{s, p.T("tasks.sort_" + s), s == v.Sort})
	}
	return out
}

// taskListView reads the URL's filter and one page of tasks. An unknown
// choice is said and left out; a page past the end starts again.
func (s *Server) taskListView(r *http.Request, p *page, limit int) (*taskListView, error) {
	q := r.URL.Query()
	v := &taskListView{Who: q.Get("who"), Sort: q.Get("sort"), Late: q.Get("late") == "1"}
	f := store.TaskFilter{Who: v.Who, Sort: v.Sort, Late: v.Late, Limit: limit}
	var notices []string
	if v.Who != "" && v.Who != store.TaskMine && v.Who != store.TaskTeam {
		notices = append(notices, p.T("tasks.unknown_who"))
		v.Who, f.Who = "", ""
	}
	if v.Sort != "" && !slices.Contains(store.TaskSorts, v.Sort) {
		notices = append(notices, p.T("tasks.unknown_sort"))
		v.Sort, f.Sort = "", ""
	}
	if raw := q.Get("offset"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > store.MaxTaskOffset || n%limit != 0 {
			notices = append(notices, p.T("mine.page_gone"))
		} else {
			f.Offset = n
		}
	}
	items, more, err := s.store.TaskList(r.Context(), p.Actor, f)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 && f.Offset > 0 {
		notices = append(notices, p.T("mine.page_gone"))
		f.Offset = 0
		if items, more, err = s.store.TaskList(r.Context(), p.Actor, f); err != nil {
			return nil, err
		}
	}
	if v.Sort == "" {
		v.Sort = "due"
	}
	v.Items, v.Notice = items, strings.Join(notices, " ")
	page := func(offset int) string {
		u := url.Values{}
		for k, val := range map[string]string{"who": v.Who, "sort": v.Sort} {
			if val != "" {
				u.Set(k, val)
			}
		}
		if v.Late {
			u.Set("late", "1")
		}
		if offset > 0 {
			u.Set("offset", strconv.Itoa(offset))
		}
		return "/tasks?" + u.Encode()
	}
	if more && f.Offset+limit <= store.MaxTaskOffset {
		v.Next = page(f.Offset + limit)
	}
	if f.Offset > 0 {
		v.Prev = page(max(f.Offset-limit, 0))
	}
	return v, nil
}

// tasksPage is /tasks: the whole task list.
func (s *Server) tasksPage(w http.ResponseWriter, r *http.Request, p *page) error {
	v, err := s.taskListView(r, p, store.DefaultLimit)
	if err != nil {
		return err
	}
	p.Title, p.Data = p.T("tasks.title"), v
	s.render(w, http.StatusOK, "tasks", "", p)
	return nil
}

// DueBadge is how the page shows a request's deadline: a short label, a
// class for the colour, and the exact moment for a tooltip.
type DueBadge struct {
	Class, Label, Title string
}

// DueBadge describes what the sweep keeps of a request's deadline, at now.
func (p *page) DueBadge(r *beheer.Request) DueBadge {
	now := p.s.now()
	d := r.Due
	switch d.Standing(r, now) {
	case beheer.DueLate:
		at := d.At()
		return DueBadge{Class: "sla-late", Label: p.T("due.late", "since", p.when(at)), Title: p.DateTime(at)}
	case beheer.DueAtRisk:
		at := d.At()
		return DueBadge{Class: "sla-warn", Label: p.T("due.at", "when", p.when(at)), Title: p.DateTime(at)}
	case beheer.DueOnTrack:
		at := d.At()
		return DueBadge{Class: "sla-ok", Label: p.T("due.at", "when", p.when(at)), Title: p.DateTime(at)}
	case beheer.DuePaused:
		return DueBadge{Class: "sla-paused", Label: p.T("due.paused")}
	}
	return DueBadge{}
}

// when says a moment briefly: the time today, "morgen 10:30", or a date.
func (p *page) when(t time.Time) string {
	now := p.s.now().In(p.s.zone)
	t = t.In(p.s.zone)
	day := func(x time.Time) time.Time { y, m, d := x.Date(); return time.Date(y, m, d, 0, 0, 0, 0, p.s.zone) }
	switch diff := int(day(t).Sub(day(now)).Hours() / 24); diff {
	case 0:
		return p.T("due.today", "time", t.Format("15:04"))
	case 1:
		return p.T("due.tomorrow", "time", t.Format("15:04"))
	case -1:
		return p.T("due.yesterday", "time", t.Format("15:04"))
	}
	return p.ShortDate(t)
}
