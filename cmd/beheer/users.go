package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"

	"beheer"
	"beheer/i18n"
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
		return errors.New("usage: beheer user add|roles|list")
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, e, args[1:])
	case "roles":
		return userRoles(ctx, e, args[1:])
	case "list":
		return userList(ctx, e, args[1:])
	}
	return fmt.Errorf("unknown user command %q", args[0])
}

func userAdd(ctx context.Context, e env, args []string) error {
	fs := newFlags("user add")
	email := fs.String("email", "", "e-mail address (the login)")
	name := fs.String("name", "", "full name")
	lang := fs.String("lang", "nl", "language: nl or en")
	stdinPw := fs.Bool("password-stdin", false, "read a password for local login from standard input")
	var roles roleFlags
	fs.Var(&roles, "role", "ROLE[:AREA], repeatable")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	hash := ""
	if *stdinPw {
		if hash, err = readPassword(e); err != nil {
			return err
		}
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
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
	fs := newFlags("user roles")
	email := fs.String("email", "", "e-mail address")
	var roles roleFlags
	fs.Var(&roles, "role", "ROLE[:AREA], repeatable; replaces all roles")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	u, _, err := st.UserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("no person with e-mail %q", *email)
	}
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
	fs := newFlags("user list")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
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

func cmdToken(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: beheer token create --email E [--name LABEL]")
	}
	fs := newFlags("token create")
	email := fs.String("email", "", "e-mail address of the person")
	name := fs.String("name", "", "label for the token")
	cfg, err := loadConfig(e, fs, args[1:])
	if err != nil {
		return err
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	u, _, err := st.UserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("no person with e-mail %q", *email)
	}
	token, err := st.CreateToken(ctx, u.ID, *name)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, token)
	return nil
}
