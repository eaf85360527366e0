/* feature.h — how a feature declares itself to the server: once, in one struct.
 *
 * Each feature folder (actions/, messaging/, …) defines one `const struct feature
 * <name>_feature` in its <name>_feature.c and adds one line FEATURE(<name>) to
 * src/serve/features.def. serve walks that table to build the route table, the job
 * runner's kinds, the daily plans, and hands it to the layers that need it through the
 * request context (ctx->features): the layout (flashes, menu, per-page data), the fiche
 * (tabs of other features), the account's purge and archive, the demo seed. Nothing else
 * lists features by hand.
 *
 * Every member but the name may be left zero/NULL. Arrays and strings are static: a
 * descriptor is read-only and shared by every thread. */
#ifndef CEJ_FEATURE_H
#define CEJ_FEATURE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct config;
struct ctx;
struct db;
struct job_kind;
struct record;
struct req;
struct route;
struct vm;

/* The link a flash shows when its argument is an id: @prefix then the id (a UUID, checked:
 * the cookie comes from the visitor), labelled @label. */
struct flash_link {
	const char *prefix;    /* "/beneficiaires/" */
	const char *label;     /* "Voir le détail du bénéficiaire" */
};

/* A message a redirect may carry to the next page (view_redirect_flash). The cookie holds
 * only the code, so a visitor can only choose among these texts. */
struct flash_def {
	const char *code;
	const char *kind;      /* DSFR alert type: success, info, warning, error */
	const char *text;      /* may hold one %s: the argument, when it is a name */
	const struct flash_link *link;   /* NULL: none; else the argument is an id */
	const char *title;     /* the alert's title, when it has one */
};

/* An entry of a menu: the counselor's side menu or the app's bottom bar (the guide's
 * layouts). The layout lists the entries of every feature by @order and marks the one
 * whose @nav is the page's "nav". */
enum menu_space { MENU_COUNSELOR, MENU_APP };
struct menu_entry {
	enum menu_space space;
	int order;             /* 10 Portefeuille, 20 Bénéficiaires, 30 Messagerie … */
	const char *nav;       /* the pages' "nav" value that makes it current */
	const char *label;
	const char *href;
	bool narrow_only;      /* side menu: shown on phones only ("Créer un raccourci") */
	const char *icon;      /* bottom bar: the DSFR icon class */
	/* Bottom bar: the page key holding the entry's count (set by a page hook), shown as a
	 * badge when not 0, and what a screen reader hears after it. NULL: no badge. */
	const char *badge_key, *badge_label;
};

/* A part of the fiche bénéficiaire that another feature fills: the Actions tab and the
 * indicators are actions/'s. The fiche asks for a part by @key; @render adds what the
 * fiche's template reads to @page (@can_write: the caller is the referent). 0 or a
 * negative err. A part whose feature is off is simply absent. */
struct record_tab {
	const char *key;       /* "actions", "indicateurs" */
	int (*render)(struct req *r, const struct record *rec, bool can_write, int64_t now,
		      struct vm *page);
};

/* A block of the app's "Accueil" (youth-app.md §5) that another feature fills: the
 * offers' "Mes alertes" and "Mon suivi des offres". Like the fiche's tabs, the home asks
 * for a part by @key and its template includes the part's partial only when the part
 * exists; @render adds what the partial reads to @page. 0 or a negative err. */
struct home_part {
	const char *key;       /* "alertes", "suivi" */
	int (*render)(struct req *r, struct vm *page);
};

/* One line of the fiche's "Agenda" tab (beneficiaries.md §6): an action due that day, a
 * rendez-vous… Each feature gives its own for a week; the fiche merges them by day. */
struct week_item {
	int64_t at;            /* sorts the day's lines; its civil day groups it */
	bool timed;            /* false: a day only (an action's date), no hour shown */
	const char *kind;      /* "Action", "Rendez-vous": said before the label */
	const char *label;
	const char *href;      /* its page */
	bool read_only;        /* "Non modifiable": a rendez-vous i-milo owns */
	bool event;            /* counts in "Les événements — Cette semaine" (§7) */
};

/* An event of the beneficiary's app (youth-app.md §5–§7, agenda.md §7), as another
 * feature lists it: the agenda's rendez-vous and animations collectives, and later the
 * i-milo sessions. The pages that show them (Mon suivi, Accueil, Événements) belong to
 * other features: they walk app_events_list() and never include the agenda's headers.
 * Strings are arena-owned or static; optional ones are NULL. */
struct app_event {
	const char *href;          /* the app's page of the event: "/app/rendez-vous/{id}" */
	const char *title;
	const char *type;          /* "Entretien individuel conseiller", "Atelier" */
	const char *modality;      /* "Par téléphone"; NULL: none */
	const char *with;          /* "Prénom Nom" of the counselor met; NULL: not said */
	int64_t starts_at;
	int duration_min;
	bool registered;           /* the badge "Inscrit" (an animation collective, a session) */
};

/* Which events: the beneficiary's own (the rendez-vous and the events he takes part in:
 * Mon suivi, "Ton prochain rendez-vous") or those his Mission Locale offers (Événements ›
 * "Ma Mission Locale"). */
enum app_event_scope { APP_EVENTS_MINE, APP_EVENTS_STRUCTURE };
struct app_event_query {
	enum app_event_scope scope;
	const char *beneficiary_id;
	const char *structure_id;  /* the beneficiary's Mission Locale */
	int64_t from, to;          /* MINE: ending at or after @from; STRUCTURE: starting after
				    * @from; both starting before @to */
	int limit;                 /* at most this many, the soonest */
	/* The server context, for a source that reads another service (the i-milo sessions);
	 * NULL in tests of the sources that need none. */
	const struct ctx *app;
};

