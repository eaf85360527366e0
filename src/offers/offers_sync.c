/* offers_sync.c — one run of a provider's HTTP sync (offers_sync.h): read every page with
 * libcurl, then store through offers_import_records() and reconcile. */
#include "offers/offers_sync.h"

#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/log.h"
#include "db/db.h"
#include "geo/geo_store.h"
#include "offers/offers_import.h"
#include "offers/offers_sync_store.h"

#include <curl/curl.h>
#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void
offers_sync_settings_of(const struct config *cfg, struct offers_sync_settings *s)
{
	*s = (struct offers_sync_settings){
		.ft_client_id = cfg->france_travail_client_id,
		.ft_client_secret = cfg->france_travail_client_secret,
		.ft_token_url = cfg->france_travail_token_url,
		.ft_api_url = cfg->france_travail_api_url,
		.engagement_key = cfg->engagement_api_key,
		.engagement_url = cfg->engagement_api_url,
		.engagement_publisher = cfg->engagement_publisher,
		.immersion_key = cfg->immersion_api_key,
		.immersion_url = cfg->immersion_api_url,
		.immersion_sweep = cfg->immersion_sweep,
		.mee_url = cfg->mee_api_url,
		.timeout_ms = cfg->offers_sync_timeout_ms,
		.rate_per_s = cfg->offers_sync_rate_per_s,
		.pause_429_ms = cfg->offers_sync_pause_429_ms,
	};
}

static bool
set(const char *s)
{
	return s && *s;
}

bool
offers_sync_configured(const struct offers_sync_settings *s, enum offer_provider p)
{
	switch (p) {
	case PROVIDER_FRANCE_TRAVAIL:
		return set(s->ft_client_id) && set(s->ft_client_secret) && set(s->ft_token_url) &&
		       set(s->ft_api_url);
	case PROVIDER_ENGAGEMENT:
		return set(s->engagement_key) && set(s->engagement_url);
	case PROVIDER_IMMERSION:
		return set(s->immersion_key) && set(s->immersion_url) && set(s->immersion_sweep);
	case PROVIDER_MEE:
		return set(s->mee_url);
	}
	return false;
}

/* ---- HTTP ---- */

/* One provider's conversation: the handle, the pace, the error that ended it. */
struct client {
	const struct offers_sync_settings *s;
	struct arena *a;
	const char *name;        /* "France Travail": the errors' subject */
	CURL *h;
	gint64 last_us;          /* when the last request left (monotonic); 0: none yet */
	const char *error;       /* the first failure, in French (arena) */
};

struct reply {
	long status;
	GString *body;
	char *content_range;     /* g_free */
};

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	g_string_append_len(ud, p, (gssize)(size * n));
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;
	size_t len = size * n;
	static const char name[] = "content-range:";
	if (len > sizeof(name) - 1 && !g_ascii_strncasecmp(p, name, sizeof(name) - 1)) {
		g_free(r->content_range);
		r->content_range = g_strstrip(g_strndup(p + sizeof(name) - 1, len - (sizeof(name) - 1)));
	}
	return len;
}

/* Waits for the provider's pace (rate_per_s requests a second at most). */
static void
pace(struct client *c)
{
	if (c->s->rate_per_s > 0 && c->last_us) {
		gint64 next = c->last_us + G_USEC_PER_SEC / c->s->rate_per_s;
		gint64 now = g_get_monotonic_time();
		if (next > now)
			g_usleep((gulong)(next - now));
	}
	c->last_us = g_get_monotonic_time();
}

/* @method (GET, or POST with form @post) on @url with @headers; a 429 waits pause_429_ms
 * and asks again, OFFERS_SYNC_429_TRIES times at most. 0 with @r filled (release with
 * reply_done), or -ERR_UNAVAILABLE with c->error set (no answer, or still 429). */
