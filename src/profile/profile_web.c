/* profile_web.c — /profil for counselors: parse, call, render. A counselor only ever
 * reaches their own profile (r->user). */
#include "profile/profile_web.h"

#include "auth/login.h"
#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "help/help.h"
#include "profile/profile.h"
#include "core/ctx.h"
#include "view/view.h"

int
profile_page(struct req *r)
{
	struct counselor_profile p;
	const char *roles[2];
	int rc = profile_load(ctx_db(r), r->a, r->user->id, &p);
	if (rc)
		return rc;
	int n = profile_roles(p.supervisor, roles);
	json_t *role_list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(role_list, json_string(roles[i]));
	json_t *data = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s, s:o, s:b}", "title", "Mon profil",
		"nav", "profil", "name", arena_printf(r->a, "%s %s", p.first_name, p.last_name),
		"email", p.email, "imilo_login", p.imilo_login, "structure", p.structure_name,
		"roles", role_list, "sound", p.sound_notifications);
	if (profile_email_missing(p.email))
		json_object_set_new(data, "email_warning", json_string(PROFILE_EMAIL_MISSING));
	help_mobile_access(r, data);
	return view_page(r, 200, "profile/profile.html", data);
}

int
profile_sound_post(struct req *r)
{
	bool on;
	int rc = profile_sound_parse(req_form(r, "notifications_sonores"), &on);
	if (!rc)
		rc = profile_set_sound(ctx_db(r), r->user->id, on);
	if (rc)
		return rc;
	/* Back to the switch itself: with JavaScript the form is sent on change. */
	return view_redirect_flash(r, "/profil#notifications", on ? "notifications-sonores-activees"
								   : "notifications-sonores-desactivees", NULL);
}

int
profile_mobile_welcome_post(struct req *r)
{
	int rc = profile_mobile_welcome_done(ctx_db(r), r->user->id, clock_now_ms());
	if (rc)
		return rc;
	/* "Terminer" goes back to the page the modal covered, "Créer un raccourci" to its
	 * instructions: the button's value, a local path only. */
	resp_redirect(r, login_safe_return(req_form(r, "retour"), "/messagerie"));
	return 0;
}
