/* sim_desk_page.c — the "i-milo desk" as a page, for a human (a developer, a tester, a demo
 * presenter): the sessions of a structure and their registrants, a dossier's rendez-vous
 * and the last events of the feed, with forms to change them. Plain HTML built here (the
 * simulator has no template engine), no JavaScript.
 *
 * Every change goes through the desk API's own handler (sim_desk.c, found in
 * sim_desk_routes by method and pattern): the form becomes the JSON body the API reads, so
 * the rules, the refusals and the feed events are those of the API, never a second copy.
 * A refusal shows the API's French message next to the form (the page again, with the
 * API's status); a success redirects (303) to the page, saying which events were written.
 *
 * Access (sim_desk_page_admit, sim_desk_page_access in sim_rules.h): GET /_admin/guichet
 * ?jeton=TOKEN sets an HttpOnly, SameSite=Strict cookie holding the admin token; the pages
 * then accept that cookie (or the X-Admin-Token header). Every form carries the token in a
 * hidden field that must equal the cookie (double submit). */
#include "sim/sim_internal.h"
#include "sim/sim_agenda_store.h"
#include "sim/sim_rules.h"
#include "sim/sim_store.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/text.h"
#include "db/db.h"
#include "http/http.h"

#include <string.h>

#define COOKIE "sim_guichet"
#define PAGE "/_admin/guichet"
#define PERIOD_DAYS 30
#define SESSIONS_MAX 200
#define EVENTS_SHOWN 50

static const struct {
	const char *code, *name;
} structures[] = {
	{"29019S00", "Brest"},
	{"75056S00", "Paris"},
	{"97411S00", "Sud Réunion"},
};

static const char *const instance_statuts[] = {"ONGOING", "REFUSAL", "REFUSAL_YOUNG", "ACHIEVED"};
static const char *const rdv_statuts[] = {"Planifié", "Présent", "Absent", "Annulé", "Reporté",
					  "Non précisé"};

/* Messages of a success, named in the redirect's "fait" (never free text from the URL). */
static const struct {
	const char *key, *text;
} done_texts[] = {
	{"session-creee", "Session créée."},
	{"session-modifiee", "Session modifiée."},
	{"session-supprimee", "Session supprimée."},
	{"inscription-creee", "Dossier inscrit."},
	{"inscription-modifiee", "Statut de l'inscription changé."},
	{"inscription-supprimee", "Inscription supprimée."},
	{"rdv-cree", "Rendez-vous créé."},
	{"rdv-modifie", "Rendez-vous modifié."},
	{"rdv-supprime", "Rendez-vous supprimé."},
};

/* What the page shows: the structure and period, the dossier, and the outcome of the last
 * change (a success from the redirect, or a refusal to show next to form @err_form). */
struct view {
	const char *structure;
	const char *du;
	char to[11], prev[11], next[11];
	const char *dossier;       /* digits, or NULL */
	const char *done;          /* a done_texts key, or NULL */
	const char *events;        /* "TYPE ACTION" of the events written, or NULL */
	int events_n;
	const char *err_form, *err_msg;
	struct req *posted;        /* the refused form's values, shown again in its form */
};

/* ---- small HTML helpers ---- */

static void
h(GString *o, const char *s)
{
	text_append_html(o, s);
}

static const char *
structure_name(const char *code)
{
	for (size_t i = 0; i < G_N_ELEMENTS(structures); i++)
		if (!strcmp(structures[i].code, code))
			return structures[i].name;
	return NULL;
}

/* A query or form value (the view travels in both). */
static const char *
arg(struct req *r, const char *name)
{
	return !strcmp(r->method, "POST") ? req_form(r, name) : req_query(r, name);
}

static void
view_read(struct req *r, struct view *v)
{
	const char *structure = arg(r, "structure"), *du = arg(r, "du"), *dossier = arg(r, "dossier");
	const char *ev = req_query(r, "ev"), *n = req_query(r, "n");
	GDateTime *now = g_date_time_new_now_local();

	memset(v, 0, sizeof(*v));
	v->structure = structure && structure_name(structure) ? structure : structures[0].code;
	v->du = du;
	if (!sim_desk_period(v->du, PERIOD_DAYS, v->to, v->prev, v->next)) {
		gchar *today = g_date_time_format(now, "%Y-%m-%d");
		v->du = arena_strdup(r->a, today);
		g_free(today);
		sim_desk_period(v->du, PERIOD_DAYS, v->to, v->prev, v->next);
	}
	g_date_time_unref(now);
	v->dossier = text_is_digits(dossier, 11) ? dossier : NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(done_texts); i++)
		if (!g_strcmp0(req_query(r, "fait"), done_texts[i].key))
			v->done = done_texts[i].text;
	if (ev && g_regex_match_simple("^(SESSION|RDV|DOSSIER) (CREATE|UPDATE|DELETE)$", ev, 0, 0))
		v->events = ev;
	v->events_n = text_is_digits(n, 5) ? atoi(n) : 0;
}

/* The page's address for @v with @extra appended (already encoded). Arena-owned. */
static char *
view_url(struct req *r, const struct view *v, const char *du, const char *extra)
{
	return arena_printf(r->a, PAGE "?structure=%s&du=%s%s%s%s", v->structure, du ? du : v->du,
			    v->dossier ? "&dossier=" : "", v->dossier ? v->dossier : "",
			    extra ? extra : "");
}

