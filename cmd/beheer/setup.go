package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"beheer"
	"beheer/i18n"
	"beheer/store"
)

// cmdSetup sets the organisation up from the command line, for automated
// installs: what the first-start link's form does. Run again with the same
// organisation and admin it reports that all is done and succeeds, so an
// install script may run it every time; anything else on a database that
// is set up is refused.
func cmdSetup(ctx context.Context, e env, args []string) error {
	fs := newFlags("setup")
	org := fs.String("organisation", "", "the organisation's name")
	lang := fs.String("lang", "nl", "the organisation's language: nl or en")
	zone := fs.String("time-zone", beheer.SetupZones[0], "the organisation's time zone: "+strings.Join(beheer.SetupZones, ", "))
	logo := fs.String("logo", "", "a PNG or JPEG file with the organisation's logo (optional)")
	name := fs.String("admin-name", "", "the first functional admin's name")
	email := fs.String("admin-email", "", "the first functional admin's e-mail address (the login)")
	stdinPw := fs.Bool("password-stdin", false, "read the first admin's password from standard input (else: no local login, e.g. single sign-on only)")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	in := beheer.OrganisationInput{Name: *org, Lang: *lang, Zone: *zone}
	if *logo != "" {
		data, err := os.ReadFile(*logo)
		if err != nil {
			return fmt.Errorf("logo: %w", err)
		}
		in.Logo = &beheer.Upload{Name: filepath.Base(*logo), Data: data}
	}
	hash := ""
	if *stdinPw {
		if hash, err = readHashed(e, *name, *email, *org); err != nil {
			return err
		}
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	admin := beheer.FirstAdmin{Name: *name, Email: *email}
	u, err := st.SetUp(ctx, "", in, admin, hash)
	if beheer.ErrorCode(err) == beheer.CodeConflict {
		return alreadySetUp(ctx, e, st, in, admin)
	}
	if err != nil {
		return message(i18n.MustLoad(), err)
	}
	fmt.Fprintf(e.stdout, "organisation %q set up; first functional admin %s <%s> (id %d)\n", in.Name, u.Name, u.Email, u.ID)
	return nil
}

// alreadySetUp answers setup on a database that is set up: fine when it is
// the same organisation with the same admin, refused otherwise.
func alreadySetUp(ctx context.Context, e env, st *store.Store, in beheer.OrganisationInput, admin beheer.FirstAdmin) error {
	o, err := st.Organisation(ctx)
	if err != nil {
		return err
	}
	u, _, err := st.UserByEmail(ctx, admin.Email)
	same := err == nil && o != nil && strings.EqualFold(strings.TrimSpace(o.Name), strings.TrimSpace(in.Name)) &&
		slices.Contains(u.Roles, beheer.Assignment{Role: beheer.RoleFunctionalAdmin})
	if same {
		fmt.Fprintf(e.stdout, "organisation %q is set up already, with %s as functional admin; nothing to do\n", o.Name, u.Email)
		return nil
	}
	if o != nil {
		return fmt.Errorf("refused: this database is set up already, for organisation %q; nothing was changed", o.Name)
	}
	return errors.New("refused: this database already has a functional admin (the demo or `beheer user add`); nothing was changed")
}
