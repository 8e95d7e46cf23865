package server

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAnswerIn: each JSON value an answer may be is read as its text, once;
// every other value is refused.
func TestAnswerIn(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		ok   bool
	}{
		{`"productie"`, []string{"productie"}, true},
		{`""`, []string{""}, true},
		{`"a\"b"`, []string{`a"b`}, true},
		{`["hrm","payroll"]`, []string{"hrm", "payroll"}, true},
		{`[]`, []string{}, true},
		{`true`, []string{"true"}, true},
		{`false`, []string{"false"}, true},
		{`12`, []string{"12"}, true},
		{`-1.5`, []string{"-1.5"}, true},
		{`1e3`, []string{"1000"}, true},
		{`null`, nil, true},
		{`nul`, nil, false},
		{`tru`, nil, false},
		{`1e400`, nil, false},
		{`[1,2]`, nil, false},
		{`["a",null]`, []string{"a", ""}, true}, // as encoding/json reads a null in a list of strings
		{`{"a":"b"}`, nil, false},
		{`"open`, nil, false},
		{``, nil, false},
	} {
		got, ok := answerIn(json.RawMessage(c.in))
		if ok != c.ok || ok && !cmp.Equal(got, c.want) {
			t.Errorf("answerIn(%s) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
