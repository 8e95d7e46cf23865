package server

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"beheer"
)

// publicOperations are the routes outside apiRoutes that the OpenAPI
// document describes; they need no token.
var publicOperations = map[string]bool{
	"GET /healthz":             true,
	"GET /readyz":              true,
	"GET /api/v1/openapi.json": true,
}

// httpMethods are the keys of a path item that are operations.
var httpMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true,
	"options": true, "head": true, "patch": true, "trace": true,
}

// openAPIDoc parses the embedded document.
func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

// openAPIOperations returns the document's operations keyed "METHOD /path".
func openAPIOperations(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatal("openapi.json has no paths object")
	}
	ops := map[string]map[string]any{}
	for path, item := range paths {
		methods, ok := item.(map[string]any)
		if !ok {
			t.Errorf("path %s is not an object", path)
			continue
		}
		for method, op := range methods {
			if !httpMethods[method] {
				continue
			}
			o, ok := op.(map[string]any)
			if !ok {
				t.Errorf("%s %s is not an object", method, path)
				continue
			}
			ops[strings.ToUpper(method)+" "+path] = o
		}
	}
	return ops
}

func TestOpenAPIVersion(t *testing.T) {
	doc := openAPIDoc(t)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	info, _ := doc["info"].(map[string]any)
	if info["title"] != "Beheer API" || info["version"] != "1" {
		t.Errorf("info = %v, want title Beheer API, version 1", info)
	}
}

// TestOpenAPIMatchesRoutes keeps the document and the route table from
// drifting apart: every API route is documented and every documented
// operation is served.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	ops := openAPIOperations(t, openAPIDoc(t))
	routes := map[string]bool{}
	for _, rt := range (&Server{}).apiRoutes() {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if !ok {
			t.Errorf("route %q has no method", rt.pattern)
			continue
		}
		key := method + " " + path
		routes[key] = true
		if ops[key] == nil {
			t.Errorf("route %s is not in openapi.json", key)
		}
	}
	for key := range publicOperations {
		if ops[key] == nil {
			t.Errorf("%s is not in openapi.json", key)
		}
	}
	for key, op := range ops {
		if !routes[key] && !publicOperations[key] {
			t.Errorf("openapi.json documents %s, which is not a route", key)
		}
		// Only the public operations lift the global bearer requirement.
		sec, has := op["security"].([]any)
		public := has && len(sec) == 0
		if public != publicOperations[key] {
			t.Errorf("%s: security %v; want an empty list exactly for healthz, readyz and openapi.json", key, op["security"])
		}
	}
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

func TestOpenAPIOperations(t *testing.T) {
	doc := openAPIDoc(t)
	ops := openAPIOperations(t, doc)
	keys := make([]string, 0, len(ops))
	for key := range ops {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	ids := map[string]string{}
	for _, key := range keys {
		op := ops[key]
		id, _ := op["operationId"].(string)
		if id == "" {
			t.Errorf("%s has no operationId", key)
		} else if other, dup := ids[id]; dup {
			t.Errorf("operationId %q is used by %s and %s", id, other, key)
		} else {
			ids[id] = key
		}
		if s, _ := op["summary"].(string); s == "" {
			t.Errorf("%s has no summary", key)
		}

		responses, _ := op["responses"].(map[string]any)
		success := false
		for code := range responses {
			if n, err := strconv.Atoi(code); err == nil && n >= 200 && n < 300 {
				success = true
			}
		}
		if !success {
			t.Errorf("%s has no 2xx response", key)
		}

		// Every path parameter is declared as one.
		declared := map[string]bool{}
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			pm, _ := resolve(doc, p).(map[string]any)
			if pm["in"] == "path" {
				declared[pm["name"].(string)] = true
			}
		}
		_, path, _ := strings.Cut(key, " ")
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s does not declare path parameter %s", key, m[1])
			}
		}

		// JSON bodies are decoded strictly, so their schemas are closed.
		if body, ok := op["requestBody"].(map[string]any); ok {
			content, _ := body["content"].(map[string]any)
			if media, ok := content["application/json"].(map[string]any); ok {
				schema, _ := resolve(doc, media["schema"]).(map[string]any)
				if schema["additionalProperties"] != false {
					t.Errorf("%s: the JSON request body schema lacks additionalProperties: false", key)
				}
			}
		}
	}
}