/* The value a field shows: what was just refused in form @key, else @current. */
static const char *
value_of(const struct view *v, const char *key, const char *name, const char *current)
{
	if (v->posted && v->err_form && !strcmp(v->err_form, key))
		return req_form(v->posted, name);
	return current;
}

/* "2026-12-10 09:00:00" as a datetime-local value "2026-12-10T09:00:00". */
static const char *
input_time(struct req *r, const char *naive)
{
	char *s = naive ? arena_strdup(r->a, naive) : NULL;

	if (s && strlen(s) > 10 && s[10] == ' ')
		s[10] = 'T';
	return s;
}

/* The hidden fields of every form: the double-submit token and the view to come back to. */
static void
form_open(GString *o, struct req *r, const struct view *v, const char *action, const char *key)
{
	struct sim *s = r->app;

	g_string_append(o, "<form method=\"post\" novalidate id=\"form-");
	h(o, key);
	g_string_append(o, "\" action=\"");
	h(o, action);
	g_string_append(o, "\"><input type=\"hidden\" name=\"jeton\" value=\"");
	h(o, s->admin_token);
	g_string_append_printf(o, "\"><input type=\"hidden\" name=\"structure\" value=\"%s\">"
			       "<input type=\"hidden\" name=\"du\" value=\"%s\">",
			       v->structure, v->du);
	if (v->dossier)
		g_string_append_printf(o, "<input type=\"hidden\" name=\"dossier\" value=\"%s\">",
				       v->dossier);
	if (v->err_form && !strcmp(v->err_form, key)) {
		g_string_append(o, "<p class=\"erreur\" role=\"alert\">");
		h(o, v->err_msg);
		g_string_append(o, "</p>");
	}
}

/* A labelled input; @id unique in the page. */
static void
field(GString *o, const char *id, const char *label, const char *name, const char *type,
      const char *value)
{
	g_string_append_printf(o, "<p class=\"champ\"><label for=\"%s\">", id);
	h(o, label);
	g_string_append_printf(o, "</label> <input id=\"%s\" name=\"%s\" type=\"%s\" value=\"", id,
			       name, type);
	h(o, value);
	g_string_append(o, "\"></p>");
}

/* A labelled select of @options (values shown as they are). */
static void
choice(GString *o, const char *id, const char *label, const char *name,
       const char *const *options, size_t n, const char *value)
{
	g_string_append_printf(o, "<p class=\"champ\"><label for=\"%s\">", id);
	h(o, label);
	g_string_append_printf(o, "</label> <select id=\"%s\" name=\"%s\">", id, name);
	for (size_t i = 0; i < n; i++) {
		g_string_append(o, "<option");
		if (!g_strcmp0(options[i], value))
			g_string_append(o, " selected");
		g_string_append(o, ">");
		h(o, options[i]);
		g_string_append(o, "</option>");
	}
	g_string_append(o, "</select></p>");
}

static void
button(GString *o, const char *label)
{
	g_string_append(o, "<p><button type=\"submit\">");
	h(o, label);
	g_string_append(o, "</button></p></form>");
}

/* ---- the sessions ---- */

/* The fields of a session's form (@prefix makes the ids unique; @s NULL: a new one). */
static void
session_fields(GString *o, struct req *r, const struct view *v, const char *key,
	       const char *prefix, const struct sim_session *s, const struct sim_offre *offres,
	       int n_offres)
{
	char *id = arena_printf(r->a, "%s-offre", prefix);
	const char *offre = s ? arena_printf(r->a, "%lld", (long long)s->offre_id) : NULL;
	const char *places = NULL;

	if (s && s->capacity >= 0)
		places = arena_printf(r->a, "%lld", (long long)s->capacity);
	offre = value_of(v, key, "offreId", offre);

	g_string_append_printf(o, "<p class=\"champ\"><label for=\"%s\">Offre</label> "
			       "<select id=\"%s\" name=\"offreId\">", id, id);
	for (int i = 0; i < n_offres; i++) {
		char *val = arena_printf(r->a, "%lld", (long long)offres[i].id);
		g_string_append_printf(o, "<option value=\"%s\"%s>", val,
				       !g_strcmp0(val, offre) ? " selected" : "");
		h(o, offres[i].nom);
		g_string_append(o, " (");
		h(o, offres[i].type);
		g_string_append(o, ")</option>");
	}
	g_string_append(o, "</select></p>");
#define F(suffix, label, name, type, current)                                                   \
	field(o, arena_printf(r->a, "%s-" suffix, prefix), label, name, type,                  \
	      value_of(v, key, name, current))
	F("nom", "Nom (obligatoire)", "nom", "text", s ? s->nom : NULL);
	F("debut", "Début (obligatoire)", "dateHeureDebut", "datetime-local",
	  s ? input_time(r, s->debut) : NULL);
	F("fin", "Fin (obligatoire)", "dateHeureFin", "datetime-local", s ? input_time(r, s->fin) : NULL);
	F("limite", "Date limite d'inscription", "dateMaxInscription", "date", s ? s->date_max : NULL);
	F("animateur", "Animateur", "animateur", "text", s ? s->animateur : NULL);
	F("lieu", "Lieu", "lieu", "text", s ? s->lieu : NULL);
	F("places", "Places (vide : illimitées)", "nbPlaces", "text", places);
#undef F
}

