/* actions_use.c — the use cases on actions: store, reminder job, notifications, and the
 * SNP qualification that writes to i-milo before saving. */
#include "actions/actions_use.h"
#include "actions/actions_store.h"

#include "audit/audit.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "core/feature.h"
#include "record/record.h"
#include "db/db.h"
#include "imilo/imilo.h"
#include "messaging/messaging_live.h"
#include "messaging/messaging_use.h"
#include "notifications/notifications.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MINUTE_MS (60 * 1000LL)
#define QUALIFY_LOCK_MS (2 * MINUTE_MS)   /* longer than the i-milo timeout */

static const char *
reminder_key(struct arena *ar, const char *id)
{
	return arena_printf(ar, "action:%s:j3", id);
}

/* Plans, re-plans or cancels the J-3 reminder of @a after a change (notifications §3.3). */
static int
sync_reminder(struct db *db, struct arena *ar, int64_t now, const struct action *a)
{
	if (!action_reminder_wanted(a, now))
		return jobs_cancel(db, reminder_key(ar, a->id));
	json_t *p = json_pack("{s:s}", "id", a->id);
	char *payload = json_dumps(p, JSON_COMPACT);
	int rc = jobs_schedule(db, now, "action_reminder", reminder_key(ar, a->id), payload,
			       action_reminder_at(a));
	free(payload);
	json_decref(p);
	return rc;
}

static const char *
action_url(struct arena *ar, const char *id)
{
	return arena_printf(ar, "/app/actions/%s", id);
}

int
actions_create(struct db *db, struct arena *ar, int64_t now, struct action *a)
{
	char *id = arena_alloc(ar, UUID_STRLEN + 1);
	id_uuid7(now, id);
	a->id = id;
	a->created_at = a->updated_at = now;
	int rc = actions_store_insert(db, a);
	if (!rc)
		rc = sync_reminder(db, ar, now, a);
	if (!rc && a->by_counselor)
		rc = notifications_add(db, now, a->beneficiary_id, NOTIF_NEW_ACTION,
				       arena_printf(ar, "NEW_ACTION:%s", a->id), action_url(ar, a->id));
	return rc;
}

int
actions_change(struct db *db, struct arena *ar, int64_t now, const struct action *before,
	       struct action *a)
{
	if (before->q_code)
		return -ERR_INVAL;
	if (a->status != ACTION_DONE)
		a->completed_at = 0;
	else if (!a->completed_at)
		a->completed_at = now;
	a->updated_at = now;
	int rc = actions_store_update(db, a);
	return rc ? rc : sync_reminder(db, ar, now, a);
}

int
actions_remove(struct db *db, struct arena *ar, const struct action *a)
{
	int rc = actions_store_delete(db, a->id);
	return rc ? rc : jobs_cancel(db, reminder_key(ar, a->id));
}

int
actions_add_comment(struct db *db, const struct msg_keyring *keys, struct arena *ar,
		    int64_t now, const struct action *a, struct action_comment *c)
{
	if (c->by_counselor && !keys)
		return -ERR_INVAL;
	char *id = arena_alloc(ar, UUID_STRLEN + 1);
	id_uuid7(now, id);
	c->id = id;
	c->action_id = a->id;
	c->created_at = now;
	int rc = actions_store_add_comment(db, c);
	if (!rc && c->by_counselor)
		rc = notifications_add(db, now, a->beneficiary_id, NOTIF_ACTION_UPDATED,
				       arena_printf(ar, "ACTION_UPDATED:%s", c->id), action_url(ar, a->id));
	if (!rc && c->by_counselor)
		rc = messaging_post_action_comment(db, keys, ar, now, c->author_id,
						   a->beneficiary_id, a->id, a->title, c->body);
	return rc;
}

/* ---- Use cases of the pages (each its own transaction) ---- */

#define QUALIFIED_REFUSAL "Vous ne pouvez pas modifier une action qualifiée"
#define DELETE_REFUSAL "Vous ne pouvez pas supprimer une action terminée, qualifiée ou commentée."

int
actions_add(struct db *db, struct arena *ar, int64_t now, struct action *a)
{
	int rc = db_tx_begin(db);
	return rc ? rc : db_tx_end(db, actions_create(db, ar, now, a));
}

