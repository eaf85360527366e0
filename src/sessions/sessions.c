/* sessions.c — the pure rules of sessions.h. */
#include "sessions/sessions.h"

#include <glib.h>
#include <string.h>


static bool
is(const char *statut, const char *value)
{
	return statut && !strcmp(statut, value);
}

bool
sessions_statut_is_known(const char *statut)
{
	return is(statut, "ONGOING") || is(statut, "REFUSAL") || is(statut, "REFUSAL_YOUNG")
	       || is(statut, "ACHIEVED");
}

bool
sessions_statut_is_refusal(const char *statut)
{
	return is(statut, "REFUSAL") || is(statut, "REFUSAL_YOUNG");
}

bool
sessions_statut_is_participant(const char *statut)
{
	return !sessions_statut_is_refusal(statut);
}

/* An unknown statut is an Inscrit (§5.5): it still holds a place and still has to be
 * marked. */
static bool
is_registered(const char *statut)
{
	return !sessions_statut_is_refusal(statut) && !is(statut, "ACHIEVED");
}

const char *
sessions_statut_label(const char *statut)
{
	if (is(statut, "ACHIEVED"))
		return "Présent";
	if (is(statut, "REFUSAL"))
		return "Refus tiers";
	if (is(statut, "REFUSAL_YOUNG"))
		return "Refus jeune";
	return "Inscrit";
}

enum session_status
sessions_status(int64_t starts_at, int64_t closed_at, const char *const *statuts, int n,
		int64_t now)
{
	if (closed_at)
		return SESSION_CLOSED;
	if (starts_at > now)
		return SESSION_UPCOMING;
	for (int i = 0; i < n; i++)
		if (is_registered(statuts[i]))
			return SESSION_TO_CLOSE;
	return SESSION_CLOSED;
}

bool
sessions_should_auto_close(int64_t starts_at, int64_t closed_at, const char *const *statuts,
			   int n, int64_t now)
{
	return !closed_at && sessions_status(starts_at, 0, statuts, n, now) == SESSION_CLOSED;
}

const char *
sessions_status_label(enum session_status s)
{
	switch (s) {
	case SESSION_UPCOMING:
		return "À venir";
	case SESSION_TO_CLOSE:
		return "À clore";
	case SESSION_CLOSED:
		break;
	}
	return "Close";
}

int
sessions_remaining(int places, const struct stage_change *changes, int n)
{
	if (places < 0)
		return -1;
	int left = places;
	for (int i = 0; i < n; i++) {
		const struct stage_change *c = &changes[i];
		switch (c->action) {
		case STAGE_CREATE:
		case STAGE_REREGISTER:
			left--;
			break;
		case STAGE_DELETE:
		case STAGE_REFUSAL:
		case STAGE_REFUSAL_YOUNG:
			if (sessions_statut_is_participant(c->statut))
				left++;
			break;
		case STAGE_NONE:
			break;
		}
	}
	return left;
}

/* Is @c a change its row may take? Désinscrire on Inscrit or Présent rows, Réinscrire on
 * refused ones, a comment only with "Refus jeune". */
static bool
fits_row(const struct stage_change *c)
{
	bool has_comment = c->comment && *c->comment;
	if (has_comment && (c->action != STAGE_REFUSAL_YOUNG
			    || g_utf8_strlen(c->comment, -1) > SESSIONS_COMMENT_MAX))
		return false;
	switch (c->action) {
	case STAGE_DELETE:
	case STAGE_REFUSAL:
	case STAGE_REFUSAL_YOUNG:
		return sessions_statut_is_participant(c->statut);
	case STAGE_REREGISTER:
		return sessions_statut_is_refusal(c->statut);
	case STAGE_CREATE:
		return c->statut == NULL;
	case STAGE_NONE:
		break;
	}
	return true;
}

const char *
sessions_stage_check(const struct stage_change *changes, int n, int places, bool open)
{
	bool takes_place = false;
	for (int i = 0; i < n; i++) {
		if (!fits_row(&changes[i]))
			return "Cette modification n’est pas possible pour ce bénéficiaire.";
		takes_place |= changes[i].action == STAGE_CREATE
			       || changes[i].action == STAGE_REREGISTER;
	}
	if (takes_place && !open)
		return "Les inscriptions ne sont plus possibles car la date limite est atteinte.";
	if (takes_place && places >= 0 && sessions_remaining(places, changes, n) < 0)
		return "Il n'y a plus assez de places disponibles pour cette session.";
	return NULL;
}

static int
rank(enum stage_action a)
{
	switch (a) {
	case STAGE_DELETE:
		return 0;
	case STAGE_REFUSAL:
	case STAGE_REFUSAL_YOUNG:
		return 1;
	case STAGE_REREGISTER:
		return 2;
	case STAGE_CREATE:
		return 3;
	case STAGE_NONE:
		break;
	}
	return -1;
}

int
sessions_write_order(const struct stage_change *changes, int n, int *order)
{
	int k = 0;
	for (int r = 0; r <= 3; r++)
		for (int i = 0; i < n; i++)
			if (rank(changes[i].action) == r)
				order[k++] = i;
	return k;
}

const char *
sessions_close_statut(const char *statut, bool checked, const char **comment)
{
	*comment = NULL;
	if (checked)
		return is(statut, "ACHIEVED") ? NULL : "ACHIEVED";
	if (is_registered(statut)) {
		*comment = "Absence";
		return "REFUSAL_YOUNG";
	}
	return NULL;
}
