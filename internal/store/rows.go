package store

import (
	"time"

	"github.com/google/uuid"
)

// Row structs mirror the migrations; they never leave this package.

type articleRow struct {
	ID          uuid.UUID `gorm:"primaryKey"`
	Status      string
	PublishedAt *time.Time
	// FirstPublishedAt: migration 00040.
	FirstPublishedAt *time.Time
	AuthorID         *uuid.UUID
	CategoryID       *uuid.UUID
	CoverMediaID     *uuid.UUID
	Featured         bool
	ReadCount        int64
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
	DeletedAt        *time.Time
	// Card, Detail and TagIDs are written only by the database (migrations 00051 and
	// 00340's triggers); GORM reads them.
	Card   []byte `gorm:"->"`
	Detail []byte `gorm:"->"`
	TagIDs []byte `gorm:"->"`
}

func (articleRow) TableName() string { return "articles" }

type translationRow struct {
	ArticleID       uuid.UUID `gorm:"primaryKey"`
	Locale          string    `gorm:"primaryKey"`
	Title           string
	Slug            string
	Summary         string
	Body            string
	MetaTitle       string
	MetaDescription string
	ReadingMinutes  int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (translationRow) TableName() string { return "article_translations" }

type articleTagRow struct {
	ArticleID uuid.UUID `gorm:"primaryKey"`
	TagID     uuid.UUID `gorm:"primaryKey"`
	Position  int
}

func (articleTagRow) TableName() string { return "article_tags" }

type categoryRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	Position  int
	CreatedAt time.Time
	UpdatedAt time.Time
	// Card is written only by the database (migration 00330's triggers).
	Card []byte `gorm:"->"`
}

func (categoryRow) TableName() string { return "categories" }

// categoryCountRow is a category's count of live articles, kept by triggers (migration
// 00250); no Go code writes it.
type categoryCountRow struct {
	CategoryID uuid.UUID `gorm:"primaryKey"`
	Live       int64
}

func (categoryCountRow) TableName() string { return "category_counts" }

type categoryTranslationRow struct {
	CategoryID  uuid.UUID `gorm:"primaryKey"`
	Locale      string    `gorm:"primaryKey"`
	Name        string
	Slug        string
	Description string
}

func (categoryTranslationRow) TableName() string { return "category_translations" }

type tagRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (tagRow) TableName() string { return "tags" }

// tagCountRow is a tag's count of live articles, kept by triggers (migration 00310); no Go
// code writes it.
type tagCountRow struct {
	TagID uuid.UUID `gorm:"primaryKey"`
	Live  int64
}

func (tagCountRow) TableName() string { return "tag_counts" }

type tagTranslationRow struct {
	TagID  uuid.UUID `gorm:"primaryKey"`
	Locale string    `gorm:"primaryKey"`
	Name   string
	Slug   string
}

func (tagTranslationRow) TableName() string { return "tag_translations" }

type settingRow struct {
	Key       string `gorm:"primaryKey"`
	Locale    string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

func (settingRow) TableName() string { return "settings" }

// Rows lists every row struct with its table, so tests can compare them with the migrated
// schema of each dialect.
func Rows() []any {
	return []any{&articleRow{}, &translationRow{}, &titleKeyRow{}, &articleTagRow{}, &categoryRow{}, &categoryCountRow{},
		&categoryTranslationRow{}, &tagRow{}, &tagCountRow{}, &tagTranslationRow{}, &settingRow{}, &revisionRow{},
		&userRow{}, &refreshTokenRow{}, &auditRow{}, &viewsDailyRow{},
		&mediaRow{}, &mediaTranslationRow{}, &articleMediaRow{}, &changeRow{}, &articleSlugRow{},
		&searchDocRow{}, &syncInstallRow{},
		&webhookEndpointRow{}, &webhookDeliveryRow{}, &webhookAttemptRow{},
		// Issue 17: preview links, authors and bylines.
		&previewRow{}, &authorRow{}, &authorTranslationRow{}, &articleAuthorRow{},
		&articleImportRow{}, &importJobRow{}}
}

func utc(t time.Time) time.Time { return t.UTC() }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
