package beheer

import (
	"slices"
	"strings"
)

// Role is one of the five roles of the management organisation.
type Role string

// The five roles. A person holds one or more; key user, functional and
// technical roles can be scoped to areas.
const (
	RoleUser            Role = "user"
	RoleKeyUser         Role = "key_user"
	RoleFunctionalAdmin Role = "functional_admin"
	RoleTechnicalAdmin  Role = "technical_admin"
	RoleManagement      Role = "management"
)

// Roles lists every role in the order the product shows them.
var Roles = []Role{RoleUser, RoleKeyUser, RoleFunctionalAdmin, RoleTechnicalAdmin, RoleManagement}

// Valid reports whether r is one of the five roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Scopable reports whether the role can be limited to areas.
func (r Role) Scopable() bool {
	return r == RoleKeyUser || r == RoleFunctionalAdmin || r == RoleTechnicalAdmin
}

// Permission names something a role allows. Permissions are data; the checks
// that combine them with areas, ownership and phases are code in this package.
type Permission string

// The permissions: one per capability, named noun:verb. The checks that
// combine them with areas, ownership and phases are the Can… functions beside
// each noun (lifecycle.go, plan.go, release.go, …).
const (
	PermRequestCreate    Permission = "request:create"
	PermRequestRead      Permission = "request:read"      // every request in scope
	PermRequestComment   Permission = "request:comment"   // comment on requests in scope
	PermRequestInternal  Permission = "request:internal"  // read and write internal notes
	PermRequestManage    Permission = "request:manage"    // triage, assign, move phases
	PermRequestTechnical Permission = "request:technical" // manage technical requests
	PermRequestDecide    Permission = "request:decide"
	PermRequestEscalate  Permission = "request:escalate"
	PermTaskCreate       Permission = "task:create"
	PermTaskWork         Permission = "task:work"
	PermUserManage       Permission = "user:manage"
	PermAreaManage       Permission = "area:manage"
	PermAuditRead        Permission = "audit:read"         // the trail of requests in scope
	PermOrgAuditRead     Permission = "audit:organisation" // the organisation's audit log
	PermReportRead       Permission = "report:read"

	PermPlanRead    Permission = "plan:read"    // read the annual plan
	PermPlanInput   Permission = "plan:input"   // give input for the plan
	PermPlanKeep    Permission = "plan:keep"    // keep activities, turn inputs into work, link requests
	PermPlanApprove Permission = "plan:approve" // set objectives and approve the plan

	PermReleaseRead           Permission = "release:read"
	PermReleaseManage         Permission = "release:manage"          // plan releases, keep the checklist
	PermReleaseTestFunctional Permission = "release:test_functional" // test and sign off the functional side
	PermReleaseTestTechnical  Permission = "release:test_technical"  // test and sign off the technical side
	PermRegisterRead          Permission = "register:read"           // the technical register
	PermRegisterKeep          Permission = "register:keep"
	PermPublicationRead       Permission = "publication:read" // published news and articles
	PermPublicationWrite      Permission = "publication:write"
	PermSLARead               Permission = "sla:read"
	PermSLAManage             Permission = "sla:manage"
	PermWebhookManage         Permission = "webhook:manage"
	PermIntegrationManage     Permission = "integration:manage" // incoming mail, the outbox
	PermSettingsManage        Permission = "settings:manage"
	PermProfileRead           Permission = "profile:read"
	PermProfileKeep           Permission = "profile:keep"  // the organisation profile and its contacts
	PermOutageManage          Permission = "outage:manage" // post, change and close outage notices
	PermAnswerManage          Permission = "answer:manage" // keep the standard answers of an area
	PermTokenKeep             Permission = "token:keep"    // make and revoke one's own API tokens
	PermTokenManage           Permission = "token:manage"  // see and revoke anyone's API tokens
)

// everyone is what every person with an account may do: the user role's
// permissions, which every other role holds as well.
var everyone = []Permission{PermRequestCreate, PermPlanRead, PermPublicationRead, PermSLARead, PermProfileRead, PermTokenKeep}

// rolePermissions is the permission table. It is never modified.
var rolePermissions = map[Role][]Permission{
	RoleUser: everyone,
	RoleKeyUser: slices.Concat(everyone, []Permission{PermRequestRead, PermRequestComment, PermRequestInternal,
		PermRequestDecide, PermAuditRead, PermReportRead, PermPlanInput, PermReleaseRead}),
	RoleFunctionalAdmin: slices.Concat(everyone, []Permission{PermRequestRead, PermRequestComment, PermRequestInternal,
		PermRequestManage, PermRequestEscalate, PermTaskCreate, PermUserManage, PermAreaManage,
		PermAuditRead, PermOrgAuditRead, PermReportRead, PermPlanInput, PermPlanKeep, PermReleaseRead, PermReleaseManage,
		PermReleaseTestFunctional, PermRegisterRead, PermRegisterKeep, PermPublicationWrite, PermSLAManage,
		PermWebhookManage, PermIntegrationManage, PermSettingsManage, PermProfileKeep, PermOutageManage, PermAnswerManage, PermTokenManage}),
	RoleTechnicalAdmin: slices.Concat(everyone, []Permission{PermRequestRead, PermRequestComment, PermRequestInternal,
		PermRequestTechnical, PermTaskWork, PermAuditRead, PermReleaseRead, PermReleaseTestTechnical,
		PermRegisterRead, PermRegisterKeep, PermWebhookManage, PermIntegrationManage, PermOutageManage}),
	RoleManagement: slices.Concat(everyone, []Permission{PermRequestRead, PermRequestInternal, PermAuditRead, PermOrgAuditRead,
		PermReportRead, PermPlanApprove, PermReleaseRead, PermRegisterRead}),
}

