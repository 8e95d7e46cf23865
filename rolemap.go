package beheer

import (
	"slices"
	"strings"
)

// ParseRoleMap reads a claim-to-role mapping as an administrator writes it
// (on the sign-on page, or in the environment): entries separated by ";"
// or new lines, each "group=role[:area],…", e.g.
// "beheer-functioneel=functional_admin;beheer-hr=key_user:hr". A group
// name may itself hold "=" (a directory's distinguished name): the last
// one separates it from its roles. Area codes are resolved with
// areaByCode. A wrong entry is refused as an invalid oidc_roles field
// that names the entry.
func ParseRoleMap(s string, areaByCode func(string) (int64, bool)) (map[string][]Assignment, error) {
	out := map[string][]Assignment{}
	bad := func(key string, args ...any) error { return Invalid(ConnOIDCRoles, key, args...) }
	entries := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' })
	for _, entry := range entries {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		i := strings.LastIndex(entry, "=")
		if i < 0 {
			return nil, bad("admin.rolemap.no_equals", "entry", entry)
		}
		group, specs := strings.TrimSpace(entry[:i]), strings.TrimSpace(entry[i+1:])
		if group == "" {
			return nil, bad("admin.rolemap.no_group", "entry", entry)
		}
		if specs == "" {
			return nil, bad("admin.rolemap.no_roles", "entry", entry)
		}
		for spec := range strings.SplitSeq(specs, ",") {
			spec = strings.TrimSpace(spec)
			role, code, ok := ParseAssignment(spec)
			if !ok {
				return nil, bad("admin.rolemap.bad_role", "entry", entry, "role", spec)
			}
			a := Assignment{Role: role}
			if code != "" {
				id, ok := int64(0), false
				if areaByCode != nil {
					id, ok = areaByCode(code)
				}
				if !ok {
					return nil, bad("admin.rolemap.unknown_area", "entry", entry, "area", code)
				}
				a.AreaID = id
			}
			if !slices.Contains(out[group], a) {
				out[group] = append(out[group], a)
			}
		}
	}
	return out, nil
}
