/* lifecycle.c — an account after its creation: resend the activation e-mail, delete,
 * archive, self-delete, refresh from i-milo (beneficiaries.md §5, §9, §11; youth-app.md
 * §12). Rules are pure; each write is one transaction with its audit row and its mail. */
#include "beneficiaries/beneficiaries.h"

#include "audit/audit.h"
#include "auth/login.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "beneficiaries/beneficiaries_store.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "mail/mail.h"
#include "record/record.h"
#include "core/ctx.h"
#include "view/view.h"
#include "view/vm.h"

#include <stdio.h>
#include <string.h>

#define YEAR_MS (365LL * 24 * 3600 * 1000)
#define ARCHIVE_RETENTION_MS (2 * YEAR_MS)

const char *const beneficiaries_archive_motifs[] = {
	"Emploi durable (plus de 6 mois)",
	"Emploi court (moins de 6 mois)",
	"Contrat arrivé à échéance",
	"Limite d’âge atteinte",
	"Demande du jeune de sortir du dispositif",
	"Non respect des engagements ou abandon",
	"Déménagement",
	"Changement de conseiller",
	"Autre",
	NULL,
};

static bool
known_motif(const char *m)
{
	for (int i = 0; m && beneficiaries_archive_motifs[i]; i++)
		if (!strcmp(m, beneficiaries_archive_motifs[i]))
			return true;
	return false;
}

static bool
is_blank(const char *s)
{
	for (; s && *s; s++)
		if (!g_ascii_isspace(*s))
			return false;
	return true;
}

static bool
iso_date_ok(const char *d)
{
	int y, m, day;
	char tail;
	return d && strlen(d) == 10 && sscanf(d, "%4d-%2d-%2d%c", &y, &m, &day, &tail) == 3 &&
	       g_date_valid_dmy((GDateDay)day, (GDateMonth)m, (GDateYear)y);
}

bool
beneficiaries_archive_check(const struct archive_input *in, const char *created_day,
			    const char *today, struct archive_errors *err)
{
	memset(err, 0, sizeof(*err));
	if (!in->motif || !*in->motif || !known_motif(in->motif))
		err->motif = "Le champ “Motif” est vide. Renseignez un motif de suppression.";
	else if (!strcmp(in->motif, "Autre")) {
		glong n = in->comment ? g_utf8_strlen(in->comment, -1) : 0;
		if (n == 0 || is_blank(in->comment))
			err->comment = "Le champ “Motif de suppression” est vide. Renseignez un commentaire.";
		else if (n > ARCHIVE_COMMENT_MAX)
			err->comment = "Le commentaire ne doit pas dépasser 250 caractères.";
	}
	if (!in->end_date || !*in->end_date)
		err->end_date = "Le champ “Date de fin d’accompagnement” est vide. Renseignez une date "
				"de fin d’accompagnement.";
	else if (!iso_date_ok(in->end_date) || strcmp(in->end_date, created_day) < 0 ||
		 strcmp(in->end_date, today) > 0)
		err->end_date = "Le champ “Date de fin d’accompagnement” est invalide. La date attendue "
				"est comprise entre la date de création du bénéficiaire et maintenant.";
	return !err->motif && !err->comment && !err->end_date;
}

#define RESEND_TITLE "L’e-mail d’activation n’a pas été renvoyé"
#define RESEND_TOO_SOON "Le dernier renvoi date de moins de 24h."

