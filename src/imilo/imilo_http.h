/* imilo_http.h — inside the i-milo client (src/imilo/ only): the client's state and one
 * HTTP exchange with i-milo, shared by the dossiers (imilo.c) and the sessions and events
 * families (imilo_sessions.c).
 *
 * imilo_exchange() applies what spec/imilo.md §2 and §7 ask of every call: the family's API
 * key and the caller's identity, the family's rate limit (token bucket) and its circuit
 * breaker, the spacing of writes, one retry of a read on a network error or a gateway
 * status (429: after Retry-After ≤ 2 s), all within the client's timeout. */
#ifndef CEJ_IMILO_HTTP_H
#define CEJ_IMILO_HTTP_H

#include "imilo/imilo.h"
#include "imilo/imilo_parse.h"

#include "base/metrics.h"

#include <curl/curl.h>
#include <glib.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>

struct imilo_actor;

enum imilo_family { FAMILY_DOSSIERS, FAMILY_SESSIONS, FAMILY_EVENTS, N_FAMILIES };

/* The calls the client makes (spec/imilo.md §3), for /metrics. */
enum imilo_call {
	CALL_D1, CALL_D2, CALL_D5,
	CALL_S1, CALL_S2, CALL_S3, CALL_S4, CALL_S5, CALL_S6, CALL_S7,
	CALL_E1, CALL_E2, CALL_E3, CALL_E4,
	N_CALLS
};

/* A family's circuit breaker and rate limit, under its lock. */
struct imilo_gate {
	GMutex lock;
	int failures;             /* consecutive calls without an answer or with a 5xx */
	gint64 open_until_us;     /* monotonic; 0: closed */
	bool probing;             /* open, and one probe call is under way */
	double tokens;            /* the bucket; may go negative: reserved by waiting calls */
	gint64 refilled_us;
	gint64 last_write_us;     /* sequential writes are spaced (§2) */
};

struct imilo_client {
	char *base_url;           /* without trailing slash */
	char *keys[N_FAMILIES];
	int timeout_ms, background_timeout_ms;
	int rate_per_s;           /* 0: no limit */
	struct imilo_gate gates[N_FAMILIES];
	/* Counted by every call, from any thread (atomics): what /metrics shows. */
	_Atomic uint64_t outcomes[N_CALLS][IMILO_N_OUTCOMES];
	struct metrics_histogram latency[N_CALLS];  /* a read's retry included */
};

struct answer {
	int status;               /* 0: no HTTP answer (network error, timeout, open circuit) */
	bool timed_out;           /* no answer because the time limit ran out */
	bool circuit_open;        /* not sent: the family's circuit is open */
	GString *body;
	long retry_after_s;       /* Retry-After in seconds, -1 when absent */
	char error[CURL_ERROR_SIZE];
	gint64 t0_us;             /* when the call began (monotonic) */
};

/* One call @call of the client: @method on @url (the path already escaped) with @json as
 * body (NULL: none), as @who (NULL: the API key alone, the dossiers family; else a bearer,
 * or operator auth when who->bearer is NULL). Fills @ans, whose body it creates: release it
 * with imilo_answer_done(), which also counts the call (@usable: a 2xx body held what the
 * call expects). GET is retried once as §7 says; other methods never. */
void imilo_exchange(struct imilo_client *c, enum imilo_call call, const struct imilo_actor *who,
		    const char *method, const char *url, const char *json, struct answer *ans);
void imilo_answer_done(struct imilo_client *c, enum imilo_call call, struct answer *ans,
		       bool usable);

bool imilo_is_2xx(int status);
/* Logs an exchange that got no usable answer (the user sees only cej's message). */
void imilo_log_down(struct arena *a, const char *method, const char *url, const struct answer *ans);
/* "{base}{prefix}{escaped id}{suffix}" (@suffix may be NULL). */
char *imilo_url(struct arena *a, const struct imilo_client *c, const char *prefix,
		const char *id, const char *suffix);

/* JSON members, copied into @a: a string trimmed (NULL when absent, not a string or
 * blank); an id as text (i-milo sends integers; strings tolerated). */
const char *imilo_str_member(struct arena *a, json_t *o, const char *key);
const char *imilo_id_member(struct arena *a, json_t *o, const char *key);

#endif