static int
request(struct client *c, const char *url, const char *post, struct curl_slist *headers,
	struct reply *r)
{
	*r = (struct reply){.body = g_string_new(NULL)};
	for (int tries = 1;; tries++) {
		g_string_truncate(r->body, 0);
		g_clear_pointer(&r->content_range, g_free);
		char err[CURL_ERROR_SIZE] = "";
		curl_easy_reset(c->h);
		curl_easy_setopt(c->h, CURLOPT_URL, url);
		curl_easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c->h, CURLOPT_TIMEOUT_MS, (long)c->s->timeout_ms);
		curl_easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT_MS, (long)MIN(c->s->timeout_ms, 5000));
		curl_easy_setopt(c->h, CURLOPT_USERAGENT, "cej");
		curl_easy_setopt(c->h, CURLOPT_ACCEPT_ENCODING, "");
		curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(c->h, CURLOPT_WRITEDATA, r->body);
		curl_easy_setopt(c->h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c->h, CURLOPT_HEADERDATA, r);
		curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, err);
		if (post) {
			curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, post);
			curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE, (long)strlen(post));
		}
		pace(c);
		CURLcode cc = curl_easy_perform(c->h);
		if (cc != CURLE_OK) {
			c->error = arena_printf(c->a, "%s ne répond pas (%s)", c->name,
						cc == CURLE_OPERATION_TIMEDOUT ? "délai dépassé"
						: *err ? err : curl_easy_strerror(cc));
			return -ERR_UNAVAILABLE;
		}
		curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &r->status);
		if (r->status != 429)
			return 0;
		if (tries >= OFFERS_SYNC_429_TRIES) {
			c->error = arena_printf(c->a, "%s limite le débit (HTTP 429, %d fois de suite)",
						c->name, tries);
			return -ERR_UNAVAILABLE;
		}
		g_usleep((gulong)c->s->pause_429_ms * 1000);
	}
}

static void
reply_done(struct reply *r)
{
	if (r->body)
		g_string_free(r->body, TRUE);
	g_free(r->content_range);
	*r = (struct reply){0};
}

/* The JSON body of a 2xx reply @r to @what; NULL with c->error set otherwise. */
static json_t *
json_of(struct client *c, const struct reply *r, const char *what)
{
	if (r->status < 200 || r->status > 299) {
		c->error = arena_printf(c->a, "%s : %s en erreur (HTTP %ld)", c->name, what, r->status);
		return NULL;
	}
	json_error_t e;
	json_t *doc = json_loadb(r->body->str, r->body->len, 0, &e);
	if (!doc)
		c->error = arena_printf(c->a, "%s : %s illisible (JSON invalide : %s)", c->name, what,
					e.text);
	return doc;
}

/* Appends the records of @doc (provider @p's envelope) to @all: their number, or -1 with
 * c->error set when @doc is not that envelope. */
static int
take(struct client *c, enum offer_provider p, json_t *doc, json_t *all, const char *what)
{
	const json_t *recs = offers_envelope(p, doc);
	if (!recs) {
		c->error = arena_printf(c->a, "%s : %s n'a pas la forme attendue", c->name, what);
		return -1;
	}
	json_array_extend(all, (json_t *)recs);
	return (int)json_array_size(recs);
}

static char *
esc(struct client *c, const char *s)
{
	char *e = curl_easy_escape(c->h, s, 0);
	char *out = arena_strdup(c->a, e ? e : "");
	curl_free(e);
	return out;
}

/* ---- France Travail ---- */

/* "2026-12-07T10:00:00Z" */
static const char *
iso_utc(struct arena *a, int64_t ms)
{
	GDateTime *d = g_date_time_new_from_unix_utc(ms / 1000);
	char *s = g_date_time_format(d, "%Y-%m-%dT%H:%M:%SZ");
	const char *out = arena_strdup(a, s);
	g_free(s);
	g_date_time_unref(d);
	return out;
}