int
actions_refuse_missing(enum action_actor who, struct refusal *why)
{
	if (who == ACTOR_COUNSELOR)
		return -ERR_NOTFOUND;
	return refuse_with(why, 404, NULL, "Action introuvable", "Cet élément n’est plus disponible.");
}

static int
refuse_qualified(enum action_actor who, struct refusal *why)
{
	return refuse_with(why, 400, NULL, who == ACTOR_COUNSELOR ? "L’action n’a pas été modifiée"
								   : "Action non modifiée",
			   QUALIFIED_REFUSAL);
}

int
actions_check_edit(const struct action *a, enum action_actor who, struct refusal *why)
{
	if (a->q_code)
		return refuse_qualified(who, why);
	if (!action_may_edit_content(a, who))
		return refuse_with(why, 403, NULL, "Modification impossible",
				   "Cette action a été créée par ton conseiller : tu peux seulement "
				   "changer son statut.");
	return 0;
}

int
actions_check_delete(const struct action *a, enum action_actor who, struct refusal *why)
{
	bool app = who == ACTOR_BENEFICIARY;
	switch (action_may_delete(a, who)) {
	case DELETE_OK:
		return 0;
	case DELETE_FORBIDDEN:
		if (!app)
			return -ERR_FORBIDDEN;
		return refuse_with(why, 403, NULL, "Suppression impossible",
				   "Cette action a été créée par ton conseiller : lui seul peut la "
				   "supprimer.");
	case DELETE_REFUSED:
	default:
		return refuse_with(why, 400, NULL,
				   app ? "Suppression impossible" : "L’action n’a pas été supprimée",
				   DELETE_REFUSAL);
	}
}

int
actions_update(struct db *db, struct arena *ar, int64_t now, enum action_actor who,
	       const struct action *before, struct action *a, struct refusal *why)
{
	if (before->q_code)
		return refuse_qualified(who, why);
	int rc = db_tx_begin(db);
	if (!rc)
		rc = db_tx_end(db, actions_change(db, ar, now, before, a));
	if (rc == -ERR_CONFLICT || rc == -ERR_INVAL) {
		/* Qualified (or being qualified) meanwhile, or deleted. */
		struct action again;
		if (actions_store_load(db, ar, before->id, &again) == -ERR_NOTFOUND)
			return actions_refuse_missing(who, why);
		return refuse_qualified(who, why);
	}
	return rc;
}

int
actions_set_status(struct db *db, struct arena *ar, int64_t now, enum action_actor who,
		   const struct action *before, bool done, int64_t completed_at,
		   struct refusal *why)
{
	if (before->q_code)
		return refuse_qualified(who, why);
	bool app = who == ACTOR_BENEFICIARY;
	/* A canceled action is not done: the counselor's "À faire" brings it back. */
	if (done == (before->status == ACTION_DONE) && (app || before->status != ACTION_CANCELED)) {
		if (!app)
			return 0;
		return refuse_with(why, 400, NULL, "Action non modifiée",
				   done ? "Cette action est déjà terminée."
					: "Cette action n’est pas terminée.");
	}
	struct action a = *before;
	a.status = done ? ACTION_DONE : app ? ACTION_IN_PROGRESS : ACTION_NOT_STARTED;
	a.completed_at = done ? completed_at : 0;   /* 0: now (§2) */
	return actions_update(db, ar, now, who, before, &a, why);
}

int
actions_delete(struct db *db, struct arena *ar, enum action_actor who, const char *id,
	       const char *beneficiary_id, struct refusal *why)
{
	struct action a;
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	rc = actions_store_load(db, ar, id, &a);
	if (!rc && strcmp(a.beneficiary_id, beneficiary_id) != 0)
		rc = -ERR_NOTFOUND;
	if (rc == -ERR_NOTFOUND)
		rc = actions_refuse_missing(who, why);
	if (!rc)
		rc = actions_check_delete(&a, who, why);
	if (!rc && (rc = actions_remove(db, ar, &a)) == -ERR_CONFLICT)
		rc = refuse_with(why, 400, NULL, who == ACTOR_BENEFICIARY ? "Suppression impossible"
									   : "L’action n’a pas été supprimée",
				 DELETE_REFUSAL);
	return db_tx_end(db, rc);
}

struct live_change {
	const char *beneficiary_id, *counselor_id;
};

