/* offers_events.c — the pure rules of the offers' indicators (offers_events.h). */
#include "offers/offers_events.h"

#include <string.h>

static const char *const CODES[OFFER_EVENT_CODES] = {
	OFFER_EVENT_VIEWED, OFFER_EVENT_FAVORITE, OFFER_EVENT_SHARED, OFFER_EVENT_SEARCH_SAVED,
};

/* Singular and plural of each indicator (beneficiaries.md §7, offers.md §10 #11). */
static const char *const LABELS[OFFER_EVENT_CODES][2] = {
	{"Offre consultée", "Offres consultées"},
	{"Favori ajouté", "Favoris ajoutés"},
	{"Offre partagée", "Offres partagées"},
	{"Recherche sauvegardée", "Recherches sauvegardées"},
};

int
offers_event_code_index(const char *code)
{
	for (int i = 0; code && i < OFFER_EVENT_CODES; i++)
		if (!strcmp(code, CODES[i]))
			return i;
	return -1;
}

const char *
offers_event_label(int i, int n)
{
	return i < 0 || i >= OFFER_EVENT_CODES ? "" : LABELS[i][n > 1];
}