/* The OAuth2 token (client credentials) into *@token: 0 or -ERR_UNAVAILABLE. */
static int
ft_token(struct client *c, const char **token)
{
	const struct offers_sync_settings *s = c->s;
	const char *form = arena_printf(c->a, "grant_type=client_credentials&client_id=%s&"
					"client_secret=%s&scope=%s", esc(c, s->ft_client_id),
					esc(c, s->ft_client_secret),
					esc(c, "api_offresdemploiv2 o2dsoffre"));
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/x-www-form-urlencoded");
	struct reply r;
	int rc = request(c, s->ft_token_url, form, h, &r);
	curl_slist_free_all(h);
	if (rc)
		return rc;
	json_t *doc = json_of(c, &r, "le jeton d'accès");
	reply_done(&r);
	const char *tok = json_string_value(json_object_get(doc, "access_token"));
	if (doc && (!tok || !*tok))
		c->error = arena_printf(c->a, "%s : réponse sans access_token", c->name);
	bool ok = tok && *tok;
	if (ok)
		*token = arena_strdup(c->a, tok);
	json_decref(doc);
	return ok ? 0 : -ERR_UNAVAILABLE;
}

/* The départements France Travail searches by (its `departement` parameter). */
static const char *const departements[] = {
	"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15",
	"16", "17", "18", "19", "2A", "2B", "21", "22", "23", "24", "25", "26", "27", "28", "29",
	"30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44",
	"45", "46", "47", "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59",
	"60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "70", "71", "72", "73", "74",
	"75", "76", "77", "78", "79", "80", "81", "82", "83", "84", "85", "86", "87", "88", "89",
	"90", "91", "92", "93", "94", "95", "971", "972", "973", "974", "976",
};

/* The total of a Content-Range "offres 0-149/1234"; -1 when absent or unreadable. */
static long
range_total(const char *cr)
{
	const char *slash = cr ? strrchr(cr, '/') : NULL;
	if (!slash || !slash[1])
		return -1;
	char *end;
	long n = strtol(slash + 1, &end, 10);
	return *end || n < 0 ? -1 : n;
}

#define MIN_WINDOW_MS (3600 * 1000LL)

/* The offers created in [@from, @to] (in @dept, NULL: anywhere) appended to @all; a window
 * holding more than the API pages out (first index ≤ 1000) is split: by département first,
 * then in halves of time down to an hour. 0 or -ERR_UNAVAILABLE. */
static int
ft_window(struct client *c, const char *token, const char *dept, int64_t from, int64_t to,
	  json_t *all)
{
	struct curl_slist *h = curl_slist_append(NULL, arena_printf(c->a, "Authorization: Bearer %s",
								     token));
	h = curl_slist_append(h, "Accept: application/json");
	int rc = 0;
	json_t *window = json_array();
	for (long start = 0; !rc; start += OFFERS_FT_PAGE) {
		const char *url = arena_printf(c->a, "%s/offres/search?range=%ld-%ld&minCreationDate=%s"
					       "&maxCreationDate=%s%s%s", c->s->ft_api_url, start,
					       start + OFFERS_FT_PAGE - 1, esc(c, iso_utc(c->a, from)),
					       esc(c, iso_utc(c->a, to)), dept ? "&departement=" : "",
					       dept ? dept : "");
		struct reply r;
		if ((rc = request(c, url, NULL, h, &r)))
			break;
		if (r.status == 204) {          /* nothing (more) in this window */
			reply_done(&r);
			break;
		}
		long total = range_total(r.content_range);
		json_t *doc = json_of(c, &r, arena_printf(c->a, "la page %ld-%ld", start,
							 start + OFFERS_FT_PAGE - 1));
		reply_done(&r);
		int n = doc ? take(c, PROVIDER_FRANCE_TRAVAIL, doc, window, "une page d'offres") : -1;
		json_decref(doc);
		if (n < 0) {
			rc = -ERR_UNAVAILABLE;
			break;
		}
		if (total < 0)                  /* 200 without a range: the whole window */
			total = start + n;
		if (total > OFFERS_FT_LAST_START + OFFERS_FT_PAGE) {
			/* More than the API lets us page through: split the window. */
			json_array_clear(window);
			if (!dept) {
				for (size_t i = 0; !rc && i < G_N_ELEMENTS(departements); i++)
					rc = ft_window(c, token, departements[i], from, to, window);
			} else if (to - from > MIN_WINDOW_MS) {
				int64_t mid = from + (to - from) / 2;
				rc = ft_window(c, token, dept, from, mid, window);
				if (!rc)
					rc = ft_window(c, token, dept, mid + 1000, to, window);
			} else {
				c->error = arena_printf(c->a, "%s : plus de %d offres créées en une heure "
							"dans le département %s", c->name,
							OFFERS_FT_LAST_START + OFFERS_FT_PAGE, dept);
				rc = -ERR_UNAVAILABLE;
			}
			break;
		}
		if (n == 0 || start + n >= total)
			break;
	}
	curl_slist_free_all(h);
	if (!rc)
		json_array_extend(all, window);
	json_decref(window);
	return rc;
}

