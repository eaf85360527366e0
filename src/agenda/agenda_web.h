/* agenda_web.h — the counselor's pages on rendez-vous and animations collectives (agenda.md
 * §2, §2.1, §4, §6): the form (creation, edit with its confirmation), the detail, the
 * deletion, "Inscrire à une animation collective" from the fiche, and the fiche's
 * "Rendez-vous" tab. */
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

/* The same pages for animations collectives (/agenda/animations-collectives/…). */
int agenda_ac_new_page(struct req *r);
int agenda_ac_create_post(struct req *r);
int agenda_ac_detail_page(struct req *r);
int agenda_ac_edit_page(struct req *r);
int agenda_ac_edit_post(struct req *r);
int agenda_ac_delete_page(struct req *r);
int agenda_ac_delete_post(struct req *r);
/* GET /agenda/animations-collectives/inscrire?beneficiaire=ID: the upcoming AC of the
 * structure, each leading to its edit page with the beneficiary checked (agenda_ac_web.c). */
int agenda_ac_enroll_page(struct req *r);

/* The fiche's part "rendez-vous" (core/feature.h record_tab). */
int agenda_record_tab(struct req *r, const struct record *rec, bool can_write, int64_t now,
		      struct vm *page);

#endif
