/* offers_adapters.c — one provider record to the model (offers_adapters.h). Pure. */
#include "offers/offers_adapters.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* ---- Reading a record that may hold anything ------------------------------------------ */

/* The string @key of @o, trimmed, as an arena copy; NULL when absent, not a string or
 * blank. */
static const char *
str(struct arena *a, const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (!s)
		return NULL;
	while (g_ascii_isspace(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && g_ascii_isspace(s[n - 1]))
		n--;
	return n ? arena_strndup(a, s, n) : NULL;
}

/* An id given as a string or a whole number (MEE's are numbers). */
static const char *
id_text(struct arena *a, const json_t *v)
{
	if (json_is_integer(v))
		return arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	const char *s = json_string_value(v);
	return s && *s && strlen(s) <= 64 ? arena_strdup(a, s) : NULL;
}

static bool
is_true(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* @o's {lat, lon} under the names @lat and @lon, when both are numbers in range. */
static bool
position(const json_t *o, const char *lat, const char *lon, double *la, double *lo)
{
	json_t *x = json_object_get(o, lat), *y = json_object_get(o, lon);
	if (!json_is_number(x) || !json_is_number(y))
		return false;
	*la = json_number_value(x);
	*lo = json_number_value(y);
	return *la >= -90 && *la <= 90 && *lo >= -180 && *lo <= 180;
}

static int64_t
instant(const json_t *o, const char *key)
{
	return offers_iso_ms(json_string_value(json_object_get(o, key)));
}

static const char *
raw(struct arena *a, const json_t *rec)
{
	char *s = json_dumps(rec, JSON_COMPACT);
	const char *copy = arena_strdup(a, s ? s : "{}");
	free(s);
	return copy;
}

/* What one element of a France Travail list says: its label (NULL: skip it). */
typedef const char *(*label_fn)(struct arena *a, const json_t *item);

static const char *
label_libelle(struct arena *a, const json_t *item)
{
	return str(a, item, "libelle");
}

/* A formation: "Bac+2 ou équivalents Commerce" (level, then field). */
static const char *
label_formation(struct arena *a, const json_t *item)
{
	const char *level = str(a, item, "niveauLibelle"), *field = str(a, item, "domaineLibelle");
	if (level && field)
		return arena_printf(a, "%s %s", level, field);
	return level ? level : field;
}

/* The JSON array [{"label", "required"}] of @arr's items (required: exigence "E", the
 * "Obligatoire" of the detail page), "[]" when @arr is absent or not an array. */
static const char *
list(struct arena *a, const json_t *arr, label_fn label)
{
	json_t *out = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item) {
		const char *l = label(a, item);
		if (!l)
			continue;
		const char *e = json_string_value(json_object_get(item, "exigence"));
		json_array_append_new(out, json_pack("{s:s, s:b}", "label", l, "required",
						     e && !strcmp(e, "E")));
	}
	char *s = json_dumps(out, JSON_COMPACT);
	const char *copy = arena_strdup(a, s);
	free(s);
	json_decref(out);
	return copy;
}

/* A JSON array of the strings of @arr (others dropped), "[]" when none. */
static const char *
strings(struct arena *a, const json_t *arr)
{
	json_t *out = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item)
		if (json_is_string(item))
			json_array_append(out, item);
	char *s = json_dumps(out, JSON_COMPACT);
	const char *copy = arena_strdup(a, s);
	free(s);
	json_decref(out);
	return copy;
}

static int
refuse(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -ERR_INVAL;
}

/* ---- Shared rules ---------------------------------------------------------------------- */

int64_t
offers_iso_ms(const char *s)
{
	if (!s || !*s)
		return 0;
	if (strlen(s) == 10) {
		int64_t day = clock_day_parse(s);
		return day == CLOCK_NO_DAY ? 0 : day * 86400000LL;
	}
	GTimeZone *utc = g_time_zone_new_utc();
	GDateTime *dt = g_date_time_new_from_iso8601(s, utc);
	g_time_zone_unref(utc);
	if (!dt)
		return 0;
	int64_t ms = g_date_time_to_unix(dt) * 1000 + g_date_time_get_microsecond(dt) / 1000;
	g_date_time_unref(dt);
	return ms;
}

