package beheer

import (
	"errors"
	"fmt"
)

// Code classifies an error so every layer can map it to one answer: an HTTP
// status, a CLI exit message, a form message.
type Code string

// The error codes. The HTTP layer maps each to one status code.
const (
	CodeInvalid              Code = "invalid"
	CodeNotFound             Code = "not_found"
	CodeForbidden            Code = "forbidden"
	CodeUnauthorized         Code = "unauthorized"
	CodeConflict             Code = "conflict"
	CodePreconditionRequired Code = "precondition_required"
	CodePreconditionFailed   Code = "precondition_failed"
	CodeTooLarge             Code = "too_large"
	CodeInternal             Code = "internal"
)

// Error is the one error type that carries a user-facing message. Key names a
// message in the catalogue (package i18n); Args fill its placeholders as
// alternating name, value pairs. Fields names each invalid field, so a form or
// an API client can show the message beside the field.
type Error struct {
	Code   Code
	Key    string
	Args   []any
	Fields []FieldError
}

// FieldError is the message for one invalid field.
type FieldError struct {
	Field string
	Key   string
	Args  []any
}

// Error implements error. The text is for logs; users see the catalogue message.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Key, e.Args)
	}
	return fmt.Sprintf("%s: %s %v (fields %v)", e.Code, e.Key, e.Args, e.Fields)
}

// Message is a catalogue message given as the value of another message's
// placeholder, such as the reason in "{name}: {reason}". Whoever shows the
// outer message shows this one in the same language.
type Message struct {
	Key  string
	Args []any
}

// Errorf returns an *Error with a code and a catalogue key.
func Errorf(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// ErrNotFound is the answer for a missing record and for a record the caller
// may not know exists.
func ErrNotFound() *Error { return Errorf(CodeNotFound, "error.not_found") }

// ErrForbidden is the answer for an action the caller's roles do not allow.
func ErrForbidden(key string, args ...any) *Error {
	if key == "" {
		key = "error.forbidden"
	}
	return Errorf(CodeForbidden, key, args...)
}

// ErrorCode returns the code of err, CodeInternal for anything that is not an
// *Error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Invalid is a validation error on one field.
func Invalid(field, key string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Key: "error.invalid", Fields: []FieldError{{Field: field, Key: key, Args: args}}}
}

// Validation collects field errors; Err returns nil when there are none.
type Validation struct {
	Fields []FieldError
}

// Add records a message for a field.
func (v *Validation) Add(field, key string, args ...any) {
	v.Fields = append(v.Fields, FieldError{Field: field, Key: key, Args: args})
}

// Has reports whether field already has a message.
func (v *Validation) Has(field string) bool {
	for _, f := range v.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns the collected errors as one CodeInvalid *Error, or nil.
func (v *Validation) Err() error {
	if len(v.Fields) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Key: "error.invalid", Fields: v.Fields}
}
