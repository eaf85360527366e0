/* sim_store.c — all the simulator's SQL (DESIGN §3: SQL lives in *_store.c only). */
#include "sim/sim_store.h"

#include "sim/sim_agenda_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "db/db.h"

#include <glib.h>
#include <string.h>

static void
bind_bool(struct db_stmt *st, int idx, bool v)
{
	db_bind_int64(st, idx, v ? 1 : 0);
}

/* Moves the @n items of @arr (GArray of @size-byte items) into @a and frees @arr. */
static void *
array_to_arena(struct arena *a, GArray *arr, size_t size, int *n)
{
	void *items = arena_alloc(a, size * (arr->len ? arr->len : 1));

	if (arr->len)
		memcpy(items, arr->data, size * arr->len);
	*n = (int)arr->len;
	g_array_free(arr, TRUE);
	return items;
}

int
sim_store_clear(struct db *db)
{
	/* Children first: foreign keys are on. */
	return db_exec(db, "DELETE FROM snp_situation; DELETE FROM situation; DELETE FROM dossier; "
			   "DELETE FROM counselor_structure; DELETE FROM counselor; "
			   "DELETE FROM agency; DELETE FROM structure; DELETE FROM fault; "
			   "DELETE FROM request_log; DELETE FROM sim_meta;");
}

int
sim_store_set_meta(struct db *db, const char *key, const char *value)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO sim_meta(key, value) VALUES ($1, $2) "
					    "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	return db_run(st);
}

int
sim_store_get_meta(struct db *db, struct arena *a, const char *key, const char **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT value FROM sim_meta WHERE key = $1");
	int rc = 0;

	*out = NULL;
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, key);
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_col_dup(st, a, 0);
	db_finish(st);
	return rc < 0 ? rc : 0;
}

int
sim_store_add_structure(struct db *db, const struct sim_structure *s)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO structure(code, nom_officiel, nom_usuel, "
					    "timezone) VALUES ($1, $2, $3, $4)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, s->code);
	db_bind_text(st, 2, s->nom_officiel);
	db_bind_text(st, 3, s->nom_usuel);
	db_bind_text(st, 4, s->timezone);
	return db_run(st);
}

int
sim_store_add_agency(struct db *db, const char *structure_code, const char *name)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO agency(structure_code, name) VALUES ($1, $2)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, structure_code);
	db_bind_text(st, 2, name);
	return db_run(st);
}

int
sim_store_add_counselor(struct db *db, const struct sim_counselor *c, const char *password_hash)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO counselor(sub, login, password_hash, "
					    "first_name, last_name, email, supervisor) "
					    "VALUES ($1, $2, $3, $4, $5, $6, $7)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, c->sub);
	db_bind_text(st, 2, c->login);
	db_bind_text(st, 3, password_hash);
	db_bind_text(st, 4, c->first_name);
	db_bind_text(st, 5, c->last_name);
	db_bind_text(st, 6, c->email);
	bind_bool(st, 7, c->supervisor);
	return db_run(st);
}

int
sim_store_add_counselor_structure(struct db *db, const char *sub, const char *structure_code,
				  bool principale)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO counselor_structure(sub, structure_code, "
					    "principale) VALUES ($1, $2, $3)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, sub);
	db_bind_text(st, 2, structure_code);
	bind_bool(st, 3, principale);
	return db_run(st);
}

