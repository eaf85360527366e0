/* offers_app_contact_store.c — the SQL of "Contacter l'entreprise" (offers_app_contact.h). */
#include "offers/offers_app_contact.h"

#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"

int64_t
offers_contact_store_last(struct db *db, const char *beneficiary_id, const char *siret,
			  const char *appellation_code)
{
	/* A request the provider refused or never took (ECHEC) did not reach the company: it
	 * does not hold the young person back. */
	struct db_stmt *st = db_prepare(db, "SELECT MAX(at) FROM offer_immersion_contact "
					    "WHERE beneficiary_id = $1 AND siret = $2 AND appellation_code = $3 "
					    "AND delivery <> 'ECHEC'");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, beneficiary_id);
	db_bind_text(st, 2, siret);
	db_bind_text(st, 3, appellation_code);
	return db_run_int(st);
}

int
offers_contact_store_add_as(struct db *db, const char *beneficiary_id, const char *siret,
			    const char *appellation_code, const struct offers_contact *c,
			    const char *delivery, int64_t now, char *id)
{
	id_uuid7(now, id);
	struct db_stmt *st = db_prepare(db, "INSERT INTO offer_immersion_contact(id, beneficiary_id, "
					    "siret, appellation_code, at, first_name, last_name, email, phone, "
					    "start_date, message, delivery) VALUES ($1, $2, $3, $4, $5, $6, $7, "
					    "$8, $9, $10, $11, $12)");
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
	db_bind_text(st, 12, delivery);
	return db_run(st);
}

int
offers_contact_store_get(struct db *db, struct arena *a, const char *id,
			 struct offers_contact_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, beneficiary_id, siret, appellation_code, "
					    "delivery, first_name, last_name, email, phone, start_date, message "
					    "FROM offer_immersion_contact WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*out = (struct offers_contact_row){
			.id = db_col_dup(st, a, 0), .beneficiary_id = db_col_dup(st, a, 1),
			.siret = db_col_dup(st, a, 2), .appellation_code = db_col_dup(st, a, 3),
			.delivery = db_col_dup(st, a, 4),
			.c = {.first_name = db_col_dup(st, a, 5), .last_name = db_col_dup(st, a, 6),
			      .email = db_col_dup(st, a, 7), .phone = db_col_dup(st, a, 8),
			      .start_date = db_col_dup(st, a, 9), .message = db_col_dup(st, a, 10)},
		};
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

int
offers_contact_store_delivered(struct db *db, const char *id, const char *delivery, int64_t at,
			       const char *error)
{
	struct db_stmt *st = db_prepare(db, "UPDATE offer_immersion_contact SET delivery = $2, "
					    "delivered_at = $3, delivery_error = $4 "
					    "WHERE id = $1 AND delivery = 'EN_ATTENTE'");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, delivery);
	db_bind_int64(st, 3, at);
	if (error)
		db_bind_text(st, 4, error);
	else
		db_bind_null(st, 4);
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
