package app

import "github.com/heraldcms/herald/internal/archive"

// Archive is the import and export of archives (NDJSON) over this app's services: `herald
// import`, `herald export` and the HTTP import jobs use it, so an import is written as
// every other write is.
func (a *App) Archive() *archive.Importer {
	return archive.NewImporter(archive.Services{Content: a.Content, Media: a.Media, Views: a.ViewStats,
		Changes: a.Changes, Locales: a.Config.Locales})
}