/* db_commit_fn: the conversation got the comment's ACTION_COMMENT message. */
static void
publish_comment(void *ud)
{
	struct live_change *l = ud;
	messaging_live_changed(l->beneficiary_id, l->counselor_id);
}

int
actions_comment(struct db *db, const struct msg_keyring *keys, struct arena *ar, int64_t now,
		const struct action *a, struct action_comment *c, struct refusal *why)
{
	int rc = db_tx_begin(db);
	if (!rc) {
		rc = actions_add_comment(db, keys, ar, now, a, c);
		if (!rc && c->by_counselor) {
			struct live_change *l = arena_alloc(ar, sizeof(*l));
			*l = (struct live_change){a->beneficiary_id, c->author_id};
			db_tx_on_commit(db, publish_comment, l);
		}
		rc = db_tx_end(db, rc);
	}
	if (rc && c->by_counselor)
		refuse_with(why, 500, NULL, "Le commentaire n’a pas été envoyé",
			    "Erreur lors de l’envoi du message, veuillez réessayer plus tard.");
	return rc;
}

/* ---- Qualification (actions.md §5) ---- */

int
actions_check_qualify(const struct action *a, struct refusal *why)
{
	const char *message = action_qualify_refusal(a);
	return message ? refuse_with(why, 400, NULL, "Qualification impossible.", message) : 0;
}

int
actions_check_login(const char *login, struct refusal *why)
{
	return login ? 0 : refuse_with(why, 400, NULL, "Qualification impossible.",
				       "Votre identifiant i-milo est inconnu, reconnectez-vous.");
}

int
actions_check_batch(const struct action *list, int n, struct refusal *why)
{
	const char *message = NULL, *beneficiaries[ACTION_BATCH_MAX], *categories[ACTION_BATCH_MAX];
	if (n > ACTION_BATCH_MAX)
		message = "Vous ne pouvez pas qualifier plus de 10 actions en une seule fois.";
	else if (n <= 0)
		message = "Sélectionnez au moins une action à qualifier.";
	else if (list) {
		for (int i = 0; i < n; i++) {
			beneficiaries[i] = list[i].beneficiary_id;
			categories[i] = list[i].category;
		}
		message = action_batch_refusal(beneficiaries, categories, n);
		for (int i = 0; i < n && !message; i++)
			message = action_qualify_refusal(&list[i]);
	}
	return message ? refuse_with(why, 400, NULL, "Qualification impossible.", message) : 0;
}

int
actions_qualify_check(const struct action *a, const struct qualify_input *in, int64_t now,
		      struct refusal *why)
{
#define NO(field, text) refuse_with(why, 400, field, NULL, text)
	if (!in->code || !*in->code || action_snp_hours(in->code) < 0)
		return NO("categorie", "Le champ Catégorie est vide. Veuillez renseigner une catégorie.");
	if (!strcmp(in->code, "NON_SNP"))
		return 0;
	if (!in->comment || !*in->comment)
		return NO("commentaire", "Le champ Titre et description n’est pas renseigné. Veuillez "
					 "renseigner un titre ou une description.");
	if (g_utf8_strlen(in->comment, -1) > ACTION_QUALIFY_COMMENT_MAX)
		return NO("commentaire", "Vous avez dépassé le nombre maximal de caractères. Veuillez "
					 "retirer des caractères.");
	int64_t start = clock_day_parse(in->start), end = clock_day_parse(in->end);
	if (end == CLOCK_NO_DAY)
		return NO("date-fin", "Le champ Date de fin de l’action n’est pas renseigné. Veuillez "
				      "renseigner la date à laquelle l’action a été terminée.");
	if (start == CLOCK_NO_DAY)
		return NO("date-debut", "Le champ Date de début de l’action n’est pas renseigné. "
					"Veuillez renseigner la date à laquelle l’action a commencé.");
	if (start > end)
		return NO("date-debut", "La date de début de l’action doit être antérieure ou égale "
					"à la date de fin.");
	if (end > clock_day_of(now, a->timezone))
		return NO("date-fin", "La date de fin de l’action ne peut pas être postérieure à "
				      "aujourd’hui.");
	/* It becomes the completion date, which stays within the window of §2. */
	if (!action_day_in_window(end, now, a->timezone))
		return NO("date-fin", "La date de fin de l’action ne peut pas dater de plus d’un an.");
	return 0;
#undef NO
}

