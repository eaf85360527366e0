/* offers_alerts_view.c — the criteria's recap (offers_alerts_view.h). */
#include "offers/offers_alerts_view.h"

#include "base/arena.h"
#include "base/clock.h"
#include "offers/offers_search.h"
#include "view/vm.h"

#include <glib.h>

static void
item(struct vm *out, const char *label, const char *value)
{
	struct vm *o = vm_push_obj(out);
	vm_set_str(o, "label", label);
	vm_set_str(o, "value", value);
}

static const char *
contracts(struct arena *a, unsigned bits)
{
	static const char *const names[] = {"CDI", "CDD - intérim - saisonnier", "Autres"};
	GString *s = g_string_new(NULL);
	for (int i = 0; i < 3; i++)
		if (bits & (1u << i))
			g_string_append_printf(s, "%s%s", s->len ? ", " : "", names[i]);
	const char *out = arena_strdup(a, s->str);
	g_string_free(s, TRUE);
	return out;
}

void
offers_alerts_recap(const struct offers_criteria *c, const char *place_label, struct vm *out)
{
	struct arena *a = vm_arena(out);
	item(out, "Type d’offre", offer_type_label(c->type));
	if (c->number) {
		item(out, "Numéro d’offre", c->number);
		return;
	}
	if (c->keywords)
		item(out, c->type == OFFER_IMMERSION ? "Métier" : "Mots clés", c->keywords);
	if (place_label)
		item(out, c->commune ? "Commune" : "Département", place_label);
	if (c->commune)
		item(out, "Distance", arena_printf(a, "%d km", c->distance_km));
	if (c->contracts)
		item(out, "Type de contrat", contracts(a, c->contracts));
	if (c->work_times)
		item(out, "Temps de travail",
		     c->work_times == OFFERS_TIME_FULL ? "Temps plein" : "Temps partiel");
	if (c->beginner)
		item(out, "Débutant accepté", "Oui");
	if (c->domain)
		item(out, "Domaine", c->domain->label);
	if (c->type == OFFER_SERVICE_CIVIQUE)
		item(out, "Date de début", c->start_from
		     ? arena_printf(a, "À partir du %s", clock_fr_date(a, c->start_from))
		     : "Dès que possible");
}

const char *
offers_alerts_recap_line(const struct offers_criteria *c, const char *place_label,
			 struct vm *owner)
{
	struct arena *a = vm_arena(owner);
	if (c->number)
		return arena_printf(a, "Offre n°%s", c->number);
	GString *s = g_string_new(NULL);
	if (c->keywords)
		g_string_append(s, c->keywords);
	if (place_label)
		g_string_append_printf(s, "%s%s", s->len ? " · " : "", place_label);
	if (c->commune)
		g_string_append_printf(s, " · %d km", c->distance_km);
	if (c->contracts)
		g_string_append_printf(s, "%s%s", s->len ? " · " : "", contracts(a, c->contracts));
	if (c->work_times)
		g_string_append_printf(s, "%s%s", s->len ? " · " : "",
				       c->work_times == OFFERS_TIME_FULL ? "Temps plein" : "Temps partiel");
	if (c->beginner)
		g_string_append_printf(s, "%sDébutant accepté", s->len ? " · " : "");
	if (c->domain)
		g_string_append_printf(s, "%s%s", s->len ? " · " : "", c->domain->label);
	if (c->start_from)
		g_string_append_printf(s, "%sÀ partir du %s", s->len ? " · " : "",
				       clock_fr_date(a, c->start_from));
	const char *out = arena_strdup(a, s->str);
	g_string_free(s, TRUE);
	return out;
}
