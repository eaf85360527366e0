/* actions.c — the pure rules of actions (spec/actions.md §1–§5). */
#include "actions/actions.h"

#include "base/arena.h"
#include "base/clock.h"

#include <glib.h>
#include <string.h>

#define DAY_MS (24 * 3600 * 1000LL)

const struct action_category action_categories[ACTION_CATEGORY_COUNT] = {
	{"EMPLOI", "Emploi", "Emploi", "Recherches, candidatures", 3},
	{"PROJET_PROFESSIONNEL", "Projet Professionnel", "Projet pro",
	 "Définir un projet professionnel", 2},
	{"CULTURE_SPORT_LOISIRS", "Loisir, sport, culture", "Sport et loisirs",
	 "Cours de sport, salle, sorties", 2},
	{"CITOYENNETE", "Citoyenneté", "Citoyenneté", "Démarches, passer le permis", 2},
	{"FORMATION", "Formation", "Formation", "En présentiel ou en ligne", 3},
	{"LOGEMENT", "Logement", "Logement", "Recherches de logement", 2},
	{"SANTE", "Santé", "Santé", "Rendez-vous médicaux", 2},
};

const char *const action_titles[ACTION_TITLE_COUNT] = {
	"Identifier ses atouts et ses compétences",
	"Identifier des pistes de métier",
	"Identifier des entreprises",
	"Contacter un employeur pour effectuer une période d’immersion en entreprise",
	"Effectuer une enquête métier",
	"Participer à un salon / un forum",
	"S’informer sur une formation",
	"Contacter un organisme de formation",
	"Ouvrir son compte personnel de formation",
	"Mettre à jour son CV",
	"Rédiger une lettre de motivation",
	"Consulter les offres d’emploi",
	"Répondre à une offre d’emploi",
	"Effectuer des candidatures spontanées",
	"Tenir un tableau de prospection",
	"Se rendre à un entretien d’embauche",
	"Rechercher des informations pour créer ou reprendre une entreprise",
	"Contacter la mission locale",
	"Contacter un organisme de prestations sociales (ex CAF, CPAM, MSA)",
	"S’informer pour une mobilité à l’étranger",
};

const struct action_category *
action_category(const char *code)
{
	for (int i = 0; code && i < ACTION_CATEGORY_COUNT; i++)
		if (!strcmp(action_categories[i].code, code))
			return &action_categories[i];
	return NULL;
}

bool
action_title_predefined(const char *title)
{
	for (int i = 0; title && i < ACTION_TITLE_COUNT; i++)
		if (!strcmp(action_titles[i], title))
			return true;
	return false;
}

static const char *const wire[] = {"not_started", "in_progress", "done", "canceled"};

const char *
action_status_wire(enum action_status s)
{
	return wire[s];
}

int
action_status_parse(const char *w)
{
	for (int i = 0; w && i < 4; i++)
		if (!strcmp(wire[i], w))
			return i;
	return -1;
}

bool
action_is_late(const struct action *a, int64_t now)
{
	return (a->status == ACTION_NOT_STARTED || a->status == ACTION_IN_PROGRESS) &&
	       a->due_at < now;
}

enum action_display
action_display(const struct action *a, int64_t now)
{
	if (a->q_code)
		return DISPLAY_QUALIFIED;
	if (a->status == ACTION_DONE)
		return a->cej ? DISPLAY_TO_QUALIFY : DISPLAY_DONE;
	if (a->status == ACTION_CANCELED)
		return DISPLAY_CANCELED;
	return action_is_late(a, now) ? DISPLAY_LATE : DISPLAY_TODO;
}

static const char *const display_labels[DISPLAY_COUNT] = {
	"À faire", "En retard", "Terminée", "À qualifier", "Qualifiée", "Annulée"};
static const char *const display_codes[DISPLAY_COUNT] = {
	"a_faire", "en_retard", "terminee", "a_qualifier", "qualifiee", "annulee"};

const char *
action_display_label(enum action_display d)
{
	return display_labels[d];
}

const char *
action_display_code(enum action_display d)
{
	return display_codes[d];
}

int
action_display_parse(const char *code)
{
	for (int i = 0; code && i < DISPLAY_COUNT; i++)
		if (!strcmp(display_codes[i], code))
			return i;
	return -1;
}

const char *
action_app_label(const struct action *a, int64_t now)
{
	if (a->q_code || a->status == ACTION_DONE)
		return "Terminée";
	if (a->status == ACTION_CANCELED)
		return "Annulée";
	if (action_is_late(a, now))
		return "En retard";
	return a->status == ACTION_IN_PROGRESS ? "En cours" : "À faire";
}

int64_t
action_due_at(int64_t day, const char *tz)
{
	return clock_day_at(day, ACTION_DUE_HOUR, ACTION_DUE_MINUTE, tz);
}

