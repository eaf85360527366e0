/* actions_app_form.h — the beneficiary's action forms (youth-app.md §6, messages of
 * actions.md §8): the creation in 3 steps, the edit, "Terminer mon action" and the
 * comment — what was posted, and its checks. Pure, like actions_form.h for the
 * counselor: the page code parses the request into a struct action_app_form, calls a
 * check and renders what it says.
 *
 * Dates are civil days in the zone @tz of the beneficiary's structure; messages are
 * static, or arena-owned when they carry dates. */
#ifndef CEJ_ACTIONS_APP_FORM_H
#define CEJ_ACTIONS_APP_FORM_H

#include "actions/actions.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct refusal;

#define ACTION_APP_OTHER "autre"   /* the title choice "Autre" */

/* The answers as posted, NULL when absent. */
struct action_app_form {
	const char *category;      /* "categorie": a code, "" or NULL: none */
	const char *title;         /* "titre": "1"…"20" (the predefined titles) or "autre" */
	const char *other;         /* "titre_autre": the title typed for "autre" */
	const char *description;
	const char *status;        /* "statut": en_cours | terminee (| annulee: edit only) */
	const char *when;          /* "quand": aujourdhui | demain | hier | date (creation) */
	const char *date;          /* "date": YYYY-MM-DD */
	bool reminder;             /* "rappel" */
};

/* One message per field of the form (named as its input), NULL when the field is fine. */
struct action_app_errors {
	const char *categorie, *titre, *titre_autre, *description, *statut, *date;
	int count;
};

/* What a valid form gives, ready for the action. */
struct action_app_values {
	const char *category;      /* NULL: none (edit) */
	const char *title;
	const char *description;   /* trimmed; "" when none */
	enum action_status status;
	int64_t day;               /* the displayed date: completion when done, else due */
};

/* The creation's steps, in order. */
enum { ACTION_APP_STEP_CATEGORY = 1, ACTION_APP_STEP_ACTION, ACTION_APP_STEP_WHEN };

/* Checks steps 1 to @through of a creation (@through: one of the steps above), in order:
 * the category (required), then the title and the description, then the status (en cours
 * or terminée) and the day — a shortcut or a typed date, within the window of §2. Every
 * step is checked again on the last one: the hidden fields come from the client. Returns
 * the first step with errors (its errors in @e), or 0 when all are valid (@out set for
 * those steps). */
int actions_app_check_new(struct arena *a, const struct action_app_form *f, int through,
			  int64_t now, const char *tz, struct action_app_values *out,
			  struct action_app_errors *e);

/* Checks the edit form: title and description as at creation, an optional category, the
 * status (en cours, terminée or annulée) and the typed date. The number of errors (in
 * @e), 0 with @out set. */
int actions_app_check_edit(struct arena *a, const struct action_app_form *f, int64_t now,
			   const char *tz, struct action_app_values *out,
			   struct action_app_errors *e);

/* "Terminer mon action": the day chosen with @when (aujourdhui, hier) or typed in @date.
 * 0 with *@day set, or a refusal (400) on field "terminer". */
int actions_app_check_finish(struct arena *a, const char *when, const char *date, int64_t now,
			     const char *tz, int64_t *day, struct refusal *why);

/* A comment @body (trimmed by the caller): 0, or a refusal (400) on field
 * "commentaire" when empty or over ACTION_COMMENT_MAX characters. */
int actions_app_check_comment(const char *body, struct refusal *why);

/* The choice that shows @title in a form: "1"…"20" or "autre". Arena-owned or static. */
const char *actions_app_title_choice(struct arena *a, const char *title);

#endif
