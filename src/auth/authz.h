/* authz.h — who may do what: the one place where access is decided (DESIGN §8).
 *
 * Each route declares an access level; authz_route() decides whether the caller may reach
 * it at all. Rules that depend on the object (this beneficiary, this portfolio) are
 * functions of the caller and the object, next to them, so that a test can walk every
 * route with every role. */
#ifndef CEJ_AUTHZ_H
#define CEJ_AUTHZ_H

#include <stdbool.h>

struct user;

enum access {
	ACCESS_PUBLIC = 0,       /* anyone, logged in or not */
	ACCESS_COUNSELOR,        /* a logged-in counselor */
	ACCESS_BENEFICIARY,      /* a logged-in beneficiary */
};

enum authz_verdict {
	AUTHZ_ALLOW,
	AUTHZ_LOGIN,             /* anonymous: send to the matching login page */
	AUTHZ_DENY,              /* logged in with another role: 403 */
};

/* May @u (NULL = anonymous) reach a route of level @access? Pure. */
enum authz_verdict authz_route(const struct user *u, enum access access);

enum authz_level {
	AUTHZ_NONE,      /* answer 404: the beneficiary does not exist for this caller */
	AUTHZ_READ,      /* read-only fiche (same structure, outside the portfolio) */
	AUTHZ_WRITE,     /* the referent counselor */
};

/* Access of counselor @u to a beneficiary whose referent is @referent_id and whose
 * Mission Locale is @structure_id (beneficiaries.md §2): the referent writes — even for a
 * beneficiary attached to another structure —, the other counselors of the structure
 * read, everyone else gets nothing. Pure. */
enum authz_level authz_beneficiary(const struct user *u, const char *referent_id,
				   const char *structure_id);

/* Is @u the beneficiary @beneficiary_id themself (their actions, notifications…)? A
 * beneficiary reaching someone else's object gets 404, as if it did not exist. Pure. */
bool authz_own_record(const struct user *u, const char *beneficiary_id);

/* Access of counselor @u to an event of the agenda (agenda.md §2.1) created by
 * @creator_id in structure @structure_id; @follows_participant: @u is the referent of at
 * least one of its beneficiaries. A RDV is written by its creator or by a counselor
 * following one of its participants, and read by the other counselors of its structure;
 * an AC (@collective) is written by every counselor of its structure. Everyone else gets
 * nothing (404). Pure. */
enum authz_level authz_event(const struct user *u, bool collective, const char *creator_id,
			     const char *structure_id, bool follows_participant);

/* Access of counselor @u to a rendez-vous i-milo owns (agenda.md §2.3), of structure
 * @structure_id (its beneficiary's): read by the counselors who would write a RDV (one
 * following its beneficiary) and by those of its structure; written by nobody in cej — it
 * changes in i-milo, so its edit, delete and close answer 403. Everyone else: 404. Pure. */
enum authz_level authz_event_imilo(const struct user *u, const char *structure_id,
				   bool follows_participant);

/* May @u read the support pages (the i-milo feed's dead letters, imilo.md §4)? The
 * supervisors only (counselor.is_supervisor); any other caller gets 403. Pure. */
bool authz_support(const struct user *u);

/* May beneficiary @u read an event of the agenda of structure @structure_id (agenda.md
 * §7)? When he takes part in it (@takes_part: a RDV or an AC he is registered to), or
 * when it is an animation collective his own Mission Locale offers him (@offered: open and
 * still to come). Anyone else: 404, as if it did not exist. Pure. */
bool authz_event_beneficiary(const struct user *u, const char *structure_id, bool takes_part,
			     bool offered);

#endif