int
beneficiaries_resend(struct ctx *c, struct db *db, struct arena *a, const struct record *rec,
		     int64_t now, struct refusal *why)
{
	int rc;
	if (rec->activated_at)
		return refuse_with(why, 403, NULL, RESEND_TITLE,
				   "Ce bénéficiaire a déjà activé son compte.");
	if (!record_resend_allowed(rec, now))
		return refuse_with(why, 429, NULL, RESEND_TITLE, RESEND_TOO_SOON);
	if ((rc = db_tx_begin(db)))
		goto fail;
	/* Checked again in the transaction: two clicks at once send one mail. */
	rc = beneficiaries_store_mark_resent(db, rec->id, now, RECORD_RESEND_DELAY_MS);
	if (rc == -ERR_RATE) {
		db_tx_rollback(db);
		return refuse_with(why, 429, NULL, RESEND_TITLE, RESEND_TOO_SOON);
	}
	struct link_mailer mailer = login_mailer(c);
	if (rc || (rc = login_send_link(&mailer, db, a, rec->id, "activation", now)))
		goto fail;
	if ((rc = db_tx_commit(db)))
		goto fail;
	return 0;
fail:
	db_tx_rollback(db);
	log_warn("renvoi d'activation de %s impossible (%d)", rec->id, rc);
	return refuse_with(why, 500, NULL, RESEND_TITLE,
			   "Une erreur est survenue lors du renvoi d’e-mail d’activation. Veuillez "
			   "réessayer ultérieurement.");
}

/* Removes the account and everything of it in the open transaction (purge.c), with its
 * audit row. The audit log is kept a year (admin-and-misc.md §7, §8 record account
 * deletion and archive): its rows name the beneficiary by ids only (account, dossier). */
static int
remove_account(struct ctx *c, struct db *db, const char *actor_kind, const char *actor_id,
	       const char *action, const struct record *rec, int64_t now)
{
	int rc = audit_record(db, now, actor_kind, actor_id, action, rec->id, rec->imilo_dossier_id);
	return rc ? rc : beneficiaries_purge(&c->features, db, rec->id);
}

int
beneficiaries_delete(struct ctx *c, struct db *db, const struct user *counselor,
		     const struct record *rec, int64_t now, struct refusal *why)
{
	if (rec->activated_at)
		return refuse_with(why, 403, NULL, "Le compte n’a pas été supprimé",
				   "Ce bénéficiaire a activé son compte : il doit être archivé avec "
				   "un motif.");
	int rc = db_tx_begin(db);
	if (!rc && !(rc = remove_account(c, db, "counselor", counselor->id, "beneficiary.delete", rec, now)))
		rc = db_tx_commit(db);
	if (rc)
		db_tx_rollback(db);
	return rc;
}

/* Renders mail @name with @data and queues it in the open transaction; the job runner
 * is woken once it commits. */
static int
send_mail(struct ctx *c, struct db *db, const char *name, const char *to, const char *subject,
	  const struct vm *data, int64_t now)
{
	GString *text = g_string_new(NULL), *html = g_string_new(NULL);
	int rc = view_mail(c->tmpl, name, data, text, html);
	if (!rc)
		rc = mail_enqueue(db, now, to, subject, text->str, html->str);
	if (!rc)
		jobs_wake_on_commit(db, c->jobs);
	g_string_free(text, TRUE);
	g_string_free(html, TRUE);
	return rc;
}

#define ARCHIVED_SUBJECT "Ton compte de l’application du CEJ a été supprimé"

/* What the beneficiary's farewell mail names: the motif, never the counselor's comment
 * (notifications.md #22). */
static struct vm *
archived_mail(struct arena *a, const struct record *rec, const struct archive_input *in)
{
	struct vm *data = vm_obj(a);
	vm_set_str(data, "subject", ARCHIVED_SUBJECT);
	vm_set_str(data, "first_name", rec->first_name);
	vm_set_str(data, "motif", in->motif);
	return data;
}