static bool
digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isdigit(s[i]))
			return false;
	return true;
}

const char *
offers_dept_code(struct arena *a, const char *insee, const char *postal, const char *label)
{
	if (insee && strlen(insee) == 5) {
		if (!strncmp(insee, "2A", 2) || !strncmp(insee, "2B", 2))
			return arena_strndup(a, insee, 2);
		if (digits(insee, 5))
			return arena_strndup(a, insee, strncmp(insee, "97", 2) ? 2 : 3);
	}
	if (postal && strlen(postal) == 5 && digits(postal, 5)) {
		if (!strncmp(postal, "20", 2))
			return postal[2] <= '1' ? "2A" : "2B";
		return arena_strndup(a, postal, strncmp(postal, "97", 2) ? 2 : 3);
	}
	/* "29 - Brest", "2A - Ajaccio", "974 - Saint-Denis". */
	if (label) {
		size_t n = strcspn(label, " ");
		if ((n == 2 || n == 3) && !strncmp(label + n, " - ", 3) &&
		    (digits(label, n) || (n == 2 && label[0] == '2' && (label[1] == 'A' || label[1] == 'B'))))
			return arena_strndup(a, label, n);
	}
	return NULL;
}

/* ---- France Travail -------------------------------------------------------------------- */

/* natureContrat: the search's codes (E1, E2, FS …) or the labels the offers carry
 * ("Contrat travail", "Contrat apprentissage", "Cont. professionnalisation"). */
static const char *
ft_nature(struct arena *a, const json_t *rec)
{
	const char *n = str(a, rec, "natureContrat");
	if (!n)
		return NULL;
	if (strlen(n) == 2 && g_ascii_isupper(n[0]) && g_ascii_isalnum(n[1]))
		return n;
	char *low = g_ascii_strdown(n, -1);
	const char *code = strstr(low, "apprentissage") ? "E2"
		: strstr(low, "professionnalisation") ? "FS"
		: !strcmp(low, "contrat travail") ? "E1" : NULL;
	g_free(low);
	return code;
}

static void
ft_place(struct arena *a, const json_t *rec, struct offer *o)
{
	const json_t *l = json_object_get(rec, "lieuTravail");
	o->place_label = str(a, l, "libelle");
	o->postal_code = str(a, l, "codePostal");
	o->commune_insee = str(a, l, "commune");
	o->has_position = position(l, "latitude", "longitude", &o->lat, &o->lon);
	o->dept_code = offers_dept_code(a, o->commune_insee, o->postal_code, o->place_label);
}

static void
ft_company(struct arena *a, const json_t *rec, struct offer *o)
{
	const json_t *e = json_object_get(rec, "entreprise");
	o->company = str(a, e, "nom");
	o->company_description = str(a, e, "description");
	o->company_url = str(a, e, "url");
	o->adapted_company = is_true(e, "entrepriseAdaptee");
	o->disability_friendly = is_true(rec, "accessibleTH");
}

/* Where to apply and who published it: the partner's page when the offer came from one
 * (origine "2"), France Travail's own otherwise. */
static void
ft_origin(struct arena *a, const json_t *rec, struct offer *o)
{
	const json_t *contact = json_object_get(rec, "contact"),
		*origin = json_object_get(rec, "origineOffre");
	o->apply_url = str(a, contact, "urlPostulation");
	if (!o->apply_url)
		o->apply_url = str(a, origin, "urlOrigine");
	const json_t *partner = json_array_get(json_object_get(origin, "partenaires"), 0);
	o->origin_name = str(a, partner, "nom");
	o->origin_logo = str(a, partner, "logo");
	const char *code = json_string_value(json_object_get(origin, "origine"));
	if (!o->origin_name && code && !strcmp(code, "1"))
		o->origin_name = "France Travail";
}

