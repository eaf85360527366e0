/* offers_store.c — the SQL of the offer catalogue (offers_store.h). */
#include "offers/offers_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"
#include "geo/geo_store.h"
#include "offers/offers_text.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* db.h binds no floating point: coordinates go as text, which both engines convert to the
 * REAL / double precision column (17 significant digits: the double comes back equal). */
static void
bind_coord(struct db_stmt *st, int idx, bool has, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	db_bind_text(st, idx, has ? g_ascii_dtostr(buf, sizeof(buf), v) : NULL);
}

static double
col_coord(struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);
	return s ? g_ascii_strtod(s, NULL) : 0;
}

/* An optional instant: 0 ("not given") is stored as NULL. */
static void
bind_instant(struct db_stmt *st, int idx, int64_t v)
{
	if (v)
		db_bind_int64(st, idx, v);
	else
		db_bind_null(st, idx);
}

static void
bind_count(struct db_stmt *st, int idx, int64_t v)
{
	if (v >= 0)
		db_bind_int64(st, idx, v);
	else
		db_bind_null(st, idx);
}

/* Who owns public id @id: 1 when (@provider, @provider_id) does, 0 when nobody, -1 when
 * another record, or -ERR_DB. */
static int
owner(struct db *db, const char *table_sql, const char *id, const char *provider,
      const char *provider_id)
{
	struct db_stmt *st = db_prepare(db, table_sql);
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		rc = !strcmp(db_col_text(st, 0), provider) && !strcmp(db_col_text(st, 1), provider_id)
			? 1 : -1;
	else if (rc == DB_DONE)
		rc = 0;
	db_finish(st);
	return rc;
}

/* The columns of offer in the order the upsert binds them ($1…$52) and the read returns
 * them (0…51, then first_seen_at and last_seen_at). */
#define OFFER_COLUMNS \
	"id, provider, provider_id, type, title, description, company, company_description, " \
	"company_url, adapted_company, disability_friendly, rome_code, rome_label, " \
	"appellation_label, contract_code, contract_label, nature_code, work_time, " \
	"work_time_label, experience_code, experience_label, salary_label, skills, " \
	"soft_skills, education, languages, licences, commune_insee, postal_code, place_label, " \
	"address, dept_code, lat, lon, domain, start_date, end_date, siret, naf_label, " \
	"contact_mode, voluntary, apply_url, origin_name, origin_logo, provider_created_at, " \
	"provider_updated_at, active, raw"
#define OFFER_N 48

static void
bind_offer(struct db_stmt *st, const struct offer *o)
{
	const char *texts1[] = {o->id, o->provider, o->provider_id, offer_type_code(o->type),
		o->title, o->description, o->company, o->company_description, o->company_url};
	for (int i = 0; i < 9; i++)
		db_bind_text(st, i + 1, texts1[i]);
	db_bind_int64(st, 10, o->adapted_company);
	db_bind_int64(st, 11, o->disability_friendly);
	const char *texts2[] = {o->rome_code, o->rome_label, o->appellation_label,
		o->contract_code, o->contract_label, o->nature_code, o->work_time,
		o->work_time_label, o->experience_code, o->experience_label, o->salary_label,
		o->skills ? o->skills : "[]", o->soft_skills ? o->soft_skills : "[]",
		o->education ? o->education : "[]", o->languages ? o->languages : "[]",
		o->licences ? o->licences : "[]", o->commune_insee, o->postal_code,
		o->place_label, o->address, o->dept_code};
	for (int i = 0; i < 21; i++)
		db_bind_text(st, i + 12, texts2[i]);
	bind_coord(st, 33, o->has_position, o->lat);
	bind_coord(st, 34, o->has_position, o->lon);
	db_bind_text(st, 35, o->domain);
	bind_instant(st, 36, o->start_date);
	bind_instant(st, 37, o->end_date);
	db_bind_text(st, 38, o->siret);
	db_bind_text(st, 39, o->naf_label);
	db_bind_text(st, 40, o->contact_mode);
	db_bind_int64(st, 41, o->voluntary);
	db_bind_text(st, 42, o->apply_url);
	db_bind_text(st, 43, o->origin_name);
	db_bind_text(st, 44, o->origin_logo);
	bind_instant(st, 45, o->provider_created_at);
	bind_instant(st, 46, o->provider_updated_at);
	db_bind_int64(st, 47, o->active);
	db_bind_text(st, 48, o->raw ? o->raw : "{}");
}

