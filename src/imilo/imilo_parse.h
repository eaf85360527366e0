/* imilo_parse.h — the pure half of the i-milo client (imilo.c): reading i-milo's answers
 * and deciding what they mean, with no I/O, so unit tests can drive it with bodies.
 *
 * Everything returned lives in the arena given; inputs need not be NUL-terminated. */
#ifndef CEJ_IMILO_PARSE_H
#define CEJ_IMILO_PARSE_H

#include "imilo/imilo.h"

#include <stdbool.h>
#include <stddef.h>

/* What an error body says. Members are NULL when absent; an empty or non-JSON body (a
 * gateway page, spec/imilo.md §2) gives all NULL. */
struct imilo_error {
	const char *code;
	const char *message;
	const char *account_id;   /* "id-keycloak" (SUE_RECORD_ALREADY_ATTACHED_TO_ACCOUNT) */
};

/* Reads a D1 body into @out: last name = nomUsage, else nomNaissance; e-mail trimmed and
 * lower-cased, NULL when null or empty; situations sorted (imilo_sort_situations) and
 * serialised in situations_json as [{"etat","categorie","dateFin"}], dateFin null when
 * none. Returns 0, or -1 when the body is not a dossier (not JSON, no id, no first or
 * last name). */
int imilo_parse_dossier(struct arena *a, const char *body, size_t len, struct imilo_dossier *out);

void imilo_parse_error(struct arena *a, const char *body, size_t len, struct imilo_error *out);

/* The account id of a 2xx D2/D3 answer: the text/plain body, trimmed (a JSON string is
 * tolerated). NULL when empty. */
const char *imilo_parse_account_id(struct arena *a, const char *body, size_t len);

/* The outcome of a non-2xx answer @http with error body @e (spec/imilo.md §3.1):
 * 400 with a SUE_* code -> ALREADY_ATTACHED / OTHER_ML, other 400 -> BAD_REQUEST,
 * 401–404 -> REJECTED, anything else (5xx, 429, no answer = 0) -> DOWN. */
enum imilo_status imilo_error_status(int http, const struct imilo_error *e);

/* The sessions and events outcome of a non-2xx answer @http (spec/imilo.md §3.3–3.5):
 * 404 -> NOT_FOUND, other 4xx but 429 -> REFUSED, anything else -> DOWN. */
enum imilo_status imilo_sessions_error_status(int http);

/* The D5 outcome of a non-2xx answer @http (spec/imilo.md §3.1, actions.md §5): any 4xx
 * except 429 -> REFUSED, anything else (429, 5xx, no answer = 0) -> DOWN. */
enum imilo_status imilo_snp_error_status(int http);
/* What the counselor reads when i-milo refused a situation: its message, else its code,
 * else NULL. */
const char *imilo_snp_refusal(const struct imilo_error *e);
/* The D5 request body, compact JSON in the order {dateDebut, dateFinReelle, commentaire,
 * mesure, loginConseiller}; a NULL member is sent as null (i-milo refuses it). */
const char *imilo_snp_body(struct arena *a, const struct imilo_snp *snp);

/* How a call ended, for /metrics (cej_imilo_calls_total's "outcome"). */
enum imilo_outcome {
	IMILO_OUTCOME_OK,         /* 2xx with what the call expects */
	IMILO_OUTCOME_HTTP_4XX,   /* i-milo refused: often the user's input (unknown dossier) */
	IMILO_OUTCOME_HTTP_5XX,
	IMILO_OUTCOME_TIMEOUT,    /* no answer within the client's timeout */
	IMILO_OUTCOME_NETWORK,    /* no answer: connection refused, reset, DNS… */
	IMILO_OUTCOME_INVALID,    /* an answer cej cannot use: unreadable 2xx, 1xx, 3xx */
	IMILO_OUTCOME_OPEN,       /* not sent: the family's circuit was open (§7) */
	IMILO_N_OUTCOMES
};
extern const char *const imilo_outcome_names[IMILO_N_OUTCOMES];

/* The outcome of a call whose last attempt got @http (0: no answer — @timed_out when the
 * time limit ended it); @usable: a 2xx body held what the call expects. Pure. */
enum imilo_outcome imilo_outcome_of(int http, bool timed_out, bool usable);

/* Whether a read that ended with @http (0: no answer) deserves its one retry (§7):
 * network error, 502, 503, 504. 429 is handled apart (Retry-After). */
bool imilo_retryable(int http);

#endif