int
beneficiaries_archive(struct ctx *c, struct db *db, struct arena *a, const struct user *counselor,
		      const struct record *rec, const struct archive_input *in, int64_t now,
		      struct refusal *why)
{
	char id[UUID_STRLEN + 1];
	struct archive_errors err;
	if (!rec->activated_at)
		return refuse_with(why, 403, NULL, "Le compte n’a pas été archivé",
				   "Ce bénéficiaire n’a jamais activé son compte : il se supprime "
				   "sans archive.");
	if (!beneficiaries_archive_check(in, clock_iso_day(a, rec->created_at, rec->timezone),
					 clock_iso_day(a, now, rec->timezone), &err))
		return refuse_with(why, 400, err.motif ? "motif" : err.comment ? "comment" : "end_date",
				   "Le compte n’a pas été archivé",
				   err.motif ? err.motif : err.comment ? err.comment : err.end_date);
	int rc = db_tx_begin(db);
	if (rc)
		return rc;
	id_uuid7(now, id);
	struct archive_row row = {
		.id = id, .beneficiary_id = rec->id, .structure_id = rec->structure_id,
		.archived_by = counselor->id, .motif = in->motif,
		.comment = !strcmp(in->motif, "Autre") ? in->comment : NULL, .end_date = in->end_date,
		.content_json = beneficiaries_archive_content(&c->features, db, a, rec), .purge_at = now + ARCHIVE_RETENTION_MS,
	};
	if (!row.content_json) {
		rc = -ERR_DB;
		goto out;
	}
	/* The mail goes after the purge, which deletes every mail addressed to the account. It
	 * names the motif only, never the counselor's comment (notifications.md #22). */
	if ((rc = beneficiaries_store_insert_archive(db, &row, now)) ||
	    (rc = remove_account(c, db, "counselor", counselor->id, "beneficiary.archive", rec, now)) ||
	    (rc = send_mail(c, db, "archived", rec->email, ARCHIVED_SUBJECT,
			    archived_mail(a, rec, in), now)))
		goto out;
	rc = db_tx_commit(db);
out:
	if (rc)
		db_tx_rollback(db);
	return rc;
}

int
beneficiaries_self_delete(struct ctx *c, struct db *db, struct arena *a, const struct record *rec,
			  int64_t now)
{
	const char *email = NULL;
	const char *name = arena_printf(a, "%s %s", rec->first_name, rec->last_name);
	int rc = beneficiaries_store_counselor_contact(db, a, rec->counselor_id, &email);
	if (rc && rc != -ERR_NOTFOUND)
		return rc;
	if ((rc = db_tx_begin(db)))
		return rc;
	/* A counselor without e-mail (i-milo may have none) simply gets no mail. */
	const char *subject = arena_printf(a, "Suppression du compte de %s", name);
	struct vm *data = vm_obj(a);
	vm_set_str(data, "subject", subject);
	vm_set_str(data, "name", name);
	if (email && (rc = send_mail(c, db, "self_deleted", email, subject, data, now)))
		goto out;
	if ((rc = remove_account(c, db, "beneficiary", rec->id, "beneficiary.self_delete", rec, now)))
		goto out;
	rc = db_tx_commit(db);
out:
	if (rc)
		db_tx_rollback(db);
	return rc;
}

/* 404, or 403 saying the dossier is not justified: the account should be archived. */
static bool
dossier_gone(const struct imilo_result *res)
{
	return res->status == IMILO_REJECTED &&
	       (res->http_status == 404 ||
		(res->http_status == 403 && res->message && strstr(res->message, "pas justifié")));
}

int
beneficiaries_refresh(struct ctx *c, struct db *db, struct arena *a, const char *id,
		      const char *dossier_id, bool identity, int64_t now)
{
	struct imilo_dossier d;
	struct imilo_result res;
	const char *structure_id;
	int rc;

	if (imilo_get_dossier(c->imilo, a, dossier_id, &d, &res) != 0) {
		log_warn("i-milo: dossier %s illisible (HTTP %d)", dossier_id, res.http_status);
		rc = beneficiaries_store_refresh_failed(db, id, dossier_gone(&res), now);
		return rc ? rc : 1;
	}
	if ((rc = db_tx_begin(db)))
		return rc;
	if ((rc = beneficiaries_store_structure(db, a, d.structure_code, d.structure_name,
						 beneficiaries_structure_timezone(d.structure_code),
						 now, &structure_id)) ||
	    (rc = beneficiaries_store_refreshed(db, id, &d, structure_id, now)) ||
	    (identity && (rc = beneficiaries_store_identity(db, a, id, &d))) ||
	    (rc = db_tx_commit(db)))
		db_tx_rollback(db);
	return rc;
}