/* ---- The index of stems (migration 0036) ---------------------------------------------- */

/* Adds to @tf (term → weighted count) the terms of @text, each counted @w times. ROME codes
 * are left out: a ROME code in a query filters offer.rome_code, never the text. */
static void
add_field(struct offers_text *t, GHashTable *tf, GPtrArray *terms, const char *text, int w)
{
	if (!text)
		return;
	g_ptr_array_set_size(terms, 0);
	offers_text_terms(t, text, terms);
	for (guint i = 0; i < terms->len; i++) {
		const struct offers_term *x = terms->pdata[i];
		if (x->rome || strlen(x->text) > OFFERS_TERM_MAX)
			continue;
		gpointer old = g_hash_table_lookup(tf, x->text);
		if (old)
			g_hash_table_replace(tf, g_strdup(x->text), GINT_TO_POINTER(GPOINTER_TO_INT(old) + w));
		else
			g_hash_table_insert(tf, g_strdup(x->text), GINT_TO_POINTER(w));
	}
}

/* The postings of @o as the JSON array [[term, weight], …] the insert unpacks (one
 * statement per offer on either engine: one row per term would be ~50 round trips per
 * offer on PostgreSQL), and its weighted length in *@len. g_free. */
static char *
postings(struct offers_text *t, const struct offer *o, int64_t *len)
{
	GHashTable *tf = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GPtrArray *terms = offers_terms_new();
	add_field(t, tf, terms, o->title, 4);
	add_field(t, tf, terms, o->appellation_label, 3);
	add_field(t, tf, terms, o->rome_label, 3);
	add_field(t, tf, terms, o->company, 1);
	add_field(t, tf, terms, o->description, 1);
	g_ptr_array_unref(terms);
	json_t *arr = json_array();
	GHashTableIter it;
	gpointer k, v;
	*len = 0;
	g_hash_table_iter_init(&it, tf);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		json_array_append_new(arr, json_pack("[si]", (const char *)k, GPOINTER_TO_INT(v)));
		*len += GPOINTER_TO_INT(v);
	}
	g_hash_table_destroy(tf);
	char *dumped = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	char *out = g_strdup(dumped);
	free(dumped);
	return out;
}

/* Where the search places @o: its position, else its commune's centre (the communes
 * referential, when imported), else nowhere (false). */
static bool
search_position(struct db *db, const struct offer *o, double *lat, double *lon)
{
	if (o->has_position) {
		*lat = o->lat;
		*lon = o->lon;
		return true;
	}
	if (!o->commune_insee)
		return false;
	struct arena *a = arena_new();
	struct geo_commune c;
	bool found = geo_commune_get(db, a, o->commune_insee, &c) == 0 && c.has_centre;
	*lat = c.lat;
	*lon = c.lon;
	arena_free(a);
	return found;
}

/* Replaces the postings of offer @o by those of @json (postings()), its old weighted
 * length being @old_len (-1: it was not indexed), and moves the collection's statistics. */
