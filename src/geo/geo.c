/* geo.c — the pure rules of the referential: distances, boxes, codes, search keys. */
#include "geo/geo.h"

#include "base/arena.h"
#include "base/text.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

static double
rad(double deg)
{
	return deg * (M_PI / 180.0);
}

double
geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = rad(lat2 - lat1), dlon = rad(lon2 - lon1);
	double h = sin(dlat / 2) * sin(dlat / 2) +
		   cos(rad(lat1)) * cos(rad(lat2)) * sin(dlon / 2) * sin(dlon / 2);
	/* h may pass 1 by a rounding error for antipodal points: asin would give NaN. */
	return 2 * GEO_EARTH_RADIUS_KM * asin(sqrt(fmin(1.0, h)));
}

struct geo_box
geo_bbox(double lat, double lon, double km)
{
	/* A meridian degree is the same length everywhere on the sphere; a parallel's shrinks
	 * with cos(lat). The widest longitude span of the circle is on the parallel nearest the
	 * pole within the box, so the cosine of that latitude bounds it (a little generous,
	 * never short). */
	double dlat = km / (GEO_EARTH_RADIUS_KM * M_PI / 180.0) * (1 + 1e-9);   /* rounding */
	struct geo_box b = {lat - dlat, lat + dlat, -180.0, 180.0};
	double far = fmax(fabs(b.lat_min), fabs(b.lat_max));
	if (far < 89.0) {
		double dlon = dlat / cos(rad(far));
		if (dlon < 180.0) {
			b.lon_min = lon - dlon;
			b.lon_max = lon + dlon;
		}
	}
	return b;
}

bool
geo_dept_valid(const char *code)
{
	if (!code)
		return false;
	size_t n = strlen(code);
	if (n == 2 && (!strcmp(code, "2A") || !strcmp(code, "2B")))
		return true;
	if (n == 2 && isdigit((unsigned char)code[0]) && isdigit((unsigned char)code[1]))
		return strcmp(code, "01") >= 0 && strcmp(code, "95") <= 0 && strcmp(code, "20") != 0;
	if (n == 3 && !strncmp(code, "97", 2))
		return code[2] >= '1' && code[2] <= '6' && code[2] != '5';
	return false;
}

const char *
geo_dept_of_insee(struct arena *a, const char *insee)
{
	if (!insee || strlen(insee) != 5)
		return NULL;
	const char *dept = arena_strndup(a, insee, strncmp(insee, "97", 2) ? 2 : 3);
	return geo_dept_valid(dept) ? dept : NULL;
}

const char *
geo_arm_parent(const char *insee)
{
	static const struct {
		const char *prefix, *first, *last, *parent;
	} arm[] = {
		{"751", "75101", "75120", "75056"},
		{"132", "13201", "13216", "13055"},
		{"6938", "69381", "69389", "69123"},
	};
	if (!insee || strlen(insee) != 5)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(arm); i++)
		if (strcmp(insee, arm[i].first) >= 0 && strcmp(insee, arm[i].last) <= 0)
			return arm[i].parent;
	return NULL;
}

char *
geo_key(struct arena *a, const char *name)
{
	const char *folded = text_fold(a, name ? name : "");
	/* "œ" and "æ" (2 bytes each) become "oe", "ae": the key is never longer. */
	char *key = arena_alloc(a, strlen(folded) + 1), *w = key;
	for (const char *p = folded; *p; p++) {
		if (isalnum((unsigned char)*p)) {
			*w++ = *p;
		} else if (!strncmp(p, "\xc5\x93", 2) || !strncmp(p, "\xc3\xa6", 2)) {
			*w++ = p[1] == '\x93' ? 'o' : 'a';
			*w++ = 'e';
			p++;
		} else if (w > key && w[-1] != ' ') {
			*w++ = ' ';
		}
	}
	if (w > key && w[-1] == ' ')
		w--;
	*w = '\0';
	return key;
}

char *
geo_key_bare(struct arena *a, const char *name)
{
	char *key = geo_key(a, name);
	static const char *const articles[] = {"les ", "la ", "le ", "l "};
	for (size_t i = 0; i < G_N_ELEMENTS(articles); i++) {
		size_t n = strlen(articles[i]);
		if (!strncmp(key, articles[i], n) && key[n])
			return key + n;
	}
	return key;
}

char *
geo_prefix_end(struct arena *a, const char *prefix)
{
	size_t n = prefix ? strlen(prefix) : 0;
	if (!n)
		return NULL;
	char *end = arena_strndup(a, prefix, n);
	/* A key is ASCII letters, digits and spaces: its last byte is below 0x7f, and the
	 * next byte value closes the range. */
	end[n - 1]++;
	return end;
}
