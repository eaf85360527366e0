/* actions_app_form.c — the checks of the beneficiary's action forms (actions.md §8). */
#include "actions/actions_app_form.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#define CATEGORY_REQUIRED "Choisis une catégorie pour continuer"
#define TITLE_REQUIRED "L’intitulé de l’action doit être renseigné"
#define TITLE_TOO_LONG "La limite de 60 caractères a été atteinte"
#define TEXT_TOO_LONG "La limite de 1024 caractères a été atteinte"
#define DATE_REQUIRED "La date est obligatoire"
#define FIELDS_REQUIRED "Remplis tous les champs"
#define COMMENT_REQUIRED "Écris ton commentaire avant de l’envoyer"

static long
text_length(const char *s)
{
	return s ? g_utf8_strlen(s, -1) : 0;
}

/* The day chosen with a shortcut (@when: "aujourdhui", "demain", "hier") or typed in
 * @date. NULL when it is a day of the window (*@day set), else the message. */
static const char *
chosen_day(struct arena *a, const char *when, const char *date, int64_t now, const char *tz,
	   int64_t *day)
{
	int64_t today = clock_day_of(now, tz), first, last;
	if (!g_strcmp0(when, "aujourdhui"))
		*day = today;
	else if (!g_strcmp0(when, "demain"))
		*day = today + 1;
	else if (!g_strcmp0(when, "hier"))
		*day = today - 1;
	else if (!date || !*date)
		return DATE_REQUIRED;
	else
		*day = clock_day_parse(date);
	if (action_day_in_window(*day, now, tz))
		return NULL;
	action_date_window(now, tz, &first, &last);
	return arena_printf(a, "La date doit être comprise entre le %s et le %s.",
			    clock_day_fr(a, first), clock_day_fr(a, last));
}

/* The title and the description (step 2, and the edit). */
static void
check_text(struct arena *a, const struct action_app_form *f, struct action_app_values *out,
	   struct action_app_errors *e)
{
	out->title = NULL;
	if (!g_strcmp0(f->title, ACTION_APP_OTHER)) {
		const char *t = text_trim(a, f->other);
		if (!t || !*t)
			e->titre_autre = TITLE_REQUIRED;
		else if (text_length(t) > ACTION_APP_TITLE_MAX)
			e->titre_autre = TITLE_TOO_LONG;
		else
			out->title = t;
	} else {
		for (int i = 0; f->title && i < ACTION_TITLE_COUNT; i++) {
			char n[4];
			snprintf(n, sizeof(n), "%d", i + 1);
			if (!strcmp(f->title, n))
				out->title = action_titles[i];
		}
		if (!out->title)
			e->titre = TITLE_REQUIRED;
	}
	const char *d = text_trim(a, f->description);
	out->description = d ? d : "";
	if (text_length(out->description) > ACTION_DESCRIPTION_MAX)
		e->description = TEXT_TOO_LONG;
}

static int
count(struct action_app_errors *e)
{
	const char *all[] = {e->categorie, e->titre, e->titre_autre, e->description, e->statut,
			     e->date};
	e->count = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
		e->count += all[i] != NULL;
	return e->count;
}

int
actions_app_check_new(struct arena *a, const struct action_app_form *f, int through,
		      int64_t now, const char *tz, struct action_app_values *out,
		      struct action_app_errors *e)
{
	memset(e, 0, sizeof(*e));
	memset(out, 0, sizeof(*out));
	out->category = f->category;
	if (!action_category(f->category))
		e->categorie = CATEGORY_REQUIRED;
	if (count(e) || through < ACTION_APP_STEP_ACTION)
		return e->count ? ACTION_APP_STEP_CATEGORY : 0;
	check_text(a, f, out, e);
	if (count(e) || through < ACTION_APP_STEP_WHEN)
		return e->count ? ACTION_APP_STEP_ACTION : 0;
	if (!g_strcmp0(f->status, "en_cours"))
		out->status = ACTION_IN_PROGRESS;
	else if (!g_strcmp0(f->status, "terminee"))
		out->status = ACTION_DONE;
	else
		e->statut = FIELDS_REQUIRED;
	e->date = chosen_day(a, f->when, f->date, now, tz, &out->day);
	return count(e) ? ACTION_APP_STEP_WHEN : 0;
}

int
actions_app_check_edit(struct arena *a, const struct action_app_form *f, int64_t now,
		       const char *tz, struct action_app_values *out, struct action_app_errors *e)
{
	memset(e, 0, sizeof(*e));
	memset(out, 0, sizeof(*out));
	check_text(a, f, out, e);
	bool category = f->category && *f->category;
	if (category && !action_category(f->category))
		e->categorie = CATEGORY_REQUIRED;
	out->category = category ? f->category : NULL;
	if (!g_strcmp0(f->status, "terminee"))
		out->status = ACTION_DONE;
	else if (!g_strcmp0(f->status, "annulee"))
		out->status = ACTION_CANCELED;
	else if (!g_strcmp0(f->status, "en_cours"))
		out->status = ACTION_IN_PROGRESS;
	else
		e->statut = FIELDS_REQUIRED;
	e->date = chosen_day(a, NULL, f->date, now, tz, &out->day);
	return count(e);
}

int
actions_app_check_finish(struct arena *a, const char *when, const char *date, int64_t now,
			 const char *tz, int64_t *day, struct refusal *why)
{
	const char *err = chosen_day(a, when, date, now, tz, day);
	return err ? refuse_with(why, 400, "terminer", NULL, err) : 0;
}

int
actions_app_check_comment(const char *body, struct refusal *why)
{
	if (!body || !*body)
		return refuse_with(why, 400, "commentaire", NULL, COMMENT_REQUIRED);
	if (text_length(body) > ACTION_COMMENT_MAX)
		return refuse_with(why, 400, "commentaire", NULL, TEXT_TOO_LONG);
	return 0;
}

const char *
actions_app_title_choice(struct arena *a, const char *title)
{
	for (int i = 0; title && i < ACTION_TITLE_COUNT; i++)
		if (!strcmp(title, action_titles[i]))
			return arena_printf(a, "%d", i + 1);
	return ACTION_APP_OTHER;
}