#define UNKNOWN_FAILURE "Suite à un problème inconnu, la qualification a échoué. Veuillez réessayer."
#define ALREADY_QUALIFIED "Cette action est déjà qualifiée."
#define SAVED_LATER "La qualification a bien été transmise à i-milo mais n’a pas encore pu être " \
		    "enregistrée dans l’application. Elle le sera automatiquement : ne la " \
		    "renouvelez pas."
#define HOLD_MS (365 * 24 * 3600 * 1000LL)

/* Stores qualification @q of action @id with its trace (DESIGN §8), inside the caller's
 * transaction. */
static int
store_qualification(struct db *db, const char *id, const struct action_qualification *q,
		    int64_t now)
{
	int rc = actions_store_qualify(db, id, q, now);
	return rc ? rc : audit_record(db, now, "counselor", q->by, "action.qualify", id, q->code);
}

/* Saves the qualification in its own transaction. */
static int
save_qualification(struct db *db, const char *id, const struct action_qualification *q,
		   int64_t now)
{
	int rc = db_tx_begin(db);
	if (!rc)
		rc = store_qualification(db, id, q, now);
	if (!rc)
		rc = db_tx_commit(db);
	if (rc)
		db_tx_rollback(db);
	return rc;
}

static int
unlock(struct db *db, const char *id)
{
	int rc = db_tx_begin(db);
	if (!rc)
		rc = actions_store_unlock_qualify(db, id);
	if (!rc)
		rc = db_tx_commit(db);
	if (rc)
		db_tx_rollback(db);
	return rc;
}

/* Says @message to the counselor about the outcome @rc, with the status of @rc (400 for a
 * rule, 422 i-milo's refusal, 503 i-milo out of reach, 500 a save left to a job). */
static int
tell(struct refusal *why, int rc, const char *message)
{
	if (why)
		*why = (struct refusal){.status = err_http_status(rc), .message = message};
	return rc;
}

/* Sends the SNP to i-milo (D5), with the civil dates the counselor chose. */
static int
send_snp(struct imilo_client *im, struct arena *ar, const char *login, const char *dossier_id,
	 const struct qualify_input *in, struct refusal *why)
{
	struct imilo_snp snp = {.date_debut = in->start, .date_fin_reelle = in->end,
				.commentaire = in->comment, .mesure = in->code,
				.login_conseiller = login};
	struct imilo_result res;
	if (imilo_create_situation(im, ar, dossier_id, &snp, &res) == 0)
		return 0;
	bool refused = res.status != IMILO_DOWN && res.http_status >= 400 && res.http_status < 500;
	return tell(why, refused ? -ERR_REFUSED : -ERR_UNAVAILABLE,
		    refused && res.message ? res.message : UNKNOWN_FAILURE);
}

/* The job that saves, later, a qualification i-milo accepted. */
static int
plan_save(struct db *db, struct arena *ar, const char *id, const struct action_qualification *q,
	  int64_t now)
{
	json_t *p = json_pack("{s:s, s:s, s:i, s:s?, s:s?, s:s?, s:s, s:I, s:I}", "id", id,
			      "code", q->code, "hours", q->hours, "comment", q->comment, "start",
			      q->start, "end", q->end, "by", q->by, "completed_at",
			      (json_int_t)q->completed_at, "at", (json_int_t)now);
	char *payload = p ? json_dumps(p, JSON_COMPACT) : NULL;
	int rc = payload ? db_tx_begin(db) : -ERR_DB;
	if (!rc)
		rc = actions_store_hold_qualify(db, id, now + HOLD_MS);
	if (!rc)
		rc = jobs_schedule(db, now, "action_qualify_save",
				   arena_printf(ar, "action:%s:qualification", id), payload,
				   now + 60 * 1000);
	if (!rc)
		rc = db_tx_commit(db);
	if (rc && payload)
		db_tx_rollback(db);
	free(payload);
	json_decref(p);
	return rc;
}

/* i-milo holds the situation: the local save must happen, and i-milo must never be asked
 * again (§5 step 6). The write is retried at once, then by a job; meanwhile the action
 * stays locked, so no one can qualify, edit or delete it. */