static int
add_situations(struct db *db, int64_t dossier_id, const struct sim_situation *s, int n)
{
	int rc = 0;

	for (int i = 0; !rc && i < n; i++) {
		struct db_stmt *st = db_prepare(db, "INSERT INTO situation(dossier_id, position, etat, "
						    "categorie, date_fin, rome_prepare, rome_premier, "
						    "rome_exerce) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
		if (!st)
			return -ERR_DB;
		db_bind_int64(st, 1, dossier_id);
		db_bind_int64(st, 2, i);
		db_bind_text(st, 3, s[i].etat);
		db_bind_text(st, 4, s[i].categorie);
		db_bind_text(st, 5, s[i].date_fin);
		db_bind_text(st, 6, s[i].rome_prepare);
		db_bind_text(st, 7, s[i].rome_premier);
		db_bind_text(st, 8, s[i].rome_exerce);
		rc = db_run(st);
	}
	return rc;
}

int
sim_store_add_dossier(struct db *db, const struct sim_dossier *d)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO dossier(id, id_jeune, numero_de, adresse_numero, adresse_voie, "
		    "adresse_complement, code_postal, commune, nom_naissance, nom_usage, prenom, "
		    "date_naissance, mail, structure_code, cej, date_debut, date_fin_prevue, "
		    "date_fin_reelle, premier_accompagnement, justified, other_ml, account_id) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
		    "$17, $18, $19, $20, $21, $22)");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, d->id);
	db_bind_text(st, 2, d->id_jeune);
	db_bind_text(st, 3, d->numero_de);
	db_bind_text(st, 4, d->adresse_numero);
	db_bind_text(st, 5, d->adresse_voie);
	db_bind_text(st, 6, d->adresse_complement);
	db_bind_text(st, 7, d->code_postal);
	db_bind_text(st, 8, d->commune);
	db_bind_text(st, 9, d->nom_naissance);
	db_bind_text(st, 10, d->nom_usage);
	db_bind_text(st, 11, d->prenom);
	db_bind_text(st, 12, d->date_naissance);
	db_bind_text(st, 13, d->mail);
	db_bind_text(st, 14, d->structure_code);
	bind_bool(st, 15, d->cej);
	db_bind_text(st, 16, d->date_debut);
	db_bind_text(st, 17, d->date_fin_prevue);
	db_bind_text(st, 18, d->date_fin_reelle);
	db_bind_text(st, 19, d->premier_accompagnement);
	bind_bool(st, 20, d->justified);
	bind_bool(st, 21, d->other_ml);
	db_bind_text(st, 22, d->account_id);
	rc = db_run(st);
	if (!rc)
		rc = add_situations(db, d->id, d->situations, d->n_situations);
	return rc;
}

static int
get_situations(struct db *db, struct arena *a, struct sim_dossier *d)
{
	struct db_stmt *st = db_prepare(db, "SELECT etat, categorie, date_fin, rome_prepare, "
					    "rome_premier, rome_exerce FROM situation "
					    "WHERE dossier_id = $1 ORDER BY position");
	GArray *arr = g_array_new(FALSE, TRUE, sizeof(struct sim_situation));
	int rc;

	if (!st) {
		g_array_free(arr, TRUE);
		return -ERR_DB;
	}
	db_bind_int64(st, 1, d->id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct sim_situation s = {
			.etat = db_col_dup(st, a, 0),
			.categorie = db_col_dup(st, a, 1),
			.date_fin = db_col_dup(st, a, 2),
			.rome_prepare = db_col_dup(st, a, 3),
			.rome_premier = db_col_dup(st, a, 4),
			.rome_exerce = db_col_dup(st, a, 5),
		};
		g_array_append_val(arr, s);
	}
	db_finish(st);
	d->situations = array_to_arena(a, arr, sizeof(struct sim_situation), &d->n_situations);
	return rc < 0 ? rc : 0;
}

static void
read_dossier(struct db_stmt *st, struct arena *a, struct sim_dossier *d)
{
	d->id = db_col_int64(st, 0);
	d->id_jeune = db_col_dup(st, a, 1);
	d->numero_de = db_col_dup(st, a, 2);
	d->adresse_numero = db_col_dup(st, a, 3);
	d->adresse_voie = db_col_dup(st, a, 4);
	d->adresse_complement = db_col_dup(st, a, 5);
	d->code_postal = db_col_dup(st, a, 6);
	d->commune = db_col_dup(st, a, 7);
	d->nom_naissance = db_col_dup(st, a, 8);
	d->nom_usage = db_col_dup(st, a, 9);
	d->prenom = db_col_dup(st, a, 10);
	d->date_naissance = db_col_dup(st, a, 11);
	d->mail = db_col_dup(st, a, 12);
	d->structure_code = db_col_dup(st, a, 13);
	d->cej = db_col_int64(st, 14) != 0;
	d->date_debut = db_col_dup(st, a, 15);
	d->date_fin_prevue = db_col_dup(st, a, 16);
	d->date_fin_reelle = db_col_dup(st, a, 17);
	d->premier_accompagnement = db_col_dup(st, a, 18);
	d->justified = db_col_int64(st, 19) != 0;
	d->other_ml = db_col_int64(st, 20) != 0;
	d->account_id = db_col_dup(st, a, 21);
	d->structure_nom_officiel = db_col_dup(st, a, 22);
	d->structure_nom_usuel = db_col_dup(st, a, 23);
}

