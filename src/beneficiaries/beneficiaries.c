/* beneficiaries.c — rules and use cases of adding a beneficiary. No SQL, no HTML. */
#include "beneficiaries/beneficiaries.h"

#include "audit/audit.h"
#include "auth/login.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/text.h"
#include "beneficiaries/beneficiaries_store.h"
#include "db/db.h"
#include "core/ctx.h"
#include "jobs/jobs.h"
#include "mail/mail.h"

#include <glib.h>
#include <string.h>

#define MSG_EMPTY "Le champ “Numéro de dossier” est vide. Renseignez un numéro. Exemple : 123456"
#define MSG_BAD_NUMBER "Le numéro de dossier est incorrect. Renseignez un numéro. Exemple : 123456."
#define MSG_LOOKUP_DOWN \
	"Une erreur est survenue lors de la récupération du dossier. Veuillez réessayer ultérieurement."
#define MSG_NO_EMAIL \
	"L’adresse e-mail du bénéficiaire n’est pas renseignée dans i-milo. Mettez-la à jour dans " \
	"i-milo avant de créer le compte."
#define MSG_BAD_EMAIL \
	"L’adresse e-mail du bénéficiaire dans i-milo n’est pas valide : « %s ». L’e-mail " \
	"d’activation ne pourrait pas lui être envoyé. Mettez-la à jour dans i-milo (une seule " \
	"adresse, de la forme prenom.nom@exemple.fr) avant de créer le compte."
#define MSG_ALREADY_CREATED "Utilisateur déjà créé, veuillez contacter le support"
#define MSG_OTHER_ML "Ce bénéficiaire dispose déjà d’un compte dans une autre Mission Locale."
#define MSG_DECLARE_DOWN \
	"La création du compte est momentanément impossible car i-milo ne répond pas. Veuillez " \
	"réessayer ultérieurement."
#define MSG_DISPOSITIF "Veuillez choisir un dispositif."

const char *
beneficiaries_check_number(struct arena *a, const char *raw, const char **trimmed)
{
	const char *t = text_trim(a, raw ? raw : "");
	*trimmed = t;
	if (!*t)
		return MSG_EMPTY;
	if (!text_is_digits(t, 11))
		return MSG_BAD_NUMBER;
	return NULL;
}

bool
beneficiaries_dispositif_ok(const char *d)
{
	return d && (strcmp(d, "CEJ") == 0 || strcmp(d, "PACEA") == 0);
}

bool
beneficiaries_other_structure(const char *counselor_code, const char *dossier_code)
{
	return dossier_code && *dossier_code && g_strcmp0(counselor_code, dossier_code) != 0;
}

const char *
beneficiaries_structure_timezone(const char *code)
{
	static const struct {
		const char *prefix, *tz;
	} overseas[] = {
		{"971", "America/Guadeloupe"}, {"972", "America/Martinique"},
		{"973", "America/Cayenne"},    {"974", "Indian/Reunion"},
		{"976", "Indian/Mayotte"},
	};
	for (size_t i = 0; code && i < sizeof(overseas) / sizeof(overseas[0]); i++)
		if (strncmp(code, overseas[i].prefix, 3) == 0)
			return overseas[i].tz;
	return "Europe/Paris";
}

/* Characters of a local part besides letters and digits (RFC 5322 atext, and the dot). */
#define LOCAL_CHARS "!#$%&'*+-/=?^_`{|}~."

bool
beneficiaries_email_usable(const char *email)
{
	const char *at, *p;
	size_t len;

	if (!email || !g_utf8_validate(email, -1, NULL) || (len = strlen(email)) > 254)
		return false;
	at = strchr(email, '@');
	if (!at || strchr(at + 1, '@') || at == email || at - email > 64)
		return false;
	/* Local part: no separator, space, quote or control character; dots between words. */
	if (email[0] == '.' || at[-1] == '.')
		return false;
	for (p = email; p < at; p++) {
		unsigned char ch = (unsigned char)*p;
		if (!(g_ascii_isalnum(ch) || ch >= 0x80 || strchr(LOCAL_CHARS, ch)) ||
		    (ch == '.' && p[1] == '.'))
			return false;
	}
	/* Domain: two labels or more of letters, digits and inner hyphens, 63 bytes at most. */
	const char *label = at + 1;
	int labels = 0;
	for (p = label;; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '.' || ch == '\0') {
			if (p == label || p - label > 63 || *label == '-' || p[-1] == '-')
				return false;
			labels++;
			if (ch == '\0')
				break;
			label = p + 1;
		} else if (!(g_ascii_isalnum(ch) || ch == '-' || ch >= 0x80)) {
			return false;
		}
	}
	return labels >= 2;
}

