package server

import (
	_ "embed"
	"net/http"

	"beheer"
)

//go:embed openapi.json
var openAPIDocument []byte

// The route table. Every route names the permission a person must hold (in
// at least one area) before its handler runs; signedIn lets every signed-in
// person through. That permission is the coarse gate, checked here in one
// place; the rule beside each noun in package beheer decides the rest
// (which area, whose request, which phase, the person's own data), inside
// the store's transaction, so the portal and the API cannot differ.

// signedIn is the permission of routes open to everyone with an account:
// what they may see or change there is the store's to decide. anyone marks
// the pages that work without signing in (login, password reset).
const (
	signedIn beheer.Permission = ""
	anyone   beheer.Permission = ""
)

// pageRoute is one portal route.
type pageRoute struct {
	pattern string
	perm    beheer.Permission
	handler pageHandler
}

// route is one JSON API route.
type route struct {
	pattern string
	perm    beheer.Permission
	handler apiHandler
}

// publicRoutes are the portal pages that work without signing in.
func (s *Server) publicRoutes() []pageRoute {
	return []pageRoute{
		{"GET /login", anyone, s.loginPage},
		{"POST /login", anyone, s.login},
		{"GET /login/code", anyone, s.loginCodePage},
		{"POST /login/code", anyone, s.loginCode},
		{"GET /password/forgot", anyone, s.forgotPage},
		{"POST /password/forgot", anyone, s.forgot},
		{"GET /password/reset", anyone, s.resetPage},
		{"POST /password/reset", anyone, s.reset},
		{"POST /settings/lang", anyone, s.setLang},
		{"GET /sso/start", anyone, s.ssoStart},
		{"GET /sso/callback", anyone, s.ssoRefusals(s.ssoCallback)},
		// The first start: the one-time link the server prints on an empty
		// database; its token is the key.
		{"GET /welcome", anyone, s.welcomePage},
		{"POST /welcome", anyone, s.welcome},
	}
}

