/* offers_query.c — the offers' criteria in a URL (offers_query.h). */
#include "offers/offers_query.h"

#include "base/arena.h"
#include "http/parse.h"

#include <glib.h>
#include <string.h>

static const char *
nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

void
offers_query_read(const struct kvlist *q, struct offers_query *out)
{
	memset(out, 0, sizeof *out);
	struct offers_form *f = &out->form;
	f->type = nonempty(kv_get(q, "type"));
	f->number = nonempty(kv_get(q, "numero"));
	f->keywords = nonempty(kv_get(q, "motscles"));
	f->place = nonempty(kv_get(q, "lieu"));
	f->distance = nonempty(kv_get(q, "distance"));
	f->n_contracts = kv_get_all(q, "contrat", out->contracts, G_N_ELEMENTS(out->contracts));
	f->contracts = out->contracts;
	f->n_work_times = kv_get_all(q, "temps", out->work_times, G_N_ELEMENTS(out->work_times));
	f->work_times = out->work_times;
	const char *b = kv_get(q, "debutant");
	f->beginner = b && (strcmp(b, "1") == 0 || strcmp(b, "on") == 0);
	f->domain = nonempty(kv_get(q, "domaine"));
	f->start_mode = nonempty(kv_get(q, "quand"));
	f->start = nonempty(kv_get(q, "debut"));
}

static void
add(GString *s, struct arena *a, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	if (s->len)
		g_string_append_c(s, '&');
	g_string_append_printf(s, "%s=%s", name, url_encode(a, value));
}

char *
offers_query_string(struct arena *a, const struct offers_form *f)
{
	GString *s = g_string_new(NULL);
	add(s, a, "type", f->type);
	add(s, a, "numero", f->number);
	add(s, a, "motscles", f->keywords);
	add(s, a, "lieu", f->place);
	add(s, a, "distance", f->distance);
	for (int i = 0; i < f->n_contracts; i++)
		add(s, a, "contrat", f->contracts[i]);
	for (int i = 0; i < f->n_work_times; i++)
		add(s, a, "temps", f->work_times[i]);
	if (f->beginner)
		add(s, a, "debutant", "1");
	add(s, a, "domaine", f->domain);
	if (!f->start_mode || strcmp(f->start_mode, "des-que-possible"))
		add(s, a, "debut", f->start);
	char *out = arena_strdup(a, s->str);
	g_string_free(s, TRUE);
	return out;
}
