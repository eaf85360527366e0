/* imilo_sessions.h — the i-milo client, sessions and events families (spec/imilo.md
 * §3.3–3.5): the sessions of a structure or a dossier (S1–S4), registrations (S5–S7), the
 * event feed (E1, E2) and the details it points at (E3, E4).
 *
 * Same guarantees as imilo.h: calls block up to the timeout (worker threads only), results
 * live in the arena given, a client is thread-safe. Reads get one retry (§7); writes never.
 * Every call goes through its family's rate limit and circuit breaker (imilo.h): when the
 * breaker is open a call fails at once with IMILO_DOWN, as if i-milo had not answered.
 *
 * Datetimes: i-milo sends naive local times of the structure owning the object (§2); the
 * caller names that zone (@tz, IANA) and gets Unix milliseconds. */
#ifndef CEJ_IMILO_SESSIONS_H
#define CEJ_IMILO_SESSIONS_H

#include "imilo/imilo.h"

#include <stdbool.h>
#include <stdint.h>

/* Who acts. A counselor's calls carry their bearer (S1 always, S5–S7 always: i-milo
 * records who acted); cej's own reads (beneficiary pages, jobs) use operator auth.
 * Until the simulator's single sign-on issues tokens, the bearer is the counselor's i-milo
 * login (docs/imilo-sim.md). */
struct imilo_actor {
	const char *bearer;       /* NULL: operator auth (header operateur: APPLICATION_CEJ) */
	/* A job, not a page (spec/imilo.md §7): the background timeout applies. The event feed's
	 * calls (E1–E4) always are. */
	bool background;
};

/* A registration (an "instance de session"). statut is i-milo's: ONGOING, REFUSAL,
 * REFUSAL_YOUNG, ACHIEVED (an unknown one is kept as sent: agenda.md §5.5 shows it as
 * Inscrit). */
struct imilo_instance {
	const char *id;           /* idInstanceSession */
	const char *dossier_id;
	const char *last_name, *first_name;
	const char *statut;
};

struct imilo_offre {
	const char *id, *nom, *theme;
	const char *type;         /* WORKSHOP | COLLECTIVE_INFORMATION */
	const char *description, *partenaire;   /* NULL when i-milo has none */
};

struct imilo_session {
	const char *id, *nom;
	int64_t starts_at, ends_at;   /* Unix ms */
	const char *date_max;     /* dateMaxInscription "yyyy-MM-dd", NULL: none */
	int64_t closes_at;        /* registrations closed from this instant (imilo_closes_at) */
	const char *animateur, *lieu, *commentaire;   /* NULL when none */
	int places;               /* nbPlacesDisponibles; -1: unlimited (null) */
	struct imilo_instance *instances;   /* S1 with registrants, S3 never */
	int n_instances;          /* -1: i-milo sent none (null) */
	const char *my_statut;    /* S2: this dossier's sessionInstance.statut, NULL: none */
	struct imilo_offre offre;
};

/* S1: the sessions of structure @structure whose start falls on a day of
 * [@from_day, @to_day] ("yyyy-MM-dd", inclusive), with their registrants; page 2 is read
 * when page 1 holds 150. @tz: the structure's zone. Count (into *@out) or -1 with @res. */
int imilo_structure_sessions(struct imilo_client *c, struct arena *a,
			     const struct imilo_actor *who, const char *structure, const char *tz,
			     const char *from_day, const char *to_day, struct imilo_session **out,
			     struct imilo_result *res);
/* S2: the sessions of dossier @dossier's structure in the same window, my_statut set. */
int imilo_dossier_sessions(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
			   const char *dossier, const char *tz, const char *from_day,
			   const char *to_day, struct imilo_session **out, struct imilo_result *res);
/* S3: one session (no registrants: n_instances -1). 404 -> IMILO_NOT_FOUND. */
int imilo_get_session(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
		      const char *id, const char *tz, struct imilo_session *out,
		      struct imilo_result *res);
