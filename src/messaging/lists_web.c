/* lists_web.c — the pages of listes de diffusion: parse, load the caller's list (404
 * otherwise), call lists.h, render. */
#include "messaging/lists_web.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "db/db.h"
#include "messaging/lists.h"
#include "messaging/messaging.h"
#include "core/ctx.h"
#include "view/view.h"

#include <inttypes.h>
#include <string.h>

/* The list of the path parameter "id" when the caller owns it; -ERR_NOTFOUND otherwise. */
static int
load(struct req *r, struct broadcast_list *l)
{
	const char *id = req_param(r, "id");
	if (!id_is_uuid(id))
		return -ERR_NOTFOUND;
	return lists_load(ctx_db(r), r->a, r->user->id, id, l);
}

/* ---- Listing ---- */

static const char *
listing_url(struct req *r, enum lists_sort sort, bool desc)
{
	return arena_printf(r->a, "/listes?tri=%s&ordre=%s", lists_sort_name(sort),
			    desc ? "desc" : "asc");
}

/* A sortable header: another column sorts in its first-click order, the current one
 * reverses. */
static json_t *
column(struct req *r, enum lists_sort cur, bool desc, enum lists_sort sort, const char *label)
{
	bool current = cur == sort;
	bool next_desc = current ? !desc : lists_sort_first_desc(sort);
	return json_pack("{s:s, s:s, s:s?}", "label", label, "url",
			 listing_url(r, sort, next_desc), "aria_sort",
			 current ? (desc ? "descending" : "ascending") : NULL);
}

int
lists_page(struct req *r)
{
	enum lists_sort sort = lists_sort_parse(req_query(r, "tri"));
	const char *ordre = req_query(r, "ordre");
	bool desc = ordre ? !strcmp(ordre, "desc") : lists_sort_first_desc(sort);
	struct list_row *rows;
	int n = lists_of(ctx_db(r), r->a, r->user->id, sort, desc, &rows);
	if (n < 0)
		return n;
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:i}", "id", rows[i].id, "title",
						       rows[i].title, "recipients",
						       rows[i].recipients));
	json_t *data = json_pack(
		"{s:s, s:s, s:o, s:o}", "title", "Mes listes de diffusion", "nav", "messagerie",
		"rows", items, "columns",
		json_pack("[o, o]", column(r, sort, desc, LISTS_SORT_TITLE, "Nom de la liste"),
			  column(r, sort, desc, LISTS_SORT_RECIPIENTS, "Nombre de destinataires")));
	return view_page(r, 200, "lists/index.html", data);
}

/* ---- The form ---- */

/* Renders the form of @l (@l->id NULL: a creation) with the @title typed and the @n
 * @chosen beneficiaries checked. */
static int
form_page(struct req *r, int status, const struct broadcast_list *l, const char *title,
	  const char *const *chosen, int n, const struct lists_form_errors *e)
{
	struct list_person *pf, *members = NULL;
	int np = lists_portfolio(ctx_db(r), r->a, r->user->id, &pf), nm = 0;
	if (np < 0)
		return np;
	if (l->id && (nm = lists_members(ctx_db(r), r->a, l, &members)) < 0)
		return nm;
	json_t *choices = json_array(), *away = json_array();
	for (int i = 0; i < np; i++)
		json_array_append_new(choices, json_pack("{s:s, s:s, s:b}", "id", pf[i].id, "name",
			lists_person_name(r->a, pf[i].first_name, pf[i].last_name), "checked",
			lists_all_within(&pf[i].id, 1, chosen, n)));
	/* Members who left the portfolio stay on the list, greyed (§9). */
	for (int i = 0; i < nm; i++)
		if (!members[i].in_portfolio)
			json_array_append_new(away, json_pack("{s:s}", "name",
				lists_person_name(r->a, members[i].first_name, members[i].last_name)));
	json_t *data = json_pack(
		"{s:s, s:s, s:s?, s:s?, s:o, s:o, s:i}", "title",
		l->id ? "Modifier la liste de diffusion" : "Créer une liste de diffusion", "nav",
		"messagerie", "list_id", l->id, "list_title", title, "choices", choices, "away",
		away, "title_max", LISTS_TITLE_MAX);
	if (e && e->count) {
		json_t *list = json_array();
		if (e->title)
			json_array_append_new(list, json_pack("{s:s, s:s}", "text", e->title,
							      "anchor", "titre"));
		if (e->members)
			json_array_append_new(list, json_pack("{s:s, s:s}", "text", e->members,
							      "anchor", "beneficiaires"));
		json_object_set_new(data, "errors", json_pack("{s:s?, s:s?, s:o, s:i}", "title",
			e->title, "members", e->members, "list", list, "count", e->count));
	}
	return view_page(r, status, "lists/form.html", data);
}

