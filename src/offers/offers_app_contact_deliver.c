/* offers_app_contact_deliver.c — an Immersion "Contacter l'entreprise" request delivered by
 * Immersion Facilitée (offers_app_contact.h): the API v2's body (pure), what its answer
 * means (pure), and the job that posts it. The request handler only stored the row and
 * planned the job (offers_app_contact.c): a slow or failing provider never holds a page.
 *
 * The endpoint (docs/offers.md "Contacter l'entreprise"): POST {immersion_api_url}/
 * contact-establishment, header "Authorization: {immersion_api_key}" as the search's, a
 * JSON body, 201 without body when accepted; 400 (the body's schema), 401, 403, 404 (no
 * such establishment or métier) with {"message": …}. */
#include "offers/offers_app_contact.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "core/ctx.h"
#include "db/db.h"
#include "jobs/jobs.h"

#include <curl/curl.h>
#include <glib.h>
#include <string.h>

/* How much of a refusal's reason is kept on the row (support reads it). */
#define REASON_MAX 300

bool
offers_contact_by_provider(const struct config *cfg)
{
	return cfg && cfg->immersion_api_key && *cfg->immersion_api_key && cfg->immersion_api_url &&
	       *cfg->immersion_api_url;
}

enum offers_contact_outcome
offers_contact_outcome_of(long http_status)
{
	if (http_status >= 200 && http_status <= 299)
		return CONTACT_DELIVERED;
	/* 401 and 403 say the key is refused: an operator's mistake to mend, not the request's
	 * fault, so it waits for the fix (retried) rather than failing every request. */
	if (http_status >= 400 && http_status <= 499 && http_status != 401 && http_status != 403 &&
	    http_status != 408 && http_status != 429)
		return CONTACT_REFUSED;
	return CONTACT_RETRY;
}

/* The country code of a French national number (10 digits, a leading 0): the overseas
 * départements have their own (ARCEP's plan), the rest is +33. */
static const char *
country_code_of(const char *national)
{
	static const struct {
		const char *prefix, *code;
	} overseas[] = {
		{"0262", "262"}, {"0263", "262"}, {"0692", "262"}, {"0693", "262"},  /* La Réunion */
		{"0269", "262"}, {"0639", "262"},                                      /* Mayotte */
		{"0590", "590"}, {"0690", "590"}, {"0691", "590"},                     /* Guadeloupe */
		{"0594", "594"}, {"0694", "594"},                                      /* Guyane */
		{"0596", "596"}, {"0696", "596"}, {"0697", "596"},                     /* Martinique */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(overseas); i++)
		if (g_str_has_prefix(national, overseas[i].prefix))
			return overseas[i].code;
	return "33";
}

const char *
offers_contact_phone_e164(struct arena *a, const char *phone)
{
	GString *d = g_string_new(NULL);
	for (const char *p = phone ? phone : ""; *p; p++)
		if (*p >= '0' && *p <= '9')
			g_string_append_c(d, *p);
	const char *out;
	if (d->len == 10 && d->str[0] == '0')
		out = arena_printf(a, "+%s%s", country_code_of(d->str), d->str + 1);
	else if (g_str_has_prefix(d->str, "00"))
		out = arena_printf(a, "+%s", d->str + 2);
	else if (phone && strchr(phone, '+'))
		out = arena_printf(a, "+%s", d->str);
	else
		out = arena_strdup(a, d->str);
	g_string_free(d, TRUE);
	return out;
}

/* The EMAIL mode's message: the wished start date (the API has no field for it), then the
 * young person's words when there are any. Never empty, as the API requires. */
static const char *
email_message(struct arena *a, const struct offers_contact *c)
{
	int64_t day = clock_day_parse(c->start_date);
	const char *start = day == CLOCK_NO_DAY ? c->start_date : clock_day_fr(a, day);
	const char *words = c->message ? g_strstrip(arena_strdup(a, c->message)) : "";
	return *words ? arena_printf(a, "Date de début d’immersion souhaitée : %s\n\n%s", start,
				     words)
		      : arena_printf(a, "Date de début d’immersion souhaitée : %s", start);
}

json_t *
offers_contact_v2_body(struct arena *a, const struct offers_contact_row *r,
		       const char *contact_mode)
{
	const char *mode = contact_mode && (!strcmp(contact_mode, "PHONE") ||
					    !strcmp(contact_mode, "IN_PERSON")) ? contact_mode : "EMAIL";
	json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "appellationCode",
			      r->appellation_code, "siret", r->siret, "potentialBeneficiaryFirstName",
			      r->c.first_name, "potentialBeneficiaryLastName", r->c.last_name,
			      "potentialBeneficiaryEmail", r->c.email, "contactMode", mode);
	if (strcmp(mode, "EMAIL"))
		return b;
	json_object_set_new(b, "message", json_string(email_message(a, &r->c)));
	json_object_set_new(b, "potentialBeneficiaryPhone",
			    json_string(offers_contact_phone_e164(a, r->c.phone)));
	/* The API's objectives ("Découvrir un métier…") are not asked by the app's form. */
	json_object_set_new(b, "immersionObjective", json_null());
	return b;
}

/* ---- The job ---- */

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	GString *body = ud;
	if (body->len < 4096)                 /* the reason of a refusal, no more */
		g_string_append_len(body, p, (gssize)(size * n));
	return size * n;
}

/* POSTs @json to the endpoint: the HTTP status into *@status (0: no answer, the reason
 * into *@error), the reply's body into @reply. */