static void
registrants_table(GString *o, struct req *r, const struct view *v, const struct sim_session *s,
		  const struct sim_instance *items, int n)
{
	g_string_append_printf(o, "<div class=\"defile\" tabindex=\"0\" role=\"region\" "
			       "aria-label=\"Inscrits de la session %lld\"><table><caption>Inscrits de la session %lld"
			       "</caption><thead><tr><th scope=\"col\">Dossier</th><th scope=\"col\">"
			       "Nom</th><th scope=\"col\">Statut</th><th scope=\"col\">Changer le "
			       "statut</th><th scope=\"col\">Supprimer</th></tr></thead><tbody>",
			       (long long)s->id, (long long)s->id);
	for (int k = 0; k < n; k++) {
		const struct sim_instance *i = &items[k];
		char *key = arena_printf(r->a, "inscription-%lld", (long long)i->id);
		char *act = arena_printf(r->a, PAGE "/inscriptions/%lld/", (long long)i->id);

		g_string_append_printf(o, "<tr><th scope=\"row\">%lld</th><td>", (long long)i->dossier_id);
		h(o, i->prenom);
		g_string_append(o, " ");
		h(o, i->nom);
		g_string_append(o, "</td><td>");
		h(o, i->statut);
		if (i->commentaire) {
			g_string_append(o, " (");
			h(o, i->commentaire);
			g_string_append(o, ")");
		}
		if (i->date_debut_reelle) {
			g_string_append(o, ", début réel ");
			h(o, i->date_debut_reelle);
		}
		g_string_append(o, "</td><td>");
		form_open(o, r, v, arena_printf(r->a, "%smodifier", act), key);
		choice(o, arena_printf(r->a, "%s-statut", key), "Statut", "statut", instance_statuts,
		       G_N_ELEMENTS(instance_statuts), value_of(v, key, "statut", i->statut));
		field(o, arena_printf(r->a, "%s-commentaire", key), "Commentaire (REFUSAL_YOUNG)",
		      "commentaire", "text", value_of(v, key, "commentaire", i->commentaire));
		field(o, arena_printf(r->a, "%s-date", key), "Date de début réelle (ACHIEVED)",
		      "dateDebutReelle", "date", value_of(v, key, "dateDebutReelle", i->date_debut_reelle));
		button(o, arena_printf(r->a, "Changer le statut du dossier %lld à la session %lld",
				       (long long)i->dossier_id, (long long)s->id));
		g_string_append(o, "</td><td>");
		form_open(o, r, v, arena_printf(r->a, "%ssupprimer", act), arena_printf(r->a, "%s-x", key));
		button(o, arena_printf(r->a, "Supprimer l'inscription du dossier %lld à la session %lld",
				       (long long)i->dossier_id, (long long)s->id));
		g_string_append(o, "</td></tr>");
	}
	if (!n)
		g_string_append(o, "<tr><td colspan=\"5\">Aucun inscrit.</td></tr>");
	g_string_append(o, "</tbody></table></div>");
}

/* One session: what it is, its registrants, and the forms that change it. */
static int
session_block(GString *o, struct req *r, const struct view *v, const struct sim_session *s,
	      const struct sim_offre *offres, int n_offres)
{
	struct sim_instance *items;
	int n, rc = sim_store_instance_list(sim_db(r), r->a, s->id, &items, &n);
	long long id = (long long)s->id;
	char *key;

	if (rc)
		return rc;
	g_string_append_printf(o, "<section aria-labelledby=\"session-%lld\"><h3 id=\"session-%lld\">"
			       "Session %lld — ", id, id, id);
	h(o, s->nom);
	g_string_append(o, "</h3>");
	registrants_table(o, r, v, s, items, n);
	key = arena_printf(r->a, "inscrire-%lld", id);
	form_open(o, r, v, arena_printf(r->a, PAGE "/sessions/%lld/inscriptions", id), key);
	field(o, arena_printf(r->a, "%s-dossier", key), "Numéro de dossier", "idDossier", "text",
	      value_of(v, key, "idDossier", NULL));
	choice(o, arena_printf(r->a, "%s-statut", key), "Statut", "statut", instance_statuts,
	       G_N_ELEMENTS(instance_statuts), value_of(v, key, "statut", "ONGOING"));
	button(o, arena_printf(r->a, "Inscrire à la session %lld", id));
	key = arena_printf(r->a, "session-%lld", id);
	g_string_append_printf(o, "<details%s><summary>Modifier la session %lld</summary>",
			       v->err_form && !strcmp(v->err_form, key) ? " open" : "", id);
	form_open(o, r, v, arena_printf(r->a, PAGE "/sessions/%lld/modifier", id), key);
	session_fields(o, r, v, key, arena_printf(r->a, "s%lld", id), s, offres, n_offres);
	button(o, arena_printf(r->a, "Enregistrer la session %lld", id));
	g_string_append(o, "</details>");
	form_open(o, r, v, arena_printf(r->a, PAGE "/sessions/%lld/supprimer", id),
		  arena_printf(r->a, "session-%lld-x", id));
	button(o, arena_printf(r->a, "Supprimer la session %lld", id));
	g_string_append(o, "</section>");
	return 0;
}