static void
ft_profile(struct arena *a, const json_t *rec, struct offer *o)
{
	const char *x = str(a, rec, "experienceExige");
	o->experience_code = x && (!strcmp(x, "D") || !strcmp(x, "S") || !strcmp(x, "E")) ? x : NULL;
	o->experience_label = str(a, rec, "experienceLibelle");
	o->skills = list(a, json_object_get(rec, "competences"), label_libelle);
	o->soft_skills = list(a, json_object_get(rec, "qualitesProfessionnelles"), label_libelle);
	o->education = list(a, json_object_get(rec, "formations"), label_formation);
	o->languages = list(a, json_object_get(rec, "langues"), label_libelle);
	o->licences = list(a, json_object_get(rec, "permis"), label_libelle);
}

static void
ft_contract(struct arena *a, const json_t *rec, struct offer *o)
{
	o->contract_code = str(a, rec, "typeContrat");
	o->contract_label = str(a, rec, "typeContratLibelle");
	o->nature_code = ft_nature(a, rec);
	bool alternance = is_true(rec, "alternance") ||
		(o->nature_code && (!strcmp(o->nature_code, "E2") || !strcmp(o->nature_code, "FS")));
	o->type = alternance ? OFFER_ALTERNANCE : OFFER_EMPLOI;
	o->work_time_label = str(a, rec, "dureeTravailLibelle");
	const char *conv = str(a, rec, "dureeTravailLibelleConverti");
	o->work_time = !conv ? NULL
		: !g_ascii_strcasecmp(conv, "Temps plein") ? "FULL"
		: !g_ascii_strcasecmp(conv, "Temps partiel") ? "PARTIAL" : NULL;
	o->salary_label = str(a, json_object_get(rec, "salaire"), "libelle");
}

int
offers_map_france_travail(const json_t *rec, struct arena *a, struct offer *o, const char **why)
{
	memset(o, 0, sizeof(*o));
	if (!json_is_object(rec))
		return refuse(why, "l'enregistrement n'est pas un objet JSON");
	const char *id = id_text(a, json_object_get(rec, "id"));
	if (!id || !json_is_string(json_object_get(rec, "id")))
		return refuse(why, "« id » manquant ou invalide");
	o->title = str(a, rec, "intitule");
	if (!o->title)
		return refuse(why, "« intitule » manquant ou invalide");
	o->id = o->provider_id = id;
	o->provider = offer_provider_name(PROVIDER_FRANCE_TRAVAIL);
	o->description = str(a, rec, "description");
	o->provider_created_at = instant(rec, "dateCreation");
	o->provider_updated_at = instant(rec, "dateActualisation");
	if (!o->provider_updated_at)
		o->provider_updated_at = o->provider_created_at;
	o->rome_code = str(a, rec, "romeCode");
	o->rome_label = str(a, rec, "romeLibelle");
	o->appellation_label = str(a, rec, "appellationlibelle");
	ft_place(a, rec, o);
	ft_company(a, rec, o);
	ft_contract(a, rec, o);
	ft_profile(a, rec, o);
	ft_origin(a, rec, o);
	o->active = true;
	o->raw = raw(a, rec);
	return 0;
}

/* ---- API Engagement -------------------------------------------------------------------- */

static const char *const empty_list = "[]";

static void
no_lists(struct offer *o)
{
	o->skills = o->soft_skills = o->education = o->languages = o->licences = empty_list;
}

int
offers_map_engagement(const json_t *rec, struct arena *a, struct offer *o, const char **why)
{
	memset(o, 0, sizeof(*o));
	if (!json_is_object(rec))
		return refuse(why, "l'enregistrement n'est pas un objet JSON");
	const char *id = str(a, rec, "id");
	if (!id)
		id = str(a, rec, "_id");
	if (!id || strlen(id) > 64)
		return refuse(why, "« id » manquant ou invalide");
	o->title = str(a, rec, "title");
	if (!o->title)
		return refuse(why, "« title » manquant ou invalide");
	o->id = o->provider_id = id;
	o->provider = offer_provider_name(PROVIDER_ENGAGEMENT);
	o->type = OFFER_SERVICE_CIVIQUE;
	o->description = str(a, rec, "description");
	/* One label per domain whatever the provider writes (its code, a label): the search
	 * filters on it (offers.h offer_domain_of). */
	o->domain = offer_domain_of(str(a, rec, "domain"));
	o->company = str(a, rec, "organizationName");
	o->company_url = str(a, rec, "organizationUrl");
	o->address = str(a, rec, "organizationFullAddress");
	if (!o->address)
		o->address = str(a, rec, "adresse");
	o->place_label = str(a, rec, "city");
	o->postal_code = str(a, rec, "postalCode");
	o->dept_code = str(a, rec, "departmentCode");
	if (!o->dept_code)
		o->dept_code = offers_dept_code(a, NULL, o->postal_code, NULL);
	o->has_position = position(json_object_get(rec, "location"), "lat", "lon", &o->lat, &o->lon);
	o->start_date = instant(rec, "startAt");
	o->end_date = instant(rec, "endAt");
	o->apply_url = str(a, rec, "applicationUrl");
	o->provider_created_at = instant(rec, "createdAt");
	o->provider_updated_at = instant(rec, "updatedAt");
	if (!o->provider_updated_at)
		o->provider_updated_at = o->provider_created_at;
	o->origin_name = str(a, rec, "publisherName");
	o->origin_logo = str(a, rec, "publisherLogo");
	no_lists(o);
	o->active = !is_true(rec, "deleted");
	o->raw = raw(a, rec);
	return 0;
}

