package server

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"

	"beheer"
)

// The organisation profile as a document: a list of blocks (headings,
// paragraphs, bullets, tables) built from the live data, shown as HTML to
// print and written as a .docx (WordprocessingML, with archive/zip and
// encoding/xml only).

// docBlock is one block of the document.
type docBlock struct {
	Kind  string // "title", "h1", "h2", "p", "list", "table"
	Text  string
	Items []string   // list items
	Head  []string   // table header
	Rows  [][]string // table rows
	Muted bool       // a paragraph that says nothing is there
}

// profileDoc gathers what the document needs.
type profileDoc struct {
	Profile  *beheer.Profile
	Plan     *beheer.PlanView     // nil when the year has no plan
	Org      *beheer.Organisation // nil before the organisation is set up
	Areas    []profileArea        // the areas in use
	Channels []beheer.ChannelDetails
	Year     int
	Now      time.Time
}

// profileArea is an area in use with its processes (and their owners) and
// its key users, as the profile shows them.
type profileArea struct {
	beheer.Area
	Processes []beheer.Process
	KeyUsers  []string
}

// ChannelOf returns the recorded details of a channel.
func (d *profileDoc) ChannelOf(c beheer.Channel) beheer.ChannelDetails {
	for _, x := range d.Channels {
		if x.Channel == c {
			return x
		}
	}
	return beheer.ChannelDetails{Channel: c}
}

// loadOrganisation reads the organisation, its areas with their processes
// and key users, and the channels' details into d.
func (s *Server) loadOrganisation(r *http.Request, d *profileDoc) error {
	ctx := r.Context()
	var err error
	if d.Org, err = s.store.Organisation(ctx); err != nil {
		return err
	}
	if d.Channels, err = s.store.Channels(ctx); err != nil {
		return err
	}
	areas, err := s.store.Areas(ctx)
	if err != nil {
		return err
	}
	processes, err := s.store.Processes(ctx)
	if err != nil {
		return err
	}
	for _, a := range beheer.ActiveAreas(areas) {
		pa := profileArea{Area: a, Processes: processesOf(processes, a.ID, false)}
		for _, h := range d.Profile.HoldersOf(beheer.RoleKeyUser) {
			if h.AreaID == a.ID {
				pa.KeyUsers = append(pa.KeyUsers, h.Name)
			}
		}
		d.Areas = append(d.Areas, pa)
	}
	return nil
}

func (s *Server) loadProfileDoc(r *http.Request, a *beheer.Actor) (*profileDoc, error) {
	p, err := s.store.Profile(r.Context(), a)
	if err != nil {
		return nil, err
	}
	d := &profileDoc{Profile: p, Now: s.now(), Year: s.now().In(s.zone).Year()}
	if err := s.loadOrganisation(r, d); err != nil {
		return nil, err
	}
	if v, err := s.store.Plan(r.Context(), a, d.Year); err == nil {
		d.Plan = v
	} else if beheer.ErrorCode(err) != beheer.CodeNotFound {
		return nil, err
	}
	return d, nil
}