static int
save_after_imilo(struct db *db, struct arena *ar, const char *id,
		 const struct action_qualification *q, int64_t now, const char *dossier_id)
{
	int rc = -ERR_DB;
	for (int attempt = 0; attempt < 5; attempt++) {
		rc = save_qualification(db, id, q, now);
		if (rc != -ERR_DB)
			break;
		g_usleep((gulong)(50000 << attempt));
	}
	if (rc == -ERR_DB) {
		int planned = plan_save(db, ar, id, q, now);
		log_error("incident: SNP accepted by i-milo (dossier %s) but not saved for action %s "
			  "(error %d); %s", dossier_id, id, rc,
			  planned ? "retry job NOT planned: save it by hand" : "retry job planned");
	}
	return rc;
}

int
actions_qualify(struct db *db, struct imilo_client *im, struct arena *ar, int64_t now,
		const char *counselor_id, const char *login, const char *dossier_id,
		const char *action_id, const struct qualify_input *in, struct refusal *why)
{
	struct action a;
	int rc = actions_store_load(db, ar, action_id, &a);
	if (rc)
		return rc;
	if ((rc = actions_check_qualify(&a, why)) || (rc = actions_qualify_check(&a, in, now, why)))
		return rc;
	bool snp = strcmp(in->code, "NON_SNP") != 0;
	struct action_qualification q = {.code = in->code, .hours = action_snp_hours(in->code),
					 .by = counselor_id};
	if (!snp) {
		/* Through the lock too: while an SNP of this action is being sent to i-milo, a
		 * NON_SNP saved here would contradict what i-milo receives (§5 step 2). */
		if ((rc = db_tx_begin(db)) == 0 &&
		    (rc = actions_store_lock_qualify(db, action_id, now, now + QUALIFY_LOCK_MS)) == 0 &&
		    (rc = store_qualification(db, action_id, &q, now)) == 0)
			rc = db_tx_commit(db);
		if (rc) {
			db_tx_rollback(db);
			if (rc == -ERR_CONFLICT)
				rc = tell(why, -ERR_INVAL, ALREADY_QUALIFIED);
		}
		return rc;
	}
	if ((rc = actions_check_login(login, why)))
		return rc;
	q.comment = in->comment;
	q.start = in->start;
	q.end = in->end;
	q.completed_at = action_due_at(clock_day_parse(in->end), a.timezone);
	if ((rc = db_tx_begin(db)) == 0 &&
	    (rc = actions_store_lock_qualify(db, action_id, now, now + QUALIFY_LOCK_MS)) == 0)
		rc = db_tx_commit(db);
	if (rc) {
		db_tx_rollback(db);
		return rc == -ERR_CONFLICT ? tell(why, -ERR_INVAL, ALREADY_QUALIFIED) : rc;
	}
	rc = send_snp(im, ar, login, dossier_id, in, why);
	if (rc) {
		unlock(db, action_id);
		return rc;
	}
	rc = save_after_imilo(db, ar, action_id, &q, now, dossier_id);
	if (rc == -ERR_DB)
		tell(why, rc, SAVED_LATER);
	else if (rc)
		tell(why, rc, ALREADY_QUALIFIED);  /* qualified by another way meanwhile */
	return rc;
}

/* ---- Archive ---- */

static json_t *
comments_json(struct db *db, struct arena *ar, const char *action_id)
{
	struct action_comment *c;
	int n = actions_store_comments(db, ar, action_id, &c);
	if (n < 0)
		return NULL;
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:I}",
			"author_kind", c[i].by_counselor ? "counselor" : "beneficiary",
			"first_name", c[i].first_name, "last_name", c[i].last_name, "body", c[i].body,
			"created_at", (json_int_t)c[i].created_at));
	return out;
}

