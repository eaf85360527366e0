/* channel.c — LISTEN/NOTIFY over libpq (channel.h). */
#include "db/channel.h"

#include "base/err.h"
#include "base/log.h"

#include <glib.h>
#include <libpq-fe.h>
#include <poll.h>
#include <string.h>

struct db_channel {
	char *url;
	char *name;
	PGconn *listen;     /* owned by the waiting thread */
	PGconn *send;       /* under send_lock */
	GMutex send_lock;
	int send_pid;       /* the sending backend's pid: its own notifications are skipped */
};

bool
db_channel_url_ok(const char *url)
{
	return url && (g_str_has_prefix(url, "postgres://") || g_str_has_prefix(url, "postgresql://"));
}

static bool
name_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 63)
		return false;
	for (; *s; s++)
		if (!g_ascii_islower(*s) && !g_ascii_isdigit(*s) && *s != '_')
			return false;
	return true;
}

/* The server's notices (a restart's "terminating connection") go to cej's log, not to
 * stderr. */
static void
notice(void *ud, const char *message)
{
	(void)ud;
	log_info("db_channel: %s", message);
}

static PGconn *
connect_to(const char *url)
{
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK) {
		log_error("db_channel: connexion impossible : %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, notice, NULL);
	return c;
}

/* The listening connection, opened (again) with its LISTEN when missing. */
static bool
listen_open(struct db_channel *c)
{
	if (c->listen)
		return true;
	c->listen = connect_to(c->url);
	if (!c->listen)
		return false;
	/* name_ok() keeps the identifier plain: no quoting needed. */
	gchar *sql = g_strdup_printf("LISTEN %s", c->name);
	PGresult *r = PQexec(c->listen, sql);
	g_free(sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		log_error("db_channel: LISTEN refusé : %s", PQerrorMessage(c->listen));
	PQclear(r);
	if (!ok) {
		PQfinish(c->listen);
		c->listen = NULL;
	}
	return ok;
}

static bool
send_open(struct db_channel *c)
{
	if (c->send)
		return true;
	c->send = connect_to(c->url);
	c->send_pid = c->send ? PQbackendPID(c->send) : 0;
	return c->send != NULL;
}

struct db_channel *
db_channel_open(const char *url, const char *name)
{
	if (!db_channel_url_ok(url) || !name_ok(name)) {
		log_error("db_channel: adresse ou nom de canal invalide");
		return NULL;
	}
	struct db_channel *c = g_new0(struct db_channel, 1);
	c->url = g_strdup(url);
	c->name = g_strdup(name);
	g_mutex_init(&c->send_lock);
	if (!listen_open(c) || !send_open(c)) {
		db_channel_close(c);
		return NULL;
	}
	return c;
}

void
db_channel_close(struct db_channel *c)
{
	if (!c)
		return;
	if (c->listen)
		PQfinish(c->listen);
	if (c->send)
		PQfinish(c->send);
	g_mutex_clear(&c->send_lock);
	g_free(c->url);
	g_free(c->name);
	g_free(c);
}

static bool
notify(struct db_channel *c, const char *payload)
{
	const char *values[2] = {c->name, payload};
	PGresult *r = PQexecParams(c->send, "SELECT pg_notify($1, $2)", 2, NULL, values, NULL,
				   NULL, 0);
	bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	PQclear(r);
	return ok;
}

int
db_channel_send(struct db_channel *c, const char *payload)
{
	if (strlen(payload) > DB_CHANNEL_PAYLOAD_MAX)
		return -ERR_INVAL;
	int rc = -ERR_DB;
	g_mutex_lock(&c->send_lock);
	/* Twice at most: the connection may have been lost since the last send (server
	 * restarted); a notification is idempotent for its listeners, so a retry is safe. */
	for (int attempt = 0; attempt < 2 && rc; attempt++) {
		if (!send_open(c))
			break;
		if (notify(c, payload)) {
			rc = 0;
		} else if (PQstatus(c->send) != CONNECTION_OK) {
			PQfinish(c->send);
			c->send = NULL;
		} else {
			log_error("db_channel: NOTIFY refusé : %s", PQerrorMessage(c->send));
			break;
		}
	}
	g_mutex_unlock(&c->send_lock);
	return rc;
}

/* Hands over every notification already received. Returns how many. */
static int
drain(struct db_channel *c, db_channel_fn fn, void *ud)
{
	int n = 0, own;
	PGnotify *note;

	g_mutex_lock(&c->send_lock);
	own = c->send_pid;
	g_mutex_unlock(&c->send_lock);
	while ((note = PQnotifies(c->listen))) {
		if (note->be_pid != own) {
			fn(note->extra, ud);
			n++;
		}
		PQfreemem(note);
	}
	return n;
}

int
db_channel_wait(struct db_channel *c, int timeout_ms, db_channel_fn fn, void *ud)
{
	if (!c->listen) {
		if (!listen_open(c))
			return -ERR_DB;
		return DB_CHANNEL_RESET;
	}
	int n = drain(c, fn, ud);
	if (n)
		return n;
	struct pollfd p = {.fd = PQsocket(c->listen), .events = POLLIN};
	if (p.fd < 0 || poll(&p, 1, timeout_ms) < 0)
		return 0;
	if (p.revents && (!PQconsumeInput(c->listen) || PQstatus(c->listen) != CONNECTION_OK)) {
		log_warn("db_channel: connexion d'écoute perdue, reconnexion");
		PQfinish(c->listen);
		c->listen = NULL;
		return listen_open(c) ? DB_CHANNEL_RESET : -ERR_DB;
	}
	return drain(c, fn, ud);
}
