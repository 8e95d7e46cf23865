package server

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"beheer"
)

// The release pages: the list with the form for a new release, one
// release with its test round, and the reusable checklist.

// releasesView is the data of the list of releases.
type releasesView struct {
	formRefusal
	Page      *beheer.ReleasePage
	CanManage bool
}

func (s *Server) releasesPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showReleases(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showReleases(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	pg, err := s.store.Releases(r.Context(), p.Actor, 25, r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	p.Title = p.T("release.title")
	if p.Flash == "" {
		p.Flash = planDoneMessage(p, r)
	}
	p.Data = releasesView{formRefusal: fe, Page: pg, CanManage: beheer.CanManageReleases(p.Actor)}
	s.render(w, status, "releases", "", p)
	return nil
}

func readReleaseForm(r *http.Request) (beheer.ReleaseInput, error) {
	var v beheer.Validation
	in := beheer.ReleaseInput{Name: r.PostFormValue("name"), VersionLabel: r.PostFormValue("version_label"),
		AcceptanceOn: formDay(r, "acceptance_on", &v), ProductionOn: formDay(r, "production_on", &v),
		NotesURL: r.PostFormValue("notes_url")}
	if err := v.Err(); err != nil {
		if verr := in.Validate(); verr != nil {
			for _, f := range verr.(*beheer.Error).Fields {
				if !v.Has(f.Field) {
					v.Fields = append(v.Fields, f)
				}
			}
		}
		return in, v.Err()
	}
	return in, nil
}

func (s *Server) createRelease(w http.ResponseWriter, r *http.Request, p *page) error {
	in, err := readReleaseForm(r)
	var rel *beheer.Release
	if err == nil {
		rel, err = s.store.CreateRelease(r.Context(), p.Actor, in, r.PostFormValue("template") != "")
	}
	if err != nil {
		return p.showRefused(r, "release", err, func(fe formRefusal) error {
			return s.showReleases(w, r, p, fe.Status, fe)
		})
	}
	redirect(w, r, "/releases/"+strconv.FormatInt(rel.ID, 10)+"?done=release")
	return nil
}

// releaseView is the data of one release's page.
type releaseView struct {
	formRefusal
	R             *beheer.Release
	CanManage     bool
	CanFunctional bool
	CanTechnical  bool
	People        []beheer.PersonName
	Areas         []beheer.Area
}

// NewsTitle and NewsBody are the suggested news item about the release.
func (v releaseView) NewsTitle(p *page) string {
	return p.T("release.news_title", "name", v.R.Name)
}

func (v releaseView) NewsBody(p *page) string {
	body := p.T("release.news_body", "name", v.R.Name, "date", p.Date(v.R.ProductionOn))
	if v.R.NotesURL != "" {
		body += "\n\n" + p.T("release.news_notes", "url", v.R.NotesURL)
	}
	return body
}

// Sides lists the two checklist sides for the template.
func (v releaseView) Sides() []beheer.CheckKind { return beheer.CheckKinds }

func (s *Server) releasePage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showRelease(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showRelease(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rel, err := s.store.Release(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	v := releaseView{formRefusal: fe, R: rel, CanManage: beheer.CanManageReleases(p.Actor),
		CanFunctional: beheer.CanTestSide(p.Actor, beheer.CheckFunctional), CanTechnical: beheer.CanTestSide(p.Actor, beheer.CheckTechnical)}
	if v.CanManage || v.CanTechnical {
		if v.People, err = s.store.PlanPeople(r.Context(), p.Actor); err != nil {
			return err
		}
		if v.Areas, err = s.store.Areas(r.Context()); err != nil {
			return err
		}
	}
	p.Title = rel.Name
	if p.Flash == "" {
		p.Flash = planDoneMessage(p, r)
	}
	p.Data = v
	s.render(w, status, "release", "", p)
	return nil
}

func (s *Server) releaseFailed(w http.ResponseWriter, r *http.Request, p *page, form string, err error) error {
	return p.showRefused(r, form, err, func(fe formRefusal) error { return s.showRelease(w, r, p, fe.Status, fe) })
}

func releasePath(id int64, rest string) string {
	return "/releases/" + strconv.FormatInt(id, 10) + rest
}

func (s *Server) updateRelease(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	in, err := readReleaseForm(r)
	if err == nil {
		_, err = s.store.UpdateRelease(r.Context(), p.Actor, id, version, in)
	}
	if err != nil {
		return s.releaseFailed(w, r, p, "release", err)
	}
	redirect(w, r, releasePath(id, "?done=saved"))
	return nil
}

func (s *Server) addReleaseCheck(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var v beheer.Validation
	in := beheer.ReleaseCheckInput{Kind: beheer.CheckKind(r.PostFormValue("kind")), Title: r.PostFormValue("title"),
		AssigneeID: planFormID(r, "assignee", &v)}
	err = v.Err()
	if err == nil {
		_, err = s.store.AddCheck(r.Context(), p.Actor, id, in)
	}
	if err != nil {
		return s.releaseFailed(w, r, p, "check-"+r.PostFormValue("kind"), err)
	}
	redirect(w, r, releasePath(id, "?done=check#"+r.PostFormValue("kind")))
	return nil
}

// maxCheckForm bounds the result form: one file and a note.
func (s *Server) readCheckFile(r *http.Request) (*beheer.ResultFile, error) {
	f, hdr, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		var v beheer.Validation
		v.Add("file", "release.field.file_too_large", "max", beheer.FormatBytes(s.store.MaxAttachmentSize()))
		return nil, v.Err()
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, s.store.MaxAttachmentSize()+1))
	if err != nil {
		return nil, err
	}
	if hdr.Filename == "" && len(data) == 0 {
		return nil, nil
	}
	return &beheer.ResultFile{Name: hdr.Filename, Data: data}, nil
}

func (s *Server) recordReleaseCheck(w http.ResponseWriter, r *http.Request, p *page) error {
	id, check, err := s.releaseCheckID(r, p.Actor)
	if err != nil {
		return err
	}
	file, err := s.readCheckFile(r)
	if err == nil {
		_, err = s.store.RecordCheck(r.Context(), p.Actor, check, beheer.CheckResult(r.PostFormValue("result")),
			r.PostFormValue("note"), file)
	}
	if err != nil {
		return s.releaseFailed(w, r, p, "result-"+strconv.FormatInt(check, 10), err)
	}
	redirect(w, r, releasePath(id, "?done=saved#check-"+strconv.FormatInt(check, 10)))
	return nil
}

func (s *Server) releaseCheckFile(w http.ResponseWriter, r *http.Request, p *page) error {
	_, check, err := s.releaseCheckID(r, p.Actor)
	if err != nil {
		return err
	}
	return s.sendCheckFile(w, r, p.Actor, check)
}

func (s *Server) addReleaseFinding(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var v beheer.Validation
	n := beheer.NewRequest{Type: beheer.Type(r.PostFormValue("type")), Title: r.PostFormValue("title"),
		Description: r.PostFormValue("description"), AreaID: s.kbAreaID(r, r.PostFormValue("area"), "area", &v)}
	check := planFormID(r, "check", &v)
	err = v.Err()
	var req *beheer.Request
	if err == nil {
		req, err = s.store.AddFinding(r.Context(), p.Actor, id, check, n)
	}
	if err != nil {
		return s.releaseFailed(w, r, p, "finding", err)
	}
	_ = req
	redirect(w, r, releasePath(id, "?done=finding#findings"))
	return nil
}

func (s *Server) signOffRelease(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	kind := beheer.CheckKind(r.PostFormValue("kind"))
	if _, err := s.store.SignOffRelease(r.Context(), p.Actor, id, kind, r.PostFormValue("note")); err != nil {
		return s.releaseFailed(w, r, p, "signoff-"+string(kind), err)
	}
	redirect(w, r, releasePath(id, "?done=signoff#signoff"))
	return nil
}

func (s *Server) announceRelease(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.store.AnnounceRelease(r.Context(), p.Actor, id, r.PostFormValue("announcement_url")); err != nil {
		return s.releaseFailed(w, r, p, "announce", err)
	}
	redirect(w, r, releasePath(id, "?done=announced#announce"))
	return nil
}

// releaseNews writes the news item that ends a signed-off release and
// shows it.
func (s *Server) releaseNews(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	newsID, err := s.store.AnnounceReleaseNews(r.Context(), p.Actor, id, beheer.PublicationInput{
		Title: r.PostFormValue("title"), Body: r.PostFormValue("body")})
	if err != nil {
		return s.releaseFailed(w, r, p, "news", err)
	}
	redirect(w, r, "/news/"+strconv.FormatInt(newsID, 10))
	return nil
}

// checklistView is the data of the reusable checklist's page.
type checklistView struct {
	formRefusal
	Items     []beheer.ReleaseCheckTemplate
	CanManage bool
}

// Of returns the items of one side.
func (v checklistView) Of(kind string) []beheer.ReleaseCheckTemplate {
	var out []beheer.ReleaseCheckTemplate
	for _, c := range v.Items {
		if string(c.Kind) == kind {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) checklistPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showChecklist(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showChecklist(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	items, err := s.store.CheckTemplates(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	p.Title = p.T("release.checklist.title")
	if p.Flash == "" {
		p.Flash = planDoneMessage(p, r)
	}
	p.Data = checklistView{formRefusal: fe, Items: items, CanManage: beheer.CanManageReleases(p.Actor)}
	s.render(w, status, "releasechecklist", "", p)
	return nil
}

func (s *Server) addChecklistItem(w http.ResponseWriter, r *http.Request, p *page) error {
	kind := r.PostFormValue("kind")
	if _, err := s.store.AddCheckTemplate(r.Context(), p.Actor, beheer.CheckKind(kind), r.PostFormValue("title")); err != nil {
		return p.showRefused(r, "template-"+kind, err, func(fe formRefusal) error {
			return s.showChecklist(w, r, p, fe.Status, fe)
		})
	}
	redirect(w, r, "/releases/checklist?done=check")
	return nil
}

func (s *Server) deleteChecklistItem(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteCheckTemplate(r.Context(), p.Actor, id); err != nil {
		return err
	}
	redirect(w, r, "/releases/checklist?done=removed")
	return nil
}