static void
post(const struct config *cfg, struct arena *a, const char *json, long *status, GString *reply,
     const char **error)
{
	*status = 0;
	CURL *h = curl_easy_init();
	if (!h) {
		*error = "Immersion Facilitée : client HTTP indisponible";
		return;
	}
	char err[CURL_ERROR_SIZE] = "";
	struct curl_slist *hd = curl_slist_append(NULL, arena_printf(a, "Authorization: %s",
								      cfg->immersion_api_key));
	hd = curl_slist_append(hd, "Content-Type: application/json");
	hd = curl_slist_append(hd, "Accept: application/json");
	/* Well under the job's lease, whatever the syncs' setting: a post still waiting when
	 * the lease ends would be posted again by the next runner. */
	int timeout = cfg->offers_sync_timeout_ms > 0 ? cfg->offers_sync_timeout_ms : 30000;
	timeout = (int)MIN((int64_t)timeout, OFFERS_CONTACT_LEASE_MS / 2);
	curl_easy_setopt(h, CURLOPT_URL, arena_printf(a, "%s/contact-establishment",
						      cfg->immersion_api_url));
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)MIN(timeout, 5000));
	curl_easy_setopt(h, CURLOPT_USERAGENT, "cej");
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(json));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, reply);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	CURLcode cc = curl_easy_perform(h);
	if (cc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	else
		*error = arena_printf(a, "Immersion Facilitée ne répond pas (%s)",
				      cc == CURLE_OPERATION_TIMEDOUT ? "délai dépassé"
				      : *err ? err : curl_easy_strerror(cc));
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
}

/* "HTTP 404 : {the provider's message}" — its JSON "message", else the body's start. */
static const char *
refusal_reason(struct arena *a, long status, const GString *reply)
{
	json_t *doc = json_loadb(reply->str, reply->len, 0, NULL);
	const char *msg = json_string_value(json_object_get(doc, "message"));
	char *text = g_strndup(msg ? msg : reply->str, REASON_MAX);
	json_decref(doc);
	/* Never cut inside a UTF-8 character: the row is TEXT on both engines. */
	const gchar *end;
	if (!g_utf8_validate(text, -1, &end))
		text[end - text] = '\0';
	const char *out = *text ? arena_printf(a, "HTTP %ld : %s", status, text)
				: arena_printf(a, "HTTP %ld", status);
	g_free(text);
	return out;
}

/* Reads the job's payload: the row's id and the establishment's contact mode. */
static int
payload_of(struct arena *a, const struct job *j, const char **id, const char **mode)
{
	json_t *p = j->payload ? json_loads(j->payload, 0, NULL) : NULL;
	const char *i = NULL, *m = NULL;
	int rc = p && !json_unpack(p, "{s:s, s?:s}", "contact", &i, "mode", &m) ? 0 : -ERR_INVAL;
	*id = rc ? NULL : arena_strdup(a, i);
	*mode = rc ? NULL : arena_strdup(a, m);
	json_decref(p);
	return rc;
}

/* Records the outcome @delivery of row @id in its own transaction. */
static int
record(struct db *db, const char *id, const char *delivery, int64_t now, const char *reason)
{
	int rc = db_tx_begin(db);
	if (!rc)
		rc = offers_contact_store_delivered(db, id, delivery, now, reason);
	return db_tx_end(db, rc);
}

int
offers_contact_job_deliver(void *app, struct db *db, struct arena *a, const struct job *j,
			   int64_t now, const char **error)
{
	const struct config *cfg = ((struct ctx *)app)->cfg;
	const char *id, *mode;
	struct offers_contact_row row;
	if (payload_of(a, j, &id, &mode)) {
		log_warn("immersion contact: job %s without a request id, nothing sent", j->key);
		return 0;
	}
	int rc = offers_contact_store_get(db, a, id, &row);
	if (rc == -ERR_NOTFOUND || (!rc && strcmp(row.delivery, "EN_ATTENTE")))
		return 0;             /* purged with the account, or an earlier run's outcome */
	if (rc) {
		*error = "demande illisible";
		return rc;
	}
	if (!offers_contact_by_provider(cfg)) {
		*error = "Immersion Facilitée n'est plus configurée";
		return -ERR_UNAVAILABLE;
	}
	json_t *body = offers_contact_v2_body(a, &row, mode);
	char *json = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!json)   /* a row that makes no body (not UTF-8…): sending again would not help */
		return record(db, id, "ECHEC", now, "demande illisible");
	long status;
	GString *reply = g_string_new(NULL);
	post(cfg, a, json, &status, reply, error);
	free(json);
	enum offers_contact_outcome out = offers_contact_outcome_of(status);
	if (out == CONTACT_DELIVERED)
		rc = record(db, id, "TRANSMISE", now, NULL);
	else if (out == CONTACT_REFUSED) {
		const char *reason = refusal_reason(a, status, reply);
		/* The reason may quote the refused value (a phone number): on the row, not in
		 * the log. */
		log_warn("immersion contact %s refused by Immersion Facilitée (HTTP %ld)", id, status);
		rc = record(db, id, "ECHEC", now, reason);
	} else {
		if (status)
			*error = arena_printf(a, "Immersion Facilitée en erreur (HTTP %ld)", status);
		rc = -ERR_UNAVAILABLE;
	}
	g_string_free(reply, TRUE);
	return rc;
}

int
offers_contact_job_dead(void *app, struct db *db, const struct job *j, int64_t now)
{
	(void)app;
	struct arena *a = arena_new();
	const char *id, *mode;
	/* Inside the runner's transaction that records the dead job: no transaction here. */
	int rc = payload_of(a, j, &id, &mode) ? 0
		 : offers_contact_store_delivered(db, id, "ECHEC", now,
						  "abandonnée : Immersion Facilitée n'a pas répondu "
						  "après plusieurs essais");
	arena_free(a);
	return rc;
}