static void
sessions_table(GString *o, const struct view *v, const struct sim_session *items, int n)
{
	g_string_append(o, "<div class=\"defile\" tabindex=\"0\" role=\"region\" aria-label=\"Sessions "
			   "de la période\"><table><caption>Sessions de ");
	h(o, structure_name(v->structure));
	g_string_append_printf(o, " (%s) du %s au %s</caption><thead><tr><th scope=\"col\">N°</th>"
			       "<th scope=\"col\">Offre</th><th scope=\"col\">Nom</th><th scope=\"col\">"
			       "Début</th><th scope=\"col\">Fin</th><th scope=\"col\">Places restantes"
			       "</th><th scope=\"col\">Date limite</th><th scope=\"col\">Places prises</th>"
			       "</tr></thead><tbody>", v->structure, v->du, v->to);
	for (int k = 0; k < n; k++) {
		const struct sim_session *s = &items[k];
		int64_t left = sim_places_left(s->capacity, s->taken);

		g_string_append_printf(o, "<tr><th scope=\"row\"><a href=\"#session-%lld\">%lld</a></th><td>",
				       (long long)s->id, (long long)s->id);
		h(o, s->offre.nom);
		g_string_append(o, "</td><td>");
		h(o, s->nom);
		g_string_append(o, "</td><td>");
		h(o, s->debut);
		g_string_append(o, "</td><td>");
		h(o, s->fin);
		if (left < 0)
			g_string_append(o, "</td><td>illimitées</td><td>");
		else
			g_string_append_printf(o, "</td><td>%lld sur %lld</td><td>", (long long)left,
					       (long long)s->capacity);
		h(o, s->date_max ? s->date_max : "aucune");
		g_string_append_printf(o, "</td><td>%lld</td></tr>", (long long)s->taken);
	}
	if (!n)
		g_string_append(o, "<tr><td colspan=\"8\">Aucune session sur cette période.</td></tr>");
	g_string_append(o, "</tbody></table></div>");
}

static void
period_form(GString *o, struct req *r, const struct view *v)
{
	g_string_append(o, "<form method=\"get\" action=\"" PAGE "\"><p class=\"champ\">"
			   "<label for=\"structure\">Structure</label> <select id=\"structure\" "
			   "name=\"structure\">");
	for (size_t i = 0; i < G_N_ELEMENTS(structures); i++)
		g_string_append_printf(o, "<option value=\"%s\"%s>%s — %s</option>", structures[i].code,
				       !strcmp(structures[i].code, v->structure) ? " selected" : "",
				       structures[i].code, structures[i].name);
	g_string_append_printf(o, "</select></p><p class=\"champ\"><label for=\"du\">Du</label> "
			       "<input id=\"du\" name=\"du\" type=\"date\" value=\"%s\"></p>", v->du);
	if (v->dossier)
		g_string_append_printf(o, "<input type=\"hidden\" name=\"dossier\" value=\"%s\">",
				       v->dossier);
	g_string_append(o, "<p><button type=\"submit\">Afficher les sessions</button></p></form>"
			   "<p><a href=\"");
	h(o, view_url(r, v, v->prev, NULL));
	g_string_append(o, "#sessions\">Période précédente</a> · <a href=\"");
	h(o, view_url(r, v, v->next, NULL));
	g_string_append(o, "#sessions\">Période suivante</a></p>");
}

static int
sessions_section(GString *o, struct req *r, const struct view *v)
{
	struct sim_session_query q = {.structure_code = v->structure, .from = v->du, .to = v->to,
				      .limit = SESSIONS_MAX};
	struct sim_session *items;
	struct sim_offre *offres;
	int n, n_offres, rc;
	int64_t total;

	rc = sim_store_session_search(sim_db(r), r->a, &q, &items, &n, &total);
	if (!rc)
		rc = sim_store_offre_list(sim_db(r), r->a, &offres, &n_offres);
	if (rc)
		return rc;
	g_string_append(o, "<section aria-labelledby=\"sessions\"><h2 id=\"sessions\">Sessions</h2>");
	period_form(o, r, v);
	sessions_table(o, v, items, n);
	if (total > n)
		g_string_append_printf(o, "<p>Les %d premières sur %lld : raccourcissez la période.</p>",
				       n, (long long)total);
	for (int k = 0; k < n && !rc; k++)
		rc = session_block(o, r, v, &items[k], offres, n_offres);
	if (rc)
		return rc;
	g_string_append(o, "<section aria-labelledby=\"creer-session\"><h3 id=\"creer-session\">"
			   "Créer une session à ");
	h(o, structure_name(v->structure));
	g_string_append(o, "</h3>");
	form_open(o, r, v, PAGE "/sessions", "nouvelle-session");
	session_fields(o, r, v, "nouvelle-session", "ns", NULL, offres, n_offres);
	button(o, "Créer la session");
	g_string_append(o, "</section></section>");
	return 0;
}

/* ---- the rendez-vous of a dossier ---- */

