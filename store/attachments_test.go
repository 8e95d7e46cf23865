package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"testing"

	"github.com/google/go-cmp/cmp"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestCreateRequestWithAttachments: a new request and its attachments are
// written in one transaction. A refused attachment — of a type not taken,
// or over the limit — refuses the request with a message on "files"
// naming the file, and nothing is written: no request, no attachment, no
// number used.
func TestCreateRequestWithAttachments(t *testing.T) {
	var writes storetest.WriteCounter
	storetest.EnginesWithDB(t, storetest.Options{MaxAttachmentSize: 1024, OnTx: writes.OnTx}, func(t *testing.T, st *store.Store, db *sql.DB, _ string) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		rows := func() (n int) {
			t.Helper()
			if err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM requests) + (SELECT COUNT(*) FROM attachments) +
				(SELECT COUNT(*) FROM audit) + (SELECT COALESCE(SUM(last), 0) FROM request_counters)`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		n := beheer.NewRequest{Type: beheer.TypeIncident, Title: "Loonstrook toont fout", AreaID: area.ID}

		t.Run("filed together", func(t *testing.T) {
			before := writes.Count()
			n := n
			n.Attachments = []beheer.Upload{{Name: "scherm.png", Data: pngBytes}, {Name: "log.txt", Data: []byte("regel 1\nregel 2\n")}}
			r, err := st.CreateRequest(ctx, requester.Actor(), n)
			if err != nil {
				t.Fatal(err)
			}
			if got := writes.Count() - before; got != 1 {
				t.Errorf("%d write transactions, want 1", got)
			}
			read, _, err := st.Request(ctx, requester.Actor(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(read, r); diff != "" {
				t.Errorf("created differs from read (-read +created):\n%s", diff)
			}
			atts, err := st.Attachments(ctx, requester.Actor(), r.ID)
			if err != nil || len(atts) != 2 || atts[0].Name != "scherm.png" || atts[0].ContentType != "image/png" ||
				atts[1].Name != "log.txt" || atts[1].UploaderID != requester.ID {
				t.Fatalf("attachments %+v %v", atts, err)
			}
			_, data, err := st.Attachment(ctx, requester.Actor(), atts[0].ID)
			if err != nil || !bytes.Equal(data, pngBytes) {
				t.Fatalf("stored bytes %v", err)
			}
			audit, err := st.Audit(ctx, admin.Actor(), r.ID)
			if err != nil || len(audit) != 3 || audit[0].Action != "request.created" ||
				audit[1].Action != "attachment.added" || audit[2].After != "log.txt" {
				t.Fatalf("audit %+v %v", audit, err)
			}
		})

		for _, tc := range []struct {
			name string
			file beheer.Upload
		}{
			{"a refused type", beheer.Upload{Name: "pagina.html", Data: []byte("<html><script>alert(1)</script></html>")}},
			{"over the limit", beheer.Upload{Name: "groot.txt", Data: bytes.Repeat([]byte("a"), 1025)}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, writesBefore := rows(), writes.Count()
				n := n
				n.Attachments = []beheer.Upload{{Name: "scherm.png", Data: pngBytes}, tc.file}
				_, err := st.CreateRequest(ctx, requester.Actor(), n)
				if beheer.ErrorCode(err) != beheer.CodeInvalid || fieldKey(err, "files") != "upload.file_refused" {
					t.Fatalf("%v, want upload.file_refused on files", err)
				}
				if !bytes.Contains([]byte(err.Error()), []byte(tc.file.Name)) {
					t.Errorf("%v does not name %s", err, tc.file.Name)
				}
				if rows() != before || writes.Count() != writesBefore {
					t.Fatal("a refused request wrote something")
				}
			})
		}
	})
}
