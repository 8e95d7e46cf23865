package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"beheer"
	"beheer/i18n"
	"beheer/password"
	"beheer/store"
)

// roleFlags collects repeated --role ROLE[:AREA] flags.
type roleFlags []string

func (r *roleFlags) String() string     { return strings.Join(*r, ",") }
func (r *roleFlags) Set(s string) error { *r = append(*r, s); return nil }

// resolveRoles turns role flags into assignments, looking up area codes.
func resolveRoles(ctx context.Context, st *store.Store, flags []string) ([]beheer.Assignment, error) {
	var out []beheer.Assignment
	for _, f := range flags {
		role, area, ok := beheer.ParseAssignment(f)
		if !ok {
			return nil, fmt.Errorf("invalid role %q: use one of %v, optionally :AREA for key_user, functional_admin, technical_admin", f, beheer.Roles)
		}
		a := beheer.Assignment{Role: role}
		if area != "" {
			found, err := st.AreaByCode(ctx, area)
			if err != nil {
				return nil, fmt.Errorf("unknown area %q", area)
			}
			a.AreaID = found.ID
		}
		out = append(out, a)
	}
	return out, nil
}

func cmdUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: beheer user add|roles|list|password|reset-second-factor")
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, e, args[1:])
	case "password":
		return userPassword(ctx, e, args[1:])
	case "reset-second-factor":
		return userResetSecondFactor(ctx, e, args[1:])
	case "roles":
		return userRoles(ctx, e, args[1:])
	case "list":
		return userList(ctx, e, args[1:])
	}
	return fmt.Errorf("unknown user command %q", args[0])
}

func userAdd(ctx context.Context, e env, args []string) error {
	var email, name, lang *string
	var stdinPw *bool
	var roles roleFlags
	st, err := openWith(ctx, e, "user add", args, func(fs *flag.FlagSet) {
		email = fs.String("email", "", "e-mail address (the login)")
		name = fs.String("name", "", "full name")
		lang = fs.String("lang", "nl", "language: nl or en")
		stdinPw = fs.Bool("password-stdin", false, "read a password for local login from standard input")
		fs.Var(&roles, "role", "ROLE[:AREA], repeatable")
	})
	if err != nil {
		return err
	}
	defer st.Close()
	hash := ""
	if *stdinPw {
		if hash, err = readPassword(ctx, e, st, *name, *email); err != nil {
			return err
		}
	}
	as, err := resolveRoles(ctx, st, roles)
	if err != nil {
		return err
	}
	u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: *email, Name: *name, Lang: *lang, Roles: as}, hash)
	if err != nil {
		return message(i18n.MustLoad(), err)
	}
	fmt.Fprintf(e.stdout, "added %s <%s> (id %d)\n", u.Name, u.Email, u.ID)
	return nil
}

func userRoles(ctx context.Context, e env, args []string) error {
	var roles roleFlags
	st, u, err := openFor(ctx, e, "user roles", args, func(fs *flag.FlagSet) {
		fs.Var(&roles, "role", "ROLE[:AREA], repeatable; replaces all roles")
	})
	if err != nil {
		return err
	}
	defer st.Close()
	as, err := resolveRoles(ctx, st, roles)
	if err != nil {
		return err
	}
	if err := st.SetRoles(ctx, store.System, u.ID, as); err != nil {
		return message(i18n.MustLoad(), err)
	}
	fmt.Fprintf(e.stdout, "roles of %s: %s\n", u.Email, roles.String())
	return nil
}

