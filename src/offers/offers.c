/* offers.c — the offer types and the providers' names (offers.h). */
#include "offers/offers.h"

#include <string.h>

static const struct {
	const char *code, *label, *slug;
} types[OFFER_TYPES] = {
	[OFFER_EMPLOI] = {"EMPLOI", "Offre d'emploi", "emploi"},
	[OFFER_ALTERNANCE] = {"ALTERNANCE", "Alternance", "alternance"},
	[OFFER_SERVICE_CIVIQUE] = {"SERVICE_CIVIQUE", "Service civique", "service-civique"},
	[OFFER_IMMERSION] = {"IMMERSION", "Immersion", "immersion"},
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