/* ---- Immersion Facilitée --------------------------------------------------------------- */

/* The establishment's fields, shared by its appellations' offers. */
static int
immersion_establishment(const json_t *rec, struct arena *a, struct offer *o, const char **why)
{
	memset(o, 0, sizeof(*o));
	if (!json_is_object(rec))
		return refuse(why, "l'enregistrement n'est pas un objet JSON");
	o->siret = str(a, rec, "siret");
	if (!o->siret || strlen(o->siret) != 14 || !digits(o->siret, 14))
		return refuse(why, "« siret » manquant ou invalide");
	o->has_position = position(json_object_get(rec, "position"), "lat", "lon", &o->lat, &o->lon);
	if (!o->has_position)
		return refuse(why, "« position » manquante ou invalide");
	o->provider = offer_provider_name(PROVIDER_IMMERSION);
	o->type = OFFER_IMMERSION;
	o->rome_code = str(a, rec, "rome");
	o->rome_label = str(a, rec, "romeLabel");
	o->naf_label = str(a, rec, "nafLabel");
	o->company = str(a, rec, "name");
	o->company_url = str(a, rec, "website");
	o->company_description = str(a, rec, "additionalInformation");
	o->voluntary = is_true(rec, "voluntaryToImmersion");
	o->disability_friendly = is_true(rec, "fitForDisabledWorkers");
	const char *mode = str(a, rec, "contactMode");
	o->contact_mode = mode && (!strcmp(mode, "EMAIL") || !strcmp(mode, "PHONE") ||
				   !strcmp(mode, "IN_PERSON")) ? mode : NULL;
	const json_t *ad = json_object_get(rec, "address");
	const char *street = str(a, ad, "streetNumberAndAddress");
	o->postal_code = str(a, ad, "postcode");
	o->place_label = str(a, ad, "city");
	o->address = street && o->postal_code && o->place_label
		? arena_printf(a, "%s, %s %s", street, o->postal_code, o->place_label) : street;
	o->dept_code = str(a, ad, "departmentCode");
	if (!o->dept_code)
		o->dept_code = offers_dept_code(a, NULL, o->postal_code, NULL);
	no_lists(o);
	o->active = true;
	o->raw = raw(a, rec);
	return 0;
}

int
offers_map_immersion(const json_t *rec, struct arena *a, struct offer **out, int *rejected,
		     const char **why)
{
	struct offer base;
	*out = NULL;
	*rejected = 0;
	if (immersion_establishment(rec, a, &base, why)) {
		*rejected = 1;
		return 0;
	}
	const json_t *apps = json_object_get(rec, "appellations");
	size_t n = json_array_size(apps), i;
	if (!n) {
		*rejected = 1;
		refuse(why, "« appellations » manquantes");
		return 0;
	}
	struct offer *o = arena_alloc(a, n * sizeof(*o));
	int k = 0;
	const json_t *app;
	json_array_foreach(apps, i, app) {
		const char *code = id_text(a, json_object_get(app, "appellationCode")),
			*label = str(a, app, "appellationLabel");
		if (!code || !label) {
			(*rejected)++;
			refuse(why, "appellation sans « appellationCode » ou « appellationLabel »");
			continue;
		}
		o[k] = base;
		o[k].id = o[k].provider_id = arena_printf(a, "%s-%s", base.siret, code);
		o[k].title = o[k].appellation_label = label;
		k++;
	}
	*out = o;
	return k;
}