/* A row another feature adds to the counselor's /agenda page (agenda.md §3): the i-milo
 * sessions. The agenda merges them with its own events, then sorts, groups, searches and
 * filters them all alike. Strings are arena-owned or static; optional ones are NULL. */
struct agenda_row {
	const char *id;
	const char *href;          /* its page: "/agenda/sessions/{id}" */
	const char *title;         /* offer name, then session name */
	const char *type_label;    /* "Atelier i-milo", "info coll i-milo" */
	int64_t starts_at;
	int duration_min;
	int status;                /* 0 À venir, 1 À clore, 2 Close (the agenda's enum ac_status) */
	/* Mon agenda: "NOM Prénom" of my one beneficiary taking part, or "Bénéficiaires
	 * multiples". */
	const char *beneficiary;
	/* Agenda Mission Locale. */
	bool visible;
	const char *visibility_action; /* where the row's visibility select posts; NULL: none */
	int participants;          /* Inscrit + Présent */
	int capacity;              /* 0: unlimited */
	bool full;                 /* no place left */
};

struct agenda_rows_query {
	bool mine;                 /* "Mon agenda"; else "Agenda Mission Locale" */
	const char *counselor_id, *structure_id, *timezone;
	const char *from_day, *to_day;     /* the period's first and last day, "yyyy-MM-dd" */
	int64_t from, to;          /* its instants: rows with from <= starts_at < to */
	int64_t now;
};

struct feature {
	const char *name;                        /* its folder: "actions" */
	/* NULL: always on. Otherwise the feature (its routes, jobs…) exists only when true. */
	bool (*enabled)(const struct config *cfg);

	const struct route *routes;
	size_t n_routes;

	const struct job_kind *job_kinds;        /* the handlers of its jobs */
	size_t n_job_kinds;
	/* Plans its daily jobs at start (jobs_ensure_daily). 0 or a negative err. */
	int (*plan_jobs)(struct db *db, int64_t now);

	const struct flash_def *flashes;
	size_t n_flashes;

	const struct menu_entry *menu;           /* the counselor's side menu */
	size_t n_menu;

	/* Adds to every page's model what the layout shows of this feature (badges, counts,
	 * the CSRF token): to @page, and to @user — the caller's object of the layout, NULL
	 * when nobody is logged in. Must be cheap: it runs on every page. A value a template
	 * prints must be set on every page, null when there is nothing (strict rendering). */
	void (*page)(struct req *r, struct vm *page, struct vm *user);

	const struct record_tab *record_tabs;
	size_t n_record_tabs;

	const struct home_part *home_parts;      /* blocks of the app's Accueil */
	size_t n_home_parts;

	/* Its lines of the fiche's "Agenda" tab for beneficiary @rec: those dated in
	 * [@from, @to), in any order (the fiche sorts). With @events_only the fiche only
	 * counts the week's events ("Les événements — Cette semaine", on every fiche): a
	 * feature whose lines are no events answers 0 at once. Count (arena array in *@out)
	 * or a negative err. */
	int (*week_items)(struct db *db, struct arena *a, const struct record *rec,
			  int64_t from, int64_t to, bool events_only, struct week_item **out);
	/* Its events of the week that are no line of the Agenda tab but count in "Les
	 * événements — Cette semaine" (beneficiaries.md §7: the events of Mes Événements
	 * Emploi the young person shared, on the day they were shared) for beneficiary
	 * @beneficiary_id in [@from, @to). Count or a negative err. */
	int (*week_events)(struct db *db, const char *beneficiary_id, int64_t from, int64_t to);

	/* Its part of a beneficiary's end, called inside the account's deletion or archive
	 * transaction (the use case owns it): delete every row of @beneficiary_id it holds; add
	 * what the archive keeps under its own key of @archive. 0 or a negative err. */
	int (*purge)(struct db *db, const char *beneficiary_id);
	int (*archive)(struct db *db, struct arena *a, const char *beneficiary_id, json_t *archive);

	/* Its events of the beneficiary's app matching @q, soonest first, at most q->limit,
	 * into *@out (arena array). Count, -ERR_UNAVAILABLE when its source could not be read
	 * (the page lists the others and says so), or another negative err. */
	int (*app_events)(struct db *db, struct arena *a, const struct app_event_query *q,
			  struct app_event **out);

	/* Its rows of the /agenda page (a route of the remote pool: it may wait on i-milo),
	 * into *@out. Count, or -ERR_UNAVAILABLE when its source could not be read: the page
	 * shows the other rows and an alert (agenda.md §3), or another negative err. */
	int (*agenda_rows)(const struct ctx *app, struct db *db, struct arena *a,
			   const struct agenda_rows_query *q, struct agenda_row **out);

	/* Adds its demo data (`cej seed --demo`), inside the seed's transaction. */
	int (*seed)(struct db *db, int64_t now);
};

/* The table serve builds from src/serve/features.def, enabled features only. */
struct feature_table {
	const struct feature *const *items;
	size_t n;
};

/* Ma Mission Locale lists the events of the next 3 months (youth-app.md §7): the end of
 * that window seen at @now in zone @tz, the end of the day 3 months later. */
#define APP_EVENTS_MONTHS 3
int64_t app_events_structure_end(int64_t now, const char *tz);

/* The events of every feature of @t matching @q (struct app_event_query), merged soonest
 * first (then by href) and cut to q->limit, into *@out (arena @a). A source answering
 * -ERR_UNAVAILABLE is left out and sets *@partial (which may be NULL). Count or the first
 * other negative err. */
int app_events_list(const struct feature_table *t, struct db *db, struct arena *a,
		    const struct app_event_query *q, struct app_event **out, bool *partial);

#endif
