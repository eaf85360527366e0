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
#include "view/vm.h"

int
profile_page(struct req *r)
{
	struct counselor_profile p;
	const char *roles[2];
	int rc = profile_load(ctx_db(r), r->a, r->user->id, &p);
	if (rc)
		return rc;
	int n = profile_roles(p.supervisor, roles);
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Mon profil");
	vm_set_str(data, "nav", "profil");
	vm_set_strf(data, "name", "%s %s", p.first_name, p.last_name);
	vm_set_str_opt(data, "email", p.email);
	vm_set_str_opt(data, "imilo_login", p.imilo_login);
	vm_set_str(data, "structure", p.structure_name);
	struct vm *role_list = vm_set_list(data, "roles");
	for (int i = 0; i < n; i++)
		vm_push_str(role_list, roles[i]);
	vm_set_bool(data, "sound", p.sound_notifications);
	vm_set_str_opt(data, "email_warning",
		       profile_email_missing(p.email) ? PROFILE_EMAIL_MISSING : NULL);
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