/* The beneficiaries posted (checkboxes "beneficiaires"); -ERR_INVAL beyond the cap. */
static int
posted_ids(struct req *r, const char *field, const char ***out)
{
	const char **ids = arena_alloc(r->a, sizeof(*ids) * (LISTS_MAX_IDS + 1));
	int n = req_form_all(r, field, ids, LISTS_MAX_IDS + 1);
	*out = ids;
	return n > LISTS_MAX_IDS ? -ERR_INVAL : n;
}

static int
save(struct req *r, struct broadcast_list *l)
{
	const char **ids;
	int n = posted_ids(r, "beneficiaires", &ids);
	if (n < 0)
		return n;
	const char *title = req_form(r, "titre");
	struct lists_form_errors e;
	struct db *db = ctx_db(r);
	bool creating = !l->id;
	int rc = db_tx_begin(db);
	if (!rc)
		rc = lists_save(db, r->a, clock_now_ms(), l, title, ids, n, &e);
	if (!rc)
		rc = db_tx_commit(db);
	if (rc) {
		db_tx_rollback(db);
		if (creating)
			l->id = NULL;
		return rc == -ERR_INVAL ? form_page(r, 400, l, title, ids, n, &e) : rc;
	}
	return view_redirect_flash(r, "/listes", creating ? "liste-creee" : "liste-modifiee", NULL);
}

int
lists_new_page(struct req *r)
{
	struct broadcast_list l = {.counselor_id = r->user->id};
	return form_page(r, 200, &l, NULL, NULL, 0, NULL);
}

int
lists_new_post(struct req *r)
{
	struct broadcast_list l = {.counselor_id = r->user->id};
	return save(r, &l);
}

int
lists_edit_page(struct req *r)
{
	struct broadcast_list l;
	struct list_person *members;
	int rc = load(r, &l);
	if (rc)
		return rc;
	int n = lists_members(ctx_db(r), r->a, &l, &members);
	if (n < 0)
		return n;
	const char **ids = arena_alloc(r->a, sizeof(*ids) * (size_t)(n > 0 ? n : 1));
	int k = 0;
	for (int i = 0; i < n; i++)
		if (members[i].in_portfolio)
			ids[k++] = members[i].id;
	return form_page(r, 200, &l, l.title, ids, k, NULL);
}

int
lists_edit_post(struct req *r)
{
	struct broadcast_list l;
	int rc = load(r, &l);
	return rc ? rc : save(r, &l);
}

/* ---- Deletion ---- */

int
lists_delete_page(struct req *r)
{
	struct broadcast_list l;
	int rc = load(r, &l);
	if (rc)
		return rc;
	return view_page(r, 200, "lists/delete.html",
			 json_pack("{s:s, s:s, s:s, s:s}", "title", "Supprimer la liste", "nav",
				   "messagerie", "list_id", l.id, "list_title", l.title));
}

int
lists_delete_post(struct req *r)
{
	struct broadcast_list l;
	struct db *db = ctx_db(r);
	int rc = load(r, &l);
	if (rc)
		return rc;
	if ((rc = db_tx_begin(db)))
		return rc;
	rc = lists_remove(db, &l);
	if (!rc)
		rc = db_tx_commit(db);
	if (rc) {
		db_tx_rollback(db);
		return rc;
	}
	return view_redirect_flash(r, "/listes", "liste-supprimee", NULL);
}

/* ---- History ---- */

int
lists_history_page(struct req *r)
{
	struct list_row *rows;
	int n = lists_of(ctx_db(r), r->a, r->user->id, LISTS_SORT_TITLE, false, &rows);
	if (n < 0)
		return n;
	int64_t now = clock_now_ms();
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack(
			"{s:s, s:s, s:s, s:s?}", "id", rows[i].id, "title", rows[i].title, "sends",
			rows[i].sends == 0   ? "Aucun message envoyé"
			: rows[i].sends == 1 ? "1 message envoyé"
					     : arena_printf(r->a, "%d messages envoyés", rows[i].sends),
			"last", rows[i].last_sent_at ? arena_printf(r->a, "Dernier envoi : %s",
				msg_tile_date(r->a, rows[i].last_sent_at, now, r->user->timezone))
						     : NULL));
	return view_page(r, 200, "lists/history.html",
			 json_pack("{s:s, s:s, s:o}", "title",
				   "Messages envoyés à mes listes de diffusion", "nav", "messagerie",
				   "rows", items));
}

