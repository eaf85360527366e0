/* offers_app.h — the young person's "Offres" tab (youth-app.md §8; offers_app.c): the
 * search home, the criteria form and its results, the offer's detail with its actions
 * (save, "As-tu postulé ?", share with the counselor), "Suivi des offres"; and the JSON API
 * of the favourites (offers_favorites_api.c), the counselor's "Favoris" tab and "Les
 * offres" indicators (offers_favorites_tab.c). Routes and tabs are declared in
 * offers_feature.c. */
#ifndef CEJ_OFFERS_APP_H
#define CEJ_OFFERS_APP_H

#include "jobs/jobs.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

struct record;
struct req;
struct vm;

int offers_app_home(struct req *r);
int offers_app_search(struct req *r);
int offers_app_detail(struct req *r);
int offers_app_save_post(struct req *r);
int offers_app_applied_post(struct req *r);
int offers_app_share_page(struct req *r);
int offers_app_share_post(struct req *r);
int offers_app_contact_page(struct req *r);
int offers_app_contact_post(struct req *r);
int offers_app_followed(struct req *r);
int offers_app_followed_remove_post(struct req *r);

/* /api/v1 (offers_favorites_api.c). */
int offers_api_favorite_post(struct req *r);
int offers_api_favorites_get(struct req *r);

/* The app's Accueil, "Mon suivi des offres" (home part "suivi"): the list "followed" of
 * the last OFFERS_FAVORITES_HOME favourites, newest first, each {type_label, title,
 * company?, place?, applied, gone, href} (offers_favorites_home.c). 0 or -ERR_DB. */
#define OFFERS_FAVORITES_HOME 3
int offers_favorites_home(struct req *r, struct vm *page);

/* The fiche's tab "Favoris (N)" and the "Les offres" section of its indicators. */
int offers_record_favorites(struct req *r, const struct record *rec, bool can_write,
			    int64_t now, struct vm *page);
int offers_record_indicators(struct req *r, const struct record *rec, bool can_write,
			     int64_t now, struct vm *page);

/* The daily purge: favourites after 6 months, events after 1 year (its job kind, listed
 * in the offers descriptor's table, and its daily plan). */
#define OFFERS_APP_PURGE_KIND "offers_favorites_purge"
int offers_app_job_purge(void *app, struct db *db, struct arena *a, const struct job *j,
			 int64_t now, const char **error);
int offers_app_plan_jobs(struct db *db, int64_t now);
/* The account's purge and archive (core/feature.h). */
int offers_app_purge(struct db *db, const char *beneficiary_id);
int offers_app_archive(struct db *db, struct arena *a, const char *beneficiary_id,
		       json_t *archive);

#endif
