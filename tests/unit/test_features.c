/* test_features.c — the feature table (serve/features.def) holds together: what one
 * feature declares never collides with another's, so that adding a feature cannot take
 * over someone else's route, flash, menu entry, job kind or part of the fiche. */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "base/config.h"
#include "core/feature.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "serve/features.h"

static struct config *cfg;

static void
setup(void)
{
	/* With the test clock and the file transport: every route the e2e tests see. */
	g_setenv("CEJ_TEST_CLOCK", "1", TRUE);
	cfg = config_load(NULL, NULL);
	cr_assert_not_null(cfg);
}

static void
teardown(void)
{
	config_free(cfg);
}

TestSuite(features, .init = setup, .fini = teardown);

static int
segments(const char *p, const char **out, int max)
{
	int n = 0;
	for (const char *s = p; *s && n < max; ) {
		s++;
		out[n++] = s;
		s += strcspn(s, "/");
	}
	return n;
}

static size_t
seglen(const char *s)
{
	return strcspn(s, "/");
}

static bool
is_param(const char *s)
{
	return s[0] == '{';
}

/* Whether some path matches both patterns (no "{rest*}": that one is serve's alone).
 * *@first_more_specific: every segment where they differ in kind is literal in @a. */
static bool
overlap(const char *a, const char *b, bool *first_more_specific)
{
	const char *sa[16], *sb[16];
	int na = segments(a, sa, 16), nb = segments(b, sb, 16);
	if (na != nb || strstr(a, "*}") || strstr(b, "*}"))
		return false;
	*first_more_specific = true;
	bool same = true;
	for (int i = 0; i < na; i++) {
		bool pa = is_param(sa[i]), pb = is_param(sb[i]);
		if (!pa && !pb && (seglen(sa[i]) != seglen(sb[i]) || strncmp(sa[i], sb[i], seglen(sa[i]))))
			return false;
		if (pa && !pb)
			*first_more_specific = false;
		if (pa != pb)
			same = false;
	}
	if (same)
		*first_more_specific = false;
	return true;
}

Test(features, no_route_of_one_feature_shadows_or_doubles_another)
{
	struct feature_table t = features_table(cfg);
	for (size_t i = 0; i < t.n; i++)
		for (size_t k = 0; k < t.items[i]->n_routes; k++) {
			const struct route *ra = &t.items[i]->routes[k];
			for (size_t j = i; j < t.n; j++)
				for (size_t l = j == i ? k + 1 : 0; l < t.items[j]->n_routes; l++) {
					const struct route *rb = &t.items[j]->routes[l];
					bool specific;
					if (strcmp(ra->method, rb->method) || !overlap(ra->pattern, rb->pattern, &specific))
						continue;
					/* Within a feature, "/listes/nouvelle" before "/listes/{id}" is fine. */
					cr_assert(i == j && specific,
						  "%s %s (%s) and %s %s (%s) match the same paths", ra->method,
						  ra->pattern, t.items[i]->name, rb->method, rb->pattern,
						  t.items[j]->name);
				}
		}
}

/* Each name declared by a feature is declared once in the whole table. */
static void
assert_unique(GHashTable *seen, const char *what, const char *name, const char *feature)
{
	const char *other = g_hash_table_lookup(seen, name);
	cr_assert_null(other, "%s « %s » declared by %s and by %s", what, name, other, feature);
	g_hash_table_insert(seen, (gpointer)name, (gpointer)feature);
}

Test(features, flashes_menu_entries_job_kinds_and_record_parts_are_each_declared_once)
{
	struct feature_table t = features_table(cfg);
	GHashTable *flashes = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *navs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTable *kinds = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *tabs = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *orders = g_hash_table_new(g_direct_hash, g_direct_equal);
	size_t menu = 0, app = 0;
	for (size_t i = 0; i < t.n; i++) {
		const struct feature *f = t.items[i];
		for (size_t k = 0; k < f->n_flashes; k++) {
			assert_unique(flashes, "le message flash", f->flashes[k].code, f->name);
			cr_assert(strstr(f->flashes[k].text, "%") == NULL ||
				  (strstr(f->flashes[k].text, "%s") && !strchr(strstr(f->flashes[k].text, "%s") + 1, '%')),
				  "flash %s: at most one %%s and no other %%", f->flashes[k].code);
		}
		for (size_t k = 0; k < f->n_menu; k++) {
			/* Unique within its menu: the side menu and the app's bar each. */
			const struct menu_entry *e = &f->menu[k];
			int slot = (int)e->space * 10000 + e->order;
			assert_unique(navs, "l'entrée de menu",
				      g_strdup_printf("%d:%s", (int)e->space, e->nav), f->name);
			cr_assert_null(g_hash_table_lookup(orders, GINT_TO_POINTER(slot)),
				       "two entries of one menu at order %d", e->order);
			g_hash_table_insert(orders, GINT_TO_POINTER(slot), (gpointer)f->name);
			menu += e->space == MENU_COUNSELOR;
			app += e->space == MENU_APP;
		}
		for (size_t k = 0; k < f->n_job_kinds; k++)
			assert_unique(kinds, "la tâche", f->job_kinds[k].kind, f->name);
		for (size_t k = 0; k < f->n_record_tabs; k++)
			assert_unique(tabs, "la partie de fiche", f->record_tabs[k].key, f->name);
	}
	cr_assert_geq(menu, 5, "the counselor's menu of the guide: Portefeuille, Bénéficiaires…");
	cr_assert_geq(app, 3, "the app's bar: Accueil, Mon suivi, Messages…");
	cr_assert_not_null(g_hash_table_lookup(tabs, "actions"), "the fiche's Actions tab");
	g_hash_table_destroy(flashes);
	g_hash_table_destroy(navs);
	g_hash_table_destroy(kinds);
	g_hash_table_destroy(tabs);
	g_hash_table_destroy(orders);
}