/* @email as the counselor may read it: valid UTF-8, control characters turned into
 * spaces. */
static const char *
printable_email(struct arena *a, const char *email)
{
	gchar *valid = g_utf8_make_valid(email, -1);
	char *s = arena_strdup(a, valid);
	g_free(valid);
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return s;
}

int
beneficiaries_lookup(struct ctx *c, struct arena *a, const char *number,
		     struct imilo_dossier *out, struct refusal *why)
{
	struct imilo_result res;
	if (imilo_get_dossier(c->imilo, a, number, out, &res) == 0) {
		/* An address the mail could not go to (several, a line break…) is refused here,
		 * before i-milo is asked to declare the account (D2). No address at all is
		 * step 2's case (beneficiaries.md §4). */
		if (out->email && !beneficiaries_email_usable(out->email))
			return refuse_with(why, 422, NULL, NULL, arena_printf(a, MSG_BAD_EMAIL,
						printable_email(a, out->email)));
		return 0;
	}
	switch (res.status) {
	case IMILO_BAD_REQUEST:
		return refuse_with(why, 400, NULL, NULL, MSG_BAD_NUMBER);
	case IMILO_REJECTED:
		return refuse_with(why, res.http_status, NULL, NULL,
				   res.message ? res.message : "Dossier introuvable");
	default:
		return refuse_with(why, 502, NULL, NULL, MSG_LOOKUP_DOWN);
	}
}

static int
refuse(struct add_outcome *out, int status, const char *message)
{
	return refuse_with(&out->why, status, NULL, NULL, message);
}

/* Duplicate rules of beneficiaries.md §4, in order: dossier, then e-mail. */
static int
check_duplicates(struct db *db, struct arena *a, const struct user *counselor,
		 const struct imilo_dossier *d, struct add_outcome *out)
{
	const char *id, *referent;
	int rc = beneficiaries_store_by_dossier(db, a, d->id, &id, &referent);
	if (rc == 0) {
		/* In one's own portfolio, the message leads to the fiche. */
		if (!strcmp(referent, counselor->id))
			out->existing_id = id;
		return refuse(out, 409, arena_printf(a, "Un compte avec l’id dossier %s existe déjà", d->id));
	}
	if (rc != -ERR_NOTFOUND)
		return rc;
	rc = beneficiaries_store_email_taken(db, d->email);
	if (rc < 0)
		return rc;
	if (rc)
		return refuse(out, 409, arena_printf(a, "Un compte avec l’e-mail %s existe déjà", d->email));
	return 0;
}

/* Whether the dossier @d belongs to another Mission Locale than @counselor's. */
static int
other_structure(struct db *db, struct arena *a, const struct user *counselor,
		const struct imilo_dossier *d, bool *other)
{
	const char *code = NULL;
	int rc = beneficiaries_store_structure_code(db, a, counselor->structure_id, &code);
	if (rc && rc != -ERR_NOTFOUND)
		return rc;
	*other = beneficiaries_other_structure(code, d->structure_code);
	return 0;
}

int
beneficiaries_check_dossier(struct ctx *c, struct db *db, struct arena *a,
			    const struct user *counselor, const char *number,
			    struct imilo_dossier *d, struct dossier_check *out)
{
	struct add_outcome dup = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = beneficiaries_lookup(c, a, number, d, &out->why)))
		return rc;
	/* Refused here rather than after the dispositif is chosen (beneficiaries.md §4:
	 * "when any counselor submits dossier 123456 again"); beneficiaries_add checks again. */
	if ((rc = check_duplicates(db, a, counselor, d, &dup))) {
		out->why = dup.why;
		out->existing_id = dup.existing_id;
		return rc;
	}
	return other_structure(db, a, counselor, d, &out->other_structure);
}