int
actions_archive_beneficiary(struct db *db, struct arena *ar, const char *beneficiary_id,
			    json_t *archive)
{
	struct action *list;
	int n = actions_store_between(db, ar, beneficiary_id, INT64_MIN, INT64_MAX, &list);
	if (n < 0)
		return n;
	json_t *out = json_array();
	for (int i = 0; i < n; i++) {
		const struct action *a = &list[i];
		json_t *comments = comments_json(db, ar, a->id);
		if (!comments) {
			json_decref(out);
			return -ERR_DB;
		}
		json_t *j = json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s, s:s?, s:s, s:I, s:I, s:s?, "
				      "s:I, s:I, s:o}",
			"id", a->id, "creator_kind", a->by_counselor ? "counselor" : "beneficiary",
			"creator_first_name", a->creator_first_name,
			"creator_last_name", a->creator_last_name,
			"title", a->title, "description", a->description, "category", a->category,
			"status", action_status_wire(a->status), "due_at", (json_int_t)a->due_at,
			"completed_at", (json_int_t)a->completed_at, "started_on", a->started_on,
			"created_at", (json_int_t)a->created_at, "updated_at", (json_int_t)a->updated_at,
			"comments", comments);
		if (a->q_code)
			json_object_set_new(j, "qualification", json_pack(
				"{s:s, s:i, s:s?, s:s?, s:s?, s:I, s:s?}", "code", a->q_code,
				"hours", a->q_hours, "comment", a->q_comment, "start_date", a->q_start,
				"end_date", a->q_end, "qualified_at", (json_int_t)a->qualified_at,
				"qualified_by", a->qualified_by));
		json_array_append_new(out, j);
	}
	json_object_set_new(archive, "actions", out);
	return 0;
}

/* ---- Jobs ---- */

/* J-3: re-check everything at send time (notifications.md §3.3); a failed check ends the
 * job silently, with the reason logged. The notification key absorbs re-runs. */
static int
run_reminder(void *app, struct db *db, struct arena *ar, const struct job *j, int64_t now,
	     const char **error)
{
	(void)app;
	const char *id = NULL;
	json_t *p = json_loads(j->payload ? j->payload : "", 0, NULL);
	if (!p || json_unpack(p, "{s:s}", "id", &id)) {
		json_decref(p);
		*error = "charge utile invalide";
		return -ERR_INVAL;
	}
	id = arena_strdup(ar, id);
	json_decref(p);
	struct action a;
	int rc = actions_store_load(db, ar, id, &a);
	if (rc == -ERR_NOTFOUND) {
		log_info("rappel J-3 de l'action %s abandonné : action supprimée", id);
		return 0;
	}
	if (rc)
		return rc;
	if (!action_reminder_still_due(&a, now)) {
		log_info("rappel J-3 de l'action %s abandonné : échéance, statut ou rappel changé", id);
		return 0;
	}
	bool activated = false;
	if ((rc = actions_store_beneficiary_activated(db, a.beneficiary_id, &activated)))
		return rc;
	if (!activated) {
		log_info("rappel J-3 de l'action %s abandonné : compte non activé", id);
		return 0;
	}
	if ((rc = db_tx_begin(db)))
		return rc;
	rc = notifications_add(db, now, a.beneficiary_id, NOTIF_ACTION_REMINDER,
			       arena_printf(ar, "ACTION_REMINDER:%s:%lld", a.id, (long long)a.due_at),
			       action_url(ar, a.id));
	if (!rc)
		rc = db_tx_commit(db);
	if (rc)
		db_tx_rollback(db);
	return rc;
}

/* 06:00: CEJ actions due more than 4 months ago and never qualified become done and
 * non-SNP, without i-milo (actions.md §5). Idempotent: a qualified action is no target. */
static int
run_auto_non_snp(void *app, struct db *db, struct arena *ar, const struct job *j, int64_t now,
		 const char **error)
{
	(void)app;
	(void)j;
	const char **ids;
	/* 4 months are at least 119 days: a prefilter, the rule decides per action. */
	int n = actions_store_auto_non_snp_candidates(db, ar, now - 119 * 24 * 3600 * 1000LL, &ids);
	if (n < 0) {
		*error = "lecture des actions impossible";
		return n;
	}
	for (int i = 0; i < n; i++) {
		struct action a;
		int rc = actions_store_load(db, ar, ids[i], &a);
		if (rc == -ERR_NOTFOUND)
			continue;
		if (rc)
			return rc;
		if (!action_auto_non_snp_due(&a, now))
			continue;
		struct action after = a;
		after.status = ACTION_DONE;
		if (!after.completed_at)
			after.completed_at = now;
		struct action_qualification q = {.code = "NON_SNP", .hours = 0, .by = "system"};
		if ((rc = db_tx_begin(db)))
			return rc;
		rc = a.status == ACTION_DONE ? 0 : actions_change(db, ar, now, &a, &after);
		/* The qualification lock: an SNP being sent to i-milo right now is left alone. */
		if (!rc)
			rc = actions_store_lock_qualify(db, a.id, now, now + QUALIFY_LOCK_MS);
		if (!rc)
			rc = actions_store_qualify(db, a.id, &q, now);
		if (rc == -ERR_CONFLICT) {
			/* Qualified meanwhile by its counselor, or being qualified: skipped. */
			db_tx_rollback(db);
			log_info("qualification automatique de l'action %s laissée : qualifiée ou en "
				 "cours de qualification", a.id);
			continue;
		}
		if (!rc)
			rc = db_tx_commit(db);
		if (rc) {
			db_tx_rollback(db);
			*error = "qualification automatique impossible";
			return rc;
		}
	}
	return 0;
}