/* S4: the registrants of session @id. Count (into *@out) or -1. */
int imilo_session_registrants(struct imilo_client *c, struct arena *a,
			      const struct imilo_actor *who, const char *id,
			      struct imilo_instance **out, struct imilo_result *res);

/* S5: registers dossier @dossier to session @session; *@instance_id: the new instance.
 * i-milo's refusals come as IMILO_REFUSED with res->code (DEJA_INSCRIT, PLUS_DE_PLACE,
 * INSCRIPTIONS_CLOSES, HORS_STRUCTURE, DOSSIER_INCONNU, SESSION_INCONNUE). */
int imilo_register(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
		   const char *dossier, const char *session, const char **instance_id,
		   struct imilo_result *res);
/* S6: sets instance @instance's status. @comment: only with REFUSAL_YOUNG (NULL: none);
 * @date_debut_reelle "yyyy-MM-dd": required with ACHIEVED, else NULL. */
int imilo_set_instance(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
		       const char *dossier, const char *instance, const char *statut,
		       const char *comment, const char *date_debut_reelle, struct imilo_result *res);
/* S7: deletes instance @instance (the "J'ai fait une erreur" unregistration). */
int imilo_unregister(struct imilo_client *c, struct arena *a, const struct imilo_actor *who,
		     const char *dossier, const char *instance, struct imilo_result *res);

/* An event of the feed. */
struct imilo_event {
	const char *id;           /* identifiant */
	const char *dossier_id;
	const char *type;         /* RDV, SESSION, DOSSIER, or another cej ignores */
	const char *action;       /* CREATE, UPDATE, DELETE, ARCHIVE, … */
	const char *type_id;      /* idType: the RDV or instance id; NULL for DOSSIER */
	const char *date;         /* ISO 8601 with offset, as sent */
};

/* E1: the ≤ 100 oldest unacknowledged events (operator auth, events family). Count or -1. */
int imilo_feed(struct imilo_client *c, struct arena *a, struct imilo_event **out,
	       struct imilo_result *res);
/* E2: acknowledges event @id; an unknown one (404) counts as acknowledged. */
int imilo_ack(struct imilo_client *c, struct arena *a, const char *id, struct imilo_result *res);

/* E3: an i-milo rendez-vous. */
struct imilo_rdv {
	const char *id, *dossier_id;
	int64_t starts_at;
	int64_t ends_at;          /* 0: i-milo gave no end */
	const char *objet, *conseiller, *type;
	const char *commentaire, *lieu;   /* NULL when none */
	const char *statut;       /* Absent, Annulé, Non précisé, Planifié, Présent, Reporté */
};
/* 404 (deleted, or of another dossier) -> IMILO_NOT_FOUND. @tz: the dossier's structure. */
int imilo_get_rdv(struct imilo_client *c, struct arena *a, const char *dossier, const char *id,
		  const char *tz, struct imilo_rdv *out, struct imilo_result *res);

/* E4: a registration seen from the dossier, statut as i-milo's French label turned back
 * into ONGOING, ACHIEVED, REFUSAL, REFUSAL_YOUNG (Prescrit, Réalisé, Refus tiers, Refus
 * jeune). 404 -> IMILO_NOT_FOUND. */
struct imilo_dossier_instance {
	const char *id, *session_id, *nom, *dossier_id;
	int64_t starts_at, ends_at;   /* ends_at 0: none */
	const char *lieu, *commentaire;
	const char *statut;
};
int imilo_get_instance(struct imilo_client *c, struct arena *a, const char *dossier,
		       const char *id, const char *tz, struct imilo_dossier_instance *out,
		       struct imilo_result *res);

/* The instant registrations to a session close (agenda.md §5.3, imilo.md §3.4): the end of
 * day @date_max (NULL: none) in @tz, or @starts_at when that comes first or there is no
 * date. Pure. */
int64_t imilo_closes_at(const char *date_max, int64_t starts_at, const char *tz);

#endif
