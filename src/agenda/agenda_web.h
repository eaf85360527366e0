/* agenda_web.h — the counselor's pages on rendez-vous (agenda.md §2, §2.1, §6): the form
 * (creation from the fiche, edit with its confirmation), the detail, the deletion, and the
 * fiche's "Rendez-vous" tab. */
#ifndef CEJ_AGENDA_WEB_H
#define CEJ_AGENDA_WEB_H

#include <stdbool.h>
#include <stdint.h>

struct record;
struct req;
struct vm;

int agenda_new_page(struct req *r);
int agenda_create_post(struct req *r);
int agenda_detail_page(struct req *r);
int agenda_edit_page(struct req *r);
int agenda_edit_post(struct req *r);
int agenda_delete_page(struct req *r);
int agenda_delete_post(struct req *r);

/* The fiche's part "rendez-vous" (core/feature.h record_tab). */
int agenda_record_tab(struct req *r, const struct record *rec, bool can_write, int64_t now,
		      struct vm *page);

#endif
