/* offers.h — the offer catalogue's model (offers.md §8.1) and its four types (offers.md,
 * top): what the adapters produce, the store keeps and the searches, pages and alerts of
 * the later steps read. Strings are arena-owned (or static); an absent value is NULL,
 * never "". */
#ifndef CEJ_OFFERS_H
#define CEJ_OFFERS_H

#include <stdbool.h>
#include <stdint.h>

enum offer_type {
	OFFER_EMPLOI,
	OFFER_ALTERNANCE,
	OFFER_SERVICE_CIVIQUE,
	OFFER_IMMERSION,
};
#define OFFER_TYPES 4

/* "EMPLOI", "ALTERNANCE", "SERVICE_CIVIQUE", "IMMERSION": the stored code. */
const char *offer_type_code(enum offer_type t);
/* "Offre d'emploi", "Alternance", "Service civique", "Immersion". */
const char *offer_type_label(enum offer_type t);
/* "emploi", "alternance", "service-civique", "immersion": the URL slug. */
const char *offer_type_slug(enum offer_type t);
/* The type whose code (@by_slug false) or slug (true) is @s; false when none is. */
bool offer_type_parse(const char *s, bool by_slug, enum offer_type *t);

/* Service civique's 12 domains (offers.md §1), in the form's order. The slug is API
 * Engagement's code ("solidarite-insertion") and the URL's `domaine`; the label ("Solidarité
 * - insertion") is what offer.domain stores and every page shows (docs/offers.md
 * "Domaine"). */
struct offer_domain {
	const char *slug, *label;
};
#define OFFER_DOMAINS 12
extern const struct offer_domain offer_domains[OFFER_DOMAINS];
/* The domain whose slug is @slug, or NULL. */
const struct offer_domain *offer_domain_by_slug(const char *slug);
/* The label to store for a provider's @value: its code or its label, case, accents and
 * separators ignored ("solidarite-insertion", "Solidarité - insertion" → "Solidarité -
 * insertion"); "Autre" for a value that names none of the 12; NULL for none (NULL or
 * blank). Static. */
const char *offer_domain_of(const char *value);

/* The providers the catalogue is fed from (§8.2), and the demo generator (§8.6). */
enum offer_provider {
	PROVIDER_FRANCE_TRAVAIL,
	PROVIDER_ENGAGEMENT,
	PROVIDER_IMMERSION,
	PROVIDER_MEE,
};
/* "france-travail", "engagement", "immersion", "mee": the name stored in offer.provider
 * and given to `cej offers import --provider`. */
const char *offer_provider_name(enum offer_provider p);
bool offer_provider_parse(const char *name, enum offer_provider *p);

/* One offer (§8.1). The lists are JSON arrays of {"label": text, "required": bool}, as
 * text ("[]" when empty, never NULL once mapped). */
struct offer {
	const char *id;                 /* public: provider_id (Immersion "{siret}-{code}") */
	const char *provider;           /* offer_provider_name() */
	const char *provider_id;
	enum offer_type type;
	const char *title;
	const char *description;
	const char *company, *company_description, *company_url;
	bool adapted_company, disability_friendly;
	const char *rome_code, *rome_label, *appellation_label;
	const char *contract_code, *contract_label;
	const char *nature_code;        /* France Travail: E1 (contrat de travail), E2, FS … */
	const char *work_time;          /* "FULL", "PARTIAL" or NULL */
	const char *work_time_label;
	const char *experience_code;    /* "D" (débutant accepté), "S", "E" or NULL */
	const char *experience_label;
	const char *salary_label;
	const char *skills, *soft_skills, *education, *languages, *licences;
	const char *commune_insee, *postal_code;
	const char *place_label;        /* what a card shows: "29 - Brest", "Brest" */
	const char *address;            /* street address (Immersion, Service civique) */
	const char *dept_code;          /* "29", "2A", "974" */
	bool has_position;              /* lat and lon below are meaningful */
	double lat, lon;
	const char *domain;             /* Service civique */
	int64_t start_date, end_date;   /* Service civique; 0: not given */
	const char *siret, *naf_label;  /* Immersion */
	const char *contact_mode;       /* Immersion: "EMAIL", "PHONE", "IN_PERSON" */
	bool voluntary;                 /* Immersion: voluntaryToImmersion */
	const char *apply_url;
	const char *origin_name, *origin_logo;
	int64_t provider_created_at, provider_updated_at;  /* 0: not given */
	int64_t first_seen_at, last_seen_at;               /* set by the store */
	bool active;
	const char *raw;                /* the provider's record, compact JSON */
};

/* One event of Mes Événements Emploi (§9). */
struct job_event {
	const char *id;                 /* public: the provider's id */
	const char *provider;           /* "mee" */
	const char *provider_id;
	const char *title, *description;
	const char *event_date;         /* "yyyy-mm-dd", local to @timezone */
	const char *start_time, *end_time;   /* "hh:mm" or "hh:mm:ss" as given; may be NULL */
	const char *timezone;           /* IANA name; "Europe/Paris" when not given */
	int64_t starts_at;              /* the start instant (day start when no hour) */
	int64_t ends_at;                /* 0: no end hour */
	const char *city, *postal_code, *commune_insee;
	bool has_position;
	double lat, lon;
	const char *type;               /* "Job dating", "Forum" … as the provider says */
	const char *modalities;         /* JSON array of strings */
	int64_t seats_onsite, seats_remote, registered_onsite, registered_remote;  /* -1: not given */
	const char *url, *organiser;
	const char *rome_codes;         /* JSON array of strings */
	int64_t first_seen_at, last_seen_at;
	bool active;
	const char *raw;
};

#endif
