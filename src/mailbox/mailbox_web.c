/* mailbox_web.c — the list of sent mails, and one mail as its recipient sees it: a page
 * with its envelope and its HTML part in a sandboxed frame. */
#include "mailbox/mailbox_web.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/err.h"
#include "base/ids.h"
#include "mail/mail.h"
#include "core/ctx.h"
#include "view/view.h"
#include "view/vm.h"

#include <string.h>

int
mailbox_page(struct req *r)
{
	struct mail_row *rows;
	int n = mail_list(ctx_db(r), r->a, 50, &rows);
	int64_t now = clock_now_ms();
	if (n < 0)
		return n;
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", "Boîte de réception de démonstration");
	vm_set_str(data, "layout", "public");
	struct vm *mails = vm_set_list(data, "mails");
	for (int i = 0; i < n; i++) {
		struct vm *m = vm_push_obj(mails);
		vm_set_str(m, "id", rows[i].id);
		vm_set_str(m, "to", rows[i].recipient);
		vm_set_str(m, "subject", rows[i].subject);
		vm_set_str(m, "date", clock_fr_relative(r->a, rows[i].created_at, now, NULL));
		vm_set_bool(m, "sent", rows[i].sent_at != 0);
	}
	return view_page(r, 200, "mail/mailbox.html", data);
}

int
mailbox_mail(struct req *r)
{
	const char *id = req_param(r, "id");
	struct mail_row m;
	if (!id_is_uuid(id))
		return -ERR_NOTFOUND;
	int rc = mail_get(ctx_db(r), r->a, id, &m);
	if (rc)
		return rc;
	struct vm *data = vm_obj(r->a);
	vm_set_str(data, "title", m.subject);
	vm_set_str(data, "layout", "public");
	vm_set_str(data, "id", m.id);
	vm_set_str(data, "subject", m.subject);
	vm_set_str(data, "to", m.recipient);
	vm_set_str(data, "date", clock_fr_relative(r->a, m.created_at, clock_now_ms(), NULL));
	struct mail_attachment *files;
	int n = mail_attachments(ctx_db(r), req_ctx(r)->cfg->mail_transport, r->a, m.id, &files);
	if (n < 0)
		return n;
	struct vm *list = vm_set_list(data, "files");
	for (int i = 0; i < n; i++) {
		struct vm *f = vm_push_obj(list);
		vm_set_str(f, "name", files[i].filename);
		vm_set_strf(f, "href", "/demo/courriels/%s/pieces-jointes/%d", m.id, i + 1);
		vm_set_strf(f, "size", "%zu octets", files[i].len);
	}
	return view_page(r, 200, "mail/mailbox_mail.html", data);
}

int
mailbox_mail_content(struct req *r)
{
	const char *id = req_param(r, "id"), *html, *head;
	struct mail_row m;
	if (!id_is_uuid(id))
		return -ERR_NOTFOUND;
	int rc = mail_get(ctx_db(r), r->a, id, &m);
	if (rc)
		return rc;
	/* The outbox keeps the body of a waiting mail only; a sent one is read back from the
	 * .eml file the transport wrote. */
	html = m.body_html;
	if (!html && (rc = mail_sent_html(req_ctx(r)->cfg->mail_transport, r->a, id, &html)))
		return rc;
	/* Its links open a new tab, as in a webmail: inside the frame, our pages (which refuse
	 * to be framed) would not show. Only this copy changes, never the mail sent. */
	head = strstr(html, "<head>");
	html = head ? arena_printf(r->a, "%.*s<head>\n<base target=\"_blank\">%s",
				   (int)(head - html), html, head + strlen("<head>"))
		    : arena_printf(r->a, "<base target=\"_blank\">%s", html);
	resp_framed_html(r, 200, html, strlen(html));
	return 0;
}

/* The @n-th file (1, 2, …) of a mail, downloaded as its recipient would save it. */
int
mailbox_attachment(struct req *r)
{
	const char *id = req_param(r, "id"), *n = req_param(r, "n");
	struct mail_attachment *files;
	if (!id_is_uuid(id) || !n || strlen(n) != 1 || n[0] < '1' || n[0] > '9')
		return -ERR_NOTFOUND;
	int count = mail_attachments(ctx_db(r), req_ctx(r)->cfg->mail_transport, r->a, id, &files);
	if (count < 0)
		return count;
	if (n[0] - '0' > count)
		return -ERR_NOTFOUND;
	const struct mail_attachment *f = &files[n[0] - '1'];
	resp_bytes(r, 200, f->content_type, f->data, f->len);
	/* The name was checked at enqueue (mail.h): plain ASCII, nothing to escape. */
	resp_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"%s\"",
							   f->filename));
	resp_header(r, "Cache-Control", "private, no-store");
	return 0;
}