static void
rdv_row(GString *o, struct req *r, const struct view *v, const struct sim_rdv *d)
{
	long long id = (long long)d->id;
	char *key = arena_printf(r->a, "rdv-%lld", id);

	g_string_append_printf(o, "<tr><th scope=\"row\">%lld</th><td>", id);
	h(o, d->debut);
	g_string_append(o, "</td><td>");
	h(o, d->fin ? d->fin : "—");
	g_string_append(o, "</td><td>");
	h(o, d->objet);
	g_string_append(o, "</td><td>");
	h(o, d->conseiller);
	g_string_append(o, "</td><td>");
	h(o, d->type);
	g_string_append(o, "</td><td>");
	h(o, d->statut);
	g_string_append(o, "</td><td>");
	h(o, d->lieu ? d->lieu : "—");
	g_string_append(o, "</td><td>");
	form_open(o, r, v, arena_printf(r->a, PAGE "/rdv/%lld/modifier", id), key);
	choice(o, arena_printf(r->a, "%s-statut", key), "Statut", "statut", rdv_statuts,
	       G_N_ELEMENTS(rdv_statuts), value_of(v, key, "statut", d->statut));
	field(o, arena_printf(r->a, "%s-debut", key), "Début", "dateHeureDebut", "datetime-local",
	      value_of(v, key, "dateHeureDebut", input_time(r, d->debut)));
	field(o, arena_printf(r->a, "%s-fin", key), "Fin", "dateHeureFin", "datetime-local",
	      value_of(v, key, "dateHeureFin", input_time(r, d->fin)));
	button(o, arena_printf(r->a, "Modifier le rendez-vous %lld", id));
	g_string_append(o, "</td><td>");
	form_open(o, r, v, arena_printf(r->a, PAGE "/rdv/%lld/supprimer", id),
		  arena_printf(r->a, "%s-x", key));
	button(o, arena_printf(r->a, "Supprimer le rendez-vous %lld", id));
	g_string_append(o, "</td></tr>");
}

static void
rdv_create_form(GString *o, struct req *r, const struct view *v)
{
	const char *key = "nouveau-rdv";

	g_string_append_printf(o, "<h3 id=\"creer-rdv\">Créer un rendez-vous pour le dossier %s</h3>",
			       v->dossier);
	form_open(o, r, v, arena_printf(r->a, PAGE "/dossiers/%s/rdv", v->dossier), key);
#define F(id, label, name, type) field(o, "nr-" id, label, name, type, value_of(v, key, name, NULL))
	F("debut", "Début (obligatoire)", "dateHeureDebut", "datetime-local");
	F("fin", "Fin", "dateHeureFin", "datetime-local");
	F("objet", "Objet (obligatoire)", "objet", "text");
	F("conseiller", "Conseiller (obligatoire)", "conseiller", "text");
	F("type", "Type (obligatoire, ex. Entretien individuel)", "type", "text");
#undef F
	choice(o, "nr-statut", "Statut", "statut", rdv_statuts, G_N_ELEMENTS(rdv_statuts),
	       value_of(v, key, "statut", "Planifié"));
	field(o, "nr-lieu", "Lieu", "lieu", "text", value_of(v, key, "lieu", NULL));
	field(o, "nr-commentaire", "Commentaire", "commentaire", "text",
	      value_of(v, key, "commentaire", NULL));
	button(o, "Créer le rendez-vous");
}

static int
rdv_section(GString *o, struct req *r, const struct view *v)
{
	struct sim_rdv *items = NULL;
	int n = 0, rc = 0;

	g_string_append_printf(o, "<section aria-labelledby=\"rdv\"><h2 id=\"rdv\">Rendez-vous d'un "
			       "dossier</h2><form method=\"get\" action=\"" PAGE "#rdv\">"
			       "<input type=\"hidden\" name=\"structure\" value=\"%s\">"
			       "<input type=\"hidden\" name=\"du\" value=\"%s\"><p class=\"champ\">"
			       "<label for=\"dossier\">Numéro de dossier</label> <input id=\"dossier\" "
			       "name=\"dossier\" type=\"text\" inputmode=\"numeric\" value=\"%s\"></p>"
			       "<p><button type=\"submit\">Afficher ses rendez-vous</button></p></form>",
			       v->structure, v->du, v->dossier ? v->dossier : "");
	if (v->dossier)
		rc = sim_store_rdv_list(sim_db(r), r->a, g_ascii_strtoll(v->dossier, NULL, 10), &items, &n);
	if (rc || !v->dossier) {
		g_string_append(o, "</section>");
		return rc;
	}
	g_string_append_printf(o, "<div class=\"defile\" tabindex=\"0\" role=\"region\" "
			       "aria-label=\"Rendez-vous du dossier\"><table><caption>Rendez-vous du dossier %s"
			       "</caption><thead><tr><th scope=\"col\">N°</th><th scope=\"col\">Début"
			       "</th><th scope=\"col\">Fin</th><th scope=\"col\">Objet</th><th scope="
			       "\"col\">Conseiller</th><th scope=\"col\">Type</th><th scope=\"col\">"
			       "Statut</th><th scope=\"col\">Lieu</th><th scope=\"col\">Modifier</th>"
			       "<th scope=\"col\">Supprimer</th></tr></thead><tbody>", v->dossier);
	for (int k = 0; k < n; k++)
		rdv_row(o, r, v, &items[k]);
	if (!n)
		g_string_append(o, "<tr><td colspan=\"10\">Aucun rendez-vous.</td></tr>");
	g_string_append(o, "</tbody></table></div>");
	rdv_create_form(o, r, v);
	g_string_append(o, "</section>");
	return 0;
}

/* ---- the feed ---- */

