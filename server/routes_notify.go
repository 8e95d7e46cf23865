package server

// notifyRoutes are the portal pages of notifications, webhooks and e-mail.
func (s *Server) notifyRoutes() []pageRoute {
	return []pageRoute{
		{"GET /notifications", s.notificationsPage},
		{"POST /notifications/read", s.notificationsRead},
		{"GET /settings/notifications", s.notifySettingsPage},
		{"POST /settings/notifications", s.notifySettingsSave},
	}
}

// apiNotifyRoutes are the API endpoints of notifications, webhooks and e-mail.
func (s *Server) apiNotifyRoutes() []route {
	return []route{
		{"GET /api/v1/webhooks", s.apiWebhooks},
		{"POST /api/v1/webhooks", s.apiCreateWebhook},
		{"DELETE /api/v1/webhooks/{id}", s.apiDeleteWebhook},
		{"GET /api/v1/webhooks/{id}/deliveries", s.apiWebhookDeliveries},
		{"POST /api/v1/webhooks/deliveries/{id}/replay", s.apiReplayDelivery},
	}
}
