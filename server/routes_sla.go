package server

// slaRoutes are the portal pages of service levels, dashboards and reports.
func (s *Server) slaRoutes() []pageRoute {
	return []pageRoute{
		{"GET /sla", s.slaPage},
		{"POST /sla/targets", s.slaSaveTargets},
		{"POST /sla/calendar", s.slaSaveCalendar},
		{"POST /requests/{id}/park", s.parkRequest},
		{"POST /requests/{id}/unpark", s.unparkRequest},
		{"GET /dashboard", s.dashboardPage},
		{"GET /dashboard/export.csv", s.dashboardExportCSV},
		{"GET /dashboard/export.xlsx", s.dashboardExportXLSX},
		{"GET /queue/export.csv", s.queueExportCSV},
		{"GET /queue/export.xlsx", s.queueExportXLSX},
	}
}

// apiSlaRoutes are the API endpoints of service levels, dashboards and reports.
func (s *Server) apiSlaRoutes() []route {
	return []route{
		{"GET /api/v1/sla/targets", s.apiGetTargets},
		{"PUT /api/v1/sla/targets", s.apiPutTargets},
		{"GET /api/v1/sla/calendar", s.apiGetCalendar},
		{"PUT /api/v1/sla/calendar", s.apiPutCalendar},
		{"GET /api/v1/requests/{id}/sla", s.apiRequestSLA},
		{"POST /api/v1/requests/{id}/park", s.apiPark},
		{"DELETE /api/v1/requests/{id}/park", s.apiUnpark},
		{"GET /api/v1/reports/dashboard", s.apiDashboard},
		{"GET /api/v1/reports/at-risk", s.apiAtRisk},
	}
}
