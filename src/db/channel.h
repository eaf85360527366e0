/* channel.h — PostgreSQL's LISTEN/NOTIFY: how the nodes of one database tell each other
 * that something happened (DESIGN §1, §6: "live events cross nodes through LISTEN/NOTIFY";
 * nothing home-made in between).
 *
 * A channel holds two connections of its own to the database, apart from the per-thread
 * connections of db.h: one that only listens (its socket is waited on by one thread,
 * db_channel_wait) and one that sends (db_channel_send, from any thread, one at a time
 * under a mutex), because a libpq connection is not shared between threads and a
 * listening connection must not be kept busy by queries.
 *
 * Guarantees (PostgreSQL's): a notification reaches every connection listening at the time
 * it is sent, in the order sent by one connection; payloads of one channel are not merged
 * (no duplicate suppression across transactions: each send is its own autocommit
 * transaction). What the channel adds: a node does not receive what it sent itself (the
 * sender's backend pid is compared), and a lost connection is reopened (and LISTEN again)
 * on the next call; what was sent while the listening connection was down is lost — the
 * caller is told (db_channel_wait returns DB_CHANNEL_RESET) so it can make its listeners
 * reload. Payloads: at most DB_CHANNEL_PAYLOAD_MAX bytes of text (PostgreSQL's limit is
 * 8000 bytes); events carry ids, not content. */
#ifndef CEJ_DB_CHANNEL_H
#define CEJ_DB_CHANNEL_H

#include <stdbool.h>

#define DB_CHANNEL_PAYLOAD_MAX 7900
/* db_channel_wait(): the listening connection was reopened; notifications may be lost. */
#define DB_CHANNEL_RESET (-2)

struct db_channel;

/* True when @url names a PostgreSQL database (postgres:// or postgresql://). */
bool db_channel_url_ok(const char *url);

/* Connects twice to @url and listens on @name (lower-case letters, digits, '_'). NULL on
 * failure (logged). */
struct db_channel *db_channel_open(const char *url, const char *name);
void db_channel_close(struct db_channel *c);

/* Sends @payload to the other listeners of the channel. Any thread. 0, or -ERR_INVAL
 * (too long), or -ERR_DB (the database could not be reached even after reconnecting). */
int db_channel_send(struct db_channel *c, const char *payload);

/* Waits up to @timeout_ms for notifications from other senders and calls @fn(@payload,
 * @ud) for each, in order. One thread only. Returns how many were delivered (0 on timeout),
 * DB_CHANNEL_RESET after reopening a lost connection, or -ERR_DB when it cannot be
 * reopened (the caller waits and calls again). */
typedef void (*db_channel_fn)(const char *payload, void *ud);
int db_channel_wait(struct db_channel *c, int timeout_ms, db_channel_fn fn, void *ud);

#endif
