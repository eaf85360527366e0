/* actions_web.h — the counselor's pages on actions: the creation form, the Actions tab of
 * the fiche, the action detail with its status, edit, delete and comments. Qualification
 * pages are in qualify_web.h, the beneficiary's in actions_app.h. */
#ifndef CEJ_ACTIONS_WEB_H
#define CEJ_ACTIONS_WEB_H

#include "actions/actions.h"
#include "auth/authz.h"
#include "http/http.h"
#include "record/record.h"

/* Loads the action of the path parameter "id" and its beneficiary, and decides the
 * counselor's access (auth/authz): -ERR_NOTFOUND when the action does not exist for them,
 * 0 with *@level READ or WRITE otherwise (a READ is audited like the fiche). */
int actions_web_load(struct req *r, struct action *a, struct record *rec,
		     enum authz_level *level);
/* The same for a write: the referent only — a colleague gets 403 (and no audit row: nothing
 * was read), others 404. */
int actions_web_load_for_write(struct req *r, struct action *a, struct record *rec);

/* Sets in @o what every page about one action shows (title, category, status, dates):
 * action_id, action_title, description, category (null: none), status, status_code, date,
 * due, completed (null: not done), qualified, snp. Strings in r->a. */
struct vm;
void actions_web_fields(struct req *r, struct vm *o, const struct action *a, int64_t now);

/* The parts of the fiche that actions fill (core/feature.h struct record_tab): "actions"
 * (the week block and the Actions tab) and "indicateurs" (the week block in full). */
int actions_record_actions(struct req *r, const struct record *rec, bool can_write, int64_t now,
			   struct vm *page);
int actions_record_indicators(struct req *r, const struct record *rec, bool can_write,
			      int64_t now, struct vm *page);

int actions_new_page(struct req *r);       /* GET  /beneficiaires/{id}/actions/nouvelle */
int actions_create_post(struct req *r);    /* POST /beneficiaires/{id}/actions/nouvelle */
int actions_saved_page(struct req *r);     /* GET  /actions/{id}/enregistree */
int actions_detail_page(struct req *r);    /* GET  /actions/{id} */
int actions_edit_page(struct req *r);      /* GET  /actions/{id}/modifier */
int actions_edit_post(struct req *r);      /* POST /actions/{id}/modifier */
int actions_status_post(struct req *r);    /* POST /actions/{id}/statut */
int actions_delete_page(struct req *r);    /* GET  /actions/{id}/supprimer */
int actions_delete_post(struct req *r);    /* POST /actions/{id}/supprimer */
int actions_comment_post(struct req *r);   /* POST /actions/{id}/commentaires */

#endif