static int
fetch_france_travail(struct client *c, bool full, int64_t since, int64_t now, json_t *all)
{
	const char *token = NULL;
	int rc = ft_token(c, &token);
	if (rc)
		return rc;
	return ft_window(c, token, NULL, full ? now - OFFERS_FT_FULL_WINDOW_MS : since, now, all);
}

/* ---- API Engagement ---- */

#define ENGAGEMENT_PAGE 50

static int
fetch_engagement(struct client *c, bool full, int64_t since, json_t *all)
{
	struct curl_slist *h = curl_slist_append(NULL, arena_printf(c->a, "apikey: %s",
								     c->s->engagement_key));
	h = curl_slist_append(h, "Accept: application/json");
	int rc = 0;
	const char *created = full ? "" : arena_printf(c->a, "&createdAt=%s",
						       esc(c, arena_printf(c->a, "gt:%s",
									   iso_utc(c->a, since))));
	for (long from = 0; !rc; from += ENGAGEMENT_PAGE) {
		const char *url = arena_printf(c->a, "%s/mission/search?publisher=%s&size=%d&from=%ld%s",
					       c->s->engagement_url,
					       esc(c, c->s->engagement_publisher ? c->s->engagement_publisher : ""),
					       ENGAGEMENT_PAGE, from, created);
		struct reply r;
		if ((rc = request(c, url, NULL, h, &r)))
			break;
		json_t *doc = json_of(c, &r, arena_printf(c->a, "la page à partir de %ld", from));
		reply_done(&r);
		json_int_t total = json_integer_value(json_object_get(doc, "total"));
		int n = doc ? take(c, PROVIDER_ENGAGEMENT, doc, all, "une page de missions") : -1;
		json_decref(doc);
		if (n < 0)
			rc = -ERR_UNAVAILABLE;
		else if (n == 0 || from + n >= total)
			break;
	}
	curl_slist_free_all(h);
	return rc;
}

/* ---- Immersion Facilitée ---- */

/* Merges establishment @rec into @all: a siret already there gains the appellations it
 * lacked (two sweeps finding the same establishment make one record). */
static void
merge_establishment(json_t *all, GHashTable *by_siret, json_t *rec)
{
	const char *siret = json_string_value(json_object_get(rec, "siret"));
	json_t *known = siret ? g_hash_table_lookup(by_siret, siret) : NULL;
	if (!known) {
		json_array_append(all, rec);
		if (siret)
			g_hash_table_insert(by_siret, (gpointer)siret, rec);
		return;
	}
	json_t *have = json_object_get(known, "appellations");
	size_t i, j;
	json_t *ap, *hp;
	json_array_foreach(json_object_get(rec, "appellations"), i, ap) {
		const char *code = json_string_value(json_object_get(ap, "appellationCode"));
		bool found = false;
		json_array_foreach(have, j, hp)
			found = found || (code && !g_strcmp0(code, json_string_value(
				json_object_get(hp, "appellationCode"))));
		if (!found && json_is_array(have))
			json_array_append(have, ap);
	}
}

