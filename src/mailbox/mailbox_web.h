/* mailbox_web.h — the demo mailbox: with the file transport only, the mails the
 * application sent, so a newcomer follows an activation without a mail server. */
#ifndef CEJ_MAILBOX_WEB_H
#define CEJ_MAILBOX_WEB_H

struct req;

int mailbox_page(struct req *r);          /* GET /demo/courriels */
int mailbox_mail(struct req *r);          /* GET /demo/courriels/{id}: envelope + frame */
int mailbox_mail_content(struct req *r);  /* GET /demo/courriels/{id}/contenu: the HTML part */
int mailbox_attachment(struct req *r);    /* GET /demo/courriels/{id}/pieces-jointes/{n} */

#endif
