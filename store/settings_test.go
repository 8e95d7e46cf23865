package store_test

import (
	"context"
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
		if err != nil || got != beheer.DefaultPolicy() {
			t.Fatalf("before any setting: %+v, %v; want the defaults %+v", got, err, beheer.DefaultPolicy())
		}
		for _, want := range []beheer.Policy{
			{SupportIncidentsOnly: false, ReopenWindow: 3 * 24 * time.Hour, AttachmentRetentionMonths: 18},
			{SupportIncidentsOnly: true, ReopenWindow: 30 * 24 * time.Hour, AttachmentRetentionMonths: 0},
			{SupportIncidentsOnly: false, ReopenWindow: 0, AttachmentRetentionMonths: 6},
		} {
			if err := st.SetPolicy(ctx, admin.Actor(), want); err != nil {
				t.Fatal(err)
			}
			// The account settings are set apart and keep their defaults.
			want.TokenDefaultDays, want.TokenMaxDays = beheer.DefaultTokenDays, beheer.DefaultMaxTokenDays
			if got, err := st.Policy(ctx); err != nil || got != want {
				t.Fatalf("read back %+v, %v; want %+v", got, err, want)
			}
		}
		if err := st.SetPolicy(ctx, requester.Actor(), beheer.DefaultPolicy()); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a requester set the policy: %v", err)
		}
	})
}

// TestAccountSettings: token lifetimes, the second factor for admins and
// the organisation's name read back as set, apart from the rule settings;
// out of bounds they are refused and nothing changes.
func TestAccountSettings(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		want := beheer.DefaultPolicy()
		want.AccountSettings = beheer.AccountSettings{TokenDefaultDays: 30, TokenMaxDays: 60, RequireSecondFactor: true,
			OrganisationName: "Gemeente Zuidhaven"}
		if err := st.SetAccountSettings(ctx, admin.Actor(), want.AccountSettings); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Policy(ctx); err != nil || got != want {
			t.Fatalf("read back %+v, %v; want %+v", got, err, want)
		}
		bad := want.AccountSettings
		bad.TokenMaxDays = beheer.MaxTokenDays + 1
		if err := st.SetAccountSettings(ctx, admin.Actor(), bad); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("a maximum beyond five years: %v", err)
		}
		if err := st.SetAccountSettings(ctx, requester.Actor(), want.AccountSettings); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a requester set the account settings: %v", err)
		}
		if got, _ := st.Policy(ctx); got != want {
			t.Fatalf("a refused change changed %+v", got)
		}
	})
}