int
sim_store_get_dossier(struct db *db, struct arena *a, int64_t id, struct sim_dossier *out)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT d.id, d.id_jeune, d.numero_de, d.adresse_numero, d.adresse_voie, "
		    "d.adresse_complement, d.code_postal, d.commune, d.nom_naissance, d.nom_usage, "
		    "d.prenom, d.date_naissance, d.mail, d.structure_code, d.cej, d.date_debut, "
		    "d.date_fin_prevue, d.date_fin_reelle, d.premier_accompagnement, d.justified, "
		    "d.other_ml, d.account_id, s.nom_officiel, s.nom_usuel "
		    "FROM dossier d JOIN structure s ON s.code = d.structure_code WHERE d.id = $1");
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_dossier(st, a, out);
	db_finish(st);
	if (rc == DB_DONE)
		return -ERR_NOTFOUND;
	if (rc < 0)
		return rc;
	return get_situations(db, a, out);
}

int
sim_store_attach_account(struct db *db, int64_t id, const char *account_id, int64_t now_ms)
{
	/* One statement checks and sets, so two concurrent D2 never attach two accounts. */
	struct db_stmt *st = db_prepare(db, "UPDATE dossier SET account_id = $2, attached_at = $3 "
					    "WHERE id = $1 AND account_id IS NULL");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, account_id);
	db_bind_int64(st, 3, now_ms);
	rc = db_run(st);
	if (!rc && db_changes(db) == 0)
		rc = -ERR_CONFLICT;
	return rc;
}

static int
structure_exists(struct db *db, const char *code)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM structure WHERE code = $1");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, code);
	rc = db_step(st);
	db_finish(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW ? 0 : -ERR_INVAL;
}

static int
patch_columns(struct db *db, int64_t id, const struct sim_dossier_patch *p)
{
	/* One statement for every combination: each column keeps its value unless its flag
	 * is set. */
	struct db_stmt *st = db_prepare(
		db, "UPDATE dossier SET "
		    "mail = CASE WHEN $2 THEN $3 ELSE mail END, "
		    "nom_usage = CASE WHEN $4 THEN $5 ELSE nom_usage END, "
		    "justified = CASE WHEN $6 THEN $7 ELSE justified END, "
		    "other_ml = CASE WHEN $8 THEN $9 ELSE other_ml END, "
		    "account_id = CASE WHEN $10 THEN $11 ELSE account_id END, "
		    "attached_at = CASE WHEN $10 THEN NULL ELSE attached_at END, "
		    "structure_code = CASE WHEN $12 THEN $13 ELSE structure_code END, "
		    "date_fin_prevue = CASE WHEN $14 THEN $15 ELSE date_fin_prevue END "
		    "WHERE id = $1");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, id);
	bind_bool(st, 2, p->set_mail);
	db_bind_text(st, 3, p->mail);
	bind_bool(st, 4, p->set_nom_usage);
	db_bind_text(st, 5, p->nom_usage);
	bind_bool(st, 6, p->set_justified);
	bind_bool(st, 7, p->justified);
	bind_bool(st, 8, p->set_other_ml);
	bind_bool(st, 9, p->other_ml);
	bind_bool(st, 10, p->set_account_id);
	db_bind_text(st, 11, p->account_id);
	bind_bool(st, 12, p->set_structure);
	db_bind_text(st, 13, p->structure_code);
	bind_bool(st, 14, p->set_date_fin_prevue);
	db_bind_text(st, 15, p->date_fin_prevue);
	rc = db_run(st);
	if (!rc && db_changes(db) == 0)
		rc = -ERR_NOTFOUND;
	return rc;
}

static int
replace_situations(struct db *db, int64_t id, const struct sim_dossier_patch *p)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM situation WHERE dossier_id = $1");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, id);
	rc = db_run(st);
	if (!rc)
		rc = add_situations(db, id, p->situations, p->n_situations);
	return rc;
}

int
sim_store_patch_dossier(struct db *db, int64_t id, const struct sim_dossier_patch *p,
			int64_t now_ms)
{
	int rc = db_tx_begin(db);

	if (rc)
		goto out;
	if (p->set_structure)
		rc = structure_exists(db, p->structure_code);
	if (!rc)
		rc = patch_columns(db, id, p);
	if (!rc && p->set_situations)
		rc = replace_situations(db, id, p);
	/* A desk change of a dossier is a DOSSIER UPDATE of the feed (spec/imilo.md §3.5). */
	if (!rc)
		rc = sim_store_event_add(db, id, "DOSSIER", "UPDATE", -1, now_ms);
	if (!rc)
		rc = db_tx_commit(db);
out:
	if (rc)
		db_tx_rollback(db);
	return rc;
}

