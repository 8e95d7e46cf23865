package beheer

import "time"

// A second factor for local accounts: a code from an authenticator app
// (TOTP, package totp) asked after the password, or one of the recovery
// codes handed out once at enrolment. People who sign in with single
// sign-on get their second factor from the identity provider.

// RecoveryCodes is how many one-time recovery codes an enrolment hands out.
const RecoveryCodes = 10

// ChallengeLifetime is how long a login that passed its password waits for
// the second factor.
const ChallengeLifetime = 5 * time.Minute

// SecondFactorState is what the rules need to know of a person's second
// factor.
type SecondFactorState struct {
	HasPassword bool // the person can log in locally
	Enrolled    bool // a confirmed authenticator
}

// MustEnrol reports whether the actor must enrol a second factor before
// working: the organisation requires it (p.RequireSecondFactor), the actor
// is a functional or technical admin (for any area), logs in with a
// password and has not enrolled yet.
func MustEnrol(p Policy, a *Actor, st SecondFactorState) bool {
	return p.RequireSecondFactor && a != nil && st.HasPassword && !st.Enrolled &&
		(a.HasRole(RoleFunctionalAdmin) || a.HasRole(RoleTechnicalAdmin))
}
