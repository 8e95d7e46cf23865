package mailin

import (
	"testing"

	"beheer/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }
