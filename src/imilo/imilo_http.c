/* imilo_http.c — one exchange with i-milo (see imilo_http.h): headers, rate limit, circuit
 * breaker, retry, metrics. One libcurl easy handle per exchange, so calls from several
 * workers never share state. curl_global_init() is done once by main before any thread. */
#include "imilo/imilo_http.h"
#include "imilo/imilo_sessions.h"

#include "base/arena.h"
#include "base/log.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

#define CONNECT_TIMEOUT_MS 2000
#define DEFAULT_TIMEOUT_MS 10000
#define DEFAULT_BACKGROUND_TIMEOUT_MS 30000   /* §7: background work waits longer */
#define MIN_RETRY_BUDGET_MS 500   /* less left than this: a retry could not succeed */
#define MAX_RETRY_AFTER_S 2       /* §7: wait Retry-After only when ≤ 2 s */
#define MAX_BODY (4 * 1024 * 1024) /* 300 sessions with registrants: a few hundred KB */
#define BREAKER_FAILURES 5        /* §7: consecutive failures that open a family's circuit */
#define BREAKER_OPEN_US (30 * G_USEC_PER_SEC)
#define WRITE_SPACING_US (50 * 1000)  /* §2: sequential writes ≥ 50 ms apart */

static const struct {
	enum imilo_family family;
	const char *id;
} calls[N_CALLS] = {
	[CALL_D1] = {FAMILY_DOSSIERS, "D1"}, [CALL_D2] = {FAMILY_DOSSIERS, "D2"},
	[CALL_D5] = {FAMILY_DOSSIERS, "D5"},
	[CALL_S1] = {FAMILY_SESSIONS, "S1"}, [CALL_S2] = {FAMILY_SESSIONS, "S2"},
	[CALL_S3] = {FAMILY_SESSIONS, "S3"}, [CALL_S4] = {FAMILY_SESSIONS, "S4"},
	[CALL_S5] = {FAMILY_SESSIONS, "S5"}, [CALL_S6] = {FAMILY_SESSIONS, "S6"},
	[CALL_S7] = {FAMILY_SESSIONS, "S7"},
	[CALL_E1] = {FAMILY_EVENTS, "E1"}, [CALL_E2] = {FAMILY_EVENTS, "E2"},
	[CALL_E3] = {FAMILY_EVENTS, "E3"}, [CALL_E4] = {FAMILY_EVENTS, "E4"},
};
static const char *const family_names[N_FAMILIES] = {"dossiers", "sessions", "events"};

struct imilo_client *
imilo_client_new(const struct imilo_settings *s)
{
	struct imilo_client *c = g_new0(struct imilo_client, 1);
	const char *keys[N_FAMILIES] = {s->key_dossiers, s->key_sessions, s->key_events};
	size_t n = strlen(s->base_url);

	while (n > 0 && s->base_url[n - 1] == '/')
		n--;
	c->base_url = g_strndup(s->base_url, n);
	for (int f = 0; f < N_FAMILIES; f++) {
		c->keys[f] = g_strdup(keys[f] ? keys[f] : "");
		g_mutex_init(&c->gates[f].lock);
		c->gates[f].tokens = s->rate_per_s;
	}
	c->timeout_ms = s->timeout_ms > 0 ? s->timeout_ms : DEFAULT_TIMEOUT_MS;
	c->background_timeout_ms = s->background_timeout_ms > 0 ? s->background_timeout_ms
								: DEFAULT_BACKGROUND_TIMEOUT_MS;
	c->rate_per_s = s->rate_per_s > 0 ? s->rate_per_s : 0;
	return c;
}

void
imilo_client_free(struct imilo_client *c)
{
	if (!c)
		return;
	g_free(c->base_url);
	for (int f = 0; f < N_FAMILIES; f++) {
		g_free(c->keys[f]);
		g_mutex_clear(&c->gates[f].lock);
	}
	g_free(c);
}

/* ---- the gate: circuit breaker and rate limit (§2, §7) ---- */

/* Whether the family's circuit lets a call through now: closed, or open past its 30 s
 * with no probe under way (this call becomes the probe). */
static bool
gate_admit(struct imilo_gate *g, gint64 now_us)
{
	bool ok = true;

	g_mutex_lock(&g->lock);
	if (g->open_until_us) {
		ok = now_us >= g->open_until_us && !g->probing;
		if (ok)
			g->probing = true;
	}
	g_mutex_unlock(&g->lock);
	return ok;
}

/* Records the outcome of an admitted call: no answer or a 5xx counts as a failure; five
 * in a row (or a failed probe) open the circuit for 30 s; any other answer closes it. */
static void
gate_record(struct imilo_gate *g, const struct answer *ans, const char *family)
{
	bool failed = ans->status == 0 || ans->status >= 500;

	g_mutex_lock(&g->lock);
	if (!failed) {
		g->failures = 0;
		g->open_until_us = 0;
	} else if (++g->failures >= BREAKER_FAILURES || g->probing) {
		if (!g->open_until_us || g->probing)
			log_warn("i-milo: famille %s : %d échecs de suite, appels suspendus 30 s",
				 family, g->failures);
		g->open_until_us = g_get_monotonic_time() + BREAKER_OPEN_US;
	}
	g->probing = false;
	g_mutex_unlock(&g->lock);
}

/* Takes a token of the family's bucket, reserving one ahead when it is empty; returns how
 * long the caller must wait for it (µs), and spaces writes by 50 ms. A rate of 0 (no
 * limit: benchmarks against the simulator) waits for nothing. */
static gint64
gate_wait_us(struct imilo_gate *g, int rate, bool write, gint64 now_us)
{
	gint64 wait = 0;

	g_mutex_lock(&g->lock);
	if (rate > 0) {
		g->tokens = MIN((double)rate, g->tokens + (double)(now_us - g->refilled_us) *
							  rate / G_USEC_PER_SEC);
		g->refilled_us = now_us;
		g->tokens -= 1;
		if (g->tokens < 0)
			wait = (gint64)(-g->tokens * G_USEC_PER_SEC / rate);
	}
	if (write && rate > 0) {
		gint64 next = g->last_write_us + WRITE_SPACING_US;
		wait = MAX(wait, next - now_us);
		g->last_write_us = now_us + MAX(wait, 0);
	}
	g_mutex_unlock(&g->lock);
	return MAX(wait, 0);
}

const char *
imilo_health(const struct imilo_client *c)
{
	const char *health = "up";

	for (int f = 0; f < N_FAMILIES; f++) {
		struct imilo_gate *g = (struct imilo_gate *)&c->gates[f];
		g_mutex_lock(&g->lock);
		if (g->open_until_us)
			health = "down";
		else if (g->failures && strcmp(health, "down"))
			health = "degraded";
		g_mutex_unlock(&g->lock);
	}
	return health;
}

/* ---- HTTP ---- */

static size_t
on_body(char *data, size_t size, size_t n, void *user)
{
	GString *body = user;

	if (body->len + size * n > MAX_BODY)
		return 0;  /* aborts the transfer: reported as a network error */
	g_string_append_len(body, data, (gssize)(size * n));
	return size * n;
}

static struct curl_slist *
add_header(struct curl_slist *h, const char *name, const char *value)
{
	gchar *line = g_strconcat(name, ": ", value, NULL);
	h = curl_slist_append(h, line);
	g_free(line);
	return h;
}

