package store_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestUploadQuotaAtOnce: uploads one person sends at the same moment are
// counted one after the other inside their transactions, so together they
// never pass the quota — on PostgreSQL with its concurrent writers too.
func TestUploadQuotaAtOnce(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		pol := beheer.DefaultPolicy()
		pol.UploadQuotaMB = 1
		if err := st.SetPolicy(ctx, p.admin, pol); err != nil {
			t.Fatal(err)
		}
		// Each upload goes to a request of its own, so no lock on a request
		// puts them in a row.
		ids := make([]int64, 6)
		for i := range ids {
			r, err := st.CreateRequest(ctx, p.user, beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Scans", AreaID: p.hr})
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = r.ID
		}
		data := bytes.Repeat([]byte("regel tekst\n"), 300<<10/12) // 300 kB: three fit in 1 MB, four do not
		var wg sync.WaitGroup
		errs := make([]error, len(ids))
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = st.AddAttachment(ctx, p.user, ids[i], "scan.txt", data)
			}()
		}
		wg.Wait()
		stored := 0
		for _, err := range errs {
			switch {
			case err == nil:
				stored++
			case beheer.ErrorCode(err) != beheer.CodeInvalid:
				t.Errorf("an upload failed otherwise: %v", err)
			}
		}
		listed := 0
		for _, id := range ids {
			list, err := st.Attachments(ctx, p.user, id)
			if err != nil {
				t.Fatal(err)
			}
			listed += len(list)
		}
		if stored != 3 || listed != 3 {
			t.Fatalf("%d uploads stored, %d listed, want 3", stored, listed)
		}
	})
}
