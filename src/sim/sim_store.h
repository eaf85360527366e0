/* sim_store.h — the only room of the simulator that knows its tables (migrations/).
 *
 * Every function takes the calling thread's connection (db_thread) and returns 0 or a
 * negative enum err. Structs read back live in the arena given; structs passed in are only
 * read during the call. Nothing here decides i-milo's answers: sim_api.c does. */
#ifndef CEJ_SIM_STORE_H
#define CEJ_SIM_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

struct sim_structure {
	const char *code;
	const char *nom_officiel;
	const char *nom_usuel;
	const char *timezone;
};

struct sim_counselor {
	const char *sub;          /* UUID */
	const char *login;        /* prenom.nom */
	const char *first_name;
	const char *last_name;
	const char *email;        /* NULL: none */
	bool supervisor;
};

struct sim_situation {
	const char *etat;         /* EN_COURS | PREVU | TERMINE */
	const char *categorie;
	const char *date_fin;     /* YYYY-MM-DD or NULL */
	const char *rome_prepare, *rome_premier, *rome_exerce; /* NULL when not relevant */
};

struct sim_dossier {
	int64_t id;
	const char *id_jeune;
	const char *numero_de;
	const char *adresse_numero, *adresse_voie, *adresse_complement;
	const char *code_postal, *commune;
	const char *nom_naissance;
	const char *nom_usage;    /* NULL: none */
	const char *prenom;
	const char *date_naissance;
	const char *mail;         /* NULL: none */
	const char *structure_code;
	const char *structure_nom_officiel, *structure_nom_usuel; /* read only (joined) */
	bool cej;                 /* false: PACEA */
	const char *date_debut, *date_fin_prevue, *date_fin_reelle, *premier_accompagnement;
	bool justified;
	bool other_ml;
	const char *account_id;   /* NULL: no application account declared */
	struct sim_situation *situations;
	int n_situations;
};

/* A change asked by PATCH /_admin/dossiers/{id}: only the set_* fields are applied. */
struct sim_dossier_patch {
	bool set_mail, set_nom_usage, set_justified, set_other_ml, set_account_id;
	bool set_structure, set_date_fin_prevue, set_situations;
	const char *mail, *nom_usage, *account_id, *structure_code, *date_fin_prevue;
	bool justified, other_ml;
	const struct sim_situation *situations;
	int n_situations;
};

/* An SNP situation received through D5, as stored (snp_situation). */
struct sim_snp {
	const char *id;           /* UUIDv7 */
	int64_t dossier_id;
	const char *date_debut, *date_fin_reelle; /* YYYY-MM-DD */
	const char *commentaire;
	const char *mesure;
	const char *login_conseiller;
	int64_t received_at;      /* Unix ms */
};

struct sim_fault {
	const char *id;
	const char *method;       /* NULL: any */
	const char *path_glob;
	int latency_ms;
	int status;               /* 0: none */
	const char *body;         /* NULL: empty */
	bool body_is_json;
	bool timeout;
	int probability_ppm;      /* chance of applying, per million */
	int64_t remaining;        /* -1: unlimited */
	int64_t hits;
	int64_t created_at;
};

struct sim_journal_entry {
	int64_t seq;
	int64_t at;               /* Unix ms */
	const char *method, *path, *query; /* query NULL when none */
	const char *headers_json; /* JSON object text, secrets already masked */
	const char *body;         /* NULL when empty */
	int status;
	const char *fault_id;     /* NULL when no fault applied */
};

struct sim_counts {
	int64_t structures, counselors, dossiers, attached, faults, requests, last_seq;
	int64_t sessions, instances, rdv, events, events_unacked;
};

/* Seeding (inside the caller's transaction). */
int sim_store_clear(struct db *db);
int sim_store_set_meta(struct db *db, const char *key, const char *value);
/* *out = the value or NULL (arena-owned). */
int sim_store_get_meta(struct db *db, struct arena *a, const char *key, const char **out);
int sim_store_add_structure(struct db *db, const struct sim_structure *s);
int sim_store_add_agency(struct db *db, const char *structure_code, const char *name);
int sim_store_add_counselor(struct db *db, const struct sim_counselor *c, const char *password_hash);
int sim_store_add_counselor_structure(struct db *db, const char *sub, const char *structure_code,
				      bool principale);
/* Inserts the dossier and its situations (in the given order). */
int sim_store_add_dossier(struct db *db, const struct sim_dossier *d);

/* Dossiers. -ERR_NOTFOUND when @id is unknown. */
int sim_store_get_dossier(struct db *db, struct arena *a, int64_t id, struct sim_dossier *out);
/* Attaches @account_id unless an account is already attached: -ERR_CONFLICT then. */
int sim_store_attach_account(struct db *db, int64_t id, const char *account_id, int64_t now_ms);
/* Applies @p in one transaction, with its DOSSIER UPDATE feed event. -ERR_NOTFOUND for an
 * unknown dossier or structure. */
int sim_store_patch_dossier(struct db *db, int64_t id, const struct sim_dossier_patch *p,
			    int64_t now_ms);

/* Counselors. *exists = whether a counselor has login @login (exact match). */
int sim_store_counselor_exists(struct db *db, const char *login, bool *exists);

/* SNP situations (D5). The dossier must exist (the caller checked it). */
int sim_store_snp_add(struct db *db, const struct sim_snp *s);
/* The situations of dossier @dossier_id, in the order received (newest last). */
int sim_store_snp_list(struct db *db, struct arena *a, int64_t dossier_id, struct sim_snp **out,
		       int *n);

/* Faults, oldest first. */
int sim_store_fault_add(struct db *db, const struct sim_fault *f);
int sim_store_fault_list(struct db *db, struct arena *a, struct sim_fault **out, int *n);
/* -ERR_NOTFOUND when @id is unknown. */
int sim_store_fault_delete(struct db *db, const char *id);
int sim_store_fault_delete_all(struct db *db);
/* Counts one application of fault @id: decrements its remaining count when limited.
 * *taken = false when the count ran out meanwhile (another request used the last one). */
int sim_store_fault_take(struct db *db, const char *id, bool *taken);

/* Journal: appends @e (its seq is assigned) and keeps only the last @keep rows. */
int sim_store_journal_add(struct db *db, const struct sim_journal_entry *e, int keep);
/* Entries with seq > @after_seq and at >= @since_ms, oldest first. */
int sim_store_journal_list(struct db *db, struct arena *a, int64_t after_seq, int64_t since_ms,
			   struct sim_journal_entry **out, int *n);

int sim_store_counts(struct db *db, struct sim_counts *out);

#endif
