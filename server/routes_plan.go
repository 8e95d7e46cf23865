package server

// planRoutes are the portal pages of the annual plan, releases and the
// organisation profile. Everyone signed in reads the plan and the profile;
// what each person may change is decided in the store.
func (s *Server) planRoutes() []pageRoute {
	return []pageRoute{
		{"GET /plan", s.plansPage},
		{"POST /plan", s.createPlan},
		{"GET /plan/{year}", s.planYearPage},
		{"POST /plan/{year}/approve", s.approvePlan},
		{"POST /plan/{year}/objectives", s.createObjective},
		{"GET /plan/{year}/objectives/{id}", s.objectivePage},
		{"POST /plan/{year}/objectives/{id}", s.updateObjective},
		{"POST /plan/{year}/objectives/{id}/requests", s.linkObjectiveRequest},
		{"POST /plan/{year}/objectives/{id}/requests/{request}/unlink", s.unlinkObjectiveRequest},
		{"POST /plan/{year}/activities", s.createActivity},
		{"GET /plan/{year}/activities/{id}", s.activityPage},
		{"POST /plan/{year}/activities/{id}", s.updateActivity},
		{"POST /plan/{year}/activities/{id}/agenda/{request}", s.recordAgendaOutcome},
		{"POST /plan/{year}/inputs", s.addPlanInput},
		{"POST /plan/{year}/inputs/{id}/request", s.inputToRequest},
		{"POST /plan/{year}/inputs/{id}/activity", s.inputToActivity},
		{"POST /plan/{year}/inputs/{id}/decline", s.declineInput},
		{"POST /plan/{year}/feed", s.rotateFeed},
		{"POST /plan/{year}/feed/revoke", s.revokeFeed},

		{"GET /releases", s.releasesPage},
		{"POST /releases", s.createRelease},
		{"GET /releases/checklist", s.checklistPage},
		{"POST /releases/checklist", s.addChecklistItem},
		{"POST /releases/checklist/remove/{id}", s.deleteChecklistItem},
		{"GET /releases/{id}", s.releasePage},
		{"POST /releases/{id}", s.updateRelease},
		{"POST /releases/{id}/checks", s.addReleaseCheck},
		{"POST /releases/{id}/checks/{check}", s.recordReleaseCheck},
		{"GET /releases/{id}/checks/{check}/file", s.releaseCheckFile},
		{"POST /releases/{id}/findings", s.addReleaseFinding},
		{"POST /releases/{id}/signoff", s.signOffRelease},
		{"POST /releases/{id}/announce", s.announceRelease},
		{"POST /releases/{id}/news", s.releaseNews},

		{"GET /profile", s.profilePage},
		{"GET /profile/print", s.profilePrint},
		{"GET /profile/beheerorganisatie.docx", s.profileDocx},
		{"POST /profile/contacts", s.addContact},
		{"POST /profile/contacts/{id}", s.updateContact},
		{"POST /profile/contacts/{id}/delete", s.deleteContact},
	}
}

// planPublicRoutes answer without a session: the iCalendar feed, whose
// secret token is the key. routes.go registers planFeed as a plain handler
// (no page, no CSRF cookie): mux.HandleFunc(planFeedPattern, s.planFeed).
const planFeedPattern = "GET /plan/{year}/feed.ics"

// apiPlanRoutes are the API endpoints of the annual plan, releases and the organisation profile.
func (s *Server) apiPlanRoutes() []route {
	return []route{
		{"GET /api/v1/plans", s.apiListPlans},
		{"POST /api/v1/plans", s.apiCreatePlan},
		{"GET /api/v1/plans/{year}", s.apiGetPlan},
		{"POST /api/v1/plans/{year}/approval", s.apiApprovePlan},
		{"POST /api/v1/plans/{year}/objectives", s.apiCreateObjective},
		{"PUT /api/v1/plans/{year}/objectives/{id}", s.apiPutObjective},
		{"GET /api/v1/plans/{year}/objectives/{id}/requests", s.apiObjectiveRequests},
		{"POST /api/v1/plans/{year}/objectives/{id}/requests", s.apiLinkObjectiveRequest},
		{"DELETE /api/v1/plans/{year}/objectives/{id}/requests/{request}", s.apiUnlinkObjectiveRequest},
		{"POST /api/v1/plans/{year}/activities", s.apiCreateActivity},
		{"PUT /api/v1/plans/{year}/activities/{id}", s.apiPutActivity},
		{"GET /api/v1/plans/{year}/activities/{id}/agenda", s.apiGetAgenda},
		{"PUT /api/v1/plans/{year}/activities/{id}/agenda/{request}", s.apiRecordAgendaOutcome},
		{"POST /api/v1/plans/{year}/inputs", s.apiAddPlanInput},
		{"POST /api/v1/plans/{year}/inputs/{id}/request", s.apiInputToRequest},
		{"POST /api/v1/plans/{year}/inputs/{id}/activity", s.apiInputToActivity},
		{"POST /api/v1/plans/{year}/inputs/{id}/decline", s.apiDeclineInput},
		{"POST /api/v1/plans/{year}/feed", s.apiRotateFeed},
		{"DELETE /api/v1/plans/{year}/feed", s.apiRevokeFeed},

		{"GET /api/v1/releases", s.apiListReleases},
		{"POST /api/v1/releases", s.apiCreateRelease},
		{"GET /api/v1/releases/checklist-template", s.apiCheckTemplates},
		{"POST /api/v1/releases/checklist-template", s.apiAddCheckTemplate},
		{"DELETE /api/v1/releases/checklist-template/{id}", s.apiDeleteCheckTemplate},
		{"GET /api/v1/releases/{id}", s.apiGetRelease},
		{"PUT /api/v1/releases/{id}", s.apiPutRelease},
		{"POST /api/v1/releases/{id}/checks", s.apiAddCheck},
		{"POST /api/v1/releases/{id}/checks/{check}/result", s.apiRecordCheck},
		{"GET /api/v1/releases/{id}/checks/{check}/file", s.apiCheckFile},
		{"POST /api/v1/releases/{id}/findings", s.apiAddFinding},
		{"POST /api/v1/releases/{id}/signoffs", s.apiSignOff},
		{"POST /api/v1/releases/{id}/announcement", s.apiAnnounceRelease},
		{"POST /api/v1/releases/{id}/news", s.apiReleaseNews},

		{"GET /api/v1/profile", s.apiGetProfile},
		{"POST /api/v1/profile/contacts", s.apiAddContact},
		{"PUT /api/v1/profile/contacts/{id}", s.apiPutContact},
		{"DELETE /api/v1/profile/contacts/{id}", s.apiDeleteContact},
	}
}
