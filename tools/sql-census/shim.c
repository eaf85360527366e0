/* shim.c — LD_PRELOAD library of tools/sql-census.sh: logs, to the file named by
 * $CENSUS_LOG, every SQL text given to sqlite3_prepare_v2/v3 with the program and the
 * return addresses of its callers (resolved later by addr2line) — not those SQLite prepares
 * for itself —, and once per (SQL,
 * index, type) the type each parameter is bound with. Records end with 0x1e, fields are
 * separated by 0x1f; each record is one write() to a file opened O_APPEND, so the forked
 * tests of Criterion never interleave them. Not part of cej. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { RECORD_MAX = 70000, SEEN_SLOTS = 1 << 16 };

static void
append(const char *buf, size_t len)
{
	const char *path = getenv("CENSUS_LOG");
	int fd = path ? open(path, O_WRONLY | O_APPEND | O_CREAT, 0644) : -1;
	if (fd < 0)
		return;
	(void)!write(fd, buf, len);
	close(fd);
}

/* "P" exe frame… 0x1f sql 0x1e */
static void
log_prepare(const char *sql, int n)
{
	static char buf[RECORD_MAX];
	if (!sql || !getenv("CENSUS_LOG"))
		return;
	size_t len = n < 0 ? strlen(sql) : (size_t)n, o = 0;
	char exe[512];
	ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[el > 0 ? el : 0] = 0;
	o += (size_t)snprintf(buf, 600, "P\x1f%s ", exe);
	void *fr[8];
	int nf = backtrace(fr, 8);
	Dl_info caller;
	if (nf > 2 && dladdr(fr[2], &caller) && caller.dli_fname &&
	    strstr(caller.dli_fname, "libsqlite3"))
		return;   /* SQLite's own statements (reading its schema), not cej's */
	for (int i = 2; i < nf; i++) {
		Dl_info di;
		if (dladdr(fr[i], &di) && di.dli_fname)
			o += (size_t)snprintf(buf + o, 1024, "%s+%lx ", di.dli_fname,
					      (unsigned long)((char *)fr[i] - (char *)di.dli_fbase - 1));
	}
	buf[o++] = 0x1f;
	if (len + o + 1 > sizeof buf)
		len = sizeof buf - o - 1;
	memcpy(buf + o, sql, len);
	buf[o + len] = 0x1e;
	append(buf, o + len + 1);
}

/* "B" 0x1f index 0x1f type 0x1f sql 0x1e, once per (sql, index, type) in this process. */
static void
log_bind(sqlite3_stmt *st, int idx, const char *type)
{
	static unsigned long seen[SEEN_SLOTS];
	static char buf[RECORD_MAX];
	const char *sql = sqlite3_sql(st);
	if (!sql || !getenv("CENSUS_LOG"))
		return;
	unsigned long h = 1469598103934665603UL;
	for (const char *p = sql; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211UL;
	h = ((h ^ (unsigned long)idx) * 1099511628211UL ^ (unsigned char)type[0]) * 1099511628211UL;
	h += !h;
	unsigned long i = h & (SEEN_SLOTS - 1);
	while (seen[i] && seen[i] != h)
		i = (i + 1) & (SEEN_SLOTS - 1);
	if (seen[i] == h)
		return;
	seen[i] = h;
	size_t o = (size_t)snprintf(buf, 100, "B\x1f%d\x1f%s\x1f", idx, type), len = strlen(sql);
	if (len + o + 1 > sizeof buf)
		len = sizeof buf - o - 1;
	memcpy(buf + o, sql, len);
	buf[o + len] = 0x1e;
	append(buf, o + len + 1);
}

#define REAL(name, ...)                                                                    \
	static int (*real)(__VA_ARGS__);                                                   \
	if (!real)                                                                         \
		real = (int (*)(__VA_ARGS__))dlsym(RTLD_NEXT, name)

int
sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned int f, sqlite3_stmt **st,
		   const char **tail)
{
	REAL("sqlite3_prepare_v3", sqlite3 *, const char *, int, unsigned int, sqlite3_stmt **,
	     const char **);
	log_prepare(sql, n);
	return real(db, sql, n, f, st, tail);
}

int
sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st, const char **tail)
{
	REAL("sqlite3_prepare_v2", sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
	log_prepare(sql, n);
	return real(db, sql, n, st, tail);
}

int
sqlite3_bind_int64(sqlite3_stmt *st, int i, sqlite3_int64 v)
{
	REAL("sqlite3_bind_int64", sqlite3_stmt *, int, sqlite3_int64);
	log_bind(st, i, "int8");
	return real(st, i, v);
}

int
sqlite3_bind_int(sqlite3_stmt *st, int i, int v)
{
	REAL("sqlite3_bind_int", sqlite3_stmt *, int, int);
	log_bind(st, i, "int8");
	return real(st, i, v);
}

int
sqlite3_bind_double(sqlite3_stmt *st, int i, double v)
{
	REAL("sqlite3_bind_double", sqlite3_stmt *, int, double);
	log_bind(st, i, "float8");
	return real(st, i, v);
}

int
sqlite3_bind_text(sqlite3_stmt *st, int i, const char *v, int n, void (*d)(void *))
{
	REAL("sqlite3_bind_text", sqlite3_stmt *, int, const char *, int, void (*)(void *));
	log_bind(st, i, v ? "text" : "null");
	return real(st, i, v, n, d);
}

int
sqlite3_bind_blob(sqlite3_stmt *st, int i, const void *v, int n, void (*d)(void *))
{
	REAL("sqlite3_bind_blob", sqlite3_stmt *, int, const void *, int, void (*)(void *));
	log_bind(st, i, v ? "bytea" : "null");
	return real(st, i, v, n, d);
}

int
sqlite3_bind_blob64(sqlite3_stmt *st, int i, const void *v, sqlite3_uint64 n,
		    void (*d)(void *))
{
	REAL("sqlite3_bind_blob64", sqlite3_stmt *, int, const void *, sqlite3_uint64,
	     void (*)(void *));
	log_bind(st, i, v ? "bytea" : "null");
	return real(st, i, v, n, d);
}

int
sqlite3_bind_null(sqlite3_stmt *st, int i)
{
	REAL("sqlite3_bind_null", sqlite3_stmt *, int);
	log_bind(st, i, "null");
	return real(st, i);
}