/* A qualification i-milo accepted whose local save failed (see save_after_imilo). */
static int
run_qualify_save(void *app, struct db *db, struct arena *ar, const struct job *j, int64_t now,
		 const char **error)
{
	(void)app;
	(void)now;
	json_t *p = json_loads(j->payload ? j->payload : "", 0, NULL);
	const char *id = NULL;
	json_int_t at = 0, completed = 0;
	int hours = 0;
	struct action_qualification q = {0};
	if (!p || json_unpack(p, "{s:s, s:s, s:i, s?s, s?s, s?s, s:s, s:I, s:I}", "id", &id,
			      "code", &q.code, "hours", &hours, "comment", &q.comment, "start",
			      &q.start, "end", &q.end, "by", &q.by, "completed_at", &completed, "at",
			      &at)) {
		json_decref(p);
		*error = "charge utile invalide";
		return -ERR_INVAL;
	}
	q.hours = hours;
	q.completed_at = completed;
	int rc = save_qualification(db, arena_strdup(ar, id), &q, at);
	json_decref(p);
	if (rc == -ERR_CONFLICT)
		rc = 0;  /* already saved, or the action is gone */
	if (rc)
		*error = "enregistrement de la qualification impossible";
	else
		log_info("qualification de l'action enregistrée après coup");
	return rc;
}

static int
run_notifications_purge(void *app, struct db *db, struct arena *ar, const struct job *j,
			int64_t now, const char **error)
{
	(void)app;
	(void)ar;
	(void)j;
	int n = notifications_purge(db, now);
	if (n < 0)
		*error = "purge des notifications impossible";
	return n < 0 ? n : 0;
}

const struct job_kind actions_job_kinds[ACTIONS_JOB_KINDS] = {
	{"action_reminder", run_reminder, 3, 5 * MINUTE_MS, 2 * MINUTE_MS, NULL},
	{"actions_auto_non_snp", run_auto_non_snp, 3, 5 * MINUTE_MS, 30 * MINUTE_MS, NULL},
	{"notifications_purge", run_notifications_purge, 3, 5 * MINUTE_MS, 10 * MINUTE_MS, NULL},
	{"action_qualify_save", run_qualify_save, 20, MINUTE_MS, 2 * MINUTE_MS, NULL},
};

int
actions_jobs_plan(struct db *db, int64_t now)
{
	int rc = jobs_ensure_daily(db, now, "actions_auto_non_snp", "actions:auto-non-snp", NULL,
				   6, 0, "Europe/Paris");
	return rc ? rc : jobs_ensure_daily(db, now, "notifications_purge", "notifications:purge",
					   NULL, 4, 0, "Europe/Paris");
}

int
actions_to_qualify(struct db *db, struct arena *ar, const char *counselor_id, unsigned categories,
		   enum pilotage_sort sort, int offset, int limit, struct action_to_qualify **out,
		   int *total)
{
	return actions_store_to_qualify(db, ar, counselor_id, categories, sort, offset, limit, out,
					total);
}

int
actions_week_items(struct db *db, struct arena *ar, const struct record *rec, int64_t from,
		   int64_t to, bool events_only, struct week_item **out)
{
	if (events_only)   /* an action is no event */
		return 0;
	struct action *list;
	int n = actions_store_between(db, ar, rec->id, from, to, &list);
	if (n < 0)
		return n;
	struct week_item *items = arena_alloc(ar, sizeof(*items) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		items[i] = (struct week_item){
			.at = action_display_at(&list[i]),
			.kind = "Action",
			.label = list[i].title,
			.href = arena_printf(ar, "/actions/%s", list[i].id),
		};
	*out = items;
	return n;
}
