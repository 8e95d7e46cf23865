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
	Profile *beheer.Profile
	Plan    *beheer.PlanView // nil when the year has no plan
	Year    int
	Now     time.Time
}

func (s *Server) loadProfileDoc(r *http.Request, a *beheer.Actor) (*profileDoc, error) {
	p, err := s.store.Profile(r.Context(), a)
	if err != nil {
		return nil, err
	}
	d := &profileDoc{Profile: p, Now: s.now(), Year: s.now().In(s.zone).Year()}
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
	add(docBlock{Kind: "title", Text: p.T("profile.title")})
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

	add(docBlock{Kind: "h1", Text: p.T("profile.channels")})
	for _, ch := range beheer.Channels {
		add(docBlock{Kind: "h2", Text: p.Name(ch)})
		add(docBlock{Kind: "p", Text: p.T("profile.channel_rule." + string(ch))})
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