func userList(ctx context.Context, e env, args []string) error {
	st, err := openWith(ctx, e, "user list", args, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := st.Users(ctx, store.System)
	if err != nil {
		return err
	}
	areas, err := st.Areas(ctx)
	if err != nil {
		return err
	}
	code := map[int64]string{}
	for _, a := range areas {
		code[a.ID] = a.Code
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tE-MAIL\tNAME\tACTIVE\tROLES")
	for _, u := range users {
		var rs []string
		for _, r := range u.Roles {
			s := string(r.Role)
			if r.AreaID != 0 {
				s += ":" + code[r.AreaID]
			}
			rs = append(rs, s)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%v\t%s\n", u.ID, u.Email, u.Name, u.Active, strings.Join(rs, ","))
	}
	return tw.Flush()
}

// readPassword reads a new password from standard input, checks it against
// the common passwords and the person's own name, address and
// organisation, and returns its hash.
func readPassword(ctx context.Context, e env, st *store.Store, name, email string) (string, error) {
	pw, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && pw == "" {
		return "", errors.New("no password on standard input")
	}
	pw = strings.TrimRight(pw, "\r\n")
	pol, err := st.Policy(ctx)
	if err != nil {
		return "", err
	}
	if err := password.Check(pw, name, email, pol.OrganisationName); err != nil {
		return "", fmt.Errorf("password refused: %w", err)
	}
	return password.Hash(pw)
}

// openWith reads a command's flags, which flags registers, and settings,
// and opens the store.
func openWith(ctx context.Context, e env, name string, args []string, flags func(*flag.FlagSet)) (*store.Store, error) {
	fs := newFlags(name)
	if flags != nil {
		flags(fs)
	}
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return nil, err
	}
	return cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
}

// openFor is openWith for a command about one person, found by the e-mail
// address of --email.
func openFor(ctx context.Context, e env, name string, args []string, flags func(*flag.FlagSet)) (*store.Store, *beheer.User, error) {
	var email *string
	st, err := openWith(ctx, e, name, args, func(fs *flag.FlagSet) {
		email = fs.String("email", "", "e-mail address of the person")
		if flags != nil {
			flags(fs)
		}
	})
	if err != nil {
		return nil, nil, err
	}
	u, _, err := st.UserByEmail(ctx, *email)
	if err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("no person with e-mail %q", *email)
	}
	return st, u, nil
}

// userPassword sets a person's password from standard input: how an
// administrator helps when e-mail is not set up for reset links. The
// person's sessions and reset links end.
func userPassword(ctx context.Context, e env, args []string) error {
	st, u, err := openFor(ctx, e, "user password", args, func(fs *flag.FlagSet) {
		fs.Bool("password-stdin", true, "read the password from standard input (always)")
	})
	if err != nil {
		return err
	}
	defer st.Close()
	hash, err := readPassword(ctx, e, st, u.Name, u.Email)
	if err != nil {
		return err
	}
	if err := st.SetPasswordHash(ctx, u.ID, hash); err != nil {
		return message(i18n.MustLoad(), err)
	}
	fmt.Fprintf(e.stdout, "password of %s set; their sessions ended\n", u.Email)
	return nil
}

// userResetSecondFactor removes a person's second factor, for one who lost
// their phone and their recovery codes.
func userResetSecondFactor(ctx context.Context, e env, args []string) error {
	st, u, err := openFor(ctx, e, "user reset-second-factor", args, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.ClearSecondFactor(ctx, store.System, u.ID); err != nil {
		return message(i18n.MustLoad(), err)
	}
	fmt.Fprintf(e.stdout, "second factor of %s removed; they enrol again after logging in\n", u.Email)
	return nil
}

const tokenUsage = "usage: beheer token create --email E [--name LABEL] [--days N] | list [--email E] | revoke --id N"

func cmdToken(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return errors.New(tokenUsage)
	}
	switch args[0] {
	case "create":
		return tokenCreate(ctx, e, args[1:])
	case "list":
		return tokenList(ctx, e, args[1:])
	case "revoke":
		return tokenRevoke(ctx, e, args[1:])
	}
	return errors.New(tokenUsage)
}

func tokenCreate(ctx context.Context, e env, args []string) error {
	var name *string
	var days *int
	st, u, err := openFor(ctx, e, "token create", args, func(fs *flag.FlagSet) {
		name = fs.String("name", "cli", "label for the token")
		days = fs.Int("days", 0, "days the token lives; 0: the organisation's default")
	})
	if err != nil {
		return err
	}
	defer st.Close()
	token, _, err := st.IssueToken(ctx, store.System, u.ID, beheer.NewToken{Name: *name, ExpiresInDays: *days})
	if err != nil {
		return message(i18n.MustLoad(), err)
	}
	fmt.Fprintln(e.stdout, token)
	return nil
}

// tokenList lists the tokens of one person, or everyone's.
func tokenList(ctx context.Context, e env, args []string) error {
	var email *string
	st, err := openWith(ctx, e, "token list", args, func(fs *flag.FlagSet) {
		email = fs.String("email", "", "e-mail address of the person; empty: everyone")
	})
	if err != nil {
		return err
	}
	defer st.Close()
	var owner int64
	if *email != "" {
		u, _, err := st.UserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("no person with e-mail %q", *email)
		}
		owner = u.ID
	}
	list, err := st.Tokens(ctx, store.System, owner)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPERSON\tNAME\tCREATED\tEXPIRES\tLAST USED\tREVOKED")
	day := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.Format(time.DateOnly)
	}
	for _, t := range list {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.UserID, t.Name, day(&t.CreatedAt), day(&t.ExpiresAt),
			day(t.LastUsedAt), day(t.RevokedAt))
	}
	return tw.Flush()
}

// tokenRevoke revokes a token at once, on every server.
func tokenRevoke(ctx context.Context, e env, args []string) error {
	var id *int64
	st, err := openWith(ctx, e, "token revoke", args, func(fs *flag.FlagSet) {
		id = fs.Int64("id", 0, "the token's id (beheer token list)")
	})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.RevokeToken(ctx, store.System, *id); err != nil {
		return message(i18n.MustLoad(), err)
	}
	fmt.Fprintf(e.stdout, "token %d revoked\n", *id)
	return nil
}
