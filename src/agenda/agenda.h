/* agenda.h — the events cej creates (agenda.md §2): rendez-vous (RDV) of a counselor with
 * beneficiaries of their portfolio, and animations collectives (AC) of a structure. Their
 * types and modalities with the spec's French labels, and the pure rules on them: title
 * fallback, end time, the forced presence, the AC status. No I/O here.
 *
 * Instants are Unix milliseconds UTC (base/clock.h); pages show them in the zone of the
 * counselor's structure. */
#ifndef CEJ_AGENDA_H
#define CEJ_AGENDA_H

#include <stdbool.h>
#include <stdint.h>

struct arena;

#define AGENDA_TEXT_MAX 250        /* Préciser, Titre, Description, Adresse, Organisme */
#define AGENDA_DURATION_MAX 1439   /* 23:59, in minutes */

enum event_type {
	EVENT_ENTRETIEN_INDIVIDUEL_CONSEILLER,   /* the default */
	EVENT_ACTIVITES_EXTERIEURES,
	EVENT_ENTRETIEN_PARTENAIRE,
	EVENT_VISITE,
	EVENT_PRESTATION,
	EVENT_AUTRE,
	EVENT_ATELIER,
	EVENT_INFORMATION_COLLECTIVE,
	EVENT_RENDEZ_VOUS_MILO,                  /* synced only (§2.3, agenda_imilo.h) */
	EVENT_TYPE_COUNT
};

struct event_type_def {
	const char *code;      /* stored and posted: "ENTRETIEN_INDIVIDUEL_CONSEILLER" */
	const char *label;     /* "Entretien individuel conseiller" */
	bool collective;       /* an AC; else a RDV */
	bool synced;           /* written by the i-milo feed only: no form offers or takes it */
};
extern const struct event_type_def agenda_types[EVENT_TYPE_COUNT];

/* The type of @code, or -1 when unknown (NULL included). */
int agenda_type_parse(const char *code);
/* agenda_type_parse() for what a form posts: a synced type (RENDEZ_VOUS_MILO) is -1 there,
 * so a forged post cannot make an i-milo rendez-vous. */
int agenda_type_parse_form(const char *code);

enum event_modality {
	MODALITY_NONE = -1,    /* "Modalité" is optional */
	MODALITY_ML,
	MODALITY_ML_PERMANENCE,
	MODALITY_PHONE,
	MODALITY_VISIO,
	MODALITY_COUNT
};
struct event_modality_def {
	const char *code, *label;
};
extern const struct event_modality_def agenda_modalities[MODALITY_COUNT];

/* The modality of @code; MODALITY_NONE for NULL or ""; -2 when unknown. */
int agenda_modality_parse(const char *code);

/* An event as stored. Strings are arena-owned or static; optional ones are NULL when not
 * set. A RDV's participants are listed apart (agenda_use.h). */
struct event {
	const char *id;
	enum event_type type;
	const char *precision;       /* AUTRE only */
	const char *title;           /* NULL: the fallback (agenda_display_title) */
	const char *description;     /* "" when none */
	enum event_modality modality;
	int64_t starts_at;
	int duration_min;            /* 1..AGENDA_DURATION_MAX */
	const char *address, *organism;   /* "" when none */
	bool presence;               /* "un conseiller sera présent" */
	int max_participants;        /* AC only; 0: no maximum */
	const char *creator_id, *creator_first_name, *creator_last_name;
	const char *structure_id;    /* the creator's Mission Locale */
	int64_t closed_at;           /* AC only; 0: open */
	int64_t created_at, updated_at;
	/* Asked at creation (the switch "Intégrer cet événement à mon agenda", §2): mail the
	 * creator an invitation. Read by agenda_create only; agenda_invite.h keeps the stored
	 * flag. */
	bool invitation;
};

/* A beneficiary taking part in an event. */
struct event_participant {
	const char *beneficiary_id, *first_name, *last_name;
	const char *counselor_id;    /* their referent */
	int present;                 /* -1: not marked; 0/1 once an AC is closed */
};

/* One line of "Historique des modifications": {date, auteur} (§2.1). */
struct event_change {
	int64_t at;
	const char *first_name, *last_name;
};

/* A beneficiary the form's picker lists: of the caller's portfolio, or (AC) of their
 * structure. */
struct agenda_person {
	const char *id, *first_name, *last_name;
	const char *counselor_id;    /* their referent: "pas dans votre portefeuille" */
};

/* Does @p match every one of @tokens (text_search_tokens: folded, each contained in the
 * folded "last first")? No token matches everyone. Pure. */
bool agenda_person_matches(struct arena *a, const struct agenda_person *p,
			   const char *const *tokens, int n);

/* Is @t an AC? */
bool agenda_is_collective(enum event_type t);
/* Is @e a rendez-vous i-milo owns (§2.3)? Read-only in cej: "Non modifiable". */
bool agenda_is_imilo(const struct event *e);

/* The presence to store: forced true for an ENTRETIEN_INDIVIDUEL_CONSEILLER whatever was
 * posted (§2 "forced Oui"), else @asked. */
bool agenda_presence(enum event_type t, bool asked);

/* The title a page shows: the title when set, else the type's label (the précision for
 * AUTRE) followed by " " and the modality's label when there is one (§2). Arena-owned or
 * static. */
const char *agenda_display_title(struct arena *a, const struct event *e);

/* The end of @e: start + duration. */
int64_t agenda_ends_at(const struct event *e);

/* §2, §4: an AC with a maximum @max (0: none) holds @n registrants. Pure. */
bool agenda_ac_fits(int max, int n);

/* An upcoming AC as "Inscrire à une animation collective" lists it. */
struct agenda_ac_row {
	struct event e;
	int registrants;             /* live ones */
	bool registered;             /* the beneficiary the list is for is one */
};
/* "Complet": not one more registrant fits. Pure. */
bool agenda_ac_full(const struct agenda_ac_row *row);

enum ac_status { AC_UPCOMING, AC_TO_CLOSE, AC_CLOSED };
/* §4: Close if closed; else À clore once started; else À venir. */
enum ac_status agenda_ac_status(const struct event *e, int64_t now);
/* "À venir", "À clore", "Close". Static. */
const char *agenda_ac_status_label(enum ac_status s);

/* §4, scenario 6: a closed AC is immutable. Its edit, a change of its registrants and its
 * deletion answer 409 with this message. */
#define AGENDA_CLOSED "Cet événement est clos et ne peut plus être modifié."
struct refusal;
/* 0 while @e may still change; a closed AC fills @why (409, AGENDA_CLOSED) and returns
 * -ERR_CONFLICT. Every use case that changes an event asks this first. */
int agenda_check_open(const struct event *e, struct refusal *why);

/* "hh:mm" of @minutes (0..1439) into @buf (6 bytes). */
void agenda_hhmm(int minutes, char buf[static 6]);
/* Minutes of "hh:mm" (00..23, 00..59, two digits each), or -1 when malformed. */
int agenda_parse_hhmm(const char *s);

/* "10h00 - 90 min" (§3's "Horaires") for an event starting at @starts_at (zone @tz) and
 * lasting @duration_min. Arena-owned. */
char *agenda_hours_fr(struct arena *a, int64_t starts_at, int duration_min, const char *tz);
/* "45 min", "1h30", "2h". Arena-owned. */
char *agenda_duration_fr(struct arena *a, int duration_min);

#endif
