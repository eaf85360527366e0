/* features.h — the composition root's view of the features: the table of
 * src/serve/features.def filtered by the configuration, and what serve derives from it
 * (the route table, the job runner's kinds). */
#ifndef CEJ_FEATURES_H
#define CEJ_FEATURES_H

#include <stdio.h>

#include "core/feature.h"
#include "http/http.h"

struct config;
struct db;
struct job_kind;

/* The enabled features (static storage, built once per process; @cfg is read the first
 * time only). Operations routes (health, static files, event streams, the test clock)
 * are serve's own and come first in features_routes(). */
struct feature_table features_table(const struct config *cfg);

/* Every route of the enabled features, serve's own first. Built once; static storage. */
const struct route *features_routes(const struct config *cfg, size_t *n);

/* Every job kind of the enabled features, and mail's. Built once; static storage. */
const struct job_kind *features_job_kinds(const struct config *cfg, size_t *n);

/* Plans every feature's daily jobs. 0 or the first negative err. */
int features_plan_jobs(const struct config *cfg, struct db *db, int64_t now);

/* `cej routes`: one line per route, tab-separated: METHOD PATTERN ACCESS FLAGS FEATURE
 * (ACCESS is public, counselor or beneficiary; FLAGS comma-separated or "-"). */
void features_print_routes(const struct config *cfg, FILE *out);

#endif
