/* actions_form.c — the checks of the counselor's action form (actions.md §8). */
#include "actions/actions_form.h"

#include "actions/actions.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"

#include <glib.h>
#include <string.h>

static bool
empty(const char *s)
{
	return !s || !*s;
}

/* A date field: empty, outside the window of §2, or fine. */
static const char *
check_date(struct arena *a, const char *value, const char *field, const char *empty_text,
	   int64_t now, const char *tz)
{
	if (empty(value))
		return empty_text;
	int64_t day = clock_day_parse(value), first, last;
	if (action_day_in_window(day, now, tz))
		return NULL;
	action_date_window(now, tz, &first, &last);
	return arena_printf(a, "Le champ “%s” est invalide. La date attendue est comprise entre "
			    "le %s et le %s.", field, clock_day_fr(a, first), clock_day_fr(a, last));
}

int
actions_form_check(struct arena *a, const struct action_form *f, int64_t now, const char *tz,
		   struct action_form_errors *e)
{
	memset(e, 0, sizeof(*e));
	if (empty(f->category) || !action_category(f->category))
		e->category = "Le champ “Catégorie” est vide. Renseignez une catégorie.";
	bool other = f->title && !strcmp(f->title, ACTION_FORM_OTHER);
	if (empty(f->title) || (!other && !action_title_predefined(f->title)))
		e->title = "Le champ “Titre de l’action” est vide. Renseignez un titre.";
	else if (other && empty(f->custom_title))
		e->custom_title = "Le champ “Titre personnalisé” est vide. Renseignez un titre "
				  "personnalisé.";
	else if (other && g_utf8_strlen(f->custom_title, -1) > ACTION_FORM_TEXT_MAX)
		e->custom_title = "Le titre personnalisé ne doit pas dépasser 250 caractères.";
	if (f->description && g_utf8_strlen(f->description, -1) > ACTION_FORM_TEXT_MAX)
		e->description = "La description ne doit pas dépasser 250 caractères.";
	if (f->done)
		e->done_date = check_date(a, f->done_date, "Date de réalisation",
					  "Le champ “Date de réalisation” est vide. Renseignez une "
					  "date de réalisation.", now, tz);
	else
		e->due_date = check_date(a, f->due_date, "Date de l’action",
					 "Le champ “Date de l’action” est vide. Renseignez une date "
					 "de l’action.", now, tz);
	const char *all[] = {e->category, e->title, e->custom_title, e->description,
			     e->due_date, e->done_date};
	for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
		e->count += all[i] != NULL;
	return e->count;
}

const char *
actions_form_title(const struct action_form *f)
{
	return f->title && !strcmp(f->title, ACTION_FORM_OTHER) ? f->custom_title : f->title;
}

int64_t
actions_form_day(const struct action_form *f)
{
	return clock_day_parse(f->done ? f->done_date : f->due_date);
}

int
actions_form_check_comment(const char *body, struct refusal *why)
{
	const char *title = "Le commentaire n’a pas été envoyé";
	if (empty(body))
		return refuse_with(why, 400, "commentaire", title,
				   "Veuillez saisir un message à envoyer au bénéficiaire.");
	if (g_utf8_strlen(body, -1) > ACTION_COMMENT_MAX)
		return refuse_with(why, 400, "commentaire", title,
				   "Le commentaire ne doit pas dépasser 1024 caractères.");
	return 0;
}
