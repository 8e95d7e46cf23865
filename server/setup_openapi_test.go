package server

import (
	"testing"

	"beheer"
)

// TestOpenAPISetupSchemas checks the setting-up schemas against what the
// handlers encode.
func TestOpenAPISetupSchemas(t *testing.T) {
	checkSchemas(t, openAPIDoc(t), map[string]any{
		"Process":        beheer.Process{},
		"Organisation":   beheer.Organisation{},
		"ChannelDetails": beheer.ChannelDetails{},
		"TypeSetting":    beheer.TypeSetting{},
		"PriorityLabel":  beheer.PriorityLabel{},
		"SetupStep":      beheer.SetupStep{},
		"Texts":          beheer.Texts{},
	})
}
