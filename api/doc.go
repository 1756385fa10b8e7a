// Package api is Herald's HTTP layer (Echo v4): routes, request decoding, DTOs, and the one
// mapping from domain errors to RFC 9457 problem responses. It holds no SQL; each handler
// decodes, calls one domain service method, and encodes the result.
//
//	@title						Herald API
//	@version					1.0
//	@description				Headless CMS for multilingual news. The Content API (public, cacheable) serves articles, categories, tags and settings in the locales a site supports, with fallback. Errors are RFC 9457 application/problem+json. Every GET also answers HEAD (the same status and headers, no body); a method a path does not accept is 405 with Allow.
//	@license.name				MIT
//	@license.url				https://opensource.org/license/mit
//	@BasePath					/
//	@accept						json
//	@produce					json
//	@tag.name					content
//	@tag.description			Public Content API for frontends and mobile apps
//	@tag.name					system
//	@tag.description			Health checks
//	@tag.name					auth
//	@tag.description			Log in, rotate and revoke tokens, the signed-in user
//	@tag.name					tokens
//	@tag.description			Personal API tokens and admins' service tokens for scripts and integrations
//	@tag.name					users
//	@tag.description			User management (admins only)
//	@tag.name					audit
//	@tag.description			The audit log of admin writes (admins only)
//	@tag.name					admin-articles
//	@tag.description			Write articles: drafts, translations, publishing and scheduling, revisions. Every write sends the version it read (If-Match); a stale one gets 412.
//	@tag.name					admin-taxonomy
//	@tag.description			Categories and tags with their translations (editors and admins)
//	@tag.name					admin-media
//	@tag.description			Upload images and PDFs, edit their alt text, captions and credits per locale, delete them (refused while articles use them, unless forced)
//	@tag.name					admin-settings
//	@tag.description			Per-locale site settings
//
//	@securityDefinitions.apikey	BearerAuth
//	@in							header
//	@name						Authorization
//	@description				JWT access token from POST /api/v1/auth/login, sent as "Bearer <token>" (type the word Bearer, a space, then the token). Every operation that takes it also takes an API token (APITokenAuth) in the same header.
//
//	@securityDefinitions.apikey	APITokenAuth
//	@in							header
//	@name						Authorization
//	@description				API token (hrld_pat_… personal, hrld_svc_… service) from POST /api/v1/auth/tokens or /api/v1/admin/tokens, sent as "Bearer <token>" like an access token. Accepted wherever BearerAuth is; its scope (read, content, full) and its creator's role bound what it may do.
package api