static int
events_section(GString *o, struct req *r)
{
	struct sim_event *items;
	int n, rc = sim_store_event_list_newest(sim_db(r), r->a, EVENTS_SHOWN, &items, &n);

	if (rc)
		return rc;
	g_string_append_printf(o, "<section aria-labelledby=\"flux\"><h2 id=\"flux\">Flux d'événements"
			       "</h2><div class=\"defile\" tabindex=\"0\" role=\"region\" aria-label=\"Derniers "
			       "événements\"><table><caption>Les %d derniers événements, "
			       "du plus récent au plus ancien</caption><thead><tr><th scope=\"col\">"
			       "N°</th><th scope=\"col\">Date (UTC)</th><th scope=\"col\">Dossier</th>"
			       "<th scope=\"col\">Type</th><th scope=\"col\">Action</th><th scope="
			       "\"col\">idType</th><th scope=\"col\">Acquitté</th></tr></thead><tbody>",
			       EVENTS_SHOWN);
	for (int k = 0; k < n; k++) {
		const struct sim_event *e = &items[k];
		GDateTime *at = g_date_time_new_from_unix_utc(e->at / 1000);
		gchar *when = g_date_time_format(at, "%Y-%m-%d %H:%M:%S");

		g_string_append_printf(o, "<tr><th scope=\"row\">%lld</th><td>%s</td><td>%lld</td><td>",
				       (long long)e->seq, when, (long long)e->dossier_id);
		h(o, e->type);
		g_string_append(o, "</td><td>");
		h(o, e->action);
		if (e->id_type >= 0)
			g_string_append_printf(o, "</td><td>%lld", (long long)e->id_type);
		else
			g_string_append(o, "</td><td>—");
		g_string_append_printf(o, "</td><td>%s</td></tr>", e->acked_at ? "oui" : "non");
		g_free(when);
		g_date_time_unref(at);
	}
	if (!n)
		g_string_append(o, "<tr><td colspan=\"7\">Aucun événement.</td></tr>");
	g_string_append(o, "</tbody></table></div></section>");
	return 0;
}

/* ---- the page ---- */

static void
page_head(GString *o, const char *title)
{
	g_string_append(o, "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
			   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
			   "<title>");
	h(o, title);
	g_string_append(o, "</title><link rel=\"stylesheet\" href=\"" PAGE "/style.css\"></head>"
			   "<body><header><p>Simulateur i-milo — outil de développement et de "
			   "démonstration</p></header><main>");
}

static void
outcome(GString *o, const struct view *v)
{
	if (v->err_msg && v->err_form) {
		g_string_append(o, "<div class=\"erreur\" role=\"alert\"><p>Refusé par le guichet : ");
		h(o, v->err_msg);
		g_string_append(o, " <a href=\"#form-");
		h(o, v->err_form);  /* holds the path's {id}, whatever was sent */
		g_string_append(o, "\">Voir le formulaire</a></p></div>");
	}
	if (!v->done)
		return;
	g_string_append(o, "<div class=\"fait\" role=\"status\"><p>");
	h(o, v->done);
	if (v->events && v->events_n == 1)
		g_string_append_printf(o, " Événement %s émis.", v->events);
	else if (v->events && v->events_n > 1)
		g_string_append_printf(o, " %d événements %s émis.", v->events_n, v->events);
	else
		g_string_append(o, " Aucun événement émis (aucun dossier concerné).");
	g_string_append(o, "</p></div>");
}

/* Renders the whole page with @status (200, or a refusal's status). */
static int
page(struct req *r, const struct view *v, int status)
{
	GString *o = g_string_sized_new(64 * 1024);
	int rc;

	page_head(o, v->err_msg ? "Refusé — Guichet i-milo" : "Guichet i-milo");
	g_string_append(o, "<h1>Guichet i-milo</h1><p>Ce qu'un conseiller fait dans i-milo même : "
			   "chaque changement écrit son événement dans le flux, que cej lit.</p>"
			   "<nav aria-label=\"Sur cette page\"><ul><li><a href=\"#sessions\">Sessions"
			   "</a></li><li><a href=\"#rdv\">Rendez-vous d'un dossier</a></li><li>"
			   "<a href=\"#flux\">Flux d'événements</a></li></ul></nav>");
	outcome(o, v);
	rc = sessions_section(o, r, v);
	if (!rc)
		rc = rdv_section(o, r, v);
	if (!rc)
		rc = events_section(o, r);
	if (rc) {
		g_string_free(o, TRUE);
		return rc;
	}
	g_string_append(o, "</main></body></html>");
	resp_html_take(r, status, o);
	return 0;
}

static void
refusal_page(struct req *r, int status, const char *title, const char *text)
{
	GString *o = g_string_new(NULL);

	page_head(o, title);
	g_string_append(o, "<h1>");
	h(o, title);
	g_string_append(o, "</h1><p>");
	h(o, text);
	g_string_append(o, "</p></main></body></html>");
	resp_html_take(r, status, o);
}

int
sim_desk_page_admit(struct req *r)
{
	struct sim *s = r->app;
	bool post = !strcmp(r->method, "POST");
	const char *jeton = post ? NULL : req_query(r, "jeton");
	int status = jeton ? sim_desk_page_access(s->admin_token, jeton, NULL, NULL, false)
			   : sim_desk_page_access(s->admin_token, req_header(r, "X-Admin-Token"),
						  req_cookie(r, COOKIE), req_form(r, "jeton"), post);

	if (status == 401)
		refusal_page(r, 401, "Jeton d'administration requis",
			     "Ouvrez le guichet une première fois par " PAGE "?jeton=… avec le jeton "
			     "d'administration du simulateur (option --admin-token, réglage "
			     "sim_admin_token).");
	else if (status == 403)
		refusal_page(r, 403, "Formulaire refusé",
			     "Le jeton du formulaire ne correspond pas à celui du navigateur : "
			     "rechargez le guichet puis recommencez.");
	return status ? 1 : 0;
}