int
sim_store_counselor_exists(struct db *db, const char *login, bool *exists)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM counselor WHERE login = $1");
	int64_t n;

	*exists = false;
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, login);
	n = db_run_int(st);
	if (n < 0)
		return (int)n;
	*exists = n > 0;
	return 0;
}

int
sim_store_snp_add(struct db *db, const struct sim_snp *s)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO snp_situation(id, dossier_id, date_debut, date_fin_reelle, "
		    "commentaire, mesure, login_conseiller, received_at) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, s->id);
	db_bind_int64(st, 2, s->dossier_id);
	db_bind_text(st, 3, s->date_debut);
	db_bind_text(st, 4, s->date_fin_reelle);
	db_bind_text(st, 5, s->commentaire);
	db_bind_text(st, 6, s->mesure);
	db_bind_text(st, 7, s->login_conseiller);
	db_bind_int64(st, 8, s->received_at);
	return db_run(st);
}

int
sim_store_snp_list(struct db *db, struct arena *a, int64_t dossier_id, struct sim_snp **out,
		   int *n)
{
	/* rowid: the order of insertion, even for two situations received in the same ms. */
	struct db_stmt *st = db_prepare(db, "SELECT id, dossier_id, date_debut, date_fin_reelle, "
					    "commentaire, mesure, login_conseiller, received_at "
					    "FROM snp_situation WHERE dossier_id = $1 ORDER BY rowid");
	GArray *arr = g_array_new(FALSE, TRUE, sizeof(struct sim_snp));
	int rc;

	if (!st) {
		g_array_free(arr, TRUE);
		return -ERR_DB;
	}
	db_bind_int64(st, 1, dossier_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct sim_snp s = {
			.id = db_col_dup(st, a, 0),
			.dossier_id = db_col_int64(st, 1),
			.date_debut = db_col_dup(st, a, 2),
			.date_fin_reelle = db_col_dup(st, a, 3),
			.commentaire = db_col_dup(st, a, 4),
			.mesure = db_col_dup(st, a, 5),
			.login_conseiller = db_col_dup(st, a, 6),
			.received_at = db_col_int64(st, 7),
		};
		g_array_append_val(arr, s);
	}
	db_finish(st);
	*out = array_to_arena(a, arr, sizeof(struct sim_snp), n);
	return rc < 0 ? rc : 0;
}

int
sim_store_fault_add(struct db *db, const struct sim_fault *f)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO fault(id, method, path_glob, latency_ms, status, body, body_is_json, "
		    "timeout, probability_ppm, remaining, created_at) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, f->id);
	db_bind_text(st, 2, f->method);
	db_bind_text(st, 3, f->path_glob);
	db_bind_int64(st, 4, f->latency_ms);
	if (f->status)
		db_bind_int64(st, 5, f->status);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, f->body);
	bind_bool(st, 7, f->body_is_json);
	bind_bool(st, 8, f->timeout);
	db_bind_int64(st, 9, f->probability_ppm);
	if (f->remaining >= 0)
		db_bind_int64(st, 10, f->remaining);
	else
		db_bind_null(st, 10);
	db_bind_int64(st, 11, f->created_at);
	return db_run(st);
}

int
sim_store_fault_list(struct db *db, struct arena *a, struct sim_fault **out, int *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, method, path_glob, latency_ms, status, body, "
					    "body_is_json, timeout, probability_ppm, remaining, hits, "
					    "created_at FROM fault ORDER BY created_at, id");
	GArray *arr = g_array_new(FALSE, TRUE, sizeof(struct sim_fault));
	int rc;

	if (!st) {
		g_array_free(arr, TRUE);
		return -ERR_DB;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		struct sim_fault f = {
			.id = db_col_dup(st, a, 0),
			.method = db_col_dup(st, a, 1),
			.path_glob = db_col_dup(st, a, 2),
			.latency_ms = (int)db_col_int64(st, 3),
			.status = db_col_is_null(st, 4) ? 0 : (int)db_col_int64(st, 4),
			.body = db_col_dup(st, a, 5),
			.body_is_json = db_col_int64(st, 6) != 0,
			.timeout = db_col_int64(st, 7) != 0,
			.probability_ppm = (int)db_col_int64(st, 8),
			.remaining = db_col_is_null(st, 9) ? -1 : db_col_int64(st, 9),
			.hits = db_col_int64(st, 10),
			.created_at = db_col_int64(st, 11),
		};
		g_array_append_val(arr, f);
	}
	db_finish(st);
	*out = array_to_arena(a, arr, sizeof(struct sim_fault), n);
	return rc < 0 ? rc : 0;
}