/* ---- Mes Événements Emploi ------------------------------------------------------------- */

/* "09:30" or "09:30:00" → hour and minute. */
static bool
hour_minute(const char *s, int *h, int *m)
{
	if (!s || strlen(s) < 5 || !g_ascii_isdigit(s[0]) || !g_ascii_isdigit(s[1]) || s[2] != ':' ||
	    !g_ascii_isdigit(s[3]) || !g_ascii_isdigit(s[4]))
		return false;
	*h = (s[0] - '0') * 10 + (s[1] - '0');
	*m = (s[3] - '0') * 10 + (s[4] - '0');
	return *h < 24 && *m < 60;
}

static int64_t
count(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) && json_integer_value(v) >= 0 ? json_integer_value(v) : -1;
}

static const char *
mee_timezone(struct arena *a, const json_t *rec)
{
	const char *tz = str(a, rec, "timezone");
	if (!tz)
		return "Europe/Paris";
	GTimeZone *z = g_time_zone_new_identifier(tz);
	if (!z)
		return "Europe/Paris";
	g_time_zone_unref(z);
	return tz;
}

static void
mee_times(struct arena *a, const json_t *rec, int64_t day, struct job_event *e)
{
	int h = 0, m = 0;
	e->start_time = str(a, rec, "heureDebut");
	e->end_time = str(a, rec, "heureFin");
	bool timed = hour_minute(e->start_time, &h, &m);
	if (!timed)
		e->start_time = NULL;
	e->starts_at = clock_day_at(day, timed ? h : 0, timed ? m : 0, e->timezone);
	e->ends_at = hour_minute(e->end_time, &h, &m) ? clock_day_at(day, h, m, e->timezone) : 0;
	if (!e->ends_at)
		e->end_time = NULL;
}

int
offers_map_mee(const json_t *rec, struct arena *a, struct job_event *e, const char **why)
{
	memset(e, 0, sizeof(*e));
	if (!json_is_object(rec))
		return refuse(why, "l'enregistrement n'est pas un objet JSON");
	const char *id = id_text(a, json_object_get(rec, "id"));
	if (!id)
		return refuse(why, "« id » manquant ou invalide");
	e->title = str(a, rec, "titre");
	if (!e->title)
		return refuse(why, "« titre » manquant ou invalide");
	const char *date = str(a, rec, "dateEvenement");
	int64_t day = date && strlen(date) >= 10 ? clock_day_parse(arena_strndup(a, date, 10))
						 : CLOCK_NO_DAY;
	if (day == CLOCK_NO_DAY)
		return refuse(why, "« dateEvenement » manquante ou invalide");
	e->id = e->provider_id = id;
	e->provider = offer_provider_name(PROVIDER_MEE);
	e->description = str(a, rec, "description");
	e->event_date = arena_strndup(a, date, 10);
	e->timezone = mee_timezone(a, rec);
	mee_times(a, rec, day, e);
	e->city = str(a, rec, "ville");
	e->postal_code = str(a, rec, "codePostal");
	e->commune_insee = str(a, rec, "codeInsee");
	e->has_position = position(rec, "latitude", "longitude", &e->lat, &e->lon);
	e->type = str(a, rec, "type");
	e->modalities = strings(a, json_object_get(rec, "modalites"));
	e->seats_onsite = count(rec, "nombrePlaceTotalPresentiel");
	e->seats_remote = count(rec, "nombrePlaceTotalDistance");
	e->registered_onsite = count(rec, "nombreInscritPresentiel");
	e->registered_remote = count(rec, "nombreInscritDistance");
	e->url = str(a, rec, "urlDetailEvenement");
	e->organiser = str(a, rec, "libelleOrganisateurPrincipal");
	e->rome_codes = strings(a, json_object_get(rec, "codesRome"));
	e->active = true;
	e->raw = raw(a, rec);
	return 0;
}
