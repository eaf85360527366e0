/* pgcheck.c — the PostgreSQL side of tools/sql-census.sh. Reads records
 * "origin 0x1f types 0x1f sql 0x1e" on stdin (types: a comma list, one per $n: int8,
 * bytea, float8, or 0 for text/NULL, left for the server to infer — what the libpq
 * backend of db.h sends), PQprepares each on the database of argv[1] and describes it.
 * Writes "origin 0x1f ERROR|BOOLEAN 0x1f message 0x1f sql 0x1e" for each statement that
 * fails to prepare, and for each whose result has a boolean column (fine when read with
 * db_col_int64, which maps t/f to 1/0; wrong when read as text). Not part of cej. */
#define _POSIX_C_SOURCE 200809L
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_FLOAT8 = 701, MAX_PARAMS = 100 };

static char *
slurp(FILE *in, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);
	for (size_t r; buf && (r = fread(buf + n, 1, cap - n - 1, in)) > 0;) {
		n += r;
		if (cap - n < 2)
			buf = realloc(buf, cap *= 2);
	}
	if (buf)
		buf[n] = 0;
	*len = n;
	return buf;
}

static int
param_types(char *types, Oid *oids)
{
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(types, ",", &save); t && n < MAX_PARAMS;
	     t = strtok_r(NULL, ",", &save))
		oids[n++] = !strcmp(t, "int8") ? OID_INT8 : !strcmp(t, "bytea") ? OID_BYTEA
			  : !strcmp(t, "float8") ? OID_FLOAT8 : 0;
	return n;
}

static void
check(PGconn *c, const char *origin, char *types, const char *sql)
{
	Oid oids[MAX_PARAMS];
	int np = param_types(types, oids);
	PGresult *r = PQprepare(c, "", sql, np, oids);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		char *msg = PQresultErrorMessage(r), *nl = strchr(msg, '\n');
		printf("%s\x1f" "ERROR\x1f%.*s\x1f%s\x1e", origin, nl ? (int)(nl - msg) : (int)strlen(msg),
		       msg, sql);
		PQclear(r);
		return;
	}
	PQclear(r);
	r = PQdescribePrepared(c, "");
	char cols[1024] = "";
	for (int i = 0; i < PQnfields(r); i++)
		if (PQftype(r, i) == OID_BOOL)
			snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%d", *cols ? ", " : "", i);
	if (*cols)
		printf("%s\x1f" "BOOLEAN\x1f" "colonne(s) %s\x1f%s\x1e", origin, cols, sql);
	PQclear(r);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage : pgcheck URL < enregistrements\n");
		return 2;
	}
	PGconn *c = PQconnectdb(argv[1]);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "pgcheck : %s", PQerrorMessage(c));
		return 1;
	}
	size_t len;
	char *buf = slurp(stdin, &len), *save = NULL;
	for (char *rec = buf ? strtok_r(buf, "\x1e", &save) : NULL; rec;
	     rec = strtok_r(NULL, "\x1e", &save)) {
		char *types = strchr(rec, 0x1f), *sql = types ? strchr(types + 1, 0x1f) : NULL;
		if (!sql)
			continue;
		*types++ = 0;
		*sql++ = 0;
		check(c, rec, types, sql);
	}
	free(buf);
	PQfinish(c);
	return 0;
}