static int
index_offer(struct db *db, const struct offer *o, const char *json, int64_t old_len, int64_t len)
{
	const char *id = o->id;
	double lat = 0, lon = 0;
	bool placed = search_position(db, o, &lat, &lon);
	int rc = 0;
	if (old_len >= 0) {
		struct db_stmt *del = db_prepare(db, "DELETE FROM offer_term WHERE offer_id = $1");
		if (!del)
			return -ERR_DB;
		db_bind_text(del, 1, id);
		if ((rc = db_run(del)))
			return rc;
	}
	/* The one statement that differs per engine: unpacking a JSON array into rows. */
	struct db_stmt *ins = db_prepare(db, db_engine(db) == DB_POSTGRES
		? "INSERT INTO offer_term(term, offer_id, weight, lat, lon, commune_insee, dept_code) "
		  "SELECT e->>0, $1, (e->>1)::bigint, CAST($3 AS DOUBLE PRECISION), "
		  "CAST($4 AS DOUBLE PRECISION), CAST($5 AS TEXT), CAST($6 AS TEXT) "
		  "FROM json_array_elements($2::json) e"
		: "INSERT INTO offer_term(term, offer_id, weight, lat, lon, commune_insee, dept_code) "
		  "SELECT json_extract(value, '$[0]'), $1, json_extract(value, '$[1]'), "
		  "CAST($3 AS DOUBLE PRECISION), CAST($4 AS DOUBLE PRECISION), CAST($5 AS TEXT), "
		  "CAST($6 AS TEXT) FROM json_each($2)");
	if (!ins)
		return -ERR_DB;
	db_bind_text(ins, 1, id);
	db_bind_text(ins, 2, json);
	bind_coord(ins, 3, placed, lat);
	bind_coord(ins, 4, placed, lon);
	db_bind_text(ins, 5, o->commune_insee);
	db_bind_text(ins, 6, o->dept_code);
	if ((rc = db_run(ins)))
		return rc;
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO offer_search_stat(id, docs, total_len, version) VALUES (1, $1, $2, 1) "
		"ON CONFLICT (id) DO UPDATE SET docs = offer_search_stat.docs + excluded.docs, "
		"total_len = offer_search_stat.total_len + excluded.total_len, "
		"version = offer_search_stat.version + 1");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, old_len >= 0 ? 0 : 1);
	db_bind_int64(st, 2, len - (old_len >= 0 ? old_len : 0));
	return db_run(st);
}

/* Like owner() for offer, also reading the offer's weighted length into *@old_len (-1 when
 * it is new or not indexed yet). */
