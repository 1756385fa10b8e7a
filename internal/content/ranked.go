package content

import (
	"context"
	"fmt"

	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// ArticlesByID returns the visible articles among ids, in the order of ids, leaving out the
// ones the public cannot see. Rankings made elsewhere (the most read) list articles this way.
func (s *Service) ArticlesByID(ctx context.Context, ids []uuid.UUID) ([]Article, error) {
	if len(ids) > MaxPerPage {
		return nil, errs.InvalidFields(errs.Field("ids", fmt.Sprintf("at most %d at once", MaxPerPage)))
	}
	return s.store.VisibleArticlesByID(ctx, ids, s.Now())
}
