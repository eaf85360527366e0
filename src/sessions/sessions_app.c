/* sessions_app.c — the young person's session pages (sessions_app.h): parse, open with his
 * rights (sessions_app_use.h), render. Links and one plain form: no JavaScript needed. */
#include "sessions/sessions_app.h"

#include "sessions/sessions_app_use.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/ctx.h"
#include "http/http.h"
#include "messaging/messaging.h"
#include "view/app_event.h"
#include "view/refusal.h"
#include "view/view.h"
#include "view/vm.h"

/* "1 h 30", "2 h", "45 min". */
static const char *
duration_fr(struct arena *a, int64_t minutes)
{
	if (minutes < 60)
		return arena_printf(a, "%d min", (int)minutes);
	if (minutes % 60)
		return arena_printf(a, "%d h %02d", (int)(minutes / 60), (int)(minutes % 60));
	return arena_printf(a, "%d h", (int)(minutes / 60));
}

/* What the session's page and the request page show of @s: never the deadline nor the
 * places left (agenda.md §7). */
static void
set_session(struct req *r, struct vm *page, const struct app_session *s)
{
	const char *tz = r->user->timezone;
	const struct imilo_session *x = &s->s;
	vm_set_str(page, "session_id", x->id);
	vm_set_str(page, "session_title", x->nom);
	vm_set_str_opt(page, "offer", x->offre.nom);
	vm_set_str(page, "type", sessions_app_type_label(&x->offre));
	vm_set_str(page, "day", view_day_title(r->a, clock_day_of(x->starts_at, tz)));
	vm_set_str(page, "start", clock_fr_time(r->a, x->starts_at, tz));
	vm_set_str(page, "end", clock_fr_time(r->a, x->ends_at, tz));
	vm_set_str(page, "duration", duration_fr(r->a, (x->ends_at - x->starts_at) / 60000));
	vm_set_str_opt(page, "place", x->lieu);
	vm_set_str_opt(page, "animator", x->animateur);
	vm_set_str_opt(page, "theme", x->offre.theme);
	vm_set_str_opt(page, "description", x->offre.description);
	vm_set_str_opt(page, "partner", x->offre.partenaire);
	vm_set_str_opt(page, "comment", x->commentaire);
	vm_set_bool(page, "registered", s->registered);
	vm_set_bool(page, "incomplete", !s->complete);
	/* Self-registration only (agenda.md §7): then the places are his business too. */
	vm_set_bool(page, "self_registration", s->self_registration);
	vm_set_bool(page, "open", s->open);
	vm_set_bool(page, "full", s->self_registration && x->places == 0);
	vm_set_str_opt(page, "places", !s->self_registration || x->places <= 0 ? NULL
				       : x->places == 1 ? "1 place restante"
				       : arena_printf(r->a, "%d places restantes", x->places));
}

static int
refused(struct req *r, const struct refusal *why)
{
	return view_refusal(r, why, "evenements", "/app/evenements", "Retour aux événements");
}

int
sessions_app_page(struct req *r)
{
	struct app_session s;
	struct refusal why = {0};
	int rc = sessions_app_open(req_ctx(r), ctx_db(r), r->a, r->user, req_param(r, "id"), &s, &why);
	if (rc)
		return why.message ? refused(r, &why) : rc;
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Détail de l’événement");
	vm_set_str(page, "nav", "evenements");
	set_session(r, page, &s);
	return view_page(r, 200, "sessions/app_session.html", page);
}

static int
request_form(struct req *r, int status, const struct app_session *s, const char *text,
	     const char *error)
{
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Partage d’événement");
	vm_set_str(page, "nav", "evenements");
	set_session(r, page, s);
	vm_set_str(page, "message", text);
	vm_set_str_opt(page, "error", error);
	return view_page(r, status, "sessions/app_request.html", page);
}

int
sessions_app_request_page(struct req *r)
{
	struct app_session s;
	struct refusal why = {0};
	int rc = sessions_app_open(req_ctx(r), ctx_db(r), r->a, r->user, req_param(r, "id"), &s, &why);
	if (rc)
		return why.message ? refused(r, &why) : rc;
	/* "Complet" leads here with the full session's own words (agenda.md §7). */
	const char *full = req_query(r, "complet");
	return request_form(r, 200, &s, full ? SESSIONS_APP_FULL_TEXT : MSG_SESSION_SHARE_DEFAULT_TEXT,
			    NULL);
}

int
sessions_app_request_post(struct req *r)
{
	struct refusal why = {0};
	const char *id = req_param(r, "id"), *text = req_form(r, "message");
	int rc = sessions_app_request(req_ctx(r), ctx_db(r), r->a, r->user, clock_now_ms(), id,
				      text ? text : "", &why);
	if (rc && why.field) {   /* the text: the form again, as he wrote it */
		struct app_session s;
		struct refusal again = {0};
		if (sessions_app_open(req_ctx(r), ctx_db(r), r->a, r->user, id, &s, &again) == 0)
			return request_form(r, why.status, &s, text ? text : "", why.message);
	}
	if (rc) {
		/* youth-app.md §7: "Erreur lors de la demande d'inscription", "Revenir au détail". */
		why = (struct refusal){.status = why.status ? why.status : 503,
				       .title = SESSIONS_APP_REQUEST_FAILED,
				       .message = why.message ? why.message
							      : "Ta demande n’a pas pu être envoyée. "
								"Réessaie dans quelques instants."};
		return view_refusal(r, &why, "evenements",
				    arena_printf(r->a, "/app/evenements/sessions/%s", id),
				    "Revenir au détail");
	}
	resp_redirect(r, arena_printf(r->a, "/app/evenements/sessions/%s/demande/envoyee", id));
	return 0;
}

int
sessions_app_requested_page(struct req *r)
{
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Demande d’inscription");
	vm_set_str(page, "nav", "evenements");
	return view_page(r, 200, "sessions/app_requested.html", page);
}

int
sessions_app_self_post(struct req *r)
{
	struct refusal why = {0};
	const char *id = req_param(r, "id");
	int rc = sessions_app_self_register(req_ctx(r), ctx_db(r), r->a, r->user, clock_now_ms(),
					    id, &why);
	if (rc)
		return why.message ? view_refusal(r, &why, "evenements",
						  arena_printf(r->a, "/app/evenements/sessions/%s", id),
						  "Revenir au détail")
				   : rc;
	resp_redirect(r, arena_printf(r->a, "/app/evenements/sessions/%s/inscription/confirmee", id));
	return 0;
}

int
sessions_app_self_done_page(struct req *r)
{
	struct app_session s;
	struct refusal why = {0};
	int rc = sessions_app_open(req_ctx(r), ctx_db(r), r->a, r->user, req_param(r, "id"), &s, &why);
	if (rc)
		return why.message ? refused(r, &why) : rc;
	if (!s.registered) {
		why = (struct refusal){.status = 404, .title = "Événement introuvable",
				       .message = SESSIONS_APP_GONE};
		return refused(r, &why);
	}
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Inscription confirmée");
	vm_set_str(page, "nav", "evenements");
	set_session(r, page, &s);
	return view_page(r, 200, "sessions/app_registered.html", page);
}
