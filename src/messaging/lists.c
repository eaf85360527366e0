/* lists.c — listes de diffusion and multi-recipient messages: the rules, then the use
 * cases (store, sealing through messaging_use and crypto). No HTML here. */
#include "messaging/lists.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "db/db.h"
#include "messaging/attachments.h"
#include "messaging/crypto.h"
#include "messaging/lists_store.h"
#include "messaging/messaging.h"
#include "messaging/messaging_live.h"
#include "messaging/messaging_use.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- Rules ---- */

enum lists_sort
lists_sort_parse(const char *tri)
{
	return tri && !strcmp(tri, "destinataires") ? LISTS_SORT_RECIPIENTS : LISTS_SORT_TITLE;
}

const char *
lists_sort_name(enum lists_sort s)
{
	return s == LISTS_SORT_RECIPIENTS ? "destinataires" : "nom";
}

bool
lists_sort_first_desc(enum lists_sort s)
{
	return s == LISTS_SORT_RECIPIENTS;
}

const char *
lists_title_check(struct arena *a, const char *raw, const char **out)
{
	if (raw && !g_utf8_validate(raw, -1, NULL))
		return LISTS_TITLE_INVALID;
	/* Unicode white space too (a no-break space is no title). */
	const char *s = raw ? raw : "", *end = s + strlen(s);
	while (*s && g_unichar_isspace(g_utf8_get_char(s)))
		s = g_utf8_next_char(s);
	while (end > s) {
		const char *prev = g_utf8_prev_char(end);
		if (!g_unichar_isspace(g_utf8_get_char(prev)))
			break;
		end = prev;
	}
	if (end == s)
		return LISTS_TITLE_EMPTY;
	if (g_utf8_strlen(s, end - s) > LISTS_TITLE_MAX)
		return LISTS_TITLE_TOO_LONG;
	for (const char *p = s; p < end; p = g_utf8_next_char(p))
		if (g_unichar_iscntrl(g_utf8_get_char(p)))
			return LISTS_TITLE_INVALID;
	*out = arena_strndup(a, s, (size_t)(end - s));
	return NULL;
}

int
lists_unique(struct arena *a, const char *const *ids, int n, const char ***out)
{
	const char **u = arena_alloc(a, sizeof(*u) * (size_t)(n > 0 ? n : 1));
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	int k = 0;
	for (int i = 0; i < n; i++)
		if (ids[i] && g_hash_table_add(seen, (gpointer)ids[i]))
			u[k++] = ids[i];
	g_hash_table_destroy(seen);
	*out = u;
	return k;
}

bool
lists_all_within(const char *const *ids, int n, const char *const *allowed, int m)
{
	GHashTable *set = g_hash_table_new(g_str_hash, g_str_equal);
	for (int i = 0; i < m; i++)
		g_hash_table_add(set, (gpointer)allowed[i]);
	bool ok = true;
	for (int i = 0; ok && i < n; i++)
		ok = ids[i] && g_hash_table_contains(set, ids[i]);
	g_hash_table_destroy(set);
	return ok;
}

int
broadcast_recipients(struct arena *a, const char *const *chosen, int n,
		     const struct list_person *members, int m, const char ***out)
{
	const char **all = arena_alloc(a, sizeof(*all) * (size_t)(n + m > 0 ? n + m : 1));
	int k = 0;
	for (int i = 0; i < n; i++)
		all[k++] = chosen[i];
	for (int i = 0; i < m; i++)
		if (members[i].in_portfolio)
			all[k++] = members[i].id;
	return lists_unique(a, all, k, out);
}

char *
lists_person_name(struct arena *a, const char *first_name, const char *last_name)
{
	return arena_printf(a, "%s %s", first_name, text_upper(a, last_name));
}

char *
lists_read_label(struct arena *a, bool read, const char *first_name, const char *last_name)
{
	return arena_printf(a, "%s par %s", read ? "Lu" : "Non lu",
			    lists_person_name(a, first_name, last_name));
}

char *
broadcast_count_label(struct arena *a, int n)
{
	return arena_printf(a, "Destinataires (%d)", n);
}

