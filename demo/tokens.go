package demo

import (
	"context"

	"beheer"
	"beheer/store"
)

// loadTokens gives people API tokens as an organisation has them: a
// technical admin's token for the case system and a revoked one of an old
// spreadsheet macro, and a functional admin's token for the Power BI
// report, so the tokens pages show live and revoked tokens with owners.
func loadTokens(ctx context.Context, st *store.Store, o *org) error {
	admin, tech := o.admins[0].Actor(), o.technical[0].Actor()
	for _, t := range []struct {
		who    *beheer.Actor
		name   string
		days   int
		revoke bool
	}{
		{tech, "Zaaksysteem-koppeling", 180, false},
		{tech, "Oude Excel-macro verlofsaldo", 30, true},
		{admin, "Power BI-rapportage beheer", 90, false},
	} {
		_, tok, err := st.IssueToken(ctx, t.who, t.who.UserID, beheer.NewToken{Name: t.name, ExpiresInDays: t.days})
		if err != nil {
			return err
		}
		if t.revoke {
			if err := st.RevokeToken(ctx, admin, tok.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
