/* ticker.c — a thread, a mutex and a condition variable. */
#include "base/ticker.h"

struct ticker {
	ticker_fn fn;
	void *ud;
	GThread *thread;
	GMutex lock;
	GCond cond;     /* signalled by wake and stop */
	bool woken;     /* under @lock */
	bool stopping;  /* under @lock */
};

/* Waits up to @timeout µs for a wake or a stop; true when the ticker must stop. */
static bool
wait_round(struct ticker *t, gint64 timeout)
{
	gint64 deadline = g_get_monotonic_time() + timeout;
	bool stop;

	g_mutex_lock(&t->lock);
	while (!t->woken && !t->stopping)
		if (!g_cond_wait_until(&t->cond, &t->lock, deadline))
			break;
	t->woken = false;
	stop = t->stopping;
	g_mutex_unlock(&t->lock);
	return stop;
}

static gpointer
ticker_main(gpointer p)
{
	struct ticker *t = p;
	while (!wait_round(t, t->fn(t, t->ud)))
		;
	return NULL;
}

struct ticker *
ticker_start(const char *name, ticker_fn fn, void *ud)
{
	struct ticker *t = g_new0(struct ticker, 1);
	t->fn = fn;
	t->ud = ud;
	g_mutex_init(&t->lock);
	g_cond_init(&t->cond);
	t->thread = g_thread_new(name, ticker_main, t);
	return t;
}

static void
signal_ticker(struct ticker *t, bool stop)
{
	g_mutex_lock(&t->lock);
	t->woken = true;
	t->stopping = t->stopping || stop;
	g_cond_signal(&t->cond);
	g_mutex_unlock(&t->lock);
}

void
ticker_wake(struct ticker *t)
{
	if (t)
		signal_ticker(t, false);
}

bool
ticker_stopping(struct ticker *t)
{
	g_mutex_lock(&t->lock);
	bool stop = t->stopping;
	g_mutex_unlock(&t->lock);
	return stop;
}

void
ticker_stop(struct ticker *t)
{
	if (!t)
		return;
	signal_ticker(t, true);
	g_thread_join(t->thread);
	g_cond_clear(&t->cond);
	g_mutex_clear(&t->lock);
	g_free(t);
}
