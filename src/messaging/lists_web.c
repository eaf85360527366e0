/* lists_web.c — the pages of listes de diffusion: parse, load the caller's list (404
 * otherwise), call lists.h, render. */
#include "messaging/lists_web.h"

#include "auth/session.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "messaging/lists.h"
#include "messaging/messaging.h"
#include "core/ctx.h"
#include "view/form_errors.h"
#include "view/table.h"
#include "view/view.h"
#include "view/vm.h"

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

/* view_table_url_fn: the listing in another order (one page only). */
static const char *
listing_url(void *ud, int sort, bool desc, int page)
{
	struct req *r = ud;
	(void)page;
	return arena_printf(r->a, "/listes?tri=%s&ordre=%s", lists_sort_name((enum lists_sort)sort),
			    desc ? "desc" : "asc");
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
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Mes listes de diffusion");
	vm_set_str(page, "nav", "messagerie");
	struct vm *items = vm_set_list(page, "rows");
	for (int i = 0; i < n; i++) {
		struct vm *row = vm_push_obj(items);
		vm_set_str(row, "id", rows[i].id);
		vm_set_str(row, "title", rows[i].title);
		vm_set_int(row, "recipients", rows[i].recipients);
	}
	/* Another column sorts in its first-click order, the current one reverses. */
	const struct view_column cols[] = {
		{"Nom de la liste", LISTS_SORT_TITLE, lists_sort_first_desc(LISTS_SORT_TITLE), false},
		{"Nombre de destinataires", LISTS_SORT_RECIPIENTS,
		 lists_sort_first_desc(LISTS_SORT_RECIPIENTS), false},
	};
	view_table(page, &(struct view_table){
		.columns = cols, .ncolumns = G_N_ELEMENTS(cols), .sort = sort, .desc = desc,
		.page = 1, .pages = 1, .url = listing_url, .ud = r,
	});
	return view_page(r, 200, "lists/index.html", page);
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
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title",
		   l->id ? "Modifier la liste de diffusion" : "Créer une liste de diffusion");
	vm_set_str(page, "nav", "messagerie");
	vm_set_str_opt(page, "list_id", l->id);
	vm_set_str_opt(page, "list_title", title);
	vm_set_int(page, "title_max", LISTS_TITLE_MAX);
	struct vm *choices = vm_set_list(page, "choices"), *away = vm_set_list(page, "away");
	for (int i = 0; i < np; i++) {
		struct vm *c = vm_push_obj(choices);
		vm_set_str(c, "id", pf[i].id);
		vm_set_str(c, "name", lists_person_name(r->a, pf[i].first_name, pf[i].last_name));
		vm_set_bool(c, "checked", lists_all_within(&pf[i].id, 1, chosen, n));
	}
	/* Members who left the portfolio stay on the list, greyed (§9). */
	for (int i = 0; i < nm; i++)
		if (!members[i].in_portfolio)
			vm_set_str(vm_push_obj(away), "name",
				   lists_person_name(r->a, members[i].first_name, members[i].last_name));
	const struct view_field_error fields[] = {
		{"title", "titre", e ? e->title : NULL},
		{"members", "beneficiaires", e ? e->members : NULL},
	};
	vm_set(page, "errors", view_form_errors(r->a, fields, G_N_ELEMENTS(fields)));
	return view_page(r, status, "lists/form.html", page);
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
	bool creating = !l->id;
	int rc = lists_submit(ctx_db(r), r->a, clock_now_ms(), l, title, ids, n, &e);
	if (rc)
		return rc == -ERR_INVAL ? form_page(r, 400, l, title, ids, n, &e) : rc;
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
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Supprimer la liste");
	vm_set_str(page, "nav", "messagerie");
	vm_set_str(page, "list_id", l.id);
	vm_set_str(page, "list_title", l.title);
	return view_page(r, 200, "lists/delete.html", page);
}