static int
offer_owner(struct db *db, const struct offer *o, int64_t *old_len)
{
	*old_len = -1;
	struct db_stmt *st = db_prepare(db, "SELECT provider, provider_id, term_len FROM offer "
					    "WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, o->id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		rc = !strcmp(db_col_text(st, 0), o->provider) && !strcmp(db_col_text(st, 1), o->provider_id)
			? 1 : -1;
		if (!db_col_is_null(st, 2))
			*old_len = db_col_int64(st, 2);
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_finish(st);
	return rc;
}

int
offers_store_upsert(struct db *db, struct offers_text *t, const struct offer *o, int64_t now)
{
	int64_t old_len, len;
	int known = offer_owner(db, o, &old_len);
	if (known < -1)
		return known;
	if (known == -1)
		return -ERR_CONFLICT;
	/* Every content column follows the provider; first_seen_at stays the first sight's
	 * (the alerts' "entered the catalogue since"). */
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO offer(" OFFER_COLUMNS ", first_seen_at, last_seen_at, term_len) VALUES ("
		"$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
		"$19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, "
		"$35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45, $46, $47, $48, $49, $49, $50) "
		"ON CONFLICT (provider, provider_id) DO UPDATE SET "
		"type = excluded.type, title = excluded.title, description = excluded.description, "
		"company = excluded.company, company_description = excluded.company_description, "
		"company_url = excluded.company_url, adapted_company = excluded.adapted_company, "
		"disability_friendly = excluded.disability_friendly, rome_code = excluded.rome_code, "
		"rome_label = excluded.rome_label, appellation_label = excluded.appellation_label, "
		"contract_code = excluded.contract_code, contract_label = excluded.contract_label, "
		"nature_code = excluded.nature_code, work_time = excluded.work_time, "
		"work_time_label = excluded.work_time_label, experience_code = excluded.experience_code, "
		"experience_label = excluded.experience_label, salary_label = excluded.salary_label, "
		"skills = excluded.skills, soft_skills = excluded.soft_skills, "
		"education = excluded.education, languages = excluded.languages, "
		"licences = excluded.licences, commune_insee = excluded.commune_insee, "
		"postal_code = excluded.postal_code, place_label = excluded.place_label, "
		"address = excluded.address, dept_code = excluded.dept_code, lat = excluded.lat, "
		"lon = excluded.lon, domain = excluded.domain, start_date = excluded.start_date, "
		"end_date = excluded.end_date, siret = excluded.siret, naf_label = excluded.naf_label, "
		"contact_mode = excluded.contact_mode, voluntary = excluded.voluntary, "
		"apply_url = excluded.apply_url, origin_name = excluded.origin_name, "
		"origin_logo = excluded.origin_logo, provider_created_at = excluded.provider_created_at, "
		"provider_updated_at = excluded.provider_updated_at, active = excluded.active, "
		"raw = excluded.raw, last_seen_at = excluded.last_seen_at, term_len = excluded.term_len");
	if (!st)
		return -ERR_DB;
	char *json = postings(t, o, &len);
	bind_offer(st, o);
	db_bind_int64(st, OFFER_N + 1, now);
	db_bind_int64(st, OFFER_N + 2, len);
	int rc = db_run(st);
	if (!rc)
		rc = index_offer(db, o, json, known ? old_len : -1, len);
	g_free(json);
	return rc ? rc : !known;
}

static void
read_offer(struct db_stmt *st, struct arena *a, struct offer *o)
{
	memset(o, 0, sizeof(*o));
	const char **t1[] = {&o->id, &o->provider, &o->provider_id};
	for (int i = 0; i < 3; i++)
		*t1[i] = db_col_dup(st, a, i);
	offer_type_parse(db_col_text(st, 3), false, &o->type);
	const char **t2[] = {&o->title, &o->description, &o->company, &o->company_description,
		&o->company_url};
	for (int i = 0; i < 5; i++)
		*t2[i] = db_col_dup(st, a, 4 + i);
	o->adapted_company = db_col_int64(st, 9);
	o->disability_friendly = db_col_int64(st, 10);
	const char **t3[] = {&o->rome_code, &o->rome_label, &o->appellation_label,
		&o->contract_code, &o->contract_label, &o->nature_code, &o->work_time,
		&o->work_time_label, &o->experience_code, &o->experience_label, &o->salary_label,
		&o->skills, &o->soft_skills, &o->education, &o->languages, &o->licences,
		&o->commune_insee, &o->postal_code, &o->place_label, &o->address, &o->dept_code};
	for (int i = 0; i < 21; i++)
		*t3[i] = db_col_dup(st, a, 11 + i);
	o->has_position = !db_col_is_null(st, 32) && !db_col_is_null(st, 33);
	o->lat = col_coord(st, 32);
	o->lon = col_coord(st, 33);
	o->domain = db_col_dup(st, a, 34);
	o->start_date = db_col_int64(st, 35);
	o->end_date = db_col_int64(st, 36);
	o->siret = db_col_dup(st, a, 37);
	o->naf_label = db_col_dup(st, a, 38);
	o->contact_mode = db_col_dup(st, a, 39);
	o->voluntary = db_col_int64(st, 40);
	o->apply_url = db_col_dup(st, a, 41);
	o->origin_name = db_col_dup(st, a, 42);
	o->origin_logo = db_col_dup(st, a, 43);
	o->provider_created_at = db_col_int64(st, 44);
	o->provider_updated_at = db_col_int64(st, 45);
	o->active = db_col_int64(st, 46);
	o->raw = db_col_dup(st, a, 47);
	o->first_seen_at = db_col_int64(st, 48);
	o->last_seen_at = db_col_int64(st, 49);
}

int
offers_store_get(struct db *db, struct arena *a, const char *id, struct offer *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " OFFER_COLUMNS ", first_seen_at, last_seen_at FROM offer WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read_offer(st, a, out);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}

/* ---- Mes Événements Emploi ------------------------------------------------------------- */

#define EVENT_COLUMNS \
	"id, provider, provider_id, title, description, event_date, start_time, end_time, " \
	"timezone, starts_at, ends_at, city, postal_code, commune_insee, lat, lon, type, " \
	"modalities, seats_onsite, seats_remote, registered_onsite, registered_remote, url, " \
	"organiser, rome_codes, active, raw"
#define EVENT_N 27

static void
bind_event(struct db_stmt *st, const struct job_event *e)
{
	const char *t1[] = {e->id, e->provider, e->provider_id, e->title, e->description,
		e->event_date, e->start_time, e->end_time, e->timezone};
	for (int i = 0; i < 9; i++)
		db_bind_text(st, i + 1, t1[i]);
	db_bind_int64(st, 10, e->starts_at);
	bind_instant(st, 11, e->ends_at);
	db_bind_text(st, 12, e->city);
	db_bind_text(st, 13, e->postal_code);
	db_bind_text(st, 14, e->commune_insee);
	bind_coord(st, 15, e->has_position, e->lat);
	bind_coord(st, 16, e->has_position, e->lon);
	db_bind_text(st, 17, e->type);
	db_bind_text(st, 18, e->modalities ? e->modalities : "[]");
	bind_count(st, 19, e->seats_onsite);
	bind_count(st, 20, e->seats_remote);
	bind_count(st, 21, e->registered_onsite);
	bind_count(st, 22, e->registered_remote);
	db_bind_text(st, 23, e->url);
	db_bind_text(st, 24, e->organiser);
	db_bind_text(st, 25, e->rome_codes ? e->rome_codes : "[]");
	db_bind_int64(st, 26, e->active);
	db_bind_text(st, 27, e->raw ? e->raw : "{}");
}

int
offers_store_upsert_event(struct db *db, const struct job_event *e, int64_t now)
{
	int known = owner(db, "SELECT provider, provider_id FROM job_event WHERE id = $1", e->id,
			  e->provider, e->provider_id);
	if (known < -1)
		return known;
	if (known == -1)
		return -ERR_CONFLICT;
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO job_event(" EVENT_COLUMNS ", first_seen_at, last_seen_at) VALUES ("
		"$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
		"$19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $28) "
		"ON CONFLICT (provider, provider_id) DO UPDATE SET "
		"title = excluded.title, description = excluded.description, "
		"event_date = excluded.event_date, start_time = excluded.start_time, "
		"end_time = excluded.end_time, timezone = excluded.timezone, "
		"starts_at = excluded.starts_at, ends_at = excluded.ends_at, city = excluded.city, "
		"postal_code = excluded.postal_code, commune_insee = excluded.commune_insee, "
		"lat = excluded.lat, lon = excluded.lon, type = excluded.type, "
		"modalities = excluded.modalities, seats_onsite = excluded.seats_onsite, "
		"seats_remote = excluded.seats_remote, registered_onsite = excluded.registered_onsite, "
		"registered_remote = excluded.registered_remote, url = excluded.url, "
		"organiser = excluded.organiser, rome_codes = excluded.rome_codes, "
		"active = excluded.active, raw = excluded.raw, last_seen_at = excluded.last_seen_at");
	if (!st)
		return -ERR_DB;
	bind_event(st, e);
	db_bind_int64(st, EVENT_N + 1, now);
	int rc = db_run(st);
	return rc ? rc : !known;
}

/* A count column: -1 for NULL ("not given"). */
static int64_t
col_count(struct db_stmt *st, int col)
{
	return db_col_is_null(st, col) ? -1 : db_col_int64(st, col);
}

static void
read_event(struct db_stmt *st, struct arena *a, struct job_event *e)
{
	memset(e, 0, sizeof(*e));
	const char **t1[] = {&e->id, &e->provider, &e->provider_id, &e->title, &e->description,
		&e->event_date, &e->start_time, &e->end_time, &e->timezone};
	for (int i = 0; i < 9; i++)
		*t1[i] = db_col_dup(st, a, i);
	e->starts_at = db_col_int64(st, 9);
	e->ends_at = db_col_int64(st, 10);
	e->city = db_col_dup(st, a, 11);
	e->postal_code = db_col_dup(st, a, 12);
	e->commune_insee = db_col_dup(st, a, 13);
	e->has_position = !db_col_is_null(st, 14) && !db_col_is_null(st, 15);
	e->lat = col_coord(st, 14);
	e->lon = col_coord(st, 15);
	e->type = db_col_dup(st, a, 16);
	e->modalities = db_col_dup(st, a, 17);
	e->seats_onsite = col_count(st, 18);
	e->seats_remote = col_count(st, 19);
	e->registered_onsite = col_count(st, 20);
	e->registered_remote = col_count(st, 21);
	e->url = db_col_dup(st, a, 22);
	e->organiser = db_col_dup(st, a, 23);
	e->rome_codes = db_col_dup(st, a, 24);
	e->active = db_col_int64(st, 25);
	e->raw = db_col_dup(st, a, 26);
	e->first_seen_at = db_col_int64(st, 27);
	e->last_seen_at = db_col_int64(st, 28);
}

int
offers_store_get_event(struct db *db, struct arena *a, const char *id, struct job_event *out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " EVENT_COLUMNS ", first_seen_at, last_seen_at FROM job_event WHERE id = $1");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read_event(st, a, out);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = -ERR_NOTFOUND;
	}
	db_finish(st);
	return rc;
}
