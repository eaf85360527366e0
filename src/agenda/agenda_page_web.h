/* agenda_page_web.h — GET /agenda (agenda.md §3): the tabs "Agenda Mission Locale" and
 * "Mon agenda" over a 7-day period. */
#ifndef CEJ_AGENDA_PAGE_WEB_H
#define CEJ_AGENDA_PAGE_WEB_H

struct req;

int agenda_page(struct req *r);

#endif
