/* messaging_feature.c — the messaging feature declared to the server: conversations, lists,
 * multi-recipient sends, message important, alerts, the app's messages. */
#include "core/feature.h"

#include "messaging/messaging_use.h"
#include "view/vm.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "auth/authz.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "messaging/alerts_web.h"
#include "messaging/attachments.h"
#include "messaging/digest_jobs.h"
#include "messaging/broadcast_web.h"
#include "messaging/conversations_web.h"
#include "messaging/important_web.h"
#include "messaging/lists_web.h"
#include "messaging/masking_web.h"
#include "messaging/messages_app.h"

static const struct route routes[] = {
	{"GET", "/messagerie", conversations_page, 0, ACCESS_COUNSELOR},
	{"GET", "/messagerie/colonne", conversations_column, 0, ACCESS_COUNSELOR},
	{"POST", "/messagerie/masquage", messaging_mask_toggle, 0, ACCESS_COUNSELOR},
	{"GET", "/conversations/{id}", conversations_show, 0, ACCESS_COUNSELOR},
	{"POST", "/conversations/{id}", conversations_send, ROUTE_MULTIPART, ACCESS_COUNSELOR},
	{"GET", "/pieces-jointes/{id}", conversations_download, 0, ACCESS_COUNSELOR},
	{"GET", "/conversations/{id}/fil", conversations_thread, 0, ACCESS_COUNSELOR},
	{"GET", "/conversations/{id}/recherche", conversations_search, 0, ACCESS_COUNSELOR},
	{"POST", "/conversations/{id}/suivre", conversations_follow, 0, ACCESS_COUNSELOR},
	{"POST", "/conversations/{id}/messages/{mid}/modifier", conversations_edit, 0, ACCESS_COUNSELOR},
	{"POST", "/conversations/{id}/messages/{mid}/supprimer", conversations_delete, 0, ACCESS_COUNSELOR},
	{"GET", "/messagerie/multi-destinataires", broadcast_page, 0, ACCESS_COUNSELOR},
	{"POST", "/messagerie/multi-destinataires", broadcast_post, ROUTE_MULTIPART, ACCESS_COUNSELOR},
	{"GET", "/listes", lists_page, 0, ACCESS_COUNSELOR},
	{"GET", "/listes/nouvelle", lists_new_page, 0, ACCESS_COUNSELOR},
	{"POST", "/listes/nouvelle", lists_new_post, 0, ACCESS_COUNSELOR},
	{"GET", "/listes/messages", lists_history_page, 0, ACCESS_COUNSELOR},
	{"GET", "/listes/{id}/modifier", lists_edit_page, 0, ACCESS_COUNSELOR},
	{"POST", "/listes/{id}/modifier", lists_edit_post, 0, ACCESS_COUNSELOR},
	{"GET", "/listes/{id}/supprimer", lists_delete_page, 0, ACCESS_COUNSELOR},
	{"POST", "/listes/{id}/supprimer", lists_delete_post, 0, ACCESS_COUNSELOR},
	{"GET", "/listes/{id}/messages", lists_messages_page, 0, ACCESS_COUNSELOR},
	{"GET", "/listes/{id}/messages/{bid}", lists_message_page, 0, ACCESS_COUNSELOR},
	{"GET", "/messagerie/message-important", important_page, 0, ACCESS_COUNSELOR},
	{"POST", "/messagerie/message-important", important_post, 0, ACCESS_COUNSELOR},
	{"POST", "/messagerie/message-important/desactiver", important_disable_post, 0, ACCESS_COUNSELOR},
	{"GET", "/messagerie/non-lus", alerts_status, 0, ACCESS_COUNSELOR},
	{"GET", "/app/messages", messages_app_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/messages", messages_app_send, ROUTE_MULTIPART, ACCESS_BENEFICIARY},
	{"GET", "/app/messages/fil", messages_app_thread, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/pieces-jointes/{id}", app_attachments_download, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/messages/{id}/modifier", messages_app_edit_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/messages/{id}/modifier", messages_app_edit_post, 0, ACCESS_BENEFICIARY},
	{"GET", "/app/messages/{id}/supprimer", messages_app_delete_page, 0, ACCESS_BENEFICIARY},
	{"POST", "/app/messages/{id}/supprimer", messages_app_delete_post, 0, ACCESS_BENEFICIARY},
};

static const struct job_kind job_kinds[] = {
	{ATTACHMENTS_EXPIRE_KIND, attachments_run_expire, 3, 5 * 60 * 1000, 10 * 60 * 1000, NULL},
	{DIGEST_KIND, digest_run_job, 3, 5 * 60 * 1000, 30 * 60 * 1000, NULL},
};

static int
plan_jobs(struct db *db, int64_t now)
{
	int rc = attachments_jobs_plan(db, now);
	return rc ? rc : digest_jobs_plan(db, now);
}

static const struct flash_def flashes[] = {
	{"liste-creee", "success", "La liste a bien été créée", NULL, NULL},
	{"liste-modifiee", "success", "La liste a bien été modifiée", NULL, NULL},
	{"liste-supprimee", "success", "La liste a bien été supprimée", NULL, NULL},
	{"multi-destinataires-envoye", "success", "Votre message multi-destinataires a été envoyé en tant que message individuel à chacun des bénéficiaires", NULL, NULL},
	{"message-important-diffuse", "success", "Votre message a bien été diffusé à l’ensemble de vos bénéficiaires", NULL, NULL},
	{"message-important-desactive", "success", "Votre message a bien été désactivé", NULL, NULL},
};

/* What every page shows of the messaging (messaging.md §4): for a counselor, "Masquer la
 * messagerie" (a cookie of the browser, masking_web.c) and what the favicon and the sound
 * of new messages start from; for a beneficiary, the badge of the Messages tab. */
static void
page(struct req *r, struct vm *data, struct vm *user)
{
	struct user *u = r->user;
	struct msg_alerts al;
	vm_set_bool(data, "messaging_masked", u && u->kind == USER_COUNSELOR && messaging_masked(r));
	if (u && u->kind == USER_COUNSELOR) {
		if (messaging_alerts(ctx_db(r), u->id, &al) == 0) {
			vm_set_int(user, "unread_conversations", al.unread_conversations);
			vm_set_int(user, "last_incoming_at", al.last_incoming_at);
		} else {
			/* The database failed: the page still shows, without the alerts. */
			vm_set_null(user, "unread_conversations");
			vm_set_null(user, "last_incoming_at");
		}
	}
	int unread = u && u->kind == USER_BENEFICIARY
			     ? messaging_unread_for_beneficiary(ctx_db(r), u->id) : 0;
	vm_set_int(data, "messages_unread", unread > 0 ? unread : 0);
}

static const struct menu_entry menu[] = {
	{MENU_APP, 30, "messages", "Messages", "/app/messages", false, "fr-icon-chat-3-line", "messages_unread", " non lu(s)"},
	{MENU_COUNSELOR, 30, "messagerie", "Messagerie", "/messagerie", false, NULL, NULL, NULL},
};

const struct feature messaging_feature = {
	.name = "messaging",
	.page = page,
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.flashes = flashes,
	.n_flashes = sizeof(flashes) / sizeof(flashes[0]),
	.job_kinds = job_kinds,
	.n_job_kinds = sizeof(job_kinds) / sizeof(job_kinds[0]),
	.plan_jobs = plan_jobs,
	.purge = messaging_purge_beneficiary,
	.archive = messaging_archive_beneficiary,
	.menu = menu,
	.n_menu = sizeof(menu) / sizeof(menu[0]),
};