// blocks builds the document in the page's language.
func (d *profileDoc) blocks(p *page) []docBlock {
	var out []docBlock
	add := func(b docBlock) { out = append(out, b) }
	add(docBlock{Kind: "title", Text: d.Title(p)})
	add(docBlock{Kind: "p", Text: p.T("profile.doc.generated", "date", p.Date(d.Now))})

	add(docBlock{Kind: "h1", Text: p.T("profile.roles")})
	for _, role := range profileRoles {
		add(docBlock{Kind: "h2", Text: p.Role(role)})
		add(docBlock{Kind: "list", Items: p.s.responsibilitiesLang(p, role)})
		if role == beheer.RoleUser {
			add(docBlock{Kind: "p", Text: p.T("profile.users_count", "count", d.Profile.Users)})
			continue
		}
		holders := d.Profile.HoldersOf(role)
		if len(holders) == 0 {
			add(docBlock{Kind: "p", Text: p.T("profile.nobody"), Muted: true})
			continue
		}
		t := docBlock{Kind: "table", Head: []string{p.T("profile.col.name"), p.T("profile.col.email"), p.T("profile.col.area")}}
		for _, h := range holders {
			area := h.AreaName
			if area == "" {
				area = p.T("profile.all_areas")
			}
			t.Rows = append(t.Rows, []string{h.Name, h.Email, area})
		}
		add(t)
	}

	out = append(out, d.areaBlocks(p)...)

	add(docBlock{Kind: "h1", Text: p.T("profile.channels")})
	for _, ch := range beheer.Channels {
		add(docBlock{Kind: "h2", Text: p.Name(ch)})
		add(docBlock{Kind: "p", Text: p.T("profile.channel_rule." + string(ch))})
		if det := d.ChannelOf(ch); det.Filled() {
			add(docBlock{Kind: "list", Items: channelLines(p, det)})
		}
		if ch == beheer.ChannelSupport {
			key := "profile.support_rule_off"
			if d.Profile.Policy.SupportIncidentsOnly {
				key = "profile.support_rule_on"
			}
			add(docBlock{Kind: "p", Text: p.T(key)})
		}
		contacts := d.Profile.ContactsOf(ch)
		if len(contacts) == 0 {
			add(docBlock{Kind: "p", Text: p.T("profile.no_contacts"), Muted: true})
			continue
		}
		t := docBlock{Kind: "table", Head: []string{p.T("profile.col.name"), p.T("profile.col.organisation"),
			p.T("profile.col.email"), p.T("profile.col.phone"), p.T("profile.col.may_submit")}}
		for _, c := range contacts {
			may := p.T("profile.no")
			if c.MaySubmitSupportIncidents {
				may = p.T("profile.yes")
			}
			t.Rows = append(t.Rows, []string{c.Name, c.Organisation, c.Email, c.Phone, may})
		}
		add(t)
	}

	add(docBlock{Kind: "h1", Text: p.T("profile.plan", "year", d.Year)})
	if d.Plan == nil {
		add(docBlock{Kind: "p", Text: p.T("profile.no_plan", "year", d.Year), Muted: true})
		return out
	}
	add(docBlock{Kind: "p", Text: p.T("plan.status." + string(d.Plan.Plan.Status))})
	add(docBlock{Kind: "h2", Text: p.T("plan.objectives")})
	if len(d.Plan.Objectives) == 0 {
		add(docBlock{Kind: "p", Text: p.T("plan.no_objectives"), Muted: true})
	} else {
		t := docBlock{Kind: "table", Head: []string{p.T("plan.field.objective"), p.T("plan.field.target"), p.T("plan.field.owner"),
			p.T("plan.progress")}}
		for _, o := range d.Plan.Objectives {
			t.Rows = append(t.Rows, []string{o.Title, o.Target, o.OwnerName,
				p.T("plan.progress_text", "done", o.Progress.Done(), "total", o.Progress.Total())})
		}
		add(t)
	}
	add(docBlock{Kind: "h2", Text: p.T("plan.activities")})
	if len(d.Plan.Activities) == 0 {
		add(docBlock{Kind: "p", Text: p.T("plan.no_activities"), Muted: true})
	} else {
		t := docBlock{Kind: "table", Head: []string{p.T("plan.field.title"), p.T("plan.field.when"), p.T("plan.field.role"),
			p.T("plan.field.status")}}
		for _, a := range d.Plan.Activities {
			role := ""
			if a.Role != "" {
				role = p.Role(a.Role)
			}
			t.Rows = append(t.Rows, []string{a.Title, p.s.activityWhen(p, a), role, p.T("plan.activity_status." + string(a.Status))})
		}
		add(t)
	}
	return out
}

// responsibilitiesLang is responsibilities in the page's language.
func (s *Server) responsibilitiesLang(p *page, role beheer.Role) []string {
	var out []string
	for i := 1; i < 30; i++ {
		key := "profile.resp." + string(role) + "." + strconv.Itoa(i)
		if !s.catalog.Has(key) {
			break
		}
		out = append(out, p.T(key))
	}
	return out
}

