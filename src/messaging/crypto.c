/* crypto.c — the message keyring and secretbox sealing (messaging.md §14). */
#include "messaging/crypto.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(CRYPTO_OVERHEAD == crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES,
	       "CRYPTO_OVERHEAD");

struct key {
	char id[CRYPTO_KEY_ID_MAX + 1];
	unsigned char bytes[crypto_secretbox_KEYBYTES];
};

struct msg_keyring {
	int n;
	struct key *keys;   /* in file order: keys[n - 1] is current */
};

#define FILE_HEADER \
	"# Clés de chiffrement des messages de cej (ne jamais supprimer une clé encore utilisée).\n" \
	"# Une clé par ligne, « id:clé en base64 » ; la dernière est la clé courante.\n"

static bool
valid_id(const char *s, size_t n)
{
	if (n == 0 || n > CRYPTO_KEY_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

void
crypto_keyring_free(struct msg_keyring *k)
{
	if (!k)
		return;
	if (k->keys) {
		sodium_memzero(k->keys, sizeof(*k->keys) * (size_t)k->n);
		g_free(k->keys);
	}
	g_free(k);
}

/* Parses the text of a key file (@len bytes, modified in place). NULL when malformed, with
 * the line number logged. */
static struct msg_keyring *
parse(char *text, size_t len, const char *path)
{
	struct msg_keyring *k = g_new0(struct msg_keyring, 1);
	int cap = 0, lineno = 0;
	char *p = text, *end = text + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end;
		lineno++;
		char *s = p;
		p = nl ? nl + 1 : end;
		while (s < e && g_ascii_isspace(*s))
			s++;
		while (e > s && g_ascii_isspace(e[-1]))
			e--;
		if (s == e || *s == '#')
			continue;
		char *colon = memchr(s, ':', (size_t)(e - s));
		if (!colon || !valid_id(s, (size_t)(colon - s)))
			goto bad;
		if (k->n == cap) {
			cap = cap ? cap * 2 : 4;
			struct key *grown = g_new0(struct key, cap);
			if (k->keys) {
				memcpy(grown, k->keys, sizeof(*grown) * (size_t)k->n);
				sodium_memzero(k->keys, sizeof(*grown) * (size_t)k->n);
				g_free(k->keys);
			}
			k->keys = grown;
		}
		struct key *key = &k->keys[k->n];
		memcpy(key->id, s, (size_t)(colon - s));
		key->id[colon - s] = '\0';
		for (int i = 0; i < k->n; i++)
			if (!strcmp(k->keys[i].id, key->id))
				goto bad;
		size_t got = 0;
		const char *stop = NULL;
		if (sodium_base642bin(key->bytes, sizeof(key->bytes), colon + 1, (size_t)(e - colon - 1),
				      NULL, &got, &stop, sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    got != sizeof(key->bytes) || stop != e) {
			sodium_memzero(key, sizeof(*key));
			goto bad;
		}
		k->n++;
	}
	if (k->n == 0) {
		log_error("clés des messages : aucune clé dans %s", path);
		crypto_keyring_free(k);
		return NULL;
	}
	return k;
bad:
	log_error("clés des messages : ligne %d invalide dans %s (attendu « id:clé en base64 »)",
		  lineno, path);
	crypto_keyring_free(k);
	return NULL;
}

/* Reads and parses @path. *@missing is set when the file does not exist. */
static struct msg_keyring *
load(const char *path, bool *missing)
{
	gchar *text = NULL;
	gsize len = 0;
	GError *err = NULL;
	*missing = false;
	if (!g_file_get_contents(path, &text, &len, &err)) {
		*missing = g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
		if (!*missing)
			log_error("clés des messages : lecture impossible de %s : %s", path, err->message);
		g_error_free(err);
		return NULL;
	}
	struct msg_keyring *k = parse(text, len, path);
	sodium_memzero(text, len);
	g_free(text);
	return k;
}

/* "id:base64\n" of a fresh random key, in @line (zeroed by the caller). */
static size_t
new_key_line(char *line, size_t cap, const char *id)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_secretbox_KEYBYTES,
					   sodium_base64_VARIANT_ORIGINAL)];
	crypto_secretbox_keygen(key);
	sodium_bin2base64(b64, sizeof(b64), key, sizeof(key), sodium_base64_VARIANT_ORIGINAL);
	int n = g_snprintf(line, cap, "%s:%s\n", id, b64);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(b64, sizeof(b64));
	return (size_t)n;
}

static bool
write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		s += w;
		n -= (size_t)w;
	}
	return true;
}

/* Creates @path with one key "k1", mode 0600, atomically: the content is written to a
 * temporary file then linked into place, so that a concurrent reader never sees half a
 * file and two processes creating it at once keep the first one's key. 0, or -ERR_IO;
 * -ERR_CONFLICT when the file appeared meanwhile. */
