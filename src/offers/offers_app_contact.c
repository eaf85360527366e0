/* offers_app_contact.c — "Contacter l'entreprise" of an Immersion (offers_app_contact.h):
 * the form's rules, the 7-day rule, and the use case that stores the request and plans its
 * delivery (the provider's job, or the mail). */
#include "offers/offers_app_contact.h"

#include "offers/offers.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/ids.h"
#include "base/err.h"
#include "core/ctx.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "mail/mail.h"
#include "view/view.h"
#include "view/vm.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool
blank(const char *s)
{
	if (!s)
		return true;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return !*s;
}

/* One address, roughly: something@something.tld, no space. The outbox checks it again. */
static bool
email_ok(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	return at && at > s && strchr(at + 1, '.') && !strpbrk(s, " \t\r\n,;<>\"") &&
	       !strchr(at + 1, '@') && strlen(s) <= 254;
}

/* 10 digits once spaces, dots and dashes are left out, or +33 and 9 digits. */
static bool
phone_ok(const char *s)
{
	int digits = 0;
	for (const char *p = s; p && *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr(" .-+", *p))
			return false;
	}
	return digits >= 10 && digits <= 12;
}

int
offers_contact_check(const struct offers_contact *c, struct refusal *why)
{
	if (blank(c->first_name))
		return refuse_with(why, 400, "prenom", NULL, "Renseigne ton prénom");
	if (blank(c->last_name))
		return refuse_with(why, 400, "nom", NULL, "Renseigne ton nom");
	if (!email_ok(c->email))
		return refuse_with(why, 400, "email", NULL,
				   "Renseigne une adresse e-mail valide, par exemple nom@exemple.fr");
	if (!phone_ok(c->phone))
		return refuse_with(why, 400, "telephone", NULL,
				   "Renseigne un numéro de téléphone valide, par exemple 06 12 34 56 78");
	if (!c->start_date || clock_day_parse(c->start_date) == CLOCK_NO_DAY)
		return refuse_with(why, 400, "debut", NULL,
				   "Renseigne la date de début d’immersion souhaitée");
	if (c->message && g_utf8_strlen(c->message, -1) > OFFERS_CONTACT_MESSAGE_MAX)
		return refuse_with(why, 400, "message", NULL,
				   "Ton message ne doit pas dépasser 512 caractères");
	return 0;
}

bool
offers_contact_allowed(int64_t last, int64_t now)
{
	return last <= 0 || now - last >= OFFERS_CONTACT_DELAY_MS;
}

/* The métier's code: the public id of an Immersion is "{siret}-{appellation code}". */
static const char *
appellation_code(struct arena *a, const struct offer *o)
{
	const char *dash = strrchr(o->id, '-');
	return dash ? arena_strdup(a, dash + 1) : o->id;
}

static int
send_mail(struct ctx *app, struct db *db, struct arena *a, const struct offer *o,
	  const struct offers_contact *c, int64_t now)
{
	const char *subject = arena_printf(a, "Demande d’immersion : %s",
					   o->appellation_label ? o->appellation_label : o->title);
	struct vm *d = vm_obj(a);
	vm_set_str(d, "subject", subject);
	vm_set_str(d, "metier", o->appellation_label ? o->appellation_label : o->title);
	vm_set_str(d, "establishment", o->company ? o->company : o->siret);
	vm_set_str(d, "first_name", c->first_name);
	vm_set_str(d, "last_name", c->last_name);
	vm_set_str(d, "email", c->email);
	vm_set_str(d, "phone", c->phone);
	vm_set_str(d, "start", clock_day_fr(a, clock_day_parse(c->start_date)));
	vm_set_str(d, "message", c->message ? c->message : "");
	GString *text = g_string_new(NULL), *html = g_string_new(NULL);
	int rc = view_mail(app->tmpl, "immersion_contact", d, text, html);
	if (!rc)
		rc = mail_enqueue(db, now, arena_printf(a, "entreprise-%s@immersion.example", o->siret),
				  subject, text->str, html->str);
	if (!rc)
		jobs_wake_on_commit(db, app->jobs);
	g_string_free(text, TRUE);
	g_string_free(html, TRUE);
	return rc;
}

/* Plans the delivery of stored request @id by Immersion Facilitée: a job due now, woken on
 * the commit. Its payload names no one but by id (offers_app_contact.h). */
static int
plan_delivery(struct ctx *app, struct db *db, struct arena *a, const char *id,
	      const char *beneficiary_id, const struct offer *o, int64_t now)
{
	json_t *p = json_pack("{s:s, s:s, s:s}", "contact", id, "beneficiary", beneficiary_id,
			      "mode", o->contact_mode ? o->contact_mode : "EMAIL");
	char *payload = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	int rc = jobs_schedule(db, now, OFFERS_CONTACT_KIND,
			       arena_printf(a, "immersion-contact:%s", id), payload, now);
	free(payload);
	if (!rc)
		jobs_wake_on_commit(db, app->jobs);
	return rc;
}

/* Stores @c and plans its delivery: by the provider when configured, else the mail. */
static int
store_and_deliver(struct ctx *app, struct db *db, struct arena *a, const char *beneficiary_id,
		  const struct offer *o, const char *code, const struct offers_contact *c,
		  int64_t now)
{
	char id[UUID_STRLEN + 1];
	if (!offers_contact_by_provider(app->cfg)) {
		int rc = offers_contact_store_add_as(db, beneficiary_id, o->siret, code, c, "MAIL",
						     now, id);
		return rc ? rc : send_mail(app, db, a, o, c, now);
	}
	int rc = offers_contact_store_add_as(db, beneficiary_id, o->siret, code, c, "EN_ATTENTE",
					     now, id);
	return rc ? rc : plan_delivery(app, db, a, id, beneficiary_id, o, now);
}

int
offers_contact_send(struct ctx *app, struct db *db, struct arena *a, const char *beneficiary_id,
		    const struct offer *o, const struct offers_contact *c, int64_t now,
		    struct refusal *why)
{
	if (o->type != OFFER_IMMERSION || !o->siret)
		return -ERR_NOTFOUND;
	int rc = offers_contact_check(c, why);
	if (rc)
		return rc;
	const char *code = appellation_code(a, o);
	if ((rc = db_tx_begin(db)))
		return rc;
	int64_t last = offers_contact_store_last(db, beneficiary_id, o->siret, code);
	if (last < 0)
		rc = (int)last;
	else if (!offers_contact_allowed(last, now))
		rc = refuse_with(why, 409, NULL, NULL, OFFERS_CONTACT_AGAIN);
	if (!rc)
		rc = store_and_deliver(app, db, a, beneficiary_id, o, code, c, now);
	return db_tx_end(db, rc);
}
