/* actions_form.h — the counselor's action form (actions.md §3, messages of §8): what was
 * typed, and its checks. Pure: the page code parses the request into a struct
 * action_form and renders the errors. */
#ifndef CEJ_ACTIONS_FORM_H
#define CEJ_ACTIONS_FORM_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct refusal;

#define ACTION_FORM_OTHER "Autre"

struct action_form {
	const char *category;       /* code, "" when none chosen */
	const char *title;          /* one of the 20 titles, "Autre", or "" */
	const char *custom_title;   /* "Ajoutez un titre personnalisé" */
	const char *description;
	bool done;                  /* "Terminée" (default) or "À faire" */
	const char *due_date;       /* "Date de l'action", YYYY-MM-DD (À faire) */
	const char *done_date;      /* "Date de réalisation", YYYY-MM-DD (Terminée) */
};

/* One message per field, NULL when the field is fine; count = how many are set. */
struct action_form_errors {
	const char *category, *title, *custom_title, *description, *due_date, *done_date;
	int count;
};

/* Checks @f for a beneficiary whose structure is in zone @tz at @now. Messages are the
 * spec's, arena-owned when they carry dates. Returns the number of errors. */
int actions_form_check(struct arena *a, const struct action_form *f, int64_t now,
		       const char *tz, struct action_form_errors *e);

/* The title to store: the custom one for "Autre", else the chosen one. */
const char *actions_form_title(const struct action_form *f);
/* The civil day the form chose (due or completion date). */
int64_t actions_form_day(const struct action_form *f);

/* The comment a counselor sends about an action (@body trimmed by the caller): 0, or the
 * refusal (400) "Le commentaire n’a pas été envoyé" when empty or over
 * ACTION_COMMENT_MAX characters. */
int actions_form_check_comment(const char *body, struct refusal *why);

#endif
