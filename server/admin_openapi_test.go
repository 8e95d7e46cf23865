package server

import (
	"testing"

	"beheer"
)

// TestOpenAPIAdminSchemas checks the schemas of the connection settings,
// their tries, the organisation's audit log and webhooks against what the
// handlers encode.
func TestOpenAPIAdminSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	checkSchemas(t, doc, map[string]any{"Connections": connJSON{}, "ProbeResult": probeJSON{},
		"OrgAuditEntry": beheer.OrgAuditEntry{}, "Webhook": beheer.Webhook{}})
}
