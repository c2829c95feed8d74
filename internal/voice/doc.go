// Package voice holds every sentence Spine Opener can say, one catalog per locale
// (catalogs/<locale>.json), keyed by typed message keys (Key). The conversation in
// internal/skill chooses keys and arguments; the render step asks a Catalog for the words.
//
// A writer changes wording in the catalog files alone. Parse refuses a catalog that lacks a
// key, names one that does not exist, or uses a placeholder Args does not define, and the
// package's tests render every key in every locale as Alexa would receive it.
//
// Locales are matched with golang.org/x/text/language (en-IN finds en-GB before en-US);
// counts choose a message form by exact number ("=1") or by CLDR plural category
// (golang.org/x/text/feature/plural).
package voice