static const char *
recipients_label(struct req *r, int n)
{
	return n == 1 ? "Envoyé à 1 bénéficiaire"
		      : arena_printf(r->a, "Envoyé à %d bénéficiaires", n);
}

static json_t *
entry_json(struct req *r, const struct broadcast_entry *e, int64_t now)
{
	const char *tz = r->user->timezone;
	json_t *j = json_pack("{s:s, s:s?, s:s, s:s, s:s}", "id", e->id, "html",
			      e->text ? msg_text_html(r->a, e->text) : NULL, "time",
			      msg_time(r->a, e->sent_at, tz), "date",
			      msg_tile_date(r->a, e->sent_at, now, tz), "recipients",
			      recipients_label(r, e->recipients));
	if (j && e->file_name)
		json_object_set_new(j, "file", json_pack("{s:s, s:s, s:s?}", "id", e->attachment_id,
			"name", e->file_name, "gone",
			e->file_deleted ? "Le fichier n’est plus disponible"
			: e->file_expired ? "Pièce jointe expirée" : NULL));
	return j;
}

int
lists_messages_page(struct req *r)
{
	struct broadcast_list l;
	struct msg_cursor cur;
	int rc = load(r, &l);
	if (rc)
		return rc;
	const char *avant = req_query(r, "avant");
	if (avant && !msg_cursor_parse(r->a, avant, &cur))
		return -ERR_INVAL;
	struct broadcast_page p;
	if ((rc = broadcast_history(ctx_db(r), req_ctx(r)->keys, r->a, &l, avant ? &cur : NULL, &p)))
		return rc;
	int64_t now = clock_now_ms();
	const char *tz = r->user->timezone;
	json_t *items = json_array();
	for (int i = 0; i < p.n; i++) {
		const struct broadcast_entry *e = &p.items[i];
		/* Newest first: a day's separator comes before its first message. */
		if (i == 0 || !msg_same_day(e->sent_at, p.items[i - 1].sent_at, tz))
			json_array_append_new(items, json_pack("{s:s}", "day",
				msg_day_separator(r->a, e->sent_at, now, tz)));
		json_array_append_new(items, entry_json(r, e, now));
	}
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:o, s:b}", "title",
				 arena_printf(r->a, "Messages envoyés à la liste %s", l.title), "nav",
				 "messagerie", "list_id", l.id, "list_title", l.title, "items", items,
				 "paged", avant != NULL);
	if (p.more && p.n) {
		const struct broadcast_entry *last = &p.items[p.n - 1];
		json_object_set_new(data, "older", json_string(arena_printf(r->a,
			"%" PRId64 "_%s", last->sent_at, last->id)));
	}
	return view_page(r, 200, "lists/messages.html", data);
}

int
lists_message_page(struct req *r)
{
	struct broadcast_list l;
	int rc = load(r, &l);
	if (rc)
		return rc;
	const char *bid = req_param(r, "bid");
	if (!id_is_uuid(bid))
		return -ERR_NOTFOUND;
	struct broadcast_detail d;
	if ((rc = broadcast_detail(ctx_db(r), req_ctx(r)->keys, r->a, &l, bid, &d)))
		return rc;
	json_t *receipts = json_array();
	for (int i = 0; i < d.n; i++)
		json_array_append_new(receipts, json_pack("{s:s, s:b}", "label",
			lists_read_label(r->a, d.receipts[i].read, d.receipts[i].first_name,
					 d.receipts[i].last_name), "read", d.receipts[i].read));
	json_t *data = entry_json(r, &d.message, clock_now_ms());
	if (!data) {
		json_decref(receipts);
		return -ERR_DB;
	}
	json_object_update_new(data, json_pack("{s:s, s:s, s:s, s:s, s:o}", "title",
		"Détail du message", "nav", "messagerie", "list_id", l.id, "list_title", l.title,
		"receipts", receipts));
	return view_page(r, 200, "lists/detail.html", data);
}
