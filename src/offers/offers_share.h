/* offers_share.h — a counselor shares an offer with beneficiaries of their portfolio
 * (offers.md §4, first bullet): one OFFER_SHARE chat message each, in one transaction. */
#ifndef CEJ_OFFERS_SHARE_H
#define CEJ_OFFERS_SHARE_H

#include "offers/offers.h"

#include <stdint.h>

struct arena;
struct db;
struct msg_keyring;
struct refusal;

#define OFFERS_SHARE_MAX 500   /* beneficiaries in one share: more is no form of ours (400) */

/* Counselor @counselor_id sends offer @o to the @n beneficiaries @beneficiary_ids (from
 * the form; duplicates count once) with @text (NULL or blank: offers_share_default_text of
 * its type) at @now: each gets one message of kind OFFER_SHARE whose card is {"type" (the
 * type's code), "id", "title", "company"} (msg_card_of), all in one transaction, and the
 * live pages of each conversation hear "message" on its commit. Refusals: 400 field
 * "beneficiaires" "Sélectionnez au moins un bénéficiaire." when none is chosen; 403 when
 * one is not in the counselor's portfolio (nothing sent); 400 field "message" for a text
 * messaging refuses (too long). 0, a refusal's err, or -ERR_DB. Strings must live as long
 * as @ar. */
int offers_share(struct db *db, const struct msg_keyring *keys, struct arena *ar, int64_t now,
		 const char *counselor_id, const struct offer *o, const char *const *beneficiary_ids,
		 int n, const char *text, struct refusal *why);

/* The card's payload of @o, compact JSON. Arena-owned. */
char *offers_share_payload(struct arena *ar, const struct offer *o);

#endif