/* GET /_admin/guichet: with ?jeton (already checked), the cookie then the page without it. */
static int
desk_page(struct req *r)
{
	struct sim *s = r->app;
	struct view v;

	if (req_query(r, "jeton")) {
		resp_redirect(r, PAGE);
		resp_header(r, "Set-Cookie", arena_printf(r->a, COOKIE "=%s; Path=" PAGE "; HttpOnly; "
							  "SameSite=Strict", s->admin_token));
		return 0;
	}
	view_read(r, &v);
	return page(r, &v, 200);
}

static const char stylesheet[] =
	"body{font-family:system-ui,sans-serif;margin:0 auto;padding:0 1rem;max-width:80rem;"
	"line-height:1.4}header p{color:#444}table{border-collapse:collapse;margin:.5rem 0}"
	"th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}"
	"caption{text-align:left;font-weight:bold}.defile{overflow-x:auto;max-width:100%}"
	".champ{margin:.25rem 0}input,select{max-width:100%}label{display:inline-block;"
	"min-width:12rem}.erreur{color:#a00;font-weight:bold}.fait{color:#060;font-weight:bold}"
	"section section{border-top:1px solid #ccc;margin-top:1rem}";

static int
desk_page_style(struct req *r)
{
	resp_bytes(r, 200, "text/css; charset=utf-8", stylesheet, sizeof(stylesheet) - 1);
	return 0;
}

/* ---- the changes, through the desk API's handlers ---- */

struct outcome {
	int status;
	const char *message;       /* the API's refusal, or NULL */
	int events_n;              /* events the change wrote */
	const char *events;        /* "TYPE ACTION" of the newest, or NULL */
};

static http_handler
api_handler(const char *method, const char *pattern)
{
	for (size_t i = 0; i < sim_desk_routes_count; i++)
		if (!strcmp(sim_desk_routes[i].method, method) &&
		    !strcmp(sim_desk_routes[i].pattern, pattern))
			return sim_desk_routes[i].handler;
	return NULL;
}

/* Reads the refusal's "message" out of the API's JSON answer. */
static const char *
api_message(struct req *r)
{
	json_t *root = r->out ? json_loadb(r->out->str, r->out->len, 0, NULL) : NULL;
	const char *m = json_string_value(json_object_get(root, "message"));
	char *out = arena_printf(r->a, "%s", m ? m : "Refusé.");

	json_decref(root);
	return out;
}

/* Runs the API handler of @method @pattern with @body (stolen; NULL: none) as the request
 * body, the path's {id} shared with the page's route. Fills @o. Negative err on failure. */
static int
api_call(struct req *r, const char *method, const char *pattern, json_t *body, struct outcome *o)
{
	http_handler handler = api_handler(method, pattern);
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	struct sim_counts before, after;
	struct sim_event *newest;
	int n, rc = handler ? sim_store_counts(sim_db(r), &before) : -ERR_INVAL;

	memset(o, 0, sizeof(*o));
	r->body = text ? arena_strdup(r->a, text) : NULL;
	r->body_len = text ? strlen(text) : 0;
	free(text);
	json_decref(body);
	if (!rc)
		rc = handler(r);
	if (rc < 0)
		return rc;
	o->status = r->status;
	if (o->status >= 300) {
		o->message = api_message(r);
		return 0;
	}
	rc = sim_store_counts(sim_db(r), &after);
	o->events_n = rc ? 0 : (int)(after.events - before.events);
	if (!rc && o->events_n > 0)
		rc = sim_store_event_list_newest(sim_db(r), r->a, 1, &newest, &n);
	if (!rc && o->events_n > 0 && n == 1)
		o->events = arena_printf(r->a, "%s %s", newest->type, newest->action);
	return rc;
}

/* The change of a form: its API route, its form's key (where a refusal shows, "%s" the
 * route's {id}), and its done_texts key. */
struct change {
	const char *method, *pattern;
	const char *form_key;
	const char *done;
};

static int
change_run(struct req *r, const struct change *c, json_t *body)
{
	struct outcome o;
	struct view v;
	int rc = api_call(r, c->method, c->pattern, body, &o);

	if (rc < 0)
		return rc;
	view_read(r, &v);
	if (o.status < 300) {
		char *extra = arena_printf(r->a, "&fait=%s&n=%d%s%s", c->done, o.events_n,
					   o.events ? "&ev=" : "", o.events ? o.events : "");
		char *sp = strchr(extra, ' ');
		if (sp)
			*sp = '+';
		resp_redirect(r, view_url(r, &v, NULL, extra));
		return 0;
	}
	v.err_form = strstr(c->form_key, "%s") ? arena_printf(r->a, c->form_key, req_param(r, "id"))
						 : c->form_key;
	v.err_msg = o.message;
	v.posted = r;
	return page(r, &v, o.status);
}

/* ---- form → JSON body ---- */

/* Sets @name from form field @field: the value, or (empty) null when @clear, else nothing. */
static void
put_text(json_t *body, struct req *r, const char *name, bool clear)
{
	const char *v = req_form(r, name);

	if (v && *v)
		json_object_set_new(body, name, json_string(v));
	else if (clear)
		json_object_set_new(body, name, json_null());
}

