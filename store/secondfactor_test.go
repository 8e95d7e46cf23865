package store_test

import (
	"context"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
	"beheer/totp"
)

// TestSecondFactor: enrolment needs a first code and hands out ten recovery
// codes once; a login's code is taken once within its window; each
// recovery code works once; refusals are kept as security events.
func TestSecondFactor(t *testing.T) {
	c := &regClock{t: time.Date(2026, 12, 3, 9, 0, 10, 0, time.UTC)}
	storetest.Engines(t, storetest.Options{Now: c.now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, anna, fleur := org(t, st)
		if s, err := st.SecondFactorState(ctx, anna.ID); err != nil || s.Enrolled {
			t.Fatalf("before enrolment: %+v %v", s, err)
		}
		if err := st.VerifySecondFactor(ctx, anna.ID, "123456"); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Fatalf("a code without an authenticator: %v", err)
		}
		secret, err := st.BeginSecondFactor(ctx, anna.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := st.BeginSecondFactor(ctx, anna.ID); again != secret {
			t.Fatal("reloading the enrolment changed the secret")
		}
		key, _ := totp.Decode(secret)
		if _, err := st.ConfirmSecondFactor(ctx, anna.ID, "000000"); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("a wrong first code: %v", err)
		}
		codes, err := st.ConfirmSecondFactor(ctx, anna.ID, totp.Code(key, c.now()))
		if err != nil || len(codes) != beheer.RecoveryCodes {
			t.Fatalf("confirm: %v %v", codes, err)
		}
		if s, _ := st.SecondFactorState(ctx, anna.ID); !s.Enrolled {
			t.Fatal("not enrolled after confirming")
		}
		if _, err := st.BeginSecondFactor(ctx, anna.ID); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Fatalf("a second enrolment over the first: %v", err)
		}

		// The code of the enrolment is spent; the next step's code works once.
		if err := st.VerifySecondFactor(ctx, anna.ID, totp.Code(key, c.now())); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("the enrolment's code again: %v", err)
		}
		c.add(totp.Period)
		code := totp.Code(key, c.now())
		if err := st.VerifySecondFactor(ctx, anna.ID, code); err != nil {
			t.Fatalf("a fresh code: %v", err)
		}
		err = st.VerifySecondFactor(ctx, anna.ID, code)
		if be, ok := err.(*beheer.Error); !ok || len(be.Fields) != 1 || be.Fields[0].Key != "second_factor.code_reused" {
			t.Fatalf("a code reused within its window: %v", err)
		}
		if err := st.VerifySecondFactor(ctx, anna.ID, "999999"); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("a wrong code: %v", err)
		}

		// Recovery codes, however typed, once each.
		if err := st.VerifySecondFactor(ctx, anna.ID, " "+codes[3]+" "); err != nil {
			t.Fatalf("a recovery code: %v", err)
		}
		if err := st.VerifySecondFactor(ctx, anna.ID, codes[3]); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("a recovery code twice: %v", err)
		}

		events, err := st.SecurityEvents(ctx, fleur.Actor(), beheer.SecurityEventFilter{UserID: anna.ID})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[beheer.SecurityEventKind]int{}
		for _, e := range events {
			seen[e.Kind]++
		}
		if seen[beheer.EventSecondFactorOn] != 1 || seen[beheer.EventSecondFactorReused] != 2 ||
			seen[beheer.EventSecondFactorFailed] != 3 || seen[beheer.EventRecoveryCodeUsed] != 1 {
			t.Fatalf("events: %v", seen)
		}

		// A person who lost their phone starts again, by an administrator.
		if err := st.ClearSecondFactor(ctx, anna.Actor(), anna.ID); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("cleared by the person alone: %v", err)
		}
		if err := st.ClearSecondFactor(ctx, fleur.Actor(), anna.ID); err != nil {
			t.Fatal(err)
		}
		if s, _ := st.SecondFactorState(ctx, anna.ID); s.Enrolled {
			t.Fatal("still enrolled after clearing")
		}
	})
}

// TestResetLinks: a new link ends the older ones, and using one ends all.
func TestResetLinks(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, anna, _ := org(t, st)
		first, _ := st.CreatePasswordReset(ctx, anna.ID)
		second, _ := st.CreatePasswordReset(ctx, anna.ID)
		if err := st.ResetPassword(ctx, first, "x"); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("an older link after a newer was issued: %v", err)
		}
		third, _ := st.CreatePasswordReset(ctx, anna.ID)
		if err := st.ResetPassword(ctx, second, "x"); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("the second link after a third: %v", err)
		}
		if u, err := st.PasswordResetUser(ctx, third); err != nil || u.ID != anna.ID {
			t.Fatalf("the newest link's person: %+v %v", u, err)
		}
		if err := st.ResetPassword(ctx, third, "x"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.PasswordResetUser(ctx, third); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("a used link: %v", err)
		}
	})
}