// orgWide lists, per role, the permissions the role grants for the whole
// organisation even where it is held for some areas only: the technical
// register belongs to no area, and keeping it is every technical admin's
// work; the system's availability (outages) is the care of every
// functional and technical admin together, as the seed says.
var orgWide = map[Role][]Permission{
	RoleFunctionalAdmin: {PermOutageManage},
	RoleTechnicalAdmin:  {PermRegisterKeep, PermOutageManage},
}

// covers reports whether an assignment grants perm for area.
func (as Assignment) covers(perm Permission, area int64) bool {
	if !slices.Contains(rolePermissions[as.Role], perm) {
		return false
	}
	return as.AreaID == 0 || as.AreaID == area || slices.Contains(orgWide[as.Role], perm)
}

// RolePermissions returns the permissions of a role (a copy).
func RolePermissions(r Role) []Permission { return slices.Clone(rolePermissions[r]) }

// Assignment is one role held by a person, for one area or (AreaID 0) for all.
type Assignment struct {
	Role   Role  `json:"role"`
	AreaID int64 `json:"area_id,omitempty"`
}

// Actor is the person on whose behalf an action runs, with the roles they
// hold at that moment. Every write and every read of the store takes one.
type Actor struct {
	UserID int64
	Name   string
	Email  string
	Roles  []Assignment
}

// HasRole reports whether the actor holds role r for any area.
func (a *Actor) HasRole(r Role) bool {
	for _, as := range a.Roles {
		if as.Role == r {
			return true
		}
	}
	return false
}

// Can reports whether the actor holds perm for area. Area 0 is a request whose
// area is not yet known: only unscoped roles cover it. Everyone with an
// account holds the user role's permissions.
func (a *Actor) Can(perm Permission, area int64) bool {
	if a == nil {
		return false
	}
	if slices.Contains(rolePermissions[RoleUser], perm) {
		return true
	}
	for _, as := range a.Roles {
		if as.covers(perm, area) {
			return true
		}
	}
	return false
}

// CanAnywhere reports whether the actor holds perm for at least one area.
func (a *Actor) CanAnywhere(perm Permission) bool {
	if a == nil {
		return false
	}
	if slices.Contains(rolePermissions[RoleUser], perm) {
		return true
	}
	for _, as := range a.Roles {
		if slices.Contains(rolePermissions[as.Role], perm) {
			return true
		}
	}
	return false
}

// Scope says where the actor holds perm: everywhere, or in the listed areas.
func (a *Actor) Scope(perm Permission) (all bool, areas []int64) {
	if a == nil {
		return false, nil
	}
	if slices.Contains(rolePermissions[RoleUser], perm) {
		return true, nil
	}
	for _, as := range a.Roles {
		if !slices.Contains(rolePermissions[as.Role], perm) {
			continue
		}
		if as.AreaID == 0 || slices.Contains(orgWide[as.Role], perm) {
			return true, nil
		}
		if !slices.Contains(areas, as.AreaID) {
			areas = append(areas, as.AreaID)
		}
	}
	slices.Sort(areas)
	return false, areas
}

// ParseAssignment reads "role" or "role:AREA" (AREA as given, resolved by the
// caller) as used on the command line.
func ParseAssignment(s string) (role Role, area string, ok bool) {
	r, a, scoped := strings.Cut(s, ":")
	role = Role(r)
	if !role.Valid() || (scoped && (a == "" || !role.Scopable())) {
		return "", "", false
	}
	return role, a, true
}

// refusals names, per permission, the message that says who holds it; a
// permission without one is refused with the general message.
var refusals = map[Permission]string{
	PermPlanInput:             "plan.forbidden_input",
	PermPlanKeep:              "plan.forbidden_keep",
	PermPlanApprove:           "plan.forbidden_objectives",
	PermReleaseRead:           "release.forbidden_read",
	PermReleaseManage:         "release.forbidden_manage",
	PermReleaseTestFunctional: "release.forbidden_side",
	PermReleaseTestTechnical:  "release.forbidden_side",
	PermRegisterRead:          "register.forbidden",
	PermRegisterKeep:          "register.forbidden_keep",
	PermPublicationWrite:      "publication.forbidden",
	PermOutageManage:          "outage.forbidden",
	PermOrgAuditRead:          "admin.audit.forbidden",
	PermIntegrationManage:     "admin.forbidden_integrations",
	PermWebhookManage:         "admin.forbidden_integrations",
	PermAnswerManage:          "answer.forbidden",
	PermTokenManage:           "token.forbidden",
}

// Refusal is the answer to someone who lacks perm: forbidden, with the
// message that says who holds it.
func Refusal(perm Permission) *Error { return ErrForbidden(refusals[perm]) }