static struct curl_slist *
headers(const struct imilo_client *c, enum imilo_family f, const struct imilo_actor *who,
	const char *method, const char *json)
{
	struct curl_slist *h = add_header(NULL, "X-Gravitee-Api-Key", c->keys[f]);

	if (who && who->bearer) {
		gchar *v = g_strconcat("Bearer ", who->bearer, NULL);
		h = add_header(h, "Authorization", v);
		g_free(v);
	} else if (who) {
		h = add_header(h, "operateur", "APPLICATION_CEJ");
	}
	h = curl_slist_append(h, "Accept: application/json, text/plain");
	if (json)
		h = curl_slist_append(h, "Content-Type: application/json");
	else if (strcmp(method, "GET") != 0)  /* an empty body: no form Content-Type */
		h = curl_slist_append(h, "Content-Type:");
	return h;
}

/* @json is the request body, or NULL for none (GET, or a write with an empty body). */
static void
set_method(CURL *h, const char *method, const char *json)
{
	if (!strcmp(method, "GET"))
		return;
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, json ? json : "");
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, json ? (long)strlen(json) : 0L);
	if (strcmp(method, "POST") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
}

/* One HTTP exchange within @timeout_ms. @ans->body must be empty. */
static void
perform(CURL *h, struct curl_slist *hdrs, const char *method, const char *url,
	const char *json, long timeout_ms, struct answer *ans)
{
	curl_off_t retry_after = -1;
	long status = 0;

	ans->status = 0;
	ans->timed_out = false;
	ans->retry_after_s = -1;
	ans->error[0] = '\0';
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, MIN(CONNECT_TIMEOUT_MS, timeout_ms));
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "cej");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, ans->body);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ans->error);
	set_method(h, method, json);
	CURLcode rc = curl_easy_perform(h);
	ans->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after);
		ans->status = (int)status;
		ans->retry_after_s = retry_after > 0 ? (long)retry_after : (retry_after == 0 ? 0 : -1);
	}
}

/* Whether the first attempt's answer earns the retry, after any wait it asks for. */
static bool
retry_after_wait(const struct answer *ans, gint64 deadline_us)
{
	gint64 wait_us = 0;

	if (ans->status == 429) {
		if (ans->retry_after_s < 0 || ans->retry_after_s > MAX_RETRY_AFTER_S)
			return false;
		wait_us = ans->retry_after_s * G_USEC_PER_SEC;
	} else if (!imilo_retryable(ans->status)) {
		return false;
	}
	if (deadline_us - g_get_monotonic_time() - wait_us < MIN_RETRY_BUDGET_MS * 1000)
		return false;
	g_usleep((gulong)wait_us);
	return true;
}

void
imilo_exchange(struct imilo_client *c, enum imilo_call call, const struct imilo_actor *who,
	       const char *method, const char *url, const char *json, struct answer *ans)
{
	enum imilo_family f = calls[call].family;
	struct imilo_gate *g = &c->gates[f];
	bool read = !strcmp(method, "GET");
	gint64 deadline;

	memset(ans, 0, sizeof(*ans));
	ans->body = g_string_new(NULL);
	ans->t0_us = g_get_monotonic_time();
	deadline = ans->t0_us + (gint64)(who && who->background ? c->background_timeout_ms
								  : c->timeout_ms) * 1000;
	/* The bucket first: a call that cannot get its token in time fails without touching
	 * the breaker (i-milo was not asked). */
	gint64 wait = gate_wait_us(g, c->rate_per_s, !read, ans->t0_us);
	if (wait > 0) {
		if (ans->t0_us + wait >= deadline - MIN_RETRY_BUDGET_MS * 1000) {
			g_strlcpy(ans->error, "limite de débit", sizeof(ans->error));
			return;
		}
		g_usleep((gulong)wait);
	}
	if (!gate_admit(g, g_get_monotonic_time())) {
		ans->circuit_open = true;
		g_strlcpy(ans->error, "circuit ouvert (i-milo en échec)", sizeof(ans->error));
		return;
	}
	CURL *h = curl_easy_init();
	struct curl_slist *hdrs = headers(c, f, who, method, json);
	perform(h, hdrs, method, url, json, (long)((deadline - g_get_monotonic_time()) / 1000), ans);
	if (read && retry_after_wait(ans, deadline)) {
		if (ans->status)
			log_warn("i-milo: GET %s : HTTP %d, nouvel essai", url, ans->status);
		else
			log_warn("i-milo: GET %s : %s, nouvel essai", url, ans->error);
		g_string_truncate(ans->body, 0);
		perform(h, hdrs, method, url, json,
			(long)((deadline - g_get_monotonic_time()) / 1000), ans);
	}
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	gate_record(g, ans, family_names[f]);
}

void
imilo_answer_done(struct imilo_client *c, enum imilo_call call, struct answer *ans, bool usable)
{
	enum imilo_outcome o = ans->circuit_open ? IMILO_OUTCOME_OPEN
						 : imilo_outcome_of(ans->status, ans->timed_out, usable);
	atomic_fetch_add_explicit(&c->outcomes[call][o], 1, memory_order_relaxed);
	metrics_observe(&c->latency[call], g_get_monotonic_time() - ans->t0_us);
	g_string_free(ans->body, TRUE);
	ans->body = NULL;
}

bool
imilo_is_2xx(int status)
{
	return status >= 200 && status < 300;
}

void
imilo_log_down(struct arena *a, const char *method, const char *url, const struct answer *ans)
{
	log_warn("i-milo: %s %s : %s", method, url,
		 ans->status ? arena_printf(a, "HTTP %d", ans->status) : ans->error);
}

char *
imilo_url(struct arena *a, const struct imilo_client *c, const char *prefix, const char *id,
	  const char *suffix)
{
	gchar *escaped = g_uri_escape_string(id ? id : "", NULL, FALSE);
	char *url = arena_printf(a, "%s%s%s%s", c->base_url, prefix, escaped, suffix ? suffix : "");

	g_free(escaped);
	return url;
}

const char *
imilo_str_member(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	char *s;

	if (!json_is_string(v))
		return NULL;
	s = text_trim(a, json_string_value(v));
	return *s ? s : NULL;
}

const char *
imilo_id_member(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		return arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return imilo_str_member(a, o, key);
}

void
imilo_metrics(const struct imilo_client *c, GString *out)
{
	metrics_family(out, "cej_imilo_calls_total", "counter",
		       "Appels à i-milo par famille, appel (spec/imilo.md) et issue ; une lecture "
		       "et son nouvel essai comptent pour un appel.");
	for (int k = 0; k < N_CALLS; k++)
		for (int o = 0; o < IMILO_N_OUTCOMES; o++) {
			struct metrics_label l[] = {{"family", family_names[calls[k].family]},
						    {"call", calls[k].id},
						    {"outcome", imilo_outcome_names[o]}};
			metrics_sample(out, "cej_imilo_calls_total", l, G_N_ELEMENTS(l),
				       (int64_t)atomic_load_explicit(&c->outcomes[k][o],
								     memory_order_relaxed));
		}
	metrics_family(out, "cej_imilo_call_duration_seconds", "histogram",
		       "Durée des appels à i-milo, nouvel essai compris.");
	for (int k = 0; k < N_CALLS; k++) {
		struct metrics_label l[] = {{"family", family_names[calls[k].family]},
					    {"call", calls[k].id}};
		metrics_histogram(out, "cej_imilo_call_duration_seconds", l, G_N_ELEMENTS(l),
				  &c->latency[k]);
	}
	metrics_family(out, "cej_imilo_circuit_open", "gauge",
		       "1 quand le circuit d'une famille est ouvert (5 échecs de suite : appels "
		       "suspendus 30 s).");
	for (int f = 0; f < N_FAMILIES; f++) {
		struct imilo_gate *g = (struct imilo_gate *)&c->gates[f];
		struct metrics_label l[] = {{"family", family_names[f]}};
		g_mutex_lock(&g->lock);
		int64_t open = g->open_until_us != 0;
		g_mutex_unlock(&g->lock);
		metrics_sample(out, "cej_imilo_circuit_open", l, 1, open);
	}
}