/* ---- Use cases ---- */

int
lists_of(struct db *db, struct arena *a, const char *counselor_id, enum lists_sort sort,
	 bool desc, struct list_row **out)
{
	return lists_store_list(db, a, counselor_id, sort, desc, out);
}

int
lists_load(struct db *db, struct arena *a, const char *counselor_id, const char *id,
	   struct broadcast_list *out)
{
	int rc = lists_store_load(db, a, id, out);
	if (!rc && strcmp(out->counselor_id, counselor_id))
		rc = -ERR_NOTFOUND;  /* invisible to everyone but its owner (§9) */
	return rc;
}

int
lists_portfolio(struct db *db, struct arena *a, const char *counselor_id, struct list_person **out)
{
	return lists_store_portfolio(db, a, counselor_id, out);
}

int
lists_members(struct db *db, struct arena *a, const struct broadcast_list *l,
	      struct list_person **out)
{
	return lists_store_members(db, a, l->id, l->counselor_id, out);
}

/* The ids of @n people. */
static const char **
ids_of(struct arena *a, const struct list_person *p, int n)
{
	const char **ids = arena_alloc(a, sizeof(*ids) * (size_t)(n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
		ids[i] = p[i].id;
	return ids;
}

/* Makes the portfolio members of list @l exactly @ids (@n, unique): members who left the
 * portfolio are not the form's to remove. */
static int
set_members(struct db *db, struct arena *a, int64_t now, const struct broadcast_list *l,
	    const char *const *ids, int n)
{
	struct list_person *cur;
	int m = lists_store_members(db, a, l->id, l->counselor_id, &cur);
	if (m < 0)
		return m;
	int rc = 0;
	for (int i = 0; !rc && i < m; i++)
		if (cur[i].in_portfolio && !lists_all_within(&cur[i].id, 1, ids, n))
			rc = lists_store_remove_member(db, l->id, cur[i].id);
	for (int i = 0; !rc && i < n; i++)
		rc = lists_store_add_member(db, l->id, ids[i], now);
	return rc;
}

int
lists_save(struct db *db, struct arena *a, int64_t now, struct broadcast_list *l,
	   const char *title, const char *const *ids, int n, struct lists_form_errors *e)
{
	*e = (struct lists_form_errors){0};
	struct list_person *pf;
	int np = lists_store_portfolio(db, a, l->counselor_id, &pf);
	if (np < 0)
		return np;
	const char **unique;
	int nu = lists_unique(a, ids, n, &unique);
	if (!lists_all_within(unique, nu, ids_of(a, pf, np), np))
		return -ERR_FORBIDDEN;  /* only the owner's portfolio may be added (§9) */
	const char *stored = NULL;
	e->title = lists_title_check(a, title, &stored);
	e->members = nu == 0 ? LISTS_MEMBERS_EMPTY : NULL;
	e->count = (e->title != NULL) + (e->members != NULL);
	if (e->count)
		return -ERR_INVAL;
	l->title = stored;
	const char *folded = text_fold(a, stored);
	int rc;
	if (!l->id) {
		char *id = arena_alloc(a, UUID_STRLEN + 1);
		id_uuid7(now, id);
		l->id = id;
		rc = lists_store_insert(db, l, folded, now);
	} else {
		rc = lists_store_rename(db, l, folded, now);
	}
	return rc ? rc : set_members(db, a, now, l, unique, nu);
}

int
lists_remove(struct db *db, const struct broadcast_list *l)
{
	return lists_store_delete(db, l->id);
}

int
lists_submit(struct db *db, struct arena *a, int64_t now, struct broadcast_list *l,
	     const char *title, const char *const *ids, int n, struct lists_form_errors *e)
{
	const char *id = l->id;
	int rc = db_tx_begin(db);
	if (rc) {
		*e = (struct lists_form_errors){0};
		return rc;
	}
	rc = db_tx_end(db, lists_save(db, a, now, l, title, ids, n, e));
	if (rc)
		l->id = id;
	return rc;
}

int
lists_delete(struct db *db, const struct broadcast_list *l)
{
	int rc = db_tx_begin(db);
	return rc ? rc : db_tx_end(db, lists_remove(db, l));
}

/* A JSON array of @n ids, compact (arena). */
static const char *
json_ids(struct arena *a, const char *const *ids, int n)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_string(ids[i]));
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	const char *copy = arena_strdup(a, s);
	free(s);
	return copy;
}