/* The centre of département @dept: its most populated commune's (the referential). */
static int
dept_centre(struct db *db, struct arena *a, const char *dept, double *lat, double *lon)
{
	struct geo_commune *cs;
	int n = 0;
	int rc = geo_communes_populated(db, a, dept, &cs, &n);
	if (rc)
		return rc;
	int best = -1;
	for (int i = 0; i < n; i++)
		if (best < 0 || cs[i].population > cs[best].population)
			best = i;
	if (best < 0)
		return -ERR_NOTFOUND;
	*lat = cs[best].lat;
	*lon = cs[best].lon;
	return 0;
}

static int
fetch_immersion(struct client *c, struct db *db, json_t *all)
{
	struct curl_slist *h = curl_slist_append(NULL, arena_printf(c->a, "Authorization: %s",
								     c->s->immersion_key));
	h = curl_slist_append(h, "Accept: application/json");
	GHashTable *by_siret = g_hash_table_new(g_str_hash, g_str_equal);
	char **pairs = g_strsplit(c->s->immersion_sweep, ",", -1);
	int rc = 0;
	for (char **p = pairs; !rc && *p; p++) {
		char *pair = g_strstrip(*p);
		char *at = strchr(pair, '@');
		if (!*pair)
			continue;
		double lat, lon;
		if (!at || at == pair || !at[1]) {
			c->error = arena_printf(c->a, "immersion_sweep : « %s » n'est pas "
						"appellation@département", pair);
			rc = -ERR_INVAL;
			break;
		}
		*at = '\0';
		if ((rc = dept_centre(db, c->a, at + 1, &lat, &lon))) {
			c->error = arena_printf(c->a, "immersion_sweep : département %s absent du "
						"référentiel des communes", at + 1);
			break;
		}
		char la[G_ASCII_DTOSTR_BUF_SIZE], lo[G_ASCII_DTOSTR_BUF_SIZE];
		const char *url = arena_printf(c->a, "%s/search?appellationCodes%%5B%%5D=%s&latitude=%s"
					       "&longitude=%s&distanceKm=100&sortedBy=distance",
					       c->s->immersion_url, esc(c, pair),
					       g_ascii_dtostr(la, sizeof(la), lat),
					       g_ascii_dtostr(lo, sizeof(lo), lon));
		struct reply r;
		if ((rc = request(c, url, NULL, h, &r)))
			break;
		json_t *doc = json_of(c, &r, arena_printf(c->a, "la recherche %s@%s", pair, at + 1));
		reply_done(&r);
		json_t *page = json_array();
		int n = doc ? take(c, PROVIDER_IMMERSION, doc, page, "une recherche") : -1;
		size_t i;
		json_t *rec;
		json_array_foreach(page, i, rec)
			merge_establishment(all, by_siret, rec);
		json_decref(page);
		json_decref(doc);
		if (n < 0)
			rc = -ERR_UNAVAILABLE;
	}
	g_strfreev(pairs);
	g_hash_table_destroy(by_siret);
	curl_slist_free_all(h);
	return rc;
}

/* ---- Mes Événements Emploi ---- */

#define MEE_PAGE 100

static int
fetch_mee(struct client *c, json_t *all)
{
	struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
	const char *sep = strchr(c->s->mee_url, '?') ? "&" : "?";
	int rc = 0;
	for (long page = 0; !rc; page++) {
		const char *url = arena_printf(c->a, "%s%spage=%ld&size=%d", c->s->mee_url, sep, page,
					       MEE_PAGE);
		struct reply r;
		if ((rc = request(c, url, NULL, h, &r)))
			break;
		json_t *doc = json_of(c, &r, arena_printf(c->a, "la page %ld", page));
		reply_done(&r);
		json_int_t pages = json_integer_value(json_object_get(doc, "totalPages"));
		int n = doc ? take(c, PROVIDER_MEE, doc, all, "une page d'événements") : -1;
		json_decref(doc);
		if (n < 0)
			rc = -ERR_UNAVAILABLE;
		else if (n == 0 || page + 1 >= pages)
			break;
	}
	curl_slist_free_all(h);
	return rc;
}

/* ---- The run ---- */

