/* offers_app_contact.h — "Contacter l'entreprise" of an Immersion (offers.md §3,
 * youth-app.md §8): the young person's request (Prénom, Nom, Email, Téléphone, "Date de
 * début d'immersion souhaitée", a message of at most 512 characters), at most once per
 * establishment and métier every 7 days. Delivered by the provider's adapter; until it
 * exists, as an e-mail through the outbox to the establishment's stand-in address
 * "entreprise-{siret}@immersion.example" (the demo mailbox shows it). */
#ifndef CEJ_OFFERS_APP_CONTACT_H
#define CEJ_OFFERS_APP_CONTACT_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct ctx;
struct db;
struct offer;
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

/* Store (offers_app_contact_store.c). The instant of the last request of @beneficiary_id
 * to (@siret, @appellation_code), 0 when none; or -ERR_DB. */
int64_t offers_contact_store_last(struct db *db, const char *beneficiary_id, const char *siret,
				  const char *appellation_code);
int offers_contact_store_add(struct db *db, const char *beneficiary_id, const char *siret,
			     const char *appellation_code, const struct offers_contact *c,
			     int64_t now);
int offers_contact_store_purge_beneficiary(struct db *db, const char *beneficiary_id);

#endif
