package beheer

import "testing"

// BenchmarkRules runs the checks every request page and list row makes: who
// may read and manage, whether internal notes show, and the next moves.
func BenchmarkRules(b *testing.B) {
	people := []*Actor{
		actor(idRequester),
		actor(idKeyUser, role(RoleKeyUser, areaOwn)),
		actor(idFuncElse, role(RoleFunctionalAdmin, areaOther)),
		actor(idTech, role(RoleTechnicalAdmin, areaOwn), role(RoleKeyUser, areaOther)),
		actor(idFunc, role(RoleFunctionalAdmin, 0)),
	}
	r := request()
	policy := DefaultPolicy()
	b.Run("visibility", func(b *testing.B) {
		for b.Loop() {
			for _, a := range people {
				CanRead(a, r, Facts{})
				CanManage(a, r)
				CanSeeInternal(a, r, Facts{})
			}
		}
	})
	b.Run("transitions", func(b *testing.B) {
		for b.Loop() {
			for _, a := range people {
				for _, to := range Phases {
					CheckTransition(a, r, Facts{}, Transition{To: to}, testNow, policy)
				}
			}
		}
	})
}
