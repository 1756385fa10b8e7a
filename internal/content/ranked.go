package content

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// ArticlesByID returns the visible articles among ids, in the order of ids, leaving out the
// ones the public cannot see. Rankings made elsewhere (the most read) list articles this way.
func (s *Service) ArticlesByID(ctx context.Context, ids []uuid.UUID) ([]Article, error) {
	if len(ids) > MaxPerPage {
		return nil, &ValidationError{Fields: []FieldError{{Field: "ids", Message: fmt.Sprintf("at most %d at once", MaxPerPage)}}}
	}
	return s.store.VisibleArticlesByID(ctx, ids, s.Now())
}
