/* help_web.h — "Aide et ressources" and the counselor's mobile access (messaging.md §12):
 * the QR code of the counselor space (the reference's modal, a section of /aide here),
 * the add-to-home-screen instructions, and the web manifest that makes the counselor
 * space open in standalone mode. */
#ifndef CEJ_HELP_WEB_H
#define CEJ_HELP_WEB_H

#include "http/http.h"


int help_page(struct req *r);          /* GET /aide (counselor) */
int help_shortcut_page(struct req *r); /* GET /raccourci (counselor) */
int help_manifest(struct req *r);      /* GET /manifest.webmanifest (public) */

#endif