// pageRoutes are the portal's pages for signed-in people, by part of the
// product.
func (s *Server) pageRoutes() []pageRoute {
	return []pageRoute{
		// Home, filing and the work queue.
		{"GET /{$}", signedIn, s.homePage},
		{"POST /logout", signedIn, s.logout},
		{"GET /requests", signedIn, s.requestsPage}, // one's own requests
		{"GET /tasks", signedIn, s.tasksPage},       // one's open technical tasks
		{"GET /requests/new", beheer.PermRequestCreate, s.newRequestPage},
		{"POST /requests/new", beheer.PermRequestCreate, s.createRequest},
		{"GET /requests/suggest", beheer.PermRequestCreate, s.suggest},
		{"GET /queue", beheer.PermRequestRead, s.queuePage},
		{"GET /queue/counts", beheer.PermRequestRead, s.queueCounts},
		{"POST /queue/assign", beheer.PermRequestRead, s.queueAssign},
		{"POST /queue/views", beheer.PermRequestRead, s.saveView},
		{"POST /queue/views/{id}/delete", beheer.PermRequestRead, s.deleteView},
		{"GET /queue/export.csv", beheer.PermRequestRead, s.queueExportCSV},
		{"GET /queue/export.xlsx", beheer.PermRequestRead, s.queueExportXLSX},

		// One request: the page and the form of every action. Requesters,
		// assignees and task holders act here without a role, so the store
		// decides.
		{"GET /requests/{id}", signedIn, s.requestPage},
		{"POST /requests/{id}/edit", signedIn, s.requestEdit},
		{"GET /requests/{id}/answers", signedIn, s.answersEditPage},
		{"POST /requests/{id}/answers", signedIn, s.saveAnswers},
		// A person field's search: names and ids of active people.
		{"GET /people/options", signedIn, s.peopleOptions},
		{"POST /requests/{id}/transition", signedIn, s.requestTransition},
		{"POST /requests/{id}/ask", signedIn, s.requestAsk},
		{"POST /requests/{id}/to-decision", signedIn, s.requestToDecision},
		{"POST /requests/{id}/decision", signedIn, s.requestDecide},
		{"GET /decide/{token}", signedIn, s.titledRefusals("decision_link.", "decision_link.title", s.decideLinkPage)},
		{"POST /decide/{token}", signedIn, s.titledRefusals("decision_link.", "decision_link.title", s.decideByLink)},
		{"POST /requests/{id}/evaluation", signedIn, s.requestEvaluate},
		{"POST /requests/{id}/tasks", signedIn, s.requestCreateTask},
		{"POST /requests/{id}/tasks/{task}/complete", signedIn, s.requestCompleteTask},
		{"POST /requests/{id}/escalations", signedIn, s.requestEscalate},
		{"POST /requests/{id}/escalations/{esc}/close", signedIn, s.requestCloseEscalation},
		{"POST /requests/{id}/comments", signedIn, s.requestComment},
		{"POST /requests/{id}/attachments", signedIn, s.requestAttach},
		{"POST /requests/{id}/park", signedIn, s.parkRequest},
		{"POST /requests/{id}/unpark", signedIn, s.unparkRequest},
		{"POST /requests/{id}/article", beheer.PermPublicationWrite, s.articleFromRequest},
		{"POST /requests/{id}/change-tests", signedIn, s.requestChangeTest},
		{"POST /requests/{id}/owner-evaluation", signedIn, s.requestOwnerEvaluation},
		{"POST /requests/{id}/links", signedIn, s.requestLink},
		{"POST /requests/{id}/plan-input", beheer.PermPlanInput, s.requestPlanInput},
		{"POST /requests/{id}/time", signedIn, s.requestTime},
		{"POST /requests/{id}/follow", signedIn, s.requestFollow},
		{"POST /requests/{id}/unfollow", signedIn, s.requestUnfollow},
		{"GET /requests/{id}/mentions", signedIn, s.mentionList},
		{"POST /requests/{id}/duplicate", signedIn, s.requestDuplicate},
		{"POST /requests/{id}/parent-incident", signedIn, s.requestMakeParent},
		{"POST /requests/{id}/parent", signedIn, s.requestJoinParent},
		{"POST /requests/{id}/parent/leave", signedIn, s.requestLeaveParent},
		{"POST /incidents/{id}/join", beheer.PermRequestCreate, s.joinIncident},

		// Standard answers and the team alerts of the areas.
		{"GET /answers", beheer.PermAnswerManage, s.answersPage},
		{"POST /answers", beheer.PermAnswerManage, s.createAnswer},
		{"GET /answers/{id}", beheer.PermAnswerManage, s.answerPage},
		{"POST /answers/{id}", beheer.PermAnswerManage, s.updateAnswer},
		{"POST /answers/{id}/delete", beheer.PermAnswerManage, s.deleteAnswer},
		{"GET /settings/alerts", beheer.PermRequestRead, s.alertsPage},
		{"POST /settings/alerts/{id}", beheer.PermRequestRead, s.saveAlerts},
		{"GET /attachments/{id}", signedIn, s.attachmentDownload},
		{"GET /attachments/{id}/view", signedIn, s.attachmentView},
		{"GET /attachments/{id}/thumb", signedIn, s.attachmentThumb},

		// People and their roles.
		{"GET /people", beheer.PermUserManage, s.peoplePage},
		{"POST /people", beheer.PermUserManage, s.addPerson},
		{"GET /people/new", beheer.PermUserManage, s.newPersonPage},
		{"GET /people/{id}", beheer.PermUserManage, s.personPage},
		{"POST /people/{id}/roles", beheer.PermUserManage, s.setPersonRoles},
		{"POST /people/{id}/deactivate", beheer.PermUserManage, s.setPersonActive(false)},
		{"POST /people/{id}/activate", beheer.PermUserManage, s.setPersonActive(true)},
		{"POST /people/import", beheer.PermUserManage, s.importPeople},
		{"POST /people/departments", beheer.PermUserManage, s.setDepartmentPage},
		{"GET /people/{id}/privacy", beheer.PermUserManage, s.privacyPage},
		{"GET /people/{id}/export.json", beheer.PermUserManage, s.personExport},
		{"POST /people/{id}/anonymise", beheer.PermUserManage, s.personAnonymise},

		// Notifications and personal settings.
		{"GET /notifications", signedIn, s.notificationsPage},
		{"POST /notifications/read", signedIn, s.notificationsRead},
		{"GET /settings/notifications", signedIn, s.notifySettingsPage},
		{"POST /settings/notifications", signedIn, s.notifySettingsSave},
		{"GET /settings/second-factor", signedIn, s.enrolPage},
		{"POST /settings/second-factor", signedIn, s.enrol},
		{"GET /settings/mail", beheer.PermIntegrationManage, s.mailLogPage},
		{"GET /settings/closure", beheer.PermSettingsManage, s.closurePage},
		{"POST /settings/closure", beheer.PermSettingsManage, s.saveClosure},

		{"GET /settings/change-tests", beheer.PermSettingsManage, s.changeTestSettingsPage},
		{"POST /settings/change-tests", beheer.PermSettingsManage, s.saveChangeTestSettings},

		// Outages: everyone reads them and reports on them; functional and
		// technical admins post, change and close them.
		{"GET /outages", signedIn, s.outagesPage},
		{"POST /outages", beheer.PermOutageManage, s.createOutage},
		{"GET /outages/{id}", signedIn, s.outagePage},
		{"POST /outages/{id}", beheer.PermOutageManage, s.updateOutage},
		{"POST /outages/{id}/close", beheer.PermOutageManage, s.closeOutage},
		{"POST /outages/{id}/requests", beheer.PermOutageManage, s.linkOutageRequest},
		{"POST /outages/{id}/report", beheer.PermRequestCreate, s.reportOutage},
		{"POST /outages/{id}/dismiss", signedIn, s.dismissOutage},

		// API tokens: one's own, and everyone's for functional admins.
		{"GET /settings/tokens", beheer.PermTokenKeep, s.showTokens(false)},
		{"POST /settings/tokens", beheer.PermTokenKeep, s.tokenCreate},
		{"GET /settings/tokens/all", beheer.PermTokenManage, s.showTokens(true)},
		{"POST /settings/tokens/{id}/revoke", beheer.PermTokenKeep, s.tokenRevoke},

		// The organisation's settings: sign-on, mail, webhooks, the audit
		// log. The rules beside the nouns want admins of every area.
		{"GET /admin", signedIn, s.adminPage},
		{"GET /settings/signon", beheer.PermIntegrationManage, s.connPage(beheer.ConnSignOn)},
		{"POST /settings/signon", beheer.PermIntegrationManage, s.connSave(beheer.ConnSignOn)},
		{"POST /settings/signon/test", beheer.PermIntegrationManage, s.connTry(beheer.ConnSignOn, s.trySignOn)},
		{"GET /settings/mailserver", beheer.PermIntegrationManage, s.connPage(beheer.ConnMail)},
		{"POST /settings/mailserver", beheer.PermIntegrationManage, s.connSave(beheer.ConnMail)},
		{"POST /settings/mailserver/test-mail", beheer.PermIntegrationManage, s.connTry(beheer.ConnMail, s.tryTestMail)},
		{"POST /settings/mailserver/check-imap", beheer.PermIntegrationManage, s.connTry(beheer.ConnMail, s.tryMailbox)},
		{"GET /settings/webhooks", beheer.PermWebhookManage, s.webhooksPage},
		{"POST /settings/webhooks", beheer.PermWebhookManage, s.webhookCreate},
		{"GET /settings/webhooks/{id}", beheer.PermWebhookManage, s.webhookPage},
		{"POST /settings/webhooks/{id}/disable", beheer.PermWebhookManage, s.webhookSetActive(false)},
		{"POST /settings/webhooks/{id}/enable", beheer.PermWebhookManage, s.webhookSetActive(true)},
		{"POST /settings/webhooks/{id}/delete", beheer.PermWebhookManage, s.webhookDelete},
		{"POST /settings/webhooks/deliveries/{id}/replay", beheer.PermWebhookManage, s.deliveryReplay},
		{"GET /audit", beheer.PermOrgAuditRead, s.auditPage},
		{"GET /audit/export.csv", beheer.PermOrgAuditRead, s.auditExportCSV},
		{"GET /audit/export.xlsx", beheer.PermOrgAuditRead, s.auditExportXLSX},

		{"GET /settings/deputy", signedIn, s.deputyPage},
		{"POST /settings/deputy", signedIn, s.deputyForm},

		// Service levels and reports.
		{"GET /sla", beheer.PermSLARead, s.slaPage},
		{"POST /sla/targets", beheer.PermSLAManage, s.slaSaveTargets},
		{"POST /sla/calendar", beheer.PermSLAManage, s.slaSaveCalendar},
		{"GET /dashboard", beheer.PermReportRead, s.dashboardPage},
		{"GET /dashboard/export.csv", beheer.PermReportRead, s.dashboardExportCSV},
		{"GET /dashboard/export.xlsx", beheer.PermReportRead, s.dashboardExportXLSX},

		// News and the knowledge base.
		{"GET /news", beheer.PermPublicationRead, s.publicationsPage(beheer.PublicationNews)},
		{"GET /news/new", beheer.PermPublicationWrite, s.newPublicationPage(beheer.PublicationNews)},
		{"POST /news/new", beheer.PermPublicationWrite, s.createPublication(beheer.PublicationNews)},
		{"GET /news/{id}", beheer.PermPublicationRead, s.publicationPage(beheer.PublicationNews)},
		{"GET /news/{id}/edit", beheer.PermPublicationWrite, s.editPublicationPage(beheer.PublicationNews)},
		{"POST /news/{id}/edit", beheer.PermPublicationWrite, s.updatePublication(beheer.PublicationNews)},
		{"POST /news/{id}/links", beheer.PermPublicationWrite, s.linkPublication(beheer.PublicationNews)},
		{"GET /kb", beheer.PermPublicationRead, s.publicationsPage(beheer.PublicationArticle)},
		{"GET /kb/suggest", beheer.PermPublicationRead, s.publicationSuggest(beheer.PublicationArticle)},
		{"GET /kb/new", beheer.PermPublicationWrite, s.newPublicationPage(beheer.PublicationArticle)},
		{"POST /kb/new", beheer.PermPublicationWrite, s.createPublication(beheer.PublicationArticle)},
		{"GET /kb/{id}", beheer.PermPublicationRead, s.publicationPage(beheer.PublicationArticle)},
		{"GET /kb/{id}/edit", beheer.PermPublicationWrite, s.editPublicationPage(beheer.PublicationArticle)},
		{"POST /kb/{id}/edit", beheer.PermPublicationWrite, s.updatePublication(beheer.PublicationArticle)},
		{"POST /kb/{id}/feedback", beheer.PermPublicationRead, s.publicationFeedback(beheer.PublicationArticle)},
		{"POST /kb/{id}/links", beheer.PermPublicationWrite, s.linkPublication(beheer.PublicationArticle)},

		// The annual plan. Functional admins and management both start a
		// year's plan, so its creation is open to readers and the rule decides.
		{"GET /plan", beheer.PermPlanRead, s.plansPage},
		{"POST /plan", beheer.PermPlanRead, s.createPlan},
		{"GET /plan/{year}", beheer.PermPlanRead, s.planYearPage},
		{"POST /plan/{year}/approve", beheer.PermPlanApprove, s.approvePlan},
		{"POST /plan/{year}/objectives", beheer.PermPlanApprove, s.createObjective},
		{"GET /plan/{year}/objectives/{id}", beheer.PermPlanRead, s.objectivePage},
		{"POST /plan/{year}/objectives/{id}", beheer.PermPlanApprove, s.updateObjective},
		{"POST /plan/{year}/objectives/{id}/requests", beheer.PermPlanKeep, s.linkObjectiveRequest},
		{"POST /plan/{year}/objectives/{id}/requests/{request}/unlink", beheer.PermPlanKeep, s.unlinkObjectiveRequest},
		{"POST /plan/{year}/activities", beheer.PermPlanKeep, s.createActivity},
		{"GET /plan/{year}/activities/{id}", beheer.PermPlanRead, s.activityPage},
		{"POST /plan/{year}/activities/{id}", beheer.PermPlanKeep, s.updateActivity},
		{"POST /plan/{year}/activities/{id}/agenda/{request}", beheer.PermPlanKeep, s.recordAgendaOutcome},
		{"POST /plan/{year}/inputs", beheer.PermPlanInput, s.addPlanInput},
		{"POST /plan/{year}/inputs/{id}/request", beheer.PermPlanKeep, s.inputToRequest},
		{"POST /plan/{year}/inputs/{id}/activity", beheer.PermPlanKeep, s.inputToActivity},
		{"POST /plan/{year}/inputs/{id}/decline", beheer.PermPlanKeep, s.declineInput},
		{"POST /plan/{year}/feed", beheer.PermPlanKeep, s.rotateFeed},
		{"POST /plan/{year}/feed/revoke", beheer.PermPlanKeep, s.revokeFeed},
		{"POST /plan/{year}/budget", beheer.PermPlanRead, s.setBudget}, // who keeps or approves the plan

		// Releases and their acceptance tests. A check can be handed to
		// anyone who reads releases, so recording one is open to readers.
		{"GET /releases", beheer.PermReleaseRead, s.releasesPage},
		{"POST /releases", beheer.PermReleaseManage, s.createRelease},
		{"GET /releases/checklist", beheer.PermReleaseRead, s.checklistPage},
		{"POST /releases/checklist", beheer.PermReleaseManage, s.addChecklistItem},
		{"POST /releases/checklist/remove/{id}", beheer.PermReleaseManage, s.deleteChecklistItem},
		{"GET /releases/{id}", beheer.PermReleaseRead, s.releasePage},
		{"POST /releases/{id}", beheer.PermReleaseManage, s.updateRelease},
		{"POST /releases/{id}/checks", beheer.PermReleaseRead, s.addReleaseCheck},
		{"POST /releases/{id}/checks/{check}", beheer.PermReleaseRead, s.recordReleaseCheck},
		{"GET /releases/{id}/checks/{check}/file", beheer.PermReleaseRead, s.releaseCheckFile},
		{"POST /releases/{id}/findings", beheer.PermReleaseRead, s.addReleaseFinding},
		{"POST /releases/{id}/signoff", beheer.PermReleaseRead, s.signOffRelease},
		{"POST /releases/{id}/announce", beheer.PermReleaseManage, s.announceRelease},
		{"POST /releases/{id}/news", beheer.PermReleaseManage, s.releaseNews},

		// The organisation profile (the filled-in Beheerorganisatie).
		{"GET /profile", beheer.PermProfileRead, s.profilePage},
		{"GET /profile/print", beheer.PermProfileRead, s.profilePrint},
		{"GET /profile/beheerorganisatie.docx", beheer.PermProfileRead, s.profileDocx},
		{"POST /profile/contacts", beheer.PermProfileKeep, s.addContact},
		{"POST /profile/contacts/{id}", beheer.PermProfileKeep, s.updateContact},
		{"POST /profile/contacts/{id}/delete", beheer.PermProfileKeep, s.deleteContact},

		// Setting up: the checklist and the organisation, areas and
		// processes, channels, request types.
		{"GET /setup", beheer.PermSettingsManage, s.setupPage},
		{"POST /setup/organisation", beheer.PermSettingsManage, s.saveOrganisation},
		{"POST /setup/items/{item}", beheer.PermSettingsManage, s.markSetupItem},
		{"GET /organisation/logo", signedIn, s.logoPage},
		{"GET /areas", beheer.PermAreaManage, s.areasPage},
		{"POST /areas", beheer.PermAreaManage, s.createAreaForm},
		{"POST /areas/order", beheer.PermAreaManage, s.orderAreas},
		{"GET /areas/{id}", beheer.PermAreaManage, s.areaPage},
		{"POST /areas/{id}", beheer.PermAreaManage, s.updateAreaForm},
		{"POST /areas/{id}/archive", beheer.PermAreaManage, s.archiveAreaForm},
		{"POST /areas/{id}/restore", beheer.PermAreaManage, s.restoreAreaForm},
		{"POST /areas/{id}/key-users", beheer.PermUserManage, s.keyUsersForm},
		{"POST /areas/{id}/approval-rule", beheer.PermAreaManage, s.approvalRuleForm},
		{"POST /areas/{id}/processes", beheer.PermAreaManage, s.createProcessForm},
		{"POST /areas/{id}/processes/order", beheer.PermAreaManage, s.orderProcesses},
		{"POST /areas/{id}/processes/{process}", beheer.PermAreaManage, s.updateProcessForm},
		{"POST /areas/{id}/processes/{process}/archive", beheer.PermAreaManage, s.archiveProcessForm(true)},
		{"POST /areas/{id}/processes/{process}/restore", beheer.PermAreaManage, s.archiveProcessForm(false)},
		{"GET /channels", beheer.PermProfileKeep, s.channelsPage},
		{"POST /channels/support-rule", beheer.PermSettingsManage, s.saveSupportRule},
		{"POST /channels/contacts/{id}/delete", beheer.PermProfileKeep, s.removeChannelContact},
		{"POST /channels/{channel}", beheer.PermProfileKeep, s.saveChannel},
		{"POST /channels/{channel}/contacts", beheer.PermProfileKeep, s.addChannelContact},
		{"GET /request-types", beheer.PermSettingsManage, s.typesPage},
		{"POST /request-types", beheer.PermSettingsManage, s.saveTypes},
		{"POST /request-types/priorities", beheer.PermSettingsManage, s.savePriorities},
		// The form designer: forms per request type and process.
		{"GET /forms", beheer.PermSettingsManage, s.formsPage},
		{"POST /forms", beheer.PermSettingsManage, s.createForm},
		{"GET /forms/{id}", beheer.PermSettingsManage, s.designerPage},
		{"POST /forms/{id}", beheer.PermSettingsManage, s.saveFormHead},
		{"POST /forms/{id}/fields", beheer.PermSettingsManage, s.putFormField},
		{"POST /forms/{id}/fields/{name}/move", beheer.PermSettingsManage, s.moveFormField},
		{"POST /forms/{id}/fields/{name}/remove", beheer.PermSettingsManage, s.removeFormField},
		{"POST /forms/{id}/archive", beheer.PermSettingsManage, s.archiveFormPage},
		{"POST /forms/{id}/delete", beheer.PermSettingsManage, s.deleteFormPage},

		// The technical register.
		{"GET /register", beheer.PermRegisterRead, s.registerPage},
		{"POST /register", beheer.PermRegisterKeep, s.createRegisterEntry},
		{"GET /register/new", beheer.PermRegisterKeep, s.newRegisterEntryPage},
		{"GET /register/{id}", beheer.PermRegisterRead, s.registerEntryPage},
		{"POST /register/{id}", beheer.PermRegisterKeep, s.updateRegisterEntry},
		{"GET /register/{id}/edit", beheer.PermRegisterKeep, s.editRegisterEntryPage},
		{"POST /register/{id}/review", beheer.PermRegisterKeep, s.recordRegisterReview},
	}
}

