/* bench_data_national.h — `cej bench-data --national`: a realistic nation for the
 * benchmarks of issue 14 point 7 (bench/national.sh, bench/README.md "National").
 *
 * At scale 1: about 450 Missions Locales of uneven sizes across real départements (some
 * overseas, in their own time zones), 10,000 counselors with uneven portfolios (mean 15,
 * a few above 60), 150,000 beneficiaries whose activity spreads over the past year, about
 * 3 million actions in the real statuses and qualification states, about 10 million
 * messages encrypted at rest with the message keyring (most conversations short, a few of
 * thousands of messages), and a year of agenda (rendez-vous and animations collectives,
 * with participants). Smaller scales shrink every count in proportion (at least 3
 * structures, so that several zones are always present).
 *
 * Deterministic: the same seed, scale and @now give the same rows, ids included (ids are
 * UUIDv7-shaped, drawn from the seeded generator). Every counselor is a bench account
 * "conseiller-NNN@cej-bench.fr" with the password Bench-Passw0rd; conseiller-001 works in
 * the first (largest) Mission Locale, has the median portfolio (13), the fiche with the
 * most actions (500) and the longest conversation (5,000 messages): the pages that
 * bench/national.sh measures are all reachable from that one login. */
#ifndef CEJ_ADMIN_BENCH_DATA_NATIONAL_H
#define CEJ_ADMIN_BENCH_DATA_NATIONAL_H

#include <stdint.h>

struct arena;
struct db;
struct msg_keyring;

/* The name and situation lists of `cej bench-data` (bench_data.c), shared with the
 * national set (the situations end with NULL: "Sans situation"). */
extern const char *const bench_first_names[];
extern const int bench_first_name_count;
extern const char *const bench_last_names[];
extern const int bench_last_name_count;
extern const char *const bench_situations[];
extern const int bench_situation_count;

/* The portfolio of conseiller-001: the median of the portfolios' distribution. */
#define BENCH_NATIONAL_PORTFOLIO 13

struct bench_national_opts {
	double scale;                /* 1: the full nation; > 0 */
	uint32_t seed;
	int64_t now;                 /* the instant the year of activity ends around */
	const char *password_hash;   /* every counselor's (Bench-Passw0rd hashed) */
};

/* What was generated, and the pages worth measuring. Strings are in the caller's arena. */
struct bench_national_report {
	int64_t structures, counselors, beneficiaries, conversations, messages, actions;
	int64_t events, participants;
	int zones;                          /* distinct time zones among the structures */
	int median_portfolio, max_portfolio;
	double seconds;                     /* wall time of the whole load */
	double seal_seconds;                /* of which: sealing the messages and previews */
	/* conseiller-001's: the login, the fiche with the most actions, the longest
	 * conversation, a name to search in its structure. */
	const char *email, *fiche_id, *conversation_id, *search;
	int fiche_actions, conversation_messages;
};

/* Generates the national set into @db (migrated, empty of structures), sealing messages
 * with @keys, in transactions of a few thousand rows. 0, or non-zero after a failure
 * (what was committed before stays). */
int bench_national_generate(struct db *db, const struct msg_keyring *keys,
			    const struct bench_national_opts *o, struct arena *a,
			    struct bench_national_report *out);

#endif
