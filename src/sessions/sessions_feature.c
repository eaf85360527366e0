/* sessions_feature.c — the i-milo sessions (agenda.md §5, spec/imilo.md §3.3–3.4),
 * declared once to the server (core/feature.h). */
#include "sessions/sessions_agenda.h"

#include "core/feature.h"

const struct feature sessions_feature = {
	.name = "sessions",
	.agenda_rows = sessions_agenda_rows,
};
