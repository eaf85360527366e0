/* offers_app_contact_store.c — the SQL of "Contacter l'entreprise" (offers_app_contact.h). */
#include "offers/offers_app_contact.h"

#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"

int64_t
offers_contact_store_last(struct db *db, const char *beneficiary_id, const char *siret,
			  const char *appellation_code)
{
	struct db_stmt *st = db_prepare(db, "SELECT MAX(at) FROM offer_immersion_contact "
					    "WHERE beneficiary_id = $1 AND siret = $2 AND appellation_code = $3");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, siret);
	db_bind_text(st, 3, appellation_code);
	return db_run_int(st);
}

int
offers_contact_store_add(struct db *db, const char *beneficiary_id, const char *siret,
			 const char *appellation_code, const struct offers_contact *c, int64_t now)
{
	char id[UUID_STRLEN + 1];
	id_uuid7(now, id);
	struct db_stmt *st = db_prepare(db, "INSERT INTO offer_immersion_contact(id, beneficiary_id, "
					    "siret, appellation_code, at, first_name, last_name, email, phone, "
					    "start_date, message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
					    "$10, $11)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, beneficiary_id);
	db_bind_text(st, 3, siret);
	db_bind_text(st, 4, appellation_code);
	db_bind_int64(st, 5, now);
	db_bind_text(st, 6, c->first_name);
	db_bind_text(st, 7, c->last_name);
	db_bind_text(st, 8, c->email);
	db_bind_text(st, 9, c->phone);
	db_bind_text(st, 10, c->start_date);
	db_bind_text(st, 11, c->message ? c->message : "");
	return db_run(st);
}

int
offers_contact_store_purge_beneficiary(struct db *db, const char *beneficiary_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM offer_immersion_contact "
					    "WHERE beneficiary_id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	return db_run(st);
}