/* A datetime-local field as the desk's naive local time (a malformed one as typed: the
 * API refuses it with its message). */
static void
put_time(json_t *body, struct req *r, const char *name, bool clear)
{
	const char *v = req_form(r, name);
	char naive[20];

	if (v && *v)
		json_object_set_new(body, name, json_string(sim_desk_local_time(v, naive) ? naive : v));
	else if (clear)
		json_object_set_new(body, name, json_null());
}

/* An integer field: a number when it is one, else the text (refused by the API), none when
 * empty (or null when @empty_null). */
static void
put_int(json_t *body, struct req *r, const char *name, bool empty_null)
{
	const char *v = req_form(r, name);

	if (text_is_digits(v, 11))
		json_object_set_new(body, name, json_integer(g_ascii_strtoll(v, NULL, 10)));
	else if (v && *v)
		json_object_set_new(body, name, json_string(v));
	else if (empty_null)
		json_object_set_new(body, name, json_null());
}

static json_t *
session_body(struct req *r, bool patch)
{
	json_t *body = json_object();

	if (!patch)
		put_text(body, r, "structure", false);
	put_int(body, r, "offreId", false);
	put_text(body, r, "nom", false);
	put_time(body, r, "dateHeureDebut", false);
	put_time(body, r, "dateHeureFin", false);
	put_text(body, r, "dateMaxInscription", patch);
	put_text(body, r, "animateur", patch);
	put_text(body, r, "lieu", patch);
	put_int(body, r, "nbPlaces", true);
	return body;
}

/* {statut, commentaire?, dateDebutReelle?} (+ idDossier for a registration). */
static json_t *
instance_body(struct req *r, bool create)
{
	json_t *body = json_object();

	if (create)
		put_int(body, r, "idDossier", false);
	put_text(body, r, "statut", false);
	put_text(body, r, "commentaire", false);
	put_text(body, r, "dateDebutReelle", false);
	return body;
}

static json_t *
rdv_body(struct req *r, bool patch)
{
	json_t *body = json_object();

	put_time(body, r, "dateHeureDebut", false);
	put_time(body, r, "dateHeureFin", patch);
	put_text(body, r, "statut", false);
	if (patch)
		return body;
	put_text(body, r, "objet", false);
	put_text(body, r, "conseiller", false);
	put_text(body, r, "type", false);
	put_text(body, r, "lieu", false);
	put_text(body, r, "commentaire", false);
	return body;
}

#define CHANGE(name, method, pattern, key, done, body)                                       \
	static int name(struct req *r)                                                        \
	{                                                                                     \
		static const struct change c = {method, pattern, key, done};                  \
		return change_run(r, &c, body);                                               \
	}

CHANGE(page_session_create, "POST", "/_admin/sessions", "nouvelle-session", "session-creee",
       session_body(r, false))
CHANGE(page_session_patch, "PATCH", "/_admin/sessions/{id}", "session-%s", "session-modifiee",
       session_body(r, true))
CHANGE(page_session_delete, "DELETE", "/_admin/sessions/{id}", "session-%s-x",
       "session-supprimee", NULL)
CHANGE(page_instance_create, "POST", "/_admin/sessions/{id}/instances", "inscrire-%s",
       "inscription-creee", instance_body(r, true))
CHANGE(page_instance_patch, "PATCH", "/_admin/instances/{id}", "inscription-%s",
       "inscription-modifiee", instance_body(r, false))
CHANGE(page_instance_delete, "DELETE", "/_admin/instances/{id}", "inscription-%s-x",
       "inscription-supprimee", NULL)
CHANGE(page_rdv_create, "POST", "/_admin/dossiers/{id}/rdv", "nouveau-rdv", "rdv-cree",
       rdv_body(r, false))
CHANGE(page_rdv_patch, "PATCH", "/_admin/rdv/{id}", "rdv-%s", "rdv-modifie", rdv_body(r, true))
CHANGE(page_rdv_delete, "DELETE", "/_admin/rdv/{id}", "rdv-%s-x", "rdv-supprime", NULL)

#define ROUTE(method, pattern, handler) \
	{method, pattern, handler, ROUTE_WORKER, SIM_ACCESS_DESK_PAGE}

const struct route sim_desk_page_routes[] = {
	ROUTE("GET", PAGE, desk_page),
	ROUTE("GET", PAGE "/style.css", desk_page_style),
	ROUTE("POST", PAGE "/sessions", page_session_create),
	ROUTE("POST", PAGE "/sessions/{id}/modifier", page_session_patch),
	ROUTE("POST", PAGE "/sessions/{id}/supprimer", page_session_delete),
	ROUTE("POST", PAGE "/sessions/{id}/inscriptions", page_instance_create),
	ROUTE("POST", PAGE "/inscriptions/{id}/modifier", page_instance_patch),
	ROUTE("POST", PAGE "/inscriptions/{id}/supprimer", page_instance_delete),
	ROUTE("POST", PAGE "/dossiers/{id}/rdv", page_rdv_create),
	ROUTE("POST", PAGE "/rdv/{id}/modifier", page_rdv_patch),
	ROUTE("POST", PAGE "/rdv/{id}/supprimer", page_rdv_delete),
};
const size_t sim_desk_page_routes_count = G_N_ELEMENTS(sim_desk_page_routes);