// The parts of a minimal WordprocessingML package.
const (
	docxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
		`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
		`</Types>`
	docxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
		`</Relationships>`
	docxDocumentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`</Relationships>`
	docxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:lang w:val="nl-NL"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>` +
		`<w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="48"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>` +
		`<w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>` +
		`<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/>` +
		`<w:pPr><w:ind w:left="360" w:hanging="360"/><w:spacing w:after="40"/></w:pPr></w:style>` +
		`<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>` +
		`<w:top w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:left w:val="single" w:sz="4" w:space="0" w:color="999999"/>` +
		`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:right w:val="single" w:sz="4" w:space="0" w:color="999999"/>` +
		`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="999999"/>` +
		`</w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
		`</w:styles>`
)

// writeDocx writes the blocks as a .docx package.
func writeDocx(blocks []docBlock) ([]byte, error) {
	var body bytes.Buffer
	body.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, b := range blocks {
		switch b.Kind {
		case "title":
			docxPara(&body, "Title", b.Text, false)
		case "h1":
			docxPara(&body, "Heading1", b.Text, false)
		case "h2":
			docxPara(&body, "Heading2", b.Text, false)
		case "list":
			for _, it := range b.Items {
				docxPara(&body, "ListParagraph", "•\t"+it, false)
			}
		case "table":
			docxTable(&body, b)
			docxPara(&body, "", "", false)
		default:
			docxPara(&body, "", b.Text, false)
		}
	}
	body.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>` +
		`<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>`)
	body.WriteString(`</w:body></w:document>`)

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, part := range []struct{ name, data string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRels},
		{"word/_rels/document.xml.rels", docxDocumentRels},
		{"word/styles.xml", docxStyles},
		{"word/document.xml", body.String()},
	} {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if _, err := f.Write([]byte(part.data)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// xmlText escapes text for an XML element.
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// docxRun writes text as runs, tabs as <w:tab/> and newlines as <w:br/>.
func docxRun(b *bytes.Buffer, text string, bold bool) {
	b.WriteString(`<w:r>`)
	if bold {
		b.WriteString(`<w:rPr><w:b/></w:rPr>`)
	}
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString(`<w:tab/>`)
			}
			if part != "" {
				b.WriteString(`<w:t xml:space="preserve">` + xmlText(part) + `</w:t>`)
			}
		}
	}
	b.WriteString(`</w:r>`)
}

func docxPara(b *bytes.Buffer, style, text string, bold bool) {
	b.WriteString(`<w:p>`)
	if style != "" {
		b.WriteString(`<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
	}
	if text != "" {
		docxRun(b, text, bold)
	}
	b.WriteString(`</w:p>`)
}

func docxTable(b *bytes.Buffer, t docBlock) {
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr><w:tblGrid>`)
	for range t.Head {
		b.WriteString(`<w:gridCol/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(cells []string, head bool) {
		b.WriteString(`<w:tr>`)
		if head {
			b.WriteString(`<w:trPr><w:tblHeader/></w:trPr>`)
		}
		for _, c := range cells {
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>`)
			docxPara(b, "", c, head)
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	row(t.Head, true)
	for _, r := range t.Rows {
		row(r, false)
	}
	b.WriteString(`</w:tbl>`)
}

// Title is the document's title: "Beheerorganisatie" with the
// organisation's name once it has one, as the seed document's
// "Beheerorganisatie [Klant]".
func (d *profileDoc) Title(p *page) string {
	if d.Org != nil && d.Org.Name != "" {
		return p.T("profile.title_of", "name", d.Org.Name)
	}
	return p.T("profile.title")
}

// areaBlocks are the areas with their processes, process owners and key
// users.
func (d *profileDoc) areaBlocks(p *page) []docBlock {
	out := []docBlock{{Kind: "h1", Text: p.T("areas.title")}}
	if len(d.Areas) == 0 {
		return append(out, docBlock{Kind: "p", Text: p.T("profile.no_areas"), Muted: true})
	}
	for _, a := range d.Areas {
		out = append(out, docBlock{Kind: "h2", Text: a.Name})
		if a.Description != "" {
			out = append(out, docBlock{Kind: "p", Text: a.Description})
		}
		keyUsers := p.T("areas.no_key_users")
		if len(a.KeyUsers) > 0 {
			keyUsers = strings.Join(a.KeyUsers, ", ")
		}
		out = append(out, docBlock{Kind: "p", Text: p.T("areas.key_users") + ": " + keyUsers})
		if len(a.Processes) == 0 {
			out = append(out, docBlock{Kind: "p", Text: p.T("areas.no_processes"), Muted: true})
			continue
		}
		t := docBlock{Kind: "table", Head: []string{p.T("areas.field.process_name"), p.T("areas.field.owner")}}
		for _, x := range a.Processes {
			owner := x.OwnerName
			if owner == "" {
				owner = p.T("areas.no_owner")
			}
			t.Rows = append(t.Rows, []string{x.Name, owner})
		}
		out = append(out, t)
	}
	return out
}

// channelLines are a channel's recorded details, one line each.
func channelLines(p *page, d beheer.ChannelDetails) []string {
	var out []string
	for _, f := range [][2]string{{"channels.field.vendor", d.Vendor}, {"profile.col.phone", d.Phone},
		{"profile.col.email", d.Email}, {"channels.field.portal_url", d.PortalURL}, {"channels.field.contract", d.Contract}} {
		if f[1] != "" {
			out = append(out, p.T(f[0])+": "+f[1])
		}
	}
	return out
}
