/* offers.c — the offer types, Service civique's domains and the providers' names
 * (offers.h). */
#include "offers/offers.h"

#include <glib.h>
#include <string.h>

static const struct {
	const char *code, *label, *slug;
} types[OFFER_TYPES] = {
	[OFFER_EMPLOI] = {"EMPLOI", "Offre d'emploi", "emploi"},
	[OFFER_ALTERNANCE] = {"ALTERNANCE", "Alternance", "alternance"},
	[OFFER_SERVICE_CIVIQUE] = {"SERVICE_CIVIQUE", "Service civique", "service-civique"},
	[OFFER_IMMERSION] = {"IMMERSION", "Immersion", "immersion"},
};

const struct offer_domain offer_domains[OFFER_DOMAINS] = {
	{"environnement", "Environnement"},
	{"solidarite-insertion", "Solidarité - insertion"},
	{"prevention-protection", "Prévention - protection"},
	{"sante", "Santé"},
	{"culture-loisirs", "Culture - loisirs"},
	{"education", "Éducation"},
	{"emploi", "Emploi"},
	{"sport", "Sport"},
	{"humanitaire", "Humanitaire"},
	{"animaux", "Animaux"},
	{"vivre-ensemble", "Vivre-ensemble"},
	{"autre", "Autre"},
};

static const char *const providers[] = {
	[PROVIDER_FRANCE_TRAVAIL] = "france-travail",
	[PROVIDER_ENGAGEMENT] = "engagement",
	[PROVIDER_IMMERSION] = "immersion",
	[PROVIDER_MEE] = "mee",
};

const char *
offer_type_code(enum offer_type t)
{
	return types[t].code;
}

const char *
offer_type_label(enum offer_type t)
{
	return types[t].label;
}

const char *
offer_type_slug(enum offer_type t)
{
	return types[t].slug;
}

bool
offer_type_parse(const char *s, bool by_slug, enum offer_type *t)
{
	for (int i = 0; s && i < OFFER_TYPES; i++)
		if (!strcmp(s, by_slug ? types[i].slug : types[i].code)) {
			*t = (enum offer_type)i;
			return true;
		}
	return false;
}

const char *
offer_provider_name(enum offer_provider p)
{
	return providers[p];
}

bool
offer_provider_parse(const char *name, enum offer_provider *p)
{
	for (size_t i = 0; name && i < sizeof(providers) / sizeof(providers[0]); i++)
		if (!strcmp(name, providers[i])) {
			*p = (enum offer_provider)i;
			return true;
		}
	return false;
}

const struct offer_domain *
offer_domain_by_slug(const char *slug)
{
	for (int i = 0; slug && i < OFFER_DOMAINS; i++)
		if (!strcmp(slug, offer_domains[i].slug))
			return &offer_domains[i];
	return NULL;
}

/* @value as a slug: ASCII (accents dropped), lower case, every run of other characters one
 * '-', none at the ends. g_free. */
static char *
slug_of(const char *value)
{
	char *ascii = g_str_to_ascii(value, "C");
	char *out = g_malloc(strlen(ascii) + 1), *w = out;
	for (const char *p = ascii; *p; p++) {
		if (g_ascii_isalnum(*p))
			*w++ = g_ascii_tolower(*p);
		else if (w > out && w[-1] != '-')
			*w++ = '-';
	}
	if (w > out && w[-1] == '-')
		w--;
	*w = 0;
	g_free(ascii);
	return out;
}

const char *
offer_domain_of(const char *value)
{
	if (!value)
		return NULL;
	char *slug = slug_of(value);
	const struct offer_domain *d = *slug ? offer_domain_by_slug(slug) : NULL;
	bool blank = !*slug;
	g_free(slug);
	/* A domain API Engagement adds later is still a mission: it shows under "Autre". */
	return blank ? NULL : d ? d->label : offer_domains[OFFER_DOMAINS - 1].label;
}
