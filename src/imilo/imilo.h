/* imilo.h — the i-milo client: the dossiers family of spec/imilo.md §3.1 (D1 dossier
 * lookup, D2 account declaration, D5 SNP situation), over libcurl with the timeouts of §7.
 *
 * Calls block (up to the timeout): call them only from a worker thread (ROUTE_WORKER
 * routes, jobs). Results live in the arena given. Thread-safe: a client's settings are
 * read-only after imilo_client_new(); it counts its calls with atomics (imilo_metrics). */
#ifndef CEJ_IMILO_H
#define CEJ_IMILO_H

#include <glib.h>
#include <stdbool.h>

struct arena;

enum imilo_status {
	IMILO_OK = 0,
	IMILO_BAD_REQUEST,        /* 400 without a known code: malformed dossier number */
	IMILO_REJECTED,           /* 401–404 (D1): message = i-milo's own message, shown as is */
	IMILO_ALREADY_ATTACHED,   /* D2 400 SUE_RECORD_ALREADY_ATTACHED_TO_ACCOUNT; account_id set */
	IMILO_OTHER_ML,           /* D2 400 SUE_ACCOUNT_EXISTING_OTHER_ML */
	IMILO_DOWN,               /* 5xx, timeout, connection refused, unreadable answer */
	IMILO_REFUSED,            /* D5 4xx except 429: message = i-milo's message, else its
				   * code, shown as is (actions.md §5); NULL when it gave neither.
				   * Sessions family: any 4xx but 404 and 429, code set */
	IMILO_NOT_FOUND,          /* sessions and events families: 404 (S3, S4, E3, E4) */
};

struct imilo_result {
	enum imilo_status status;
	int http_status;          /* 0 when no answer */
	const char *message;      /* i-milo's "message", or NULL (empty or non-JSON body) */
	const char *account_id;   /* D2: the id-keycloak, when known */
	const char *code;         /* i-milo's "code" (PLUS_DE_PLACE…), or NULL */
};

struct imilo_situation {
	const char *etat;         /* EN_COURS | PREVU | TERMINE */
	const char *categorie;    /* "Emploi", "Formation", … */
	const char *date_fin;     /* YYYY-MM-DD or NULL */
};

struct imilo_dossier {
	const char *id;
	const char *first_name;
	const char *last_name;    /* nomUsage, else nomNaissance */
	const char *birth_date;   /* YYYY-MM-DD */
	const char *postal_code;
	const char *email;        /* lower-cased; NULL when i-milo has none */
	const char *structure_code;
	const char *structure_name; /* nomOfficiel, else nomUsuel */
	const char *cej_end_date; /* accompagnementCEJ.dateFinPrevue, or NULL */
	struct imilo_situation *situations; /* sorted as imilo_sort_situations() */
	int n_situations;
	/* The sorted list as JSON, for storage: [{"etat", "categorie", "dateFin"}] with
	 * dateFin null when none; "[]" when there is no situation. */
	const char *situations_json;
};

/* D5: an SNP situation to create. Every member is required (i-milo refuses a missing
 * one with a 400); only read during the call. */
struct imilo_snp {
	const char *date_debut, *date_fin_reelle; /* YYYY-MM-DD, local calendar dates of the
						   * dossier's structure, never from UTC */
	const char *commentaire;  /* 1–255 characters (i-milo counts characters, not bytes) */
	const char *mesure;       /* EMPLOI, FORMATION, PROJET_PROFESSIONNEL,
				   * CULTURE_SPORT_LOISIRS, CITOYENNETE, LOGEMENT, SANTE */
	const char *login_conseiller; /* the counselor's i-milo login (preferred_username) */
};

struct imilo_client;

struct imilo_settings {
	const char *base_url;     /* e.g. "http://127.0.0.1:8090" */
	const char *key_dossiers, *key_sessions, *key_events;   /* one API key per family */
	int timeout_ms;           /* the interactive total timeout (connect timeout is 2 s) */
	int background_timeout_ms; /* the jobs' (struct imilo_actor .background); 0: 30 s */
	/* Requests per second per family (token bucket, burst of the same size, §2), writes
	 * spaced by 50 ms; 0: no limit nor spacing (benchmarks against the simulator). */
	int rate_per_s;
};

struct imilo_client *imilo_client_new(const struct imilo_settings *s);
void imilo_client_free(struct imilo_client *c);

/* D1: GET /sue/dossiers/{id}. One retry on network error, 502, 503, 504, or on 429 after
 * its Retry-After when ≤ 2 s; both attempts share the @timeout_ms budget, so a call never
 * lasts longer than that (a timed-out first attempt is not retried). */
int imilo_get_dossier(struct imilo_client *c, struct arena *a, const char *id,
		      struct imilo_dossier *out, struct imilo_result *res);
/* D2: POST /sue/compte-jeune/{id} (empty body). Never retried (a write, §7). On
 * IMILO_OK and IMILO_ALREADY_ATTACHED, res->account_id holds the id-keycloak (it may be
 * NULL for ALREADY_ATTACHED if i-milo omitted it). */
int imilo_declare_account(struct imilo_client *c, struct arena *a, const char *id,
			  struct imilo_result *res);
/* D5: POST /sue/dossiers/{id}/situation with the JSON body {dateDebut, dateFinReelle,
 * commentaire, mesure, loginConseiller}. Never retried (a write, §7): the caller saves
 * the qualification locally only on IMILO_OK. Outcomes: 2xx (i-milo answers 201) ->
 * IMILO_OK; 4xx -> IMILO_REFUSED with i-milo's message; 429, 5xx, timeout, network error
 * -> IMILO_DOWN (a 429 is i-milo being busy, not a refusal of the situation). */
int imilo_create_situation(struct imilo_client *c, struct arena *a, const char *dossier_id,
			   const struct imilo_snp *snp, struct imilo_result *res);
/* All three return 0 when res->status is IMILO_OK, else -1; res is always filled. */

/* Appends to @out, in the Prometheus text format (base/metrics.h), the calls @c made so
 * far by family, call and outcome (imilo_parse.h's enum imilo_outcome), and their
 * durations: every series, zeros included, so that a rate exists before the first call. */
void imilo_metrics(const struct imilo_client *c, GString *out);

/* The families' health for /healthz (spec/imilo.md §7): "down" when a family's circuit
 * is open (5 consecutive failures: calls fail at once for 30 s, then one probe),
 * "degraded" when a family's last call failed, else "up". Static string. */
const char *imilo_health(const struct imilo_client *c);

/* Sorts situations by état (EN_COURS, PREVU, TERMINE) then category in the order of
 * spec/imilo.md §4; returns the current situation (first EN_COURS) or NULL. Pure. */
const char *imilo_sort_situations(struct imilo_situation *s, int n);

#endif