// apiRoutes are the JSON API, by part of the product. Every endpoint
// authenticates with a bearer token.
func (s *Server) apiRoutes() []route {
	return []route{
		// The organisation: who I am, areas, people, settings.
		{"GET /api/v1/me", signedIn, s.apiMe},
		{"GET /api/v1/me/notification-settings", signedIn, s.apiNotifySettings},
		{"PUT /api/v1/me/notification-settings", signedIn, s.apiSetNotifySettings},
		{"GET /api/v1/areas", signedIn, s.apiAreas},
		{"POST /api/v1/areas", beheer.PermAreaManage, s.apiCreateArea},
		{"PUT /api/v1/areas/order", beheer.PermAreaManage, s.apiOrderAreas},
		{"GET /api/v1/areas/{id}", signedIn, s.apiGetArea},
		{"PATCH /api/v1/areas/{id}", beheer.PermAreaManage, s.apiPatchArea},
		{"POST /api/v1/areas/{id}/archive", beheer.PermAreaManage, s.apiArchiveArea},
		{"POST /api/v1/areas/{id}/restore", beheer.PermAreaManage, s.apiRestoreArea},
		{"PUT /api/v1/areas/{id}/key-users", beheer.PermUserManage, s.apiSetKeyUsers},
		{"GET /api/v1/areas/{id}/approval-rule", signedIn, s.apiGetApprovalRule},
		{"PUT /api/v1/areas/{id}/approval-rule", beheer.PermAreaManage, s.apiPutApprovalRule},
		{"PUT /api/v1/areas/{id}/processes/order", beheer.PermAreaManage, s.apiOrderProcesses},
		{"GET /api/v1/processes", signedIn, s.apiProcesses},
		{"POST /api/v1/processes", beheer.PermAreaManage, s.apiCreateProcess},
		{"GET /api/v1/processes/{id}", signedIn, s.apiGetProcess},
		{"PATCH /api/v1/processes/{id}", beheer.PermAreaManage, s.apiPatchProcess},
		{"POST /api/v1/processes/{id}/archive", beheer.PermAreaManage, s.apiArchiveProcess(true)},
		{"POST /api/v1/processes/{id}/restore", beheer.PermAreaManage, s.apiArchiveProcess(false)},
		{"GET /api/v1/organisation", signedIn, s.apiGetOrganisation},
		{"PUT /api/v1/organisation", beheer.PermSettingsManage, s.apiPutOrganisation},
		{"GET /api/v1/organisation/logo", signedIn, s.apiGetLogo},
		{"PUT /api/v1/organisation/logo", beheer.PermSettingsManage, s.apiPutLogo},
		{"DELETE /api/v1/organisation/logo", beheer.PermSettingsManage, s.apiDeleteLogo},
		{"GET /api/v1/setup", beheer.PermSettingsManage, s.apiSetup},
		{"PUT /api/v1/setup/items/{item}", beheer.PermSettingsManage, s.apiMarkSetupItem},
		{"GET /api/v1/request-types", signedIn, s.apiTypeSettings},
		{"GET /api/v1/forms", signedIn, s.apiForms},
		{"POST /api/v1/forms", beheer.PermSettingsManage, s.apiCreateForm},
		{"GET /api/v1/forms/{id}", signedIn, s.apiForm},
		{"PUT /api/v1/forms/{id}", beheer.PermSettingsManage, s.apiPutForm},
		{"DELETE /api/v1/forms/{id}", beheer.PermSettingsManage, s.apiDeleteForm},
		{"POST /api/v1/forms/{id}/archive", beheer.PermSettingsManage, s.apiArchiveForm},
		{"GET /api/v1/form-templates", signedIn, s.apiFormTemplates},
		{"PUT /api/v1/request-types", beheer.PermSettingsManage, s.apiPutTypeSettings},
		{"GET /api/v1/priorities", signedIn, s.apiPriorityLabels},
		{"PUT /api/v1/priorities", beheer.PermSettingsManage, s.apiPutPriorityLabels},
		{"GET /api/v1/users", beheer.PermUserManage, s.apiUsers},
		{"POST /api/v1/users", beheer.PermUserManage, s.apiCreateUser},
		{"PUT /api/v1/users/{id}/roles", beheer.PermUserManage, s.apiSetRoles},
		{"POST /api/v1/users/{id}/deactivate", beheer.PermUserManage, s.apiSetActive(false)},
		{"POST /api/v1/users/{id}/activate", beheer.PermUserManage, s.apiSetActive(true)},
		{"GET /api/v1/users/{id}/export", signedIn, s.apiExportPerson}, // one's own data, or user:manage
		{"POST /api/v1/users/{id}/anonymise", beheer.PermUserManage, s.apiAnonymise},
		{"GET /api/v1/users/{id}/deputy", signedIn, s.apiGetDeputy}, // one's own, or user:manage
		{"PUT /api/v1/users/{id}/deputy", signedIn, s.apiPutDeputy},
		{"DELETE /api/v1/users/{id}/deputy", signedIn, s.apiDeleteDeputy},
		{"GET /api/v1/settings", signedIn, s.apiGetSettings},
		{"PUT /api/v1/settings", beheer.PermSettingsManage, s.apiPutSettings},
		{"GET /api/v1/settings/closure", signedIn, s.apiGetClosure},
		{"PUT /api/v1/settings/closure", beheer.PermSettingsManage, s.apiPutClosure},
		{"GET /api/v1/settings/signon", beheer.PermIntegrationManage, s.apiGetConnections(beheer.ConnSignOn)},
		{"PUT /api/v1/settings/signon", beheer.PermIntegrationManage, s.apiPutConnections(beheer.ConnSignOn)},
		{"POST /api/v1/settings/signon/test", beheer.PermIntegrationManage, s.apiConnTry(beheer.ConnSignOn, s.trySignOn)},
		{"GET /api/v1/settings/mail", beheer.PermIntegrationManage, s.apiGetConnections(beheer.ConnMail)},
		{"PUT /api/v1/settings/mail", beheer.PermIntegrationManage, s.apiPutConnections(beheer.ConnMail)},
		{"POST /api/v1/settings/mail/test-mail", beheer.PermIntegrationManage, s.apiConnTry(beheer.ConnMail, s.tryTestMail)},
		{"POST /api/v1/settings/mail/check-imap", beheer.PermIntegrationManage, s.apiConnTry(beheer.ConnMail, s.tryMailbox)},
		{"GET /api/v1/audit", beheer.PermOrgAuditRead, s.apiOrgAudit},
		{"POST /api/v1/people/import", beheer.PermUserManage, s.apiPeopleImport},
		{"GET /api/v1/people/sync", beheer.PermUserManage, s.apiPeopleSync},
		{"GET /api/v1/people/departments", beheer.PermUserManage, s.apiDepartments},
		{"PUT /api/v1/people/departments", beheer.PermUserManage, s.apiSetDepartment},

		// API tokens and security events: the store decides whose (one's
		// own tokens, or everyone's for functional admins for every area).
		{"GET /api/v1/tokens", beheer.PermTokenKeep, s.apiTokens},
		{"POST /api/v1/tokens", beheer.PermTokenKeep, s.apiCreateToken},
		{"DELETE /api/v1/tokens/{id}", beheer.PermTokenKeep, s.apiRevokeToken},
		{"GET /api/v1/security-events", signedIn, s.apiSecurityEvents},

		// Requests and the work on them; the store decides per request.
		{"POST /api/v1/requests", beheer.PermRequestCreate, s.apiCreateRequest},
		{"GET /api/v1/requests", signedIn, s.apiListRequests},
		{"GET /api/v1/requests/{id}", signedIn, s.apiGetRequest},
		{"GET /api/v1/requests/{id}/answers", signedIn, s.apiGetAnswers},
		{"PUT /api/v1/requests/{id}/answers", signedIn, s.apiPutAnswers},
		{"PATCH /api/v1/requests/{id}", signedIn, s.apiPatchRequest},
		{"POST /api/v1/requests/{id}/transitions", signedIn, s.apiTransition},
		{"POST /api/v1/requests/{id}/decision", signedIn, s.apiDecide},
		{"GET /api/v1/requests/{id}/decision", signedIn, s.apiGetDecision},
		{"GET /api/v1/requests/{id}/deciders", signedIn, s.apiDeciders},
		{"POST /api/v1/requests/{id}/evaluation", signedIn, s.apiEvaluate},
		{"POST /api/v1/requests/{id}/questions", signedIn, s.apiAsk},
		{"POST /api/v1/requests/{id}/comments", signedIn, s.apiAddComment},
		{"GET /api/v1/requests/{id}/comments", signedIn, s.apiListComments},
		{"POST /api/v1/requests/{id}/attachments", signedIn, s.apiAddAttachment},
		{"GET /api/v1/requests/{id}/attachments", signedIn, s.apiListAttachments},
		{"POST /api/v1/requests/{id}/escalations", signedIn, s.apiEscalate},
		{"GET /api/v1/requests/{id}/escalations", signedIn, s.apiListEscalations},
		{"POST /api/v1/requests/{id}/tasks", signedIn, s.apiCreateTask},
		{"GET /api/v1/requests/{id}/tasks", signedIn, s.apiListTasks},
		{"POST /api/v1/requests/{id}/links", signedIn, s.apiLink},
		{"GET /api/v1/requests/{id}/links", signedIn, s.apiLinks},
		{"GET /api/v1/requests/{id}/audit", signedIn, s.apiAudit},
		{"GET /api/v1/requests/{id}/sla", signedIn, s.apiRequestSLA},
		{"POST /api/v1/requests/{id}/park", signedIn, s.apiPark},
		{"DELETE /api/v1/requests/{id}/park", signedIn, s.apiUnpark},
		{"GET /api/v1/requests/{id}/knowledge", signedIn, s.apiRequestKnowledge},
		{"POST /api/v1/requests/{id}/article", beheer.PermPublicationWrite, s.apiArticleFromRequest},
		{"GET /api/v1/requests/{id}/change-tests", signedIn, s.apiChangeTests},
		{"POST /api/v1/requests/{id}/change-tests", signedIn, s.apiRecordChangeTest},
		{"GET /api/v1/requests/{id}/owner-evaluation", signedIn, s.apiOwnerEvaluation},
		{"POST /api/v1/requests/{id}/owner-evaluation", signedIn, s.apiEvaluateOutcome},
		{"GET /api/v1/requests/{id}/time-entries", signedIn, s.apiTimeEntries},
		{"POST /api/v1/requests/{id}/time-entries", signedIn, s.apiRecordTime},
		{"GET /api/v1/requests/{id}/followers", signedIn, s.apiFollowers},
		{"POST /api/v1/requests/{id}/followers", signedIn, s.apiFollow},
		{"DELETE /api/v1/requests/{id}/followers/{user}", signedIn, s.apiUnfollow},
		{"GET /api/v1/requests/{id}/mentions", signedIn, s.apiMentions},
		{"GET /api/v1/requests/{id}/joins", signedIn, s.apiJoins},
		{"POST /api/v1/requests/{id}/duplicate", signedIn, s.apiDuplicate},
		{"PUT /api/v1/requests/{id}/parent-incident", signedIn, s.apiMakeParent},
		{"PUT /api/v1/requests/{id}/parent", signedIn, s.apiJoinParent},
		{"DELETE /api/v1/requests/{id}/parent", signedIn, s.apiLeaveParent},
		{"GET /api/v1/requests/{id}/answers/{answer}", signedIn, s.apiFilledAnswer},
		{"POST /api/v1/requests/{id}/answers/{answer}", signedIn, s.apiReplyWithAnswer},
		{"GET /api/v1/parent-incidents", beheer.PermRequestCreate, s.apiParentIncidents},
		{"POST /api/v1/parent-incidents/{id}/join", beheer.PermRequestCreate, s.apiJoinIncident},
		{"GET /api/v1/me/following", signedIn, s.apiFollowing},
		{"GET /api/v1/attachments/{id}", signedIn, s.apiGetAttachment},
		{"GET /api/v1/attachments/{id}/thumbnail", signedIn, s.apiAttachmentThumb},
		{"POST /api/v1/escalations/{id}/close", signedIn, s.apiCloseEscalation},
		{"GET /api/v1/tasks", signedIn, s.apiMyTasks},
		{"POST /api/v1/tasks/{id}/complete", signedIn, s.apiCompleteTask},

		// Service levels and reports.
		{"GET /api/v1/answers", signedIn, s.apiAnswers},
		{"POST /api/v1/answers", beheer.PermAnswerManage, s.apiCreateAnswer},
		{"GET /api/v1/answers/{id}", signedIn, s.apiGetAnswer},
		{"PUT /api/v1/answers/{id}", beheer.PermAnswerManage, s.apiPutAnswer},
		{"DELETE /api/v1/answers/{id}", beheer.PermAnswerManage, s.apiDeleteAnswer},
		{"GET /api/v1/areas/{id}/alerts", beheer.PermRequestRead, s.apiAreaAlerts},
		{"PUT /api/v1/areas/{id}/alerts", beheer.PermRequestManage, s.apiPutAreaAlerts},
		{"PUT /api/v1/areas/{id}/follow", beheer.PermRequestRead, s.apiFollowArea(true)},
		{"DELETE /api/v1/areas/{id}/follow", beheer.PermRequestRead, s.apiFollowArea(false)},

		{"GET /api/v1/sla/targets", beheer.PermSLARead, s.apiGetTargets},
		{"PUT /api/v1/sla/targets", beheer.PermSLAManage, s.apiPutTargets},
		{"GET /api/v1/sla/calendar", beheer.PermSLARead, s.apiGetCalendar},
		{"PUT /api/v1/sla/calendar", beheer.PermSLAManage, s.apiPutCalendar},
		{"GET /api/v1/reports/dashboard", beheer.PermReportRead, s.apiDashboard},
		{"GET /api/v1/reports/at-risk", beheer.PermReportRead, s.apiAtRisk},
		{"GET /api/v1/reports/availability", beheer.PermReportRead, s.apiAvailability},
		{"GET /api/v1/reports/time", beheer.PermReportRead, s.apiTimeReport},

		// Outages.
		{"GET /api/v1/outages", signedIn, s.apiOutages},
		{"POST /api/v1/outages", beheer.PermOutageManage, s.apiCreateOutage},
		{"GET /api/v1/outages/{id}", signedIn, s.apiGetOutage},
		{"PUT /api/v1/outages/{id}", beheer.PermOutageManage, s.apiPutOutage},
		{"POST /api/v1/outages/{id}/close", beheer.PermOutageManage, s.apiCloseOutage},
		{"GET /api/v1/outages/{id}/requests", signedIn, s.apiOutageRequests},
		{"POST /api/v1/outages/{id}/requests", beheer.PermOutageManage, s.apiLinkOutageRequest},

		// Webhooks and incoming mail.
		{"GET /api/v1/webhooks", beheer.PermWebhookManage, s.apiWebhooks},
		{"POST /api/v1/webhooks", beheer.PermWebhookManage, s.apiCreateWebhook},
		{"GET /api/v1/webhooks/{id}", beheer.PermWebhookManage, s.apiWebhook},
		{"PATCH /api/v1/webhooks/{id}", beheer.PermWebhookManage, s.apiPatchWebhook},
		{"DELETE /api/v1/webhooks/{id}", beheer.PermWebhookManage, s.apiDeleteWebhook},
		{"GET /api/v1/webhooks/{id}/deliveries", beheer.PermWebhookManage, s.apiWebhookDeliveries},
		{"POST /api/v1/webhooks/deliveries/{id}/replay", beheer.PermWebhookManage, s.apiReplayDelivery},
		{"POST /api/v1/mail/inbound", beheer.PermIntegrationManage, s.apiMailInbound},
		{"GET /api/v1/mail", beheer.PermIntegrationManage, s.apiMailLog},

		// News and the knowledge base.
		{"GET /api/v1/news", beheer.PermPublicationRead, s.apiListPublications(beheer.PublicationNews)},
		{"POST /api/v1/news", beheer.PermPublicationWrite, s.apiCreatePublication(beheer.PublicationNews)},
		{"GET /api/v1/news/{id}", beheer.PermPublicationRead, s.apiGetPublication(beheer.PublicationNews)},
		{"PUT /api/v1/news/{id}", beheer.PermPublicationWrite, s.apiPutPublication(beheer.PublicationNews)},
		{"POST /api/v1/news/{id}/links", beheer.PermPublicationWrite, s.apiLinkPublication(beheer.PublicationNews)},
		{"GET /api/v1/articles", beheer.PermPublicationRead, s.apiListPublications(beheer.PublicationArticle)},
		{"POST /api/v1/articles", beheer.PermPublicationWrite, s.apiCreatePublication(beheer.PublicationArticle)},
		{"GET /api/v1/articles/{id}", beheer.PermPublicationRead, s.apiGetPublication(beheer.PublicationArticle)},
		{"PUT /api/v1/articles/{id}", beheer.PermPublicationWrite, s.apiPutPublication(beheer.PublicationArticle)},
		{"GET /api/v1/articles/{id}/revisions", beheer.PermPublicationRead, s.apiPublicationRevisions(beheer.PublicationArticle)},
		{"POST /api/v1/articles/{id}/feedback", beheer.PermPublicationRead, s.apiPublicationFeedback(beheer.PublicationArticle)},
		{"POST /api/v1/articles/{id}/links", beheer.PermPublicationWrite, s.apiLinkPublication(beheer.PublicationArticle)},

		// The annual plan.
		{"GET /api/v1/plans", beheer.PermPlanRead, s.apiListPlans},
		{"POST /api/v1/plans", beheer.PermPlanRead, s.apiCreatePlan},
		{"GET /api/v1/plans/{year}", beheer.PermPlanRead, s.apiGetPlan},
		{"POST /api/v1/plans/{year}/approval", beheer.PermPlanApprove, s.apiApprovePlan},
		{"POST /api/v1/plans/{year}/objectives", beheer.PermPlanApprove, s.apiCreateObjective},
		{"PUT /api/v1/plans/{year}/objectives/{id}", beheer.PermPlanApprove, s.apiPutObjective},
		{"GET /api/v1/plans/{year}/objectives/{id}/requests", beheer.PermPlanRead, s.apiObjectiveRequests},
		{"POST /api/v1/plans/{year}/objectives/{id}/requests", beheer.PermPlanKeep, s.apiLinkObjectiveRequest},
		{"DELETE /api/v1/plans/{year}/objectives/{id}/requests/{request}", beheer.PermPlanKeep, s.apiUnlinkObjectiveRequest},
		{"POST /api/v1/plans/{year}/activities", beheer.PermPlanKeep, s.apiCreateActivity},
		{"PUT /api/v1/plans/{year}/activities/{id}", beheer.PermPlanKeep, s.apiPutActivity},
		{"GET /api/v1/plans/{year}/activities/{id}/agenda", beheer.PermPlanRead, s.apiGetAgenda},
		{"PUT /api/v1/plans/{year}/activities/{id}/agenda/{request}", beheer.PermPlanKeep, s.apiRecordAgendaOutcome},
		{"POST /api/v1/plans/{year}/inputs", beheer.PermPlanInput, s.apiAddPlanInput},
		{"POST /api/v1/plans/{year}/inputs/{id}/request", beheer.PermPlanKeep, s.apiInputToRequest},
		{"POST /api/v1/plans/{year}/inputs/{id}/activity", beheer.PermPlanKeep, s.apiInputToActivity},
		{"POST /api/v1/plans/{year}/inputs/{id}/decline", beheer.PermPlanKeep, s.apiDeclineInput},
		{"POST /api/v1/plans/{year}/feed", beheer.PermPlanKeep, s.apiRotateFeed},
		{"DELETE /api/v1/plans/{year}/feed", beheer.PermPlanKeep, s.apiRevokeFeed},
		{"GET /api/v1/plans/{year}/consultancy-budget", beheer.PermPlanRead, s.apiGetBudget},
		{"PUT /api/v1/plans/{year}/consultancy-budget", beheer.PermPlanRead, s.apiSetBudget}, // who keeps or approves the plan

		// Releases and their acceptance tests.
		{"GET /api/v1/releases", beheer.PermReleaseRead, s.apiListReleases},
		{"POST /api/v1/releases", beheer.PermReleaseManage, s.apiCreateRelease},
		{"GET /api/v1/releases/checklist-template", beheer.PermReleaseRead, s.apiCheckTemplates},
		{"POST /api/v1/releases/checklist-template", beheer.PermReleaseManage, s.apiAddCheckTemplate},
		{"DELETE /api/v1/releases/checklist-template/{id}", beheer.PermReleaseManage, s.apiDeleteCheckTemplate},
		{"GET /api/v1/releases/{id}", beheer.PermReleaseRead, s.apiGetRelease},
		{"PUT /api/v1/releases/{id}", beheer.PermReleaseManage, s.apiPutRelease},
		{"POST /api/v1/releases/{id}/checks", beheer.PermReleaseRead, s.apiAddCheck},
		{"POST /api/v1/releases/{id}/checks/{check}/result", beheer.PermReleaseRead, s.apiRecordCheck},
		{"GET /api/v1/releases/{id}/checks/{check}/file", beheer.PermReleaseRead, s.apiCheckFile},
		{"POST /api/v1/releases/{id}/findings", beheer.PermReleaseRead, s.apiAddFinding},
		{"POST /api/v1/releases/{id}/signoffs", beheer.PermReleaseRead, s.apiSignOff},
		{"POST /api/v1/releases/{id}/announcement", beheer.PermReleaseManage, s.apiAnnounceRelease},
		{"POST /api/v1/releases/{id}/news", beheer.PermReleaseManage, s.apiReleaseNews},

		// The organisation profile.
		{"GET /api/v1/profile", beheer.PermProfileRead, s.apiGetProfile},
		{"POST /api/v1/profile/contacts", beheer.PermProfileKeep, s.apiAddContact},
		{"PUT /api/v1/profile/contacts/{id}", beheer.PermProfileKeep, s.apiPutContact},
		{"DELETE /api/v1/profile/contacts/{id}", beheer.PermProfileKeep, s.apiDeleteContact},
		{"GET /api/v1/channels", beheer.PermProfileRead, s.apiChannels},
		{"PUT /api/v1/channels/{channel}", beheer.PermProfileKeep, s.apiPutChannel},

		// The technical register.
		{"GET /api/v1/register", beheer.PermRegisterRead, s.apiListRegister},
		{"POST /api/v1/register", beheer.PermRegisterKeep, s.apiCreateRegisterEntry},
		{"GET /api/v1/register/{id}", beheer.PermRegisterRead, s.apiGetRegisterEntry},
		{"PATCH /api/v1/register/{id}", beheer.PermRegisterKeep, s.apiPatchRegisterEntry},
		{"POST /api/v1/register/{id}/review", beheer.PermRegisterKeep, s.apiRecordRegisterReview},
	}
}