int
sim_store_fault_delete(struct db *db, const char *id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM fault WHERE id = $1");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	rc = db_run(st);
	if (!rc && db_changes(db) == 0)
		rc = -ERR_NOTFOUND;
	return rc;
}

int
sim_store_fault_delete_all(struct db *db)
{
	return db_exec(db, "DELETE FROM fault");
}

int
sim_store_fault_take(struct db *db, const char *id, bool *taken)
{
	struct db_stmt *st = db_prepare(db, "UPDATE fault SET hits = hits + 1, "
					    "remaining = remaining - 1 "
					    "WHERE id = $1 AND (remaining IS NULL OR remaining > 0)");
	int rc;

	*taken = false;
	if (!st)
		return -ERR_DB;
	db_bind_text(st, 1, id);
	rc = db_run(st);
	if (!rc)
		*taken = db_changes(db) == 1;
	return rc;
}

int
sim_store_journal_add(struct db *db, const struct sim_journal_entry *e, int keep)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO request_log(at, method, path, query, "
					    "headers, body, status, fault_id) "
					    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
	int rc;

	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, e->at);
	db_bind_text(st, 2, e->method);
	db_bind_text(st, 3, e->path);
	db_bind_text(st, 4, e->query);
	db_bind_text(st, 5, e->headers_json);
	db_bind_text(st, 6, e->body);
	db_bind_int64(st, 7, e->status);
	db_bind_text(st, 8, e->fault_id);
	rc = db_run(st);
	if (rc)
		return rc;
	st = db_prepare(db, "DELETE FROM request_log WHERE seq <= last_insert_rowid() - $1");
	if (!st)
		return -ERR_DB;
	db_bind_int64(st, 1, keep);
	return db_run(st);
}

int
sim_store_journal_list(struct db *db, struct arena *a, int64_t after_seq, int64_t since_ms,
		       struct sim_journal_entry **out, int *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT seq, at, method, path, query, headers, body, "
					    "status, fault_id FROM request_log "
					    "WHERE seq > $1 AND at >= $2 ORDER BY seq");
	GArray *arr = g_array_new(FALSE, TRUE, sizeof(struct sim_journal_entry));
	int rc;

	if (!st) {
		g_array_free(arr, TRUE);
		return -ERR_DB;
	}
	db_bind_int64(st, 1, after_seq);
	db_bind_int64(st, 2, since_ms);
	while ((rc = db_step(st)) == DB_ROW) {
		struct sim_journal_entry e = {
			.seq = db_col_int64(st, 0),
			.at = db_col_int64(st, 1),
			.method = db_col_dup(st, a, 2),
			.path = db_col_dup(st, a, 3),
			.query = db_col_dup(st, a, 4),
			.headers_json = db_col_dup(st, a, 5),
			.body = db_col_dup(st, a, 6),
			.status = (int)db_col_int64(st, 7),
			.fault_id = db_col_dup(st, a, 8),
		};
		g_array_append_val(arr, e);
	}
	db_finish(st);
	*out = array_to_arena(a, arr, sizeof(struct sim_journal_entry), n);
	return rc < 0 ? rc : 0;
}

int
sim_store_counts(struct db *db, struct sim_counts *out)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT (SELECT count(*) FROM structure), (SELECT count(*) FROM counselor), "
		    "(SELECT count(*) FROM dossier), "
		    "(SELECT count(*) FROM dossier WHERE account_id IS NOT NULL), "
		    "(SELECT count(*) FROM fault), (SELECT count(*) FROM request_log), "
		    "coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'request_log'), 0), "
		    "(SELECT count(*) FROM session), (SELECT count(*) FROM instance), "
		    "(SELECT count(*) FROM rdv), (SELECT count(*) FROM event), "
		    "(SELECT count(*) FROM event WHERE acked_at IS NULL)");
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -ERR_DB;
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->structures = db_col_int64(st, 0);
		out->counselors = db_col_int64(st, 1);
		out->dossiers = db_col_int64(st, 2);
		out->attached = db_col_int64(st, 3);
		out->faults = db_col_int64(st, 4);
		out->requests = db_col_int64(st, 5);
		out->last_seq = db_col_int64(st, 6);
		out->sessions = db_col_int64(st, 7);
		out->instances = db_col_int64(st, 8);
		out->rdv = db_col_int64(st, 9);
		out->events = db_col_int64(st, 10);
		out->events_unacked = db_col_int64(st, 11);
	}
	db_finish(st);
	return rc < 0 ? rc : 0;
}
