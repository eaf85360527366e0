/* metrics.c — the Prometheus text format: escaping, samples, cumulative histograms. */
#include "base/metrics.h"

#include <inttypes.h>

const int64_t metrics_bucket_us[METRICS_BUCKETS] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
};

/* The bounds as the "le" label shows them: written once here rather than formatted from
 * doubles, so that every scrape prints the very same strings. */
static const char *const bucket_le[METRICS_BUCKETS] = {
	"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
};

int
metrics_bucket(int64_t us)
{
	int i = 0;
	while (i < METRICS_BUCKETS && us > metrics_bucket_us[i])
		i++;
	return i;
}

void
metrics_observe(struct metrics_histogram *h, int64_t us)
{
	if (us < 0)
		us = 0;
	atomic_fetch_add_explicit(&h->counts[metrics_bucket(us)], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum_us, (uint64_t)us, memory_order_relaxed);
}

uint64_t
metrics_histogram_count(const struct metrics_histogram *h)
{
	uint64_t n = 0;
	for (int i = 0; i <= METRICS_BUCKETS; i++)
		n += atomic_load_explicit(&h->counts[i], memory_order_relaxed);
	return n;
}

void
metrics_escape_label(GString *out, const char *value)
{
	for (const char *p = value ? value : ""; *p; p++) {
		if (*p == '\\')
			g_string_append(out, "\\\\");
		else if (*p == '"')
			g_string_append(out, "\\\"");
		else if (*p == '\n')
			g_string_append(out, "\\n");
		else
			g_string_append_c(out, *p);
	}
}

/* HELP text escapes backslash and line feed only (a quote is plain text there). */
static void
escape_help(GString *out, const char *help)
{
	for (const char *p = help; *p; p++) {
		if (*p == '\\')
			g_string_append(out, "\\\\");
		else if (*p == '\n')
			g_string_append(out, "\\n");
		else
			g_string_append_c(out, *p);
	}
}

void
metrics_family(GString *out, const char *name, const char *type, const char *help)
{
	g_string_append_printf(out, "# HELP %s ", name);
	escape_help(out, help);
	g_string_append_printf(out, "\n# TYPE %s %s\n", name, type);
}

/* name{a="x",b="y" — left open, so that a histogram can add its "le". */
static void
open_series(GString *out, const char *name, const char *suffix,
	    const struct metrics_label *labels, size_t n)
{
	g_string_append(out, name);
	g_string_append(out, suffix);
	g_string_append_c(out, '{');
	for (size_t i = 0; i < n; i++) {
		g_string_append_printf(out, "%s%s=\"", i ? "," : "", labels[i].name);
		metrics_escape_label(out, labels[i].value);
		g_string_append_c(out, '"');
	}
}

void
metrics_sample(GString *out, const char *name, const struct metrics_label *labels, size_t n,
	       int64_t value)
{
	if (n == 0) {
		g_string_append_printf(out, "%s %" PRId64 "\n", name, value);
		return;
	}
	open_series(out, name, "", labels, n);
	g_string_append_printf(out, "} %" PRId64 "\n", value);
}

static void
bucket_line(GString *out, const char *name, const struct metrics_label *labels, size_t n,
	    const char *le, uint64_t cumulative)
{
	open_series(out, name, "_bucket", labels, n);
	g_string_append_printf(out, "%sle=\"%s\"} %" PRIu64 "\n", n ? "," : "", le, cumulative);
}

/* _sum and _count, without braces when there is no label. */
static void
total_line(GString *out, const char *name, const char *suffix,
	   const struct metrics_label *labels, size_t n, const char *value)
{
	if (n) {
		open_series(out, name, suffix, labels, n);
		g_string_append_printf(out, "} %s\n", value);
	} else {
		g_string_append_printf(out, "%s%s %s\n", name, suffix, value);
	}
}

void
metrics_histogram(GString *out, const char *name, const struct metrics_label *labels, size_t n,
		  const struct metrics_histogram *h)
{
	uint64_t cumulative = 0;
	char value[48];

	for (int i = 0; i <= METRICS_BUCKETS; i++) {
		cumulative += atomic_load_explicit(&h->counts[i], memory_order_relaxed);
		bucket_line(out, name, labels, n, i < METRICS_BUCKETS ? bucket_le[i] : "+Inf",
			    cumulative);
	}
	/* Seconds with the microseconds exact: no rounding through a double. */
	uint64_t sum = atomic_load_explicit(&h->sum_us, memory_order_relaxed);
	g_snprintf(value, sizeof(value), "%" PRIu64 ".%06" PRIu64, sum / 1000000, sum % 1000000);
	total_line(out, name, "_sum", labels, n, value);
	g_snprintf(value, sizeof(value), "%" PRIu64, cumulative);
	total_line(out, name, "_count", labels, n, value);
}