// routes registers the one route table on mux.
func (s *Server) routes(mux *http.ServeMux) {
	// Without a session or token: probes, the API description, the static
	// files, and the plan's iCalendar feed, whose secret token is the key.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)
	mux.HandleFunc("GET /favicon.ico", s.favicon)
	mux.HandleFunc("GET /plan/{year}/feed.ics", s.planFeed)
	mux.Handle("GET /static/", s.assets)
	for _, rt := range s.publicRoutes() {
		mux.Handle(rt.pattern, s.public(rt.handler))
	}
	for _, rt := range s.pageRoutes() {
		mux.Handle(rt.pattern, s.portal(rt.perm, rt.handler))
	}
	mux.Handle("/", s.public(func(w http.ResponseWriter, r *http.Request, p *page) error {
		return beheer.ErrNotFound()
	}))
	for _, rt := range s.apiRoutes() {
		mux.Handle(rt.pattern, s.api(rt.perm, rt.handler))
	}
	mux.Handle("/api/", s.api(signedIn, func(w http.ResponseWriter, r *http.Request, _ *beheer.Actor) error {
		return beheer.ErrNotFound()
	}))
}

// permitted is the route table's gate: nil when the actor holds perm in at
// least one area (or the route is open to everyone signed in), else the
// permission's refusal.
func permitted(a *beheer.Actor, perm beheer.Permission) error {
	if perm == signedIn || a.CanAnywhere(perm) {
		return nil
	}
	return beheer.Refusal(perm)
}
