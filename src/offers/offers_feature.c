/* offers_feature.c — the offers feature declared to the server (offers.md). For now the
 * catalogue only, fed by `cej offers import`: no route, no menu entry, no job yet (the
 * search pages, the sync jobs and the purges come with the next steps of issue 15). */
#include "core/feature.h"

const struct feature offers_feature = {
	.name = "offers",
};
