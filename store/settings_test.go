package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestPolicySettings: the rule settings read back as they were set, each on
// its own, and the defaults hold until then.
func TestPolicySettings(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		got, err := st.Policy(ctx)
		if err != nil || !reflect.DeepEqual(got, beheer.DefaultPolicy()) {
			t.Fatalf("before any setting: %+v, %v; want the defaults %+v", got, err, beheer.DefaultPolicy())
		}
		for _, want := range []beheer.Policy{
			{SupportIncidentsOnly: false, ReopenWindow: 3 * 24 * time.Hour, AttachmentRetentionMonths: 18},
			{SupportIncidentsOnly: true, ReopenWindow: 30 * 24 * time.Hour, AttachmentRetentionMonths: 0},
			{SupportIncidentsOnly: false, ReopenWindow: 0, AttachmentRetentionMonths: 6},
			{SupportIncidentsOnly: true, ReopenWindow: 14 * 24 * time.Hour, ChangeTestTypes: []beheer.Type{beheer.TypeChange, beheer.TypeWish}},
		} {
			if err := st.SetPolicy(ctx, admin.Actor(), want); err != nil {
				t.Fatal(err)
			}
			if got, err := st.Policy(ctx); err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("read back %+v, %v; want %+v", got, err, want)
			}
		}
		if err := st.SetPolicy(ctx, requester.Actor(), beheer.DefaultPolicy()); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a requester set the policy: %v", err)
		}
	})
}