/* The members of the @n lists @ids, each the caller's own: -ERR_FORBIDDEN otherwise. */
static int
expand_lists(struct db *db, struct arena *a, const char *counselor_id, const char *const *ids,
	     int n, struct list_person **out, int *m)
{
	GArray *all = g_array_new(FALSE, TRUE, sizeof(struct list_person));
	int rc = 0;
	for (int i = 0; !rc && i < n; i++) {
		struct broadcast_list l;
		struct list_person *p;
		rc = ids[i] && id_is_uuid(ids[i]) ? lists_store_load(db, a, ids[i], &l)
						   : -ERR_NOTFOUND;
		if (rc == -ERR_NOTFOUND || (!rc && strcmp(l.counselor_id, counselor_id)))
			rc = -ERR_FORBIDDEN;
		int k = rc ? 0 : lists_store_members(db, a, l.id, counselor_id, &p);
		if (k < 0)
			rc = k;
		if (k > 0)
			g_array_append_vals(all, p, (guint)k);
	}
	*m = (int)all->len;
	*out = arena_alloc(a, sizeof(struct list_person) * (all->len ? all->len : 1));
	if (all->len)
		memcpy(*out, all->data, sizeof(struct list_person) * all->len);
	g_array_free(all, TRUE);
	return rc;
}

int
broadcast_send(struct db *db, const struct msg_keyring *keys, struct arena *a, int64_t now,
	       const struct broadcast_request *in, struct broadcast_result *out)
{
	*out = (struct broadcast_result){0};
	struct list_person *pf, *members;
	int np = lists_store_portfolio(db, a, in->counselor_id, &pf), nm = 0;
	if (np < 0)
		return np;
	const char **pf_ids = ids_of(a, pf, np);
	if (!lists_all_within(in->beneficiary_ids, in->n_beneficiaries, pf_ids, np))
		return -ERR_FORBIDDEN;
	const char **lists;
	int nl = lists_unique(a, in->list_ids, in->n_lists, &lists);
	int rc = expand_lists(db, a, in->counselor_id, lists, nl, &members, &nm);
	if (rc)
		return rc;
	out->n = in->all ? broadcast_recipients(a, pf_ids, np, members, nm, &out->recipients)
			 : broadcast_recipients(a, in->beneficiary_ids, in->n_beneficiaries,
						members, nm, &out->recipients);
	/* A file attached (even one refused) spares the empty-text error (§8). */
	enum msg_kind kind = in->file_name ? MSG_MESSAGE_PJ : MSG_MESSAGE;
	const char *checked;
	out->recipients_error = out->n == 0 ? BROADCAST_NO_RECIPIENT : NULL;
	out->text_error = msg_text_check(a, kind, in->text, &checked);
	out->file_error = in->file_name ? attachment_check(in->file_name, in->file, in->file_len)
					: NULL;
	out->errors = (out->recipients_error != NULL) + (out->text_error != NULL) +
		      (out->file_error != NULL);
	if (out->errors)
		return -ERR_INVAL;

	/* One stored file for every copy (§7). */
	char *file_id = NULL;
	if (in->file_name) {
		file_id = arena_alloc(a, UUID_STRLEN + 1);
		rc = attachment_store(db, keys, a, now, in->counselor_id, in->file_name,
				      attachment_type(in->file_name, in->file, in->file_len),
				      in->file, in->file_len, file_id);
		if (rc) {
			out->file_error = ATTACHMENT_FAILED;
			out->errors = 1;
			return rc;
		}
	}
	char *id = arena_alloc(a, UUID_STRLEN + 1);
	id_uuid7(now, id);
	rc = lists_store_broadcast(db, id, in->counselor_id, json_ids(a, lists, nl),
				   json_ids(a, out->recipients, out->n), now);
	for (int i = 0; !rc && i < nl; i++)
		rc = lists_store_link(db, lists[i], id, now);
	/* The raw text: messaging_send checks it again and stores each copy as a message
	 * sent to one conversation would be (a checked text, trimmed twice, would lose the
	 * trailing space of MSG_PJ_DEFAULT_TEXT). */
	struct msg_send m = {.sender = MSG_FROM_COUNSELOR, .counselor_id = in->counselor_id,
			     .kind = kind, .text = in->text, .attachment_id = file_id,
			     .broadcast_id = id};
	for (int i = 0; !rc && i < out->n; i++) {
		const char *error = NULL;
		rc = messaging_send(db, keys, a, now, out->recipients[i], &m, NULL, &error);
		if (rc == -ERR_INVAL && error) {  /* the text was checked: not expected */
			out->text_error = error;
			out->errors = 1;
		}
	}
	if (!rc) {
		out->id = id;
		out->sent_at = now;
	}
	return rc;
}

