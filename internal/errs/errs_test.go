package errs_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/heraldcms/herald/internal/errs"
)

func TestCodesSurviveWrapping(t *testing.T) {
	notFound := fmt.Errorf("publish %s: %w", "x", errs.ErrNotFound)
	if errs.CodeOf(notFound) != errs.NotFound || !errors.Is(notFound, errs.ErrNotFound) {
		t.Errorf("wrapped not-found: code %q", errs.CodeOf(notFound))
	}
	if got := errs.MessageOf(notFound); got != "no such resource" {
		t.Errorf("message %q leaks the wrapping context", got)
	}
	dup := errs.Wrap(errs.ErrConflict, "conflict: users.email")
	if !errors.Is(dup, errs.ErrConflict) || errs.MessageOf(dup) != "conflict: users.email" {
		t.Errorf("wrap: %v", dup)
	}
	bad := errs.InvalidFields(errs.Field("a", "is required"), errs.Field("b", "is too long"))
	if errs.CodeOf(bad) != errs.Invalid || len(errs.FieldsOf(fmt.Errorf("x: %w", bad))) != 2 ||
		bad.Error() != "invalid input: a: is required; b: is too long" {
		t.Errorf("fields: %v", bad)
	}
	if errs.InvalidFields() != nil {
		t.Error("no fields must be no error")
	}
	plain := errors.New("connection reset")
	if errs.CodeOf(plain) != errs.Internal || errs.MessageOf(plain) != "" || errs.CodeOf(nil) != "" {
		t.Error("an error without a code is internal and has no safe message")
	}
}
