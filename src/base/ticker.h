/* ticker.h — a background thread that does one round of work, then sleeps until woken,
 * stopped, or the delay the round asked for has passed. The mail worker and the job
 * runner are tickers.
 *
 * The work function runs on the ticker's own thread only; wake and stop may be called
 * from any thread. ticker_stop() lets the current round finish, then joins. */
#ifndef CEJ_TICKER_H
#define CEJ_TICKER_H

#include <glib.h>
#include <stdbool.h>

struct ticker;

/* One round of work; returns how long to sleep before the next one, in µs (0: at once). */
typedef gint64 (*ticker_fn)(struct ticker *t, void *ud);

struct ticker *ticker_start(const char *name, ticker_fn fn, void *ud);
void ticker_wake(struct ticker *t);        /* NULL ok */
/* True once ticker_stop() was called: long rounds check it between steps. */
bool ticker_stopping(struct ticker *t);
void ticker_stop(struct ticker *t);        /* NULL ok; frees @t */

#endif