static int
create_file(const char *path)
{
	gchar *dir = g_path_get_dirname(path);
	gchar *tmp = g_strdup_printf("%s.tmp-XXXXXX", path);
	char line[128];
	int rc = -ERR_IO, fd = -1;
	if (g_mkdir_with_parents(dir, 0700) != 0 ||
	    (fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600)) < 0) {
		log_error("clés des messages : création impossible dans %s : %s", dir, g_strerror(errno));
		goto out;
	}
	size_t n = new_key_line(line, sizeof(line), "k1");
	bool ok = fchmod(fd, 0600) == 0 && write_all(fd, FILE_HEADER, strlen(FILE_HEADER)) &&
		  write_all(fd, line, n) && fsync(fd) == 0;
	sodium_memzero(line, sizeof(line));
	if (close(fd) != 0)
		ok = false;
	fd = -1;
	if (!ok) {
		log_error("clés des messages : écriture impossible de %s", tmp);
		goto out;
	}
	if (link(tmp, path) != 0) {
		if (errno == EEXIST)
			rc = -ERR_CONFLICT;
		else
			log_error("clés des messages : création impossible de %s : %s", path,
				  g_strerror(errno));
		goto out;
	}
	rc = 0;
	log_info("clés des messages : fichier %s créé avec une clé", path);
out:
	if (fd >= 0)
		close(fd);
	g_unlink(tmp);
	g_free(tmp);
	g_free(dir);
	return rc;
}

static void
warn_if_open_to_others(const char *path)
{
	GStatBuf st;
	if (g_stat(path, &st) == 0 && (st.st_mode & 077))
		log_warn("clés des messages : %s est lisible par d'autres que son propriétaire "
			 "(chmod 600 conseillé)", path);
}

struct msg_keyring *
crypto_keyring_open(const char *path, bool create_if_missing)
{
	bool missing;
	struct msg_keyring *k = load(path, &missing);
	if (!k && missing && create_if_missing) {
		int rc = create_file(path);
		if (rc && rc != -ERR_CONFLICT)
			return NULL;
		k = load(path, &missing);
	} else if (!k && missing) {
		log_error("clés des messages : fichier %s absent", path);
	}
	if (k)
		warn_if_open_to_others(path);
	return k;
}

const char *
crypto_keyring_current(const struct msg_keyring *k)
{
	return k->keys[k->n - 1].id;
}

int
crypto_keyring_count(const struct msg_keyring *k)
{
	return k->n;
}

int
crypto_keyring_add(const char *path, char **new_id)
{
	bool missing;
	struct msg_keyring *k = load(path, &missing);
	if (!k && missing) {
		int rc = create_file(path);
		if (rc != -ERR_CONFLICT) {
			if (!rc)
				*new_id = g_strdup("k1");
			return rc;
		}
		k = load(path, &missing);
	}
	if (!k)
		return missing ? -ERR_IO : -ERR_INVAL;
	long max = 0;
	for (int i = 0; i < k->n; i++) {
		const char *id = k->keys[i].id;
		char *end;
		if (id[0] == 'k' && g_ascii_isdigit(id[1])) {
			long v = strtol(id + 1, &end, 10);
			if (*end == '\0' && v > max)
				max = v;
		}
	}
	crypto_keyring_free(k);
	char id[CRYPTO_KEY_ID_MAX + 1], line[128];
	g_snprintf(id, sizeof(id), "k%ld", max + 1);
	int fd = g_open(path, O_RDWR | O_APPEND | O_CLOEXEC, 0);
	if (fd < 0) {
		log_error("clés des messages : ouverture impossible de %s : %s", path, g_strerror(errno));
		return -ERR_IO;
	}
	/* A file edited by hand may lack its final newline. */
	char last = '\n';
	off_t size = lseek(fd, 0, SEEK_END);
	if (size > 0 && pread(fd, &last, 1, size - 1) != 1)
		last = '\n';
	size_t n = new_key_line(line, sizeof(line), id);
	bool ok = (last == '\n' || write_all(fd, "\n", 1)) && write_all(fd, line, n) &&
		  fsync(fd) == 0;
	sodium_memzero(line, sizeof(line));
	if (close(fd) != 0)
		ok = false;
	if (!ok) {
		log_error("clés des messages : écriture impossible dans %s", path);
		return -ERR_IO;
	}
	*new_id = g_strdup(id);
	return 0;
}

static const struct key *
find(const struct msg_keyring *k, const char *id)
{
	for (int i = k->n - 1; i >= 0; i--)
		if (id && !strcmp(k->keys[i].id, id))
			return &k->keys[i];
	return NULL;
}

void
crypto_seal(const struct msg_keyring *k, struct arena *a, const void *plain, size_t len,
	    struct crypto_sealed *out)
{
	const struct key *key = &k->keys[k->n - 1];
	unsigned char *blob = arena_alloc(a, len + CRYPTO_OVERHEAD);
	randombytes_buf(blob, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(blob + crypto_secretbox_NONCEBYTES, plain, len, blob, key->bytes);
	out->key_id = key->id;
	out->blob = blob;
	out->len = len + CRYPTO_OVERHEAD;
}

int
crypto_open(const struct msg_keyring *k, struct arena *a, const char *key_id,
	    const unsigned char *blob, size_t len, char **plain, size_t *plain_len)
{
	const struct key *key = find(k, key_id);
	if (!key)
		return -ERR_NOTFOUND;
	if (!blob || len < CRYPTO_OVERHEAD)
		return -ERR_INVAL;
	size_t n = len - CRYPTO_OVERHEAD;
	char *m = arena_alloc(a, n + 1);
	if (crypto_secretbox_open_easy((unsigned char *)m, blob + crypto_secretbox_NONCEBYTES,
				       len - crypto_secretbox_NONCEBYTES, blob, key->bytes) != 0)
		return -ERR_INVAL;
	m[n] = '\0';
	*plain = m;
	if (plain_len)
		*plain_len = n;
	return 0;
}
