package server_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beheer/store"
	"beheer/store/storetest"
)

// TestUploadQuota: the organisation sets a quota of 1 MB per person per
// day through the API (a value out of bounds is refused beside its
// field); a person's files count across the API, the new-request form
// and the request page together, and past the quota each of them refuses
// with the same Dutch message beside its file field, saving nothing.
// Someone else still uploads: the quota is per person.
func TestUploadQuota(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		bad := f.want(f.call(functional, "PUT", "/api/v1/settings", map[string]any{
			"support_incidents_only": true, "reopen_days": 14, "upload_quota_mb": -1}), http.StatusUnprocessableEntity)
		if msg := bad.fieldMessage("upload_quota_mb"); !strings.Contains(msg, "0") || !strings.Contains(msg, "102400") {
			t.Fatalf("a negative quota: %s", bad.raw)
		}
		f.want(f.call(functional, "PUT", "/api/v1/settings", map[string]any{
			"support_incidents_only": true, "reopen_days": 14, "upload_quota_mb": 1}), http.StatusOK)
		if got := f.want(f.call(requester, "GET", "/api/v1/settings", nil), http.StatusOK).num("upload_quota_mb"); got != 1 {
			t.Fatalf("the quota reads %d", got)
		}
		// Leaving the quota out of a change keeps it.
		f.want(f.call(functional, "PUT", "/api/v1/settings", map[string]any{"support_incidents_only": true, "reopen_days": 14}), http.StatusOK)

		file := func(name string) wpFile { return wpFile{name, bytes.Repeat([]byte("regel tekst\n"), 600<<10/12)} }
		request := map[string]any{"type": "question", "title": "Bijlagen van vandaag", "area": "hr"}
		created := f.want(f.createWithFiles(requester, request, nil, file("eerste.txt")), http.StatusCreated)
		count := len(wpAll(t, st))

		api := f.want(f.createWithFiles(requester, request, nil, file("tweede.txt")), http.StatusUnprocessableEntity)
		msg := api.fieldMessage("files")
		if !strings.Contains(msg, "uploadlimiet van 1 MB per dag") || !strings.Contains(msg, "nog 424 kB") {
			t.Fatalf("the API says %q", msg)
		}
		anna := wpLogin(t, f, requester)
		page := wpWant(t, anna.postFiles("/requests/new", url.Values{"type": {"question"}, "title": {"Nog een"}, "area": {"hr"}},
			file("derde.txt")), http.StatusUnprocessableEntity)
		if got := wpField(page, "files"); got != msg {
			t.Errorf("the form says %q beside the files, the API %q", got, msg)
		}
		attach := rpWant(t, rpLogin(f, requester).attach(created.num("id"), "vierde.txt", file("").data), http.StatusUnprocessableEntity)
		if got := wpField(attach, "attach-file"); got != msg {
			t.Errorf("the request page says %q beside the file", got)
		}
		if n := len(wpAll(t, st)); n != count {
			t.Errorf("%d requests after the refusals, want %d", n, count)
		}
		if list := f.want(f.call(requester, "GET", path(created.num("id"), "/attachments"), nil), http.StatusOK).items(); len(list) != 1 {
			t.Errorf("%d attachments, want 1", len(list))
		}
		f.want(f.upload(functional, created.num("id"), "van een ander.txt", string(file("").data)), http.StatusCreated)
	})
}
