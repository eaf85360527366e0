/* offers_app_contact.h — "Contacter l'entreprise" of an Immersion (offers.md §3,
 * youth-app.md §8): the young person's request (Prénom, Nom, Email, Téléphone, "Date de
 * début d'immersion souhaitée", a message of at most 512 characters), at most once per
 * establishment and métier every 7 days (recorded when the request is accepted, whatever
 * becomes of its delivery).
 *
 * Delivered by the provider when Immersion Facilitée's credentials are set
 * (immersion_api_key and immersion_api_url, docs/configuration.md): a job of kind
 * OFFERS_CONTACT_KIND posts it to the API v2's POST /contact-establishment
 * (offers_app_contact_deliver.c), never the request handler. Without them, an e-mail through
 * the outbox to the establishment's stand-in address "entreprise-{siret}@immersion.example"
 * (the demo mailbox shows it). The row's `delivery` says which: MAIL, or EN_ATTENTE →
 * TRANSMISE | ECHEC. */
#ifndef CEJ_OFFERS_APP_CONTACT_H
#define CEJ_OFFERS_APP_CONTACT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct arena;
struct ctx;
struct db;
struct offer;
struct config;
struct job;
struct refusal;

#define OFFERS_CONTACT_DELAY_MS (7 * 24 * 3600 * 1000LL)
#define OFFERS_CONTACT_MESSAGE_MAX 512
#define OFFERS_CONTACT_AGAIN "Tu as déjà postulé à cette offre d’immersion, il faut un minimum " \
	"de 7 jours pour pouvoir postuler à nouveau"

/* The form as sent; strings as typed (NULL: absent). */
struct offers_contact {
	const char *first_name, *last_name, *email, *phone;
	const char *start_date;    /* "yyyy-mm-dd" (an input of type date) */
	const char *message;
};

/* Checks @c: the first field at fault into @why (400, its field name, the French message).
 * 0 or -ERR_INVAL. Pure. */
int offers_contact_check(const struct offers_contact *c, struct refusal *why);

/* May a new request go at @now when the last one to the same establishment and métier
 * went at @last (0: never)? Not before 7 days. Pure. */
bool offers_contact_allowed(int64_t last, int64_t now);

/* Beneficiary @beneficiary_id sends @c about Immersion @o: checked, stored, mailed, in one
 * transaction (the runner woken on its commit). 0; a 400 refusal for a field; a 409
 * refusal OFFERS_CONTACT_AGAIN within 7 days of the last request; -ERR_NOTFOUND for an
 * offer that is not an Immersion; -ERR_DB. */
int offers_contact_send(struct ctx *app, struct db *db, struct arena *a,
			const char *beneficiary_id, const struct offer *o,
			const struct offers_contact *c, int64_t now, struct refusal *why);

/* ---- Delivery by Immersion Facilitée (offers_app_contact_deliver.c) ---- */

/* The job kind, listed in the offers descriptor (offers_feature.c). Its payload is
 * {"contact": row id, "beneficiary": id, "mode": EMAIL|PHONE|IN_PERSON}: no name, address
 * or phone (the job reads them from the row, which the account's purge deletes), and the
 * beneficiary's id so that jobs_purge_beneficiary() takes the job, live or dead, with the
 * account. Key "immersion-contact:{row id}". */
#define OFFERS_CONTACT_KIND "offers_immersion_contact"
#define OFFERS_CONTACT_MAX_ATTEMPTS 8
#define OFFERS_CONTACT_BACKOFF_MS (60 * 1000LL)        /* 1, 2, 4 … 60 min: about 2 h */
#define OFFERS_CONTACT_LEASE_MS (5 * 60 * 1000LL)      /* > the request's timeout */

/* What the provider's answer makes of a request: 2xx delivered; a 4xx other than 408 and
 * 429 refused for good (the request itself is at fault: retrying changes nothing); no
 * answer, a timeout, 408, 429, 5xx (or anything else) retried. Pure. */
enum offers_contact_outcome { CONTACT_DELIVERED, CONTACT_REFUSED, CONTACT_RETRY };
enum offers_contact_outcome offers_contact_outcome_of(long http_status);

/* A stored request, as the delivery job reads it back. Strings in the caller's arena. */
struct offers_contact_row {
	const char *id, *beneficiary_id, *siret, *appellation_code, *delivery;
	struct offers_contact c;
};

/* Whether @cfg holds Immersion Facilitée's credentials (key and URL): then requests go
 * through the provider. */
bool offers_contact_by_provider(const struct config *cfg);

/* French "06 12 34 56 78" as the API's international form "+33612345678"; "+…" and
 * "0033…" kept as their digits; anything else as its digits. Arena @a. Pure. */
const char *offers_contact_phone_e164(struct arena *a, const char *phone);

/* The JSON body of POST {immersion_api_url}/contact-establishment for @r with the
 * establishment's @contact_mode (EMAIL, PHONE, IN_PERSON; NULL or another: EMAIL). EMAIL
 * carries the message (the wished start date first, then the young person's words),
 * the phone and "immersionObjective": null; PHONE and IN_PERSON only the common fields.
 * New reference. Pure. */
json_t *offers_contact_v2_body(struct arena *a, const struct offers_contact_row *r,
			       const char *contact_mode);

/* The job's handler and its dead hook (jobs.h). The runner's app pointer is the struct ctx
 * (its cfg). Done when delivered (TRANSMISE), refused (ECHEC with the provider's status
 * and message), or when the row is gone or no longer waiting; retried otherwise. The dead
 * hook records ECHEC when every attempt failed. */
int offers_contact_job_deliver(void *app, struct db *db, struct arena *a, const struct job *j,
			       int64_t now, const char **error);
int offers_contact_job_dead(void *app, struct db *db, const struct job *j, int64_t now);

/* Store (offers_app_contact_store.c). The instant of the last request of @beneficiary_id
 * to (@siret, @appellation_code), 0 when none; or -ERR_DB. */
int64_t offers_contact_store_last(struct db *db, const char *beneficiary_id, const char *siret,
				  const char *appellation_code);
/* Stores a request with its @delivery (MAIL or EN_ATTENTE); the new row's id into @id
 * (UUID_STRLEN + 1 bytes). */
int offers_contact_store_add_as(struct db *db, const char *beneficiary_id, const char *siret,
				const char *appellation_code, const struct offers_contact *c,
				const char *delivery, int64_t now, char *id);
/* Row @id into @out (strings in @a); -ERR_NOTFOUND, -ERR_DB. */
int offers_contact_store_get(struct db *db, struct arena *a, const char *id,
			     struct offers_contact_row *out);
/* Row @id, when still EN_ATTENTE, becomes @delivery (TRANSMISE or ECHEC) at @at with
 * @error (NULL for none). 0 (also when it was no longer waiting), -ERR_DB. */
int offers_contact_store_delivered(struct db *db, const char *id, const char *delivery,
				   int64_t at, const char *error);
int offers_contact_store_purge_beneficiary(struct db *db, const char *beneficiary_id);

#endif
