package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"image"
	_ "image/jpeg" // to read thumbnails back
	"net/http"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/internal/imagetest"
	"beheer/store"
	"beheer/store/storetest"
)

// plant stores a file as it may exist from before the upload checks (or
// from an import), bypassing them: the serving side must be safe on its
// own.
func plant(t *testing.T, db *sql.DB, requestID, uploader int64, name, contentType string, data []byte) int64 {
	t.Helper()
	var id int64
	if err := db.QueryRow(`INSERT INTO attachments (request_id, name, content_type, size, sha256, data, uploader_id, created_at)
		VALUES ($1, $2, $3, $4, 'x', $5, $6, $7) RETURNING id`, requestID, name, contentType, len(data), data, uploader,
		time.Now().UnixMilli()).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// wantSafe checks the headers every file answer carries: never sniffed,
// and sandboxed so no script in it can run.
func wantSafe(t *testing.T, what string, r response) {
	t.Helper()
	if r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q", what, r.header.Get("X-Content-Type-Options"))
	}
	csp := r.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("%s: Content-Security-Policy %q", what, csp)
	}
}

// TestPicturesInPlace: a screenshot shows as a thumbnail in the timeline
// and inline in the viewer; SVG, HTML called .png, PDF and a decompression
// bomb are only ever downloads.
func TestPicturesInPlace(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, db *sql.DB, _ string) {
		f := newFixture(t, st)
		b := rpLogin(f, requester)
		id := f.file("incident", "Foutmelding bij declareren", "hr")
		shot := imagetest.PNG(1366, 768, false)
		rpWant(t, b.attach(id, "foutmelding.png", shot), http.StatusSeeOther)
		files, err := st.Attachments(context.Background(), store.System, id)
		if err != nil || len(files) != 1 {
			t.Fatalf("attachments %v %v", files, err)
		}
		pic := itoa(files[0].ID)

		t.Run("the timeline shows the thumbnail and the page has the viewer", func(t *testing.T) {
			page := rpWant(t, b.get(rpPath(id, "")), http.StatusOK).raw
			for _, want := range []string{`<img src="/attachments/` + pic + `/thumb" alt="` + rpNL("media.open", "name", "foutmelding.png") + `"`,
				`href="/attachments/` + pic + `/view" data-viewer`, `<dialog id="viewer"`, `href="/attachments/` + pic + `"`} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %s", want)
				}
			}
		})

		t.Run("the thumbnail is small, made once and kept", func(t *testing.T) {
			got := rpWant(t, b.get("/attachments/"+pic+"/thumb"), http.StatusOK)
			wantSafe(t, "thumbnail", got)
			img, format, err := image.Decode(strings.NewReader(got.raw))
			if err != nil || format != "jpeg" || got.header.Get("Content-Type") != "image/jpeg" {
				t.Fatalf("thumbnail %q (%s): %v", got.header.Get("Content-Type"), format, err)
			}
			if bd := img.Bounds(); bd.Dx() != 480 || bd.Dy() != 269 {
				t.Errorf("thumbnail %v, want 480×269", bd)
			}
			var stored []byte
			if err := db.QueryRow(`SELECT thumb FROM attachments WHERE id = $1`, files[0].ID).Scan(&stored); err != nil || !bytes.Equal(stored, []byte(got.raw)) {
				t.Errorf("the thumbnail is not kept beside the file (%v)", err)
			}
			if again := rpWant(t, b.get("/attachments/"+pic+"/thumb"), http.StatusOK); again.raw != got.raw {
				t.Error("the second view made another thumbnail")
			}
			api := f.want(f.call(requester, "GET", "/api/v1/attachments/"+pic+"/thumbnail", nil), http.StatusOK)
			if api.raw != got.raw {
				t.Error("the API's thumbnail differs from the portal's")
			}
		})

		t.Run("the viewer gets the picture inline, sandboxed", func(t *testing.T) {
			got := rpWant(t, b.get("/attachments/"+pic+"/view"), http.StatusOK)
			wantSafe(t, "view", got)
			if got.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(got.header.Get("Content-Disposition"), "inline") ||
				got.raw != string(shot) {
				t.Errorf("view: %q %q", got.header.Get("Content-Type"), got.header.Get("Content-Disposition"))
			}
			// The download stays a download.
			dl := rpWant(t, b.get("/attachments/"+pic), http.StatusOK)
			if !strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment") {
				t.Errorf("download: %q", dl.header.Get("Content-Disposition"))
			}
		})

		t.Run("what is no raster picture is never shown inline", func(t *testing.T) {
			uploader := f.ids[requester]
			pdf := []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
			rpWant(t, b.attach(id, "handleiding.pdf", pdf), http.StatusSeeOther)
			all, _ := st.Attachments(context.Background(), store.System, id)
			cases := []struct {
				name  string
				id    int64
				thumb bool // shown as a thumbnail until the first attempt tells otherwise
			}{
				{"svg", plant(t, db, id, uploader, "logo.svg", "image/svg+xml",
					[]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/v1/me")</script></svg>`)), false},
				{"html called .png", plant(t, db, id, uploader, "scherm.png", "image/png",
					[]byte(`<!DOCTYPE html><html><body><script>fetch("/api/v1/me")</script></body></html>`)), true},
				{"pdf", all[len(all)-1].ID, false},
				{"decompression bomb", plant(t, db, id, uploader, "groot.png", "image/png", imagetest.BombPNG(50000, 50000)), true},
			}
			page := rpWant(t, b.get(rpPath(id, "")), http.StatusOK).raw
			for _, c := range cases {
				a := "/attachments/" + itoa(c.id)
				if strings.Contains(page, a+`/thumb"`) != c.thumb {
					t.Errorf("%s: thumbnail on the page %v, want %v", c.name, !c.thumb, c.thumb)
				}
				for _, p := range []string{a, a + "/view"} {
					got := rpWant(t, b.get(p), http.StatusOK)
					wantSafe(t, c.name+" "+p, got)
					if !strings.HasPrefix(got.header.Get("Content-Disposition"), "attachment") {
						t.Errorf("%s %s: Content-Disposition %q", c.name, p, got.header.Get("Content-Disposition"))
					}
				}
				rpWant(t, b.get(a+"/thumb"), http.StatusNotFound)
				f.want(f.call(requester, "GET", "/api/v1/attachments/"+itoa(c.id)+"/thumbnail", nil), http.StatusNotFound)
			}
			// The failed attempts are recorded: the page no longer offers
			// their thumbnails, and they are not decoded again.
			var none int
			if err := db.QueryRow(`SELECT COUNT(*) FROM attachments WHERE thumb_type = $1`, beheer.ThumbNone).Scan(&none); err != nil || none != 2 {
				t.Errorf("%d attachments recorded without a thumbnail, want 2 (%v)", none, err)
			}
			page = rpWant(t, b.get(rpPath(id, "")), http.StatusOK).raw
			for _, c := range cases {
				if strings.Contains(page, "/attachments/"+itoa(c.id)+"/thumb") {
					t.Errorf("%s: still offered as a thumbnail", c.name)
				}
			}
		})

		t.Run("whoever may not read the request gets not found", func(t *testing.T) {
			other := rpLogin(f, otherUser)
			for _, p := range []string{"/attachments/" + pic + "/thumb", "/attachments/" + pic + "/view"} {
				if got := rpWant(t, other.get(p), http.StatusNotFound); strings.Contains(got.raw, "PNG") {
					t.Errorf("%s leaks the picture", p)
				}
			}
		})
	})
}
