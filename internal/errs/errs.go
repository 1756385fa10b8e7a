// Package errs is Herald's one error vocabulary (after Ben Johnson's WTF Dial): an error
// carries a Code that says what kind of failure it is, a Message that is safe to show the
// caller, and, for bad input, the offending fields. Domains return or wrap these errors
// (fmt.Errorf("publish %s: %w", id, err) keeps the code); only api turns codes into HTTP
// statuses, in one table. Errors without a code are internal.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Code is the kind of an error.
type Code string

// The codes; api maps each to one HTTP status.
const (
	Invalid         Code = "invalid"          // bad input (400), with Fields
	Unauthorized    Code = "unauthorized"     // no or bad credentials (401)
	Forbidden       Code = "forbidden"        // known caller, not allowed (403)
	NotFound        Code = "not_found"        // no such entity (404)
	Gone            Code = "gone"             // existed, and is no more (410): an expired link
	Conflict        Code = "conflict"         // a duplicate or an entity in use (409)
	SyncExpired     Code = "sync_expired"     // a sync token older than the kept changes; start over (410)
	VersionConflict Code = "version_conflict" // a write based on a stale version (412)
	TooLarge        Code = "too_large"        // over a size limit (413)
	Unsupported     Code = "unsupported"      // a type or format not accepted (415)
	Unprocessable   Code = "unprocessable"    // well-formed but unusable input (422)
	VersionRequired Code = "version_required" // a write that must name its version (428)
	RateLimited     Code = "rate_limited"     // too many attempts (429)
	Unavailable     Code = "unavailable"      // try again later (503)
	StorageFull     Code = "storage_full"     // the server's disk or bucket is full (507)
	Internal        Code = "internal"         // anything else (500)
)

// Error is an error with a code and a safe message.
type Error struct {
	Code    Code
	Message string
	// Fields lists invalid inputs (Code Invalid).
	Fields []FieldError
	// Err is the cause, for errors.Is and errors.As; not shown to callers.
	Err error
}

// FieldError names one invalid input.
type FieldError struct {
	Field   string
	Message string
}

// New returns an error of code with message; domains declare their sentinels with it.
func New(code Code, message string) *Error { return &Error{Code: code, Message: message} }

// Errorf returns an error of code with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with cause's code, a more precise message, and cause as its cause,
// so errors.Is(err, cause) still holds.
func Wrap(cause *Error, message string) *Error {
	return &Error{Code: cause.Code, Message: message, Err: cause}
}

// Field returns one field error.
func Field(field, message string) FieldError { return FieldError{Field: field, Message: message} }

// Invalidf is one invalid field.
func Invalidf(field, format string, args ...any) *Error {
	return InvalidFields(FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// InvalidFields is bad input, field by field; nil when fields is empty.
func InvalidFields(fields ...FieldError) *Error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Fields: fields}
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = f.Field + ": " + f.Message
		}
		return "invalid input: " + strings.Join(parts, "; ")
	}
	if e.Message == "" {
		return string(e.Code)
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrorCode implements Coder.
func (e *Error) ErrorCode() Code { return e.Code }

// ErrorMessage implements Messager.
func (e *Error) ErrorMessage() string { return e.Error() }

// Coder is an error that says its code; typed errors of the domains (a version conflict that
// carries the current version) implement it besides *Error.
type Coder interface{ ErrorCode() Code }

// Messager is an error that has a message safe to show the caller.
type Messager interface{ ErrorMessage() string }

// CodeOf is the code of the first error in err's chain that has one; Internal if none, ""
// for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var c Coder
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return Internal
}

// MessageOf is the safe message of the first error in err's chain that has one; "" for an
// internal error (its text may hold internals).
func MessageOf(err error) string {
	var m Messager
	if errors.As(err, &m) {
		return m.ErrorMessage()
	}
	return ""
}

// FieldsOf returns the invalid fields of err, if it is (or wraps) a validation error.
func FieldsOf(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Generic sentinels, shared by every domain whose store reports them.
var (
	// ErrNotFound is a missing entity; internal/store maps "no rows" to it.
	ErrNotFound = New(NotFound, "no such resource")
	// ErrConflict is a duplicate key; internal/store wraps it with the constraint's name.
	ErrConflict = New(Conflict, "conflict")
)
