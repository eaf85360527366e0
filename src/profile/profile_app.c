/* profile_app.c — the beneficiary reads their profile, sets "Partager mes offres suivies"
 * and "Gérer tes notifications", and may delete their account by typing "supprimer". A beneficiary only ever reaches their own record (r->user). */
#include "profile/profile_app.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/text.h"
#include "beneficiaries/beneficiaries.h"
#include "record/record.h"
#include "core/ctx.h"
#include "profile/profile.h"
#include "view/view.h"
#include "view/vm.h"

#include <stddef.h>
#include <string.h>

int
profile_app_page(struct req *r)
{
	struct record rec;
	int rc = record_load(ctx_db(r), r->a, r->user->id, &rec);
	if (rc)
		return rc;
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Mon profil");
	vm_set_str(data, "nav", "profil");
	vm_set_strf(data, "name", "%s %s", rec.first_name, text_upper(r->a, rec.last_name));
	vm_set_str(data, "email", rec.email);
	vm_set_str(data, "structure", rec.structure_name);
	vm_set_strf(data, "counselor", "%s %s", rec.counselor_first_name,
		    text_upper(r->a, rec.counselor_last_name));
	vm_set_str(data, "dispositif", rec.dispositif);
	vm_set_str_opt(data, "cej_end_date",
		       rec.cej_end_date ? clock_fr_date(r->a, rec.cej_end_date) : NULL);
	struct app_prefs prefs;
	rc = profile_app_prefs_load(ctx_db(r), r->user->id, &prefs);
	if (rc)
		return rc;
	vm_set_bool(data, "share", prefs.share_favorites);
	return view_page(r, 200, "profile/app_profile.html", data);
}

static int
delete_form(struct req *r, int status, const char *error)
{
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Suppression de compte");
	vm_set_str_opt(data, "error", error);
	return view_page(r, status, "profile/app_delete.html", data);
}

int
profile_app_delete_page(struct req *r)
{
	return delete_form(r, 200, NULL);
}

/* The confirmation must be the word itself, whatever its case and surrounding spaces. */
static bool
confirmed(struct req *r, const char *typed)
{
	const char *t = text_trim(r->a, typed);
	return t && g_ascii_strcasecmp(t, "supprimer") == 0;
}

int
profile_app_delete(struct req *r)
{
	struct record rec;
	if (!confirmed(r, req_form(r, "confirmation")))
		return delete_form(r, 400, "Champ invalide. Vérifie que tu as bien tapé “supprimer”");
	int rc = record_load(ctx_db(r), r->a, r->user->id, &rec);
	if (!rc)
		rc = beneficiaries_self_delete(req_ctx(r), ctx_db(r), r->a, &rec, clock_now_ms());
	if (rc)
		return rc;
	session_close(r);
	return view_redirect_flash(r, "/app", "compte-app-supprime", NULL);
}

int
profile_app_share_post(struct req *r)
{
	bool on;
	int rc = profile_sound_parse(req_form(r, "partage_favoris"), &on);
	if (!rc)
		rc = profile_app_set_share(ctx_db(r), r->user->id, on);
	if (rc)
		return rc;
	/* Back to the switch itself: with JavaScript the form is sent on change. */
	return view_redirect_flash(r, "/app/profil#partage",
				   on ? "partage-favoris-active" : "partage-favoris-desactive", NULL);
}

/* The five switches of §10, in the spec's order: the form's field, the label, the hint. */
static const struct {
	const char *name, *label, *hint;
	size_t off;
} switches[] = {
	{"messages", "Messages", "Les nouveaux messages de ton conseiller",
	 offsetof(struct app_prefs, messages)},
	{"alertes_offres", "Alertes", "De nouvelles offres correspondant à tes alertes enregistrées",
	 offsetof(struct app_prefs, alertes_offres)},
	{"creation_action_conseiller", "Mon suivi", "Création d’une action par ton conseiller",
	 offsetof(struct app_prefs, creation_action_conseiller)},
	{"rendez_vous_sessions", "Rendez-vous et sessions",
	 "Inscription, modification ou suppression par ton conseiller",
	 offsetof(struct app_prefs, rendez_vous_sessions)},
	{"rappel_actions", "Rappels", "Rappel de complétion des actions (1 fois par semaine)",
	 offsetof(struct app_prefs, rappel_actions)},
};

static bool *
switch_of(struct app_prefs *p, size_t i)
{
	return (bool *)((char *)p + switches[i].off);
}

int
profile_app_notifications_page(struct req *r)
{
	struct app_prefs prefs;
	int rc = profile_app_prefs_load(ctx_db(r), r->user->id, &prefs);
	if (rc)
		return rc;
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Gérer tes notifications");
	vm_set_str(data, "nav", "profil");
	struct vm *list = vm_set_list(data, "switches");
	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++) {
		struct vm *o = vm_push_obj(list);
		vm_set_str(o, "name", switches[i].name);
		vm_set_str(o, "label", switches[i].label);
		vm_set_str(o, "hint", switches[i].hint);
		vm_set_bool(o, "on", *switch_of(&prefs, i));
	}
	return view_page(r, 200, "profile/app_notifications.html", data);
}

int
profile_app_notifications_post(struct req *r)
{
	struct app_prefs prefs = {0};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof(switches) / sizeof(switches[0]); i++)
		rc = profile_sound_parse(req_form(r, switches[i].name), switch_of(&prefs, i));
	if (!rc)
		rc = profile_app_set_notifications(ctx_db(r), r->user->id, &prefs);
	if (rc)
		return rc;
	return view_redirect_flash(r, "/app/profil/notifications", "notifications-app-enregistrees",
				   NULL);
}
