package i18n

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// interpolate replaces each {name} in msg whose name has a value in args. It
// scans msg once, so a value that itself contains {name} is left alone.
func interpolate(msg string, args []any) string {
	if len(args) < 2 || !strings.Contains(msg, "{") {
		return msg
	}
	var b strings.Builder
	for {
		i, name, ok := nextPlaceholder(msg)
		if !ok {
			b.WriteString(msg)
			return b.String()
		}
		b.WriteString(msg[:i])
		if v, found := lookup(args, name); found {
			b.WriteString(formatValue(v))
		} else {
			b.WriteString("{" + name + "}")
		}
		msg = msg[i+len(name)+2:]
	}
}

// nextPlaceholder finds the first {name} in s: its byte offset and its name.
// A brace that does not open a valid name is skipped.
func nextPlaceholder(s string) (int, string, bool) {
	for off := 0; ; {
		i := strings.IndexByte(s[off:], '{')
		if i < 0 {
			return 0, "", false
		}
		i += off
		j := strings.IndexByte(s[i+1:], '}')
		if j < 0 {
			return 0, "", false
		}
		if name := s[i+1 : i+1+j]; validName(name) {
			return i, name, true
		}
		off = i + 1
	}
}

// validName reports whether s is a placeholder name: ASCII letters, digits
// and underscores, not empty.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// placeholders returns the distinct placeholder names in msg, sorted.
func placeholders(msg string) []string {
	var names []string
	for {
		i, name, ok := nextPlaceholder(msg)
		if !ok {
			break
		}
		names = append(names, name)
		msg = msg[i+len(name)+2:]
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// lookup finds the value for name in alternating name, value pairs. A
// trailing name without a value is ignored.
func lookup(args []any, name string) (any, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if fmt.Sprint(args[i]) == name {
			return args[i+1], true
		}
	}
	return nil, false
}

// formatValue formats v with %v; slices and arrays (other than []byte) are
// joined with ", " so a list of choices reads as text.
func formatValue(v any) string {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if _, isBytes := v.([]byte); isBytes {
			break
		}
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = fmt.Sprintf("%v", rv.Index(i).Interface())
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%v", v)
}