void
action_date_window(int64_t now, const char *tz, int64_t *first, int64_t *last)
{
	int64_t today = clock_day_of(now, tz);
	*first = clock_day_add_months(today, -12) - 1;
	*last = clock_day_add_months(today, 24);
}

bool
action_day_in_window(int64_t day, int64_t now, const char *tz)
{
	int64_t first, last;
	action_date_window(now, tz, &first, &last);
	return day != CLOCK_NO_DAY && day >= first && day <= last;
}

int64_t
action_display_at(const struct action *a)
{
	return a->status == ACTION_DONE && a->completed_at ? a->completed_at : a->due_at;
}

bool
action_may_edit(const struct action *a, enum action_actor who)
{
	(void)who;  /* both sides may change the status of any of the beneficiary's actions */
	return a->q_code == NULL;
}

bool
action_may_edit_content(const struct action *a, enum action_actor who)
{
	if (a->q_code)
		return false;
	return who == ACTOR_COUNSELOR || !a->by_counselor;
}

enum action_delete_verdict
action_may_delete(const struct action *a, enum action_actor who)
{
	if (a->by_counselor != (who == ACTOR_COUNSELOR))
		return DELETE_FORBIDDEN;
	if (a->status == ACTION_DONE || a->q_code || a->comments > 0)
		return DELETE_REFUSED;
	return DELETE_OK;
}

static bool
open_status(const struct action *a)
{
	return a->status != ACTION_DONE && a->status != ACTION_CANCELED;
}

bool
action_reminder_wanted(const struct action *a, int64_t now)
{
	return a->reminder && open_status(a) && !a->q_code &&
	       clock_day_of(a->due_at, a->timezone) > clock_day_of(now, a->timezone) + 3;
}

int64_t
action_reminder_at(const struct action *a)
{
	/* 09:30 three civil days before, not due_at − 72 h: a DST change in between must not
	 * move the reminder to 08:30 or 10:30. */
	return action_due_at(clock_day_of(a->due_at, a->timezone) - 3, a->timezone);
}

bool
action_reminder_still_due(const struct action *a, int64_t now)
{
	return a->reminder && open_status(a) && !a->q_code &&
	       clock_day_of(a->due_at, a->timezone) - clock_day_of(now, a->timezone) == 3;
}

const char *
action_qualify_refusal(const struct action *a)
{
	if (!a->cej)
		return "Les actions des bénéficiaires PACEA ne sont pas qualifiables.";
	if (a->q_code)
		return "Cette action est déjà qualifiée.";
	if (a->status != ACTION_DONE)
		return "Seule une action terminée peut être qualifiée.";
	return NULL;
}

char *
action_qualify_default_comment(struct arena *ar, const struct action *a)
{
	const char *s = a->description && *a->description
		? arena_printf(ar, "%s - %s", a->title, a->description) : a->title;
	if (g_utf8_strlen(s, -1) <= ACTION_QUALIFY_COMMENT_MAX)
		return arena_strdup(ar, s);
	const char *end = g_utf8_offset_to_pointer(s, ACTION_QUALIFY_COMMENT_MAX);
	return arena_strndup(ar, s, (size_t)(end - s));
}

int
action_snp_hours(const char *code)
{
	if (code && !strcmp(code, "NON_SNP"))
		return 0;
	const struct action_category *c = action_category(code);
	return c ? c->snp_hours : -1;
}

const char *
action_batch_refusal(const char *const *beneficiaries, const char *const *categories, int n)
{
	for (int i = 1; i < n; i++)
		if (strcmp(beneficiaries[i], beneficiaries[0]))
			return "Vous ne pouvez pas qualifier les actions de plusieurs bénéficiaires. "
			       "Sélectionnez seulement un ou une bénéficiaire.";
	for (int i = 0; i < n; i++)
		if (!categories[i])
			return "Vous ne pouvez pas qualifier une ou plusieurs actions sans catégorie. "
			       "Cliquez sur l’action pour pouvoir la modifier et lui ajouter une "
			       "catégorie.";
	for (int i = 1; i < n; i++)
		if (strcmp(categories[i], categories[0]))
			return "Vous ne pouvez pas qualifier en une seule fois des actions de catégories "
			       "différentes. Sélectionnez des actions d’une même catégorie.";
	return NULL;
}

bool
action_auto_non_snp_due(const struct action *a, int64_t now)
{
	if (!a->cej || a->q_code || a->status == ACTION_CANCELED)
		return false;
	int64_t today = clock_day_of(now, a->timezone);
	int64_t limit = clock_day_at(clock_day_add_months(today, -ACTION_AUTO_NON_SNP_MONTHS),
				     0, 0, a->timezone) + (now - clock_day_at(today, 0, 0, a->timezone));
	return a->due_at < limit;
}