// TestOpenAPIRefs checks that every $ref points into the document itself
// and resolves.
func TestOpenAPIRefs(t *testing.T) {
	doc := openAPIDoc(t)
	n := 0
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"]; ok {
				n++
				s, _ := r.(string)
				if target, ok := pointer(doc, s); !ok || target == nil {
					t.Errorf("%s: $ref %v does not resolve", at, r)
				}
			}
			for k, e := range x {
				walk(at+"/"+k, e)
			}
		case []any:
			for i, e := range x {
				walk(at+"/"+strconv.Itoa(i), e)
			}
		}
	}
	walk("#", doc)
	if n == 0 {
		t.Error("openapi.json has no $ref at all")
	}
}

// resolve follows a $ref (repeatedly) to what it names; anything else is
// returned as is.
func resolve(doc map[string]any, v any) any {
	for range 10 {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		r, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		if v, ok = pointer(doc, r); !ok {
			return nil
		}
	}
	return nil
}

// pointer resolves a local reference "#/a/b" (RFC 6901) in doc.
func pointer(doc map[string]any, ref string) (any, bool) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	var cur any = doc
	for _, tok := range strings.Split(rest, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := cur.(type) {
		case map[string]any:
			if cur, ok = x[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			cur = x[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// TestOpenAPISchemasMatchJSON checks the response schemas against what the
// handlers encode: a value with every field set shows every property, a
// zero value shows exactly the required ones (the rest are omitempty).
func TestOpenAPISchemasMatchJSON(t *testing.T) {
	doc := openAPIDoc(t)
	cases := map[string]any{
		"Request":       apiRequest{},
		"Person":        person{},
		"Comment":       beheer.Comment{},
		"Attachment":    beheer.Attachment{},
		"Decision":      beheer.Decision{},
		"Escalation":    beheer.Escalation{},
		"Task":          beheer.Task{},
		"AuditEntry":    beheer.AuditEntry{},
		"Area":          beheer.Area{},
		"User":          beheer.User{},
		"Assignment":    beheer.Assignment{},
		"Problem":       Problem{},
		"ProblemField":  ProblemField{},
		"MailLogEntry":  beheer.MailLogEntry{},
		"PersonData":    beheer.PersonData{},
		"Token":         beheer.Token{},
		"SecurityEvent": beheer.SecurityEvent{},
	}
	checkSchemas(t, doc, cases)
}

// checkSchemas checks each named schema of the OpenAPI document against the
// JSON of a Go value: its properties are the members of a filled value, its
// required members those of the zero value.
func checkSchemas(t *testing.T, doc map[string]any, cases map[string]any) {
	t.Helper()
	for name, zero := range cases {
		schema, ok := pointer(doc, "#/components/schemas/"+name)
		if !ok {
			t.Errorf("components/schemas/%s is missing", name)
			continue
		}
		s, _ := schema.(map[string]any)
		props, _ := s["properties"].(map[string]any)
		required, _ := s["required"].([]any)

		full := reflect.New(reflect.TypeOf(zero)).Elem()
		fill(full)
		if got, want := jsonKeys(t, full.Interface()), sortedKeys(props); !slices.Equal(got, want) {
			t.Errorf("%s: JSON members %v, schema properties %v", name, got, want)
		}
		var req []string
		for _, r := range required {
			req = append(req, r.(string))
		}
		sort.Strings(req)
		if got := jsonKeys(t, zero); !slices.Equal(got, req) {
			t.Errorf("%s: JSON members of a zero value %v, schema required %v", name, got, req)
		}
	}
}

func jsonKeys(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return sortedKeys(m)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fill sets every exported field of v to a non-zero value.
func fill(v reflect.Value) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Map:
		key, val := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(key)
		if val.Kind() == reflect.Interface {
			val.Set(reflect.ValueOf("x"))
		} else {
			fill(val)
		}
		v.Set(reflect.MakeMapWithSize(v.Type(), 1))
		v.SetMapIndex(key, val)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	}
}
