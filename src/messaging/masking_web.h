/* masking_web.h — the counselor's "Masquer la messagerie" switch (messaging.md §2). */
#ifndef CEJ_MASKING_WEB_H
#define CEJ_MASKING_WEB_H

#include <stdbool.h>

#include "http/http.h"

/* Has this browser masked the messaging (cookie)? Read by the layout of every page. */
bool messaging_masked(struct req *r);
/* POST /messagerie/masquage (masquer=1|0, retour=local path). */
int messaging_mask_toggle(struct req *r);

#endif