int
broadcast_submit(struct db *db, const struct msg_keyring *keys, struct arena *a, int64_t now,
		 const struct broadcast_request *in, struct broadcast_result *out)
{
	int rc = db_tx_begin(db);
	if (rc) {
		*out = (struct broadcast_result){0};
		return rc;
	}
	rc = broadcast_send(db, keys, a, now, in, out);
	for (int i = 0; !rc && i < out->n; i++)
		messaging_live_changed_on_commit(db, a, out->recipients[i], in->counselor_id);
	return db_tx_end(db, rc);
}

/* Opens the sealed copy of @e into e->text (NULL when it cannot be), and the name and
 * state of its file, read as @l's owner: the counselor who uploaded it. */
static int
open_entry(struct db *db, const struct msg_keyring *keys, struct arena *a,
	   const struct broadcast_list *l, struct broadcast_entry *e)
{
	char *plain = NULL;
	e->text = NULL;
	if (e->content && e->key_id &&
	    !crypto_open(keys, a, e->key_id, e->content, e->content_len, &plain, NULL))
		e->text = plain;
	if (!e->attachment_id)
		return 0;
	struct attachment t;
	int rc = attachment_load(db, keys, a, e->attachment_id, "counselor", l->counselor_id,
				 false, &t);
	if (rc == -ERR_NOTFOUND)
		return 0;  /* not the owner's upload: nothing of it to show */
	if (!rc) {
		e->file_name = t.name;
		e->file_expired = t.expired && !t.deleted;
		e->file_deleted = t.deleted;
	}
	return rc;
}

int
broadcast_history(struct db *db, const struct msg_keyring *keys, struct arena *a,
		  const struct broadcast_list *l, const struct msg_cursor *before,
		  struct broadcast_page *out)
{
	*out = (struct broadcast_page){0};
	/* One more than a page tells whether older messages exist. */
	int n = lists_store_history(db, a, l->id, before, BROADCAST_PAGE_SIZE + 1, &out->items);
	if (n < 0)
		return n;
	out->more = n > BROADCAST_PAGE_SIZE;
	out->n = out->more ? BROADCAST_PAGE_SIZE : n;
	int rc = 0;
	for (int i = 0; !rc && i < out->n; i++)
		rc = open_entry(db, keys, a, l, &out->items[i]);
	return rc;
}

int
broadcast_detail(struct db *db, const struct msg_keyring *keys, struct arena *a,
		 const struct broadcast_list *l, const char *broadcast_id,
		 struct broadcast_detail *out)
{
	*out = (struct broadcast_detail){0};
	int rc = lists_store_sent(db, a, l->id, broadcast_id, &out->message);
	if (rc)
		return rc;
	if ((rc = open_entry(db, keys, a, l, &out->message)))
		return rc;
	int n = lists_store_receipts(db, a, broadcast_id, l->counselor_id, &out->receipts);
	if (n < 0)
		return n;
	out->n = n;
	return 0;
}