int
lists_delete_post(struct req *r)
{
	struct broadcast_list l;
	int rc = load(r, &l);
	if (!rc)
		rc = lists_delete(ctx_db(r), &l);
	return rc ? rc : view_redirect_flash(r, "/listes", "liste-supprimee", NULL);
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
	struct vm *page = vm_obj(r->a);
	vm_set_str(page, "title", "Messages envoyés à mes listes de diffusion");
	vm_set_str(page, "nav", "messagerie");
	struct vm *items = vm_set_list(page, "rows");
	for (int i = 0; i < n; i++) {
		struct vm *row = vm_push_obj(items);
		vm_set_str(row, "id", rows[i].id);
		vm_set_str(row, "title", rows[i].title);
		vm_set_str(row, "sends",
			   rows[i].sends == 0   ? "Aucun message envoyé"
			   : rows[i].sends == 1 ? "1 message envoyé"
						: vm_strf(r->a, "%d messages envoyés", rows[i].sends));
		vm_set_str_opt(row, "last", rows[i].last_sent_at
			? vm_strf(r->a, "Dernier envoi : %s",
				  msg_tile_date(r->a, rows[i].last_sent_at, now, r->user->timezone))
			: NULL);
	}
	return view_page(r, 200, "lists/history.html", page);
}

static const char *
recipients_label(struct req *r, int n)
{
	return n == 1 ? "Envoyé à 1 bénéficiaire"
		      : arena_printf(r->a, "Envoyé à %d bénéficiaires", n);
}

/* The keys of message @e into @v (an item of the history, or the detail page). */
static void
set_entry(struct req *r, struct vm *v, const struct broadcast_entry *e, int64_t now)
{
	const char *tz = r->user->timezone;
	vm_set_str(v, "id", e->id);
	/* NULL when it cannot be decrypted: the page says the message is inaccessible. */
	vm_set_str_opt(v, "html", e->text ? msg_text_html(r->a, e->text) : NULL);
	vm_set_str(v, "time", msg_time(r->a, e->sent_at, tz));
	vm_set_str(v, "date", msg_tile_date(r->a, e->sent_at, now, tz));
	vm_set_str(v, "recipients", recipients_label(r, e->recipients));
	struct vm *file = NULL;
	if (e->file_name) {
		file = vm_obj(r->a);
		vm_set_str(file, "id", e->attachment_id);
		vm_set_str(file, "name", e->file_name);
		vm_set_str_opt(file, "gone", e->file_deleted   ? "Le fichier n’est plus disponible"
					     : e->file_expired ? "Pièce jointe expirée"
							       : NULL);
	}
	/* null rather than absent: {{#with file}} must not find another "file" outside. */
	vm_set(v, "file", file);
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
	struct vm *page = vm_obj(r->a);
	vm_set_strf(page, "title", "Messages envoyés à la liste %s", l.title);
	vm_set_str(page, "nav", "messagerie");
	vm_set_str(page, "list_id", l.id);
	vm_set_str(page, "list_title", l.title);
	vm_set_bool(page, "paged", avant != NULL);
	struct vm *items = vm_set_list(page, "items");
	for (int i = 0; i < p.n; i++) {
		const struct broadcast_entry *e = &p.items[i];
		/* Newest first: a day's separator comes before its first message. */
		if (i == 0 || !msg_same_day(e->sent_at, p.items[i - 1].sent_at, tz))
			vm_set_str(vm_push_obj(items), "day",
				   msg_day_separator(r->a, e->sent_at, now, tz));
		struct vm *item = vm_push_obj(items);
		vm_set_null(item, "day");
		set_entry(r, item, e, now);
	}
	const struct broadcast_entry *last = p.more && p.n ? &p.items[p.n - 1] : NULL;
	vm_set_str_opt(page, "older",
		       last ? vm_strf(r->a, "%" PRId64 "_%s", last->sent_at, last->id) : NULL);
	return view_page(r, 200, "lists/messages.html", page);
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
	struct vm *page = vm_obj(r->a);
	set_entry(r, page, &d.message, clock_now_ms());
	vm_set_str(page, "title", "Détail du message");
	vm_set_str(page, "nav", "messagerie");
	vm_set_str(page, "list_id", l.id);
	vm_set_str(page, "list_title", l.title);
	struct vm *receipts = vm_set_list(page, "receipts");
	for (int i = 0; i < d.n; i++) {
		struct vm *receipt = vm_push_obj(receipts);
		vm_set_str(receipt, "label", lists_read_label(r->a, d.receipts[i].read,
							  d.receipts[i].first_name,
							  d.receipts[i].last_name));
		vm_set_bool(receipt, "read", d.receipts[i].read);
	}
	return view_page(r, 200, "lists/detail.html", page);
}