/* D2: the account id i-milo gives, or a refusal. An account already attached is
 * accepted when no live cej beneficiary holds its id (re-creation after deletion). */
static int
declare(struct ctx *c, struct db *db, struct arena *a, const char *number,
	const char **account_id, struct add_outcome *out)
{
	struct imilo_result res;
	imilo_declare_account(c->imilo, a, number, &res);
	switch (res.status) {
	case IMILO_OK:
		*account_id = res.account_id;
		return 0;
	case IMILO_ALREADY_ATTACHED: {
		int taken = res.account_id ? beneficiaries_store_account_taken(db, res.account_id) : 1;
		if (taken < 0)
			return taken;
		if (taken)
			return refuse(out, 422, MSG_ALREADY_CREATED);
		*account_id = res.account_id;
		return 0;
	}
	case IMILO_OTHER_ML:
		return refuse(out, 422, MSG_OTHER_ML);
	default:
		log_warn("i-milo: déclaration du dossier %s impossible (HTTP %d)", number, res.http_status);
		return refuse(out, 502, MSG_DECLARE_DOWN);
	}
}

static int
create_locally(struct ctx *c, struct db *db, struct arena *a, const struct user *counselor,
	       const struct imilo_dossier *d, const char *dispositif, const char *account_id,
	       int64_t now, struct add_outcome *out)
{
	struct new_beneficiary nb = {
		.counselor_id = counselor->id, .dispositif = dispositif,
		.imilo_account_id = account_id, .dossier = d,
		.search_folded = text_fold(a, arena_printf(a, "%s %s", d->last_name, d->first_name)),
	};
	struct link_mailer mailer = login_mailer(c);
	char id[UUID_STRLEN + 1];
	int rc = db_tx_begin(db);

	if (rc)
		return rc;
	id_uuid7(now, id);
	nb.id = id;
	if ((rc = beneficiaries_store_structure(db, a, d->structure_code, d->structure_name,
						 beneficiaries_structure_timezone(d->structure_code),
						 now, &nb.structure_id)) ||
	    (rc = beneficiaries_store_insert(db, &nb, now)) ||
	    (rc = audit_record(db, now, "counselor", counselor->id, "beneficiary.create", id, d->id)) ||
	    (rc = login_send_link(&mailer, db, a, id, "activation", now)))
		goto out;
	rc = db_tx_commit(db);
out:
	if (rc) {
		db_tx_rollback(db);
		/* Another request took the dossier or the e-mail meanwhile: say which. */
		if (rc == -ERR_CONFLICT && (rc = check_duplicates(db, a, counselor, d, out)) == 0)
			return refuse(out, 409, arena_printf(a, "Un compte avec l’id dossier %s existe déjà", d->id));
		return rc;
	}
	out->beneficiary_id = arena_strdup(a, id);
	return 0;
}

int
beneficiaries_add(struct ctx *c, struct db *db, struct arena *a, const struct user *counselor,
		  const char *number, const char *dispositif, int64_t now,
		  struct imilo_dossier *d, struct add_outcome *out)
{
	const char *account_id = NULL, *msg, *trimmed;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((msg = beneficiaries_check_number(a, number, &trimmed))) {
		out->dossier_failed = true;
		return refuse(out, 400, msg);
	}
	/* The dossier is read again: the form's hidden fields are never trusted. */
	if ((rc = beneficiaries_lookup(c, a, trimmed, d, &out->why))) {
		out->dossier_failed = true;
		return rc;
	}
	if ((rc = other_structure(db, a, counselor, d, &out->other_structure)))
		return rc;
	if (!beneficiaries_dispositif_ok(dispositif))
		return refuse_with(&out->why, 400, "dispositif", NULL, MSG_DISPOSITIF);
	if (!d->email)
		return refuse(out, 400, MSG_NO_EMAIL);
	if ((rc = check_duplicates(db, a, counselor, d, out)) ||
	    (rc = declare(c, db, a, trimmed, &account_id, out)))
		return rc;
	return create_locally(c, db, a, counselor, d, dispositif, account_id, now, out);
}
