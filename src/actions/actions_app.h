/* actions_app.h — the beneficiary's pages on actions (youth-app.md §6 "Mon suivi"): the
 * timeline, the creation in 3 steps (plain forms, no JavaScript needed), the detail with
 * its status changes, the edit and delete of their own actions, and the comments.
 *
 * A beneficiary reaches only their own actions (authz_own_record): anything else is
 * answered 404 "Cet élément n’est plus disponible.", like an action that was deleted.
 * Dates are civil days in the zone of the beneficiary's structure (r->user->timezone). */
#ifndef CEJ_ACTIONS_APP_H
#define CEJ_ACTIONS_APP_H

struct req;

int actions_app_suivi(struct req *r);          /* GET  /app/suivi */
int actions_app_new_page(struct req *r);       /* GET  /app/actions/nouvelle */
int actions_app_new_post(struct req *r);       /* POST /app/actions/nouvelle */
int actions_app_created_page(struct req *r);   /* GET  /app/actions/{id}/creee */
int actions_app_detail_page(struct req *r);    /* GET  /app/actions/{id} */
int actions_app_finish_post(struct req *r);    /* POST /app/actions/{id}/terminer */
int actions_app_reopen_post(struct req *r);    /* POST /app/actions/{id}/reprendre */
int actions_app_edit_page(struct req *r);      /* GET  /app/actions/{id}/modifier */
int actions_app_edit_post(struct req *r);      /* POST /app/actions/{id}/modifier */
int actions_app_delete_page(struct req *r);    /* GET  /app/actions/{id}/supprimer */
int actions_app_delete_post(struct req *r);    /* POST /app/actions/{id}/supprimer */
int actions_app_comment_post(struct req *r);   /* POST /app/actions/{id}/commentaires */

#endif