static const char *const provider_label[] = {
	[PROVIDER_FRANCE_TRAVAIL] = "France Travail",
	[PROVIDER_ENGAGEMENT] = "API Engagement",
	[PROVIDER_IMMERSION] = "Immersion Facilitée",
	[PROVIDER_MEE] = "Mes Événements Emploi",
};

/* Reads everything @p has for this run into @all. 0, or negative with c->error set. */
static int
fetch(struct client *c, struct db *db, enum offer_provider p, bool full, int64_t now,
      json_t *all)
{
	int64_t since = now - OFFERS_SYNC_FIRST_WINDOW_MS;
	if (!full) {
		int64_t last;
		int rc = offers_sync_store_last_success(db, offer_provider_name(p), &last);
		if (rc && rc != -ERR_NOTFOUND) {
			c->error = "lecture des synchronisations précédentes impossible";
			return rc;
		}
		if (!rc)
			since = last - OFFERS_SYNC_OVERLAP_MS;
	}
	switch (p) {
	case PROVIDER_FRANCE_TRAVAIL:
		return fetch_france_travail(c, full, since, now, all);
	case PROVIDER_ENGAGEMENT:
		return fetch_engagement(c, full, since, all);
	case PROVIDER_IMMERSION:
		return fetch_immersion(c, db, all);
	case PROVIDER_MEE:
		return fetch_mee(c, all);
	}
	return -ERR_INVAL;
}

static int
record(struct db *db, int (*write)(struct db *, const struct offers_sync_run *),
       const struct offers_sync_run *r)
{
	int rc = db_tx_begin(db);
	return rc ? rc : db_tx_end(db, write(db, r));
}

int
offers_sync_run(struct db *db, struct offers_text *t, const struct offers_sync_settings *s,
		enum offer_provider p, bool full, int64_t now, struct arena *a,
		struct offers_sync_run *out)
{
	/* Immersion and MEE have no incremental read: every run is whole, and reconciles. */
	if (p == PROVIDER_IMMERSION || p == PROVIDER_MEE)
		full = true;
	char id[UUID_STRLEN + 1];
	id_uuid7(now, id);
	*out = (struct offers_sync_run){
		.id = arena_strdup(a, id), .provider = offer_provider_name(p), .full = full,
		.started_at = now,
	};
	int rc = record(db, offers_sync_store_start, out);
	if (rc)
		return rc;
	gint64 t0 = g_get_monotonic_time();
	struct client c = {.s = s, .a = a, .name = provider_label[p], .h = curl_easy_init()};
	json_t *all = json_array();
	if (!c.h) {
		c.error = "libcurl indisponible";
		rc = -ERR_UNAVAILABLE;
	} else {
		rc = fetch(&c, db, p, full, now, all);
	}
	if (c.h)
		curl_easy_cleanup(c.h);
	if (!rc) {
		struct offers_import_stats st = {0};
		rc = offers_import_records(db, t, p, all, now, &st, NULL);
		if (rc) {
			c.error = "écriture du catalogue impossible";
		} else {
			out->inserted = st.inserted;
			out->updated = st.updated;
			out->rejected = st.rejected;
		}
	} else if (rc != -ERR_DB) {
		rc = -ERR_UNAVAILABLE;
	}
	json_decref(all);
	/* The reconciliation commits with the run's record. */
	out->finished_at = now + (g_get_monotonic_time() - t0) / 1000;
	int wrc = db_tx_begin(db);
	if (wrc)
		return wrc;
	if (!rc) {
		int n = offers_sync_store_reconcile(db, p == PROVIDER_MEE, out->provider, full, now);
		if (n < 0)
			wrc = n;
		else
			out->deactivated = n;
	}
	out->error = rc ? (c.error ? c.error : "erreur inconnue") : NULL;
	if (!wrc)
		wrc = offers_sync_store_finish(db, out);
	wrc = wrc ? (db_tx_rollback(db), wrc) : db_tx_commit(db);
	if (rc)
		log_warn("synchronisation %s : %s", out->provider, out->error);
	return rc ? rc : wrc;
}
