/* actions.h — the actions of a beneficiary (spec/actions.md): the model, its labels and
 * the pure rules (due time, date window, derived status, who may edit or delete, J-3
 * reminder, qualification). No I/O here: the store is actions_store.h, the use cases
 * (which plan reminders and notify) are actions_use.h.
 *
 * Days are civil day numbers (base/clock.h) in the zone of the beneficiary's structure;
 * instants are Unix ms UTC. */
#ifndef CEJ_ACTIONS_H
#define CEJ_ACTIONS_H

#include <stdbool.h>
#include <stdint.h>

struct arena;

enum action_status { ACTION_NOT_STARTED, ACTION_IN_PROGRESS, ACTION_DONE, ACTION_CANCELED };

/* The statuses the counselor web shows and filters on (§1 "Derived display statuses"). */
enum action_display {
	DISPLAY_TODO,        /* À faire */
	DISPLAY_LATE,        /* En retard */
	DISPLAY_DONE,        /* Terminée (PACEA) */
	DISPLAY_TO_QUALIFY,  /* À qualifier */
	DISPLAY_QUALIFIED,   /* Qualifiée */
	DISPLAY_CANCELED,    /* Annulée */
	DISPLAY_COUNT
};

struct action {
	const char *id, *beneficiary_id;
	bool by_counselor;                    /* creator side */
	const char *creator_id, *creator_first_name, *creator_last_name;
	const char *title, *description;     /* description "" when none */
	const char *category;                /* code, NULL: "Catégorie manquante" */
	enum action_status status;
	int64_t due_at, completed_at;        /* completed_at 0 unless done */
	const char *started_on;              /* YYYY-MM-DD or NULL */
	bool reminder;
	int64_t created_at, updated_at;
	/* Qualification; q_code NULL when not qualified. */
	const char *q_code, *q_comment, *q_start, *q_end, *qualified_by;
	int q_hours;
	int64_t qualified_at;
	int comments;                        /* number of comments (loaded by the store) */
	/* From the beneficiary, for the rules: */
	bool cej;                            /* dispositif CEJ (else PACEA) */
	const char *timezone;                /* of the beneficiary's structure */
};

struct action_category {
	const char *code, *label;            /* counselor label */
	const char *app_label, *app_hint;    /* beneficiary wording */
	int snp_hours;
};

/* The 7 categories in the spec's order (NON_SNP is not one: see action_qualification_*). */
extern const struct action_category action_categories[];
#define ACTION_CATEGORY_COUNT 7
/* The 20 predefined titles, in order. */
extern const char *const action_titles[];
#define ACTION_TITLE_COUNT 20

#define ACTION_DUE_HOUR 9
#define ACTION_DUE_MINUTE 30
#define ACTION_TITLE_MAX 1024        /* server-side limits (§1) */
#define ACTION_DESCRIPTION_MAX 1024
#define ACTION_FORM_TEXT_MAX 250     /* counselor form: custom title and description */
#define ACTION_APP_TITLE_MAX 60      /* beneficiary "Nommer mon action" */
#define ACTION_COMMENT_MAX 1024
#define ACTION_QUALIFY_COMMENT_MAX 255
#define ACTION_BATCH_MAX 10
#define ACTION_AUTO_NON_SNP_MONTHS 4

/* The category with @code, or NULL. Pure. */
const struct action_category *action_category(const char *code);
/* True when @title is one of the 20 predefined titles. */
bool action_title_predefined(const char *title);

const char *action_status_wire(enum action_status s);
/* -1 when @wire is not a status. */
int action_status_parse(const char *wire);

/* The display status of @a at @now (§1, in priority order). */
enum action_display action_display(const struct action *a, int64_t now);
/* "À faire", "En retard", … for the counselor web. */
const char *action_display_label(enum action_display d);
/* The filter code of a display status in URLs: "a_faire", "en_retard", … */
const char *action_display_code(enum action_display d);
int action_display_parse(const char *code);
/* The beneficiary's pill (youth-app.md §6): "À faire", "En cours", "En retard",
 * "Terminée", "Annulée"; a qualified action shows "Terminée". */
const char *action_app_label(const struct action *a, int64_t now);
bool action_is_late(const struct action *a, int64_t now);

/* The instant stored as due_at for civil @day (the 09:30 rule, §2). */
int64_t action_due_at(int64_t day, const char *tz);
/* The date window [today − 1 year − 1 day, today + 2 years] of §2 for @now in @tz. */
void action_date_window(int64_t now, const char *tz, int64_t *first_day, int64_t *last_day);
bool action_day_in_window(int64_t day, int64_t now, const char *tz);
/* The displayed "Date de l'action": completed_at when done, else due_at. */
int64_t action_display_at(const struct action *a);

/* Who is acting. */
enum action_actor { ACTOR_COUNSELOR, ACTOR_BENEFICIARY };

/* §3: the referent counselor edits any action; the beneficiary edits the status of any of
 * their actions, and the rest only on actions they created. Nothing once qualified. */
bool action_may_edit(const struct action *a, enum action_actor who);
bool action_may_edit_content(const struct action *a, enum action_actor who);
enum action_delete_verdict { DELETE_OK, DELETE_FORBIDDEN /* 403 */, DELETE_REFUSED /* 400 */ };
enum action_delete_verdict action_may_delete(const struct action *a, enum action_actor who);

/* §4: should a J-3 reminder be planned for @a at @now? (reminder on, not done/canceled,
 * due day strictly after today + 3). The run instant is due_at − 3 days. */
bool action_reminder_wanted(const struct action *a, int64_t now);
int64_t action_reminder_at(const struct action *a);
/* §4 re-check at send time (except the activated-beneficiary condition). */
bool action_reminder_still_due(const struct action *a, int64_t now);

/* §5 eligibility: NULL when @a may be qualified, else the spec's message. */
const char *action_qualify_refusal(const struct action *a);
/* The default "Titre et description" of the qualification: "{titre} - {description}" or
 * "{titre}", cut to 255 characters (UTF-8 safe). Arena-owned. */
char *action_qualify_default_comment(struct arena *ar, const struct action *a);
/* Hours of an SNP code (0 for NON_SNP, -1 when unknown). */
int action_snp_hours(const char *code);

/* §5 batch rules, in the order the alerts are checked: NULL when the selection may be
 * qualified together, else the alert text. @beneficiaries/@categories of @n actions. */
const char *action_batch_refusal(const char *const *beneficiaries, const char *const *categories,
				 int n);

/* §6 "auto non SNP": is @a a target of the 06:00 job at @now? */
bool action_auto_non_snp_due(const struct action *a, int64_t now);

/* A row of Pilotage "Actions" (actions_to_qualify in actions_use.h) and its orders. */
enum pilotage_sort { PILOTAGE_BY_DATE, PILOTAGE_BY_DATE_DESC, PILOTAGE_BY_NAME,
		     PILOTAGE_BY_NAME_DESC };
struct action_to_qualify {
	struct action a;
	const char *first_name, *last_name;  /* the beneficiary */
};

#endif
