/* routes.c — every route, its handler, flags and access level. */
#include "serve/routes.h"

#include "actions/actions_web.h"
#include "actions/qualify_web.h"
#include "actions/actions_app.h"
#include "auth/auth_web.h"
#include "auth/authz.h"
#include "base/config.h"
#include "beneficiaries/beneficiaries_web.h"
#include "beneficiaries/lifecycle_web.h"
#include "establishment/establishment_web.h"
#include "help/help_web.h"
#include "home/home_app.h"
#include "mail/mailbox_web.h"
#include "messaging/messages_app.h"
#include "messaging/conversations_web.h"
#include "messaging/masking_web.h"
#include "messaging/broadcast_web.h"
#include "messaging/lists_web.h"
#include "messaging/important_web.h"
#include "messaging/alerts_web.h"
#include "notifications/notifications_app.h"
#include "pilotage/pilotage_web.h"
#include "portfolio/portfolio_web.h"
#include "profile/profile_app.h"
#include "profile/profile_web.h"
#include "record/record_web.h"
#include "serve/ops_web.h"

#include <string.h>

enum when { ALWAYS, FILE_MAIL, TEST_CLOCK };

struct entry {
	enum when when;
	struct route r;
};

#define W ROUTE_WORKER
static const struct entry entries[] = {
	{ALWAYS, {"GET", "/healthz", ops_healthz, 0, ACCESS_PUBLIC}},
	{ALWAYS, {"GET", "/static/{hash}/{path*}", ops_static, 0, ACCESS_PUBLIC}},
	{ALWAYS, {"GET", "/", ops_root, 0, ACCESS_PUBLIC}},

	/* Counselor space */
	{ALWAYS, {"GET", "/connexion", auth_counselor_login_page, 0, ACCESS_PUBLIC}},
	{ALWAYS, {"POST", "/connexion", auth_counselor_login, W, ACCESS_PUBLIC}},
	{ALWAYS, {"POST", "/deconnexion", auth_counselor_logout, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/portefeuille", portfolio_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/portefeuille/ajouter", beneficiaries_add_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/portefeuille/ajouter", beneficiaries_add_lookup, W, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/portefeuille/ajouter/creer", beneficiaries_add_create, W, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/etablissement", establishment_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/beneficiaires/{id}", record_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/beneficiaires/{id}/informations", record_information_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/beneficiaires/{id}/renvoyer-activation", lifecycle_resend, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/beneficiaires/{id}/supprimer", lifecycle_delete_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/beneficiaires/{id}/supprimer", lifecycle_delete, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/beneficiaires/{id}/archiver", lifecycle_archive, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/beneficiaires/{id}/actualiser", lifecycle_refresh, W, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/messagerie", conversations_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/messagerie/colonne", conversations_column, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/messagerie/masquage", messaging_mask_toggle, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/conversations/{id}", conversations_show, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/conversations/{id}", conversations_send, ROUTE_MULTIPART, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/pieces-jointes/{id}", conversations_download, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/conversations/{id}/fil", conversations_thread, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/conversations/{id}/recherche", conversations_search, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/conversations/{id}/suivre", conversations_follow, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/conversations/{id}/messages/{mid}/modifier", conversations_edit, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/conversations/{id}/messages/{mid}/supprimer", conversations_delete, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/messagerie/multi-destinataires", broadcast_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/messagerie/multi-destinataires", broadcast_post, ROUTE_MULTIPART, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/listes", lists_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/listes/nouvelle", lists_new_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/listes/nouvelle", lists_new_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/listes/messages", lists_history_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/listes/{id}/modifier", lists_edit_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/listes/{id}/modifier", lists_edit_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/listes/{id}/supprimer", lists_delete_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/listes/{id}/supprimer", lists_delete_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/listes/{id}/messages", lists_messages_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/listes/{id}/messages/{bid}", lists_message_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/messagerie/message-important", important_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/messagerie/message-important", important_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/messagerie/message-important/desactiver", important_disable_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/aide", help_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/raccourci", help_shortcut_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/manifest.webmanifest", help_manifest, 0, ACCESS_PUBLIC}},
	{ALWAYS, {"GET", "/profil", profile_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/profil/notifications-sonores", profile_sound_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/profil/bienvenue-mobile", profile_mobile_welcome_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/messagerie/non-lus", alerts_status, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/beneficiaires/{id}/actions/nouvelle", actions_new_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/beneficiaires/{id}/actions/nouvelle", actions_create_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/actions/{id}", actions_detail_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/actions/{id}/enregistree", actions_saved_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/actions/{id}/modifier", actions_edit_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/actions/{id}/modifier", actions_edit_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/actions/{id}/statut", actions_status_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/actions/{id}/supprimer", actions_delete_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/actions/{id}/supprimer", actions_delete_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/actions/{id}/commentaires", actions_comment_post, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/actions/{id}/qualifier", qualify_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/actions/{id}/qualifier", qualify_post, W, ACCESS_COUNSELOR}},
	{ALWAYS, {"POST", "/actions/qualification", qualify_batch_post, W, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/pilotage", pilotage_page, 0, ACCESS_COUNSELOR}},
	{ALWAYS, {"GET", "/evenements", ops_events_counselor, ROUTE_STREAM, ACCESS_COUNSELOR}},

	/* Beneficiary app */
	{ALWAYS, {"GET", "/app", auth_app_welcome, 0, ACCESS_PUBLIC}},
	{ALWAYS, {"GET", "/app/pas-de-compte", auth_app_no_account, 0, ACCESS_PUBLIC}},
	{ALWAYS, {"GET", "/app/connexion", auth_app_login_page, 0, ACCESS_PUBLIC}},
	{ALWAYS, {"POST", "/app/connexion", auth_app_login, W, ACCESS_PUBLIC}},
	{ALWAYS, {"POST", "/app/deconnexion", auth_app_logout, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/activation/{token}", auth_app_activation_page, ROUTE_SECRET_PATH, ACCESS_PUBLIC}},
	{ALWAYS, {"POST", "/app/activation/{token}", auth_app_activation, W | ROUTE_SECRET_PATH, ACCESS_PUBLIC}},
	{ALWAYS, {"GET", "/app/mot-de-passe-oublie", auth_app_forgot_page, 0, ACCESS_PUBLIC}},
	{ALWAYS, {"POST", "/app/mot-de-passe-oublie", auth_app_forgot, 0, ACCESS_PUBLIC}},
	{ALWAYS, {"GET", "/app/accueil", home_app_page, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/profil", profile_app_page, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/suppression-compte", profile_app_delete_page, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"POST", "/app/suppression-compte", profile_app_delete, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/messages", messages_app_page, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"POST", "/app/messages", messages_app_send, ROUTE_MULTIPART, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/messages/fil", messages_app_thread, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/pieces-jointes/{id}", app_attachments_download, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/messages/{id}/modifier", messages_app_edit_page, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"POST", "/app/messages/{id}/modifier", messages_app_edit_post, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/messages/{id}/supprimer", messages_app_delete_page, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"POST", "/app/messages/{id}/supprimer", messages_app_delete_post, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/suivi", actions_app_suivi, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/actions/nouvelle", actions_app_new_page, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"POST", "/app/actions/nouvelle", actions_app_new_post, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/actions/{id}", actions_app_detail_page, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/actions/{id}/creee", actions_app_created_page, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"POST", "/app/actions/{id}/terminer", actions_app_finish_post, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"POST", "/app/actions/{id}/reprendre", actions_app_reopen_post, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/actions/{id}/modifier", actions_app_edit_page, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"POST", "/app/actions/{id}/modifier", actions_app_edit_post, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/actions/{id}/supprimer", actions_app_delete_page, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"POST", "/app/actions/{id}/supprimer", actions_app_delete_post, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"POST", "/app/actions/{id}/commentaires", actions_app_comment_post, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/notifications", notifications_app_centre, 0, ACCESS_BENEFICIARY}},
	{ALWAYS, {"GET", "/app/evenements-direct", ops_events_beneficiary, ROUTE_STREAM, ACCESS_BENEFICIARY}},

	/* Demo and tests */
	{FILE_MAIL, {"GET", "/demo/courriels", mailbox_page, 0, ACCESS_PUBLIC}},
	{FILE_MAIL, {"GET", "/demo/courriels/{id}", mailbox_mail, 0, ACCESS_PUBLIC}},
	{TEST_CLOCK, {"POST", "/_test/horloge", ops_test_clock, ROUTE_NO_CSRF, ACCESS_PUBLIC}},
	{TEST_CLOCK, {"POST", "/_test/publier", ops_test_publish, ROUTE_NO_CSRF, ACCESS_PUBLIC}},
	{TEST_CLOCK, {"GET", "/_test/files-vides", ops_test_queues, 0, ACCESS_PUBLIC}},
};
#undef W

static struct route table[G_N_ELEMENTS(entries)];

const struct route *
routes_table(const struct config *cfg, size_t *n)
{
	size_t k = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(entries); i++) {
		enum when w = entries[i].when;
		if (w == ALWAYS || (w == FILE_MAIL && g_str_has_prefix(cfg->mail_transport, "file:")) ||
		    (w == TEST_CLOCK && cfg->test_clock))
			table[k++] = entries[i].r;
	}
	*n = k;
	return table;
}
