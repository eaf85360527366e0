/* offers_page.h — the pure rules of the offers' search pages (offers.md §1, §2, §4;
 * docs/offers.md "Les pages du conseiller"): the badge of the criteria chosen, the recap
 * chips, whether the criteria may be suggested to beneficiaries, the resolution of a typed
 * "Lieu de travail", the pages of the results and the default text of a share; and the
 * detail of an offer as both spaces show it. No I/O: the handlers (offers_web.c,
 * offers_app.c) read the database and call these. */
#ifndef CEJ_OFFERS_PAGE_H
#define CEJ_OFFERS_PAGE_H

#include "offers/offers_search.h"

#include <stdbool.h>

struct arena;
struct geo_suggestion;
struct offer;
struct vm;

/* "Bonjour, je vous partage une offre d'emploi qui pourrait vous intéresser." — and
 * d'alternance, de service civique, d'immersion: what a counselor's share says when the
 * message is left empty (§4). Static. */
const char *offers_share_default_text(enum offer_type t);

/* The badge "[N] filtres sélectionnés" of "Voir plus de critères": how many of those
 * criteria @c holds — each contract group, each working time ("Temps plein" and "Temps
 * partiel" both count one each), "Débutant accepté", the domain, the start date ("À partir
 * de"; "Dès que possible" is the default), and a distance other than the default (with a
 * commune). */
int offers_filters_count(const struct offers_criteria *c);
/* "1 filtre sélectionné", "3 filtres sélectionnés"; NULL for 0. Arena-owned. */
const char *offers_filters_label(struct arena *a, int n);

/* The recap of a search once made (§1: "the form collapses into a recap of chips"): the
 * type's label, "Offre n°…" or the keywords, @place_label (NULL: none), "10 km" (with a
 * commune), the contract groups, the working times, "Débutant accepté", the domain and "À
 * partir du jj/mm/aaaa", in that order.
 * At most OFFERS_CHIPS_MAX into @out (arena strings); returns the count. */
#define OFFERS_CHIPS_MAX 12
int offers_chips(struct arena *a, const struct offers_criteria *c, const char *place_label,
		 const char **out);

/* May these criteria be suggested to beneficiaries ("Partager les critères", §4): keywords
 * and a place for Emploi and Alternance (never a number search), a métier and a commune
 * for Immersion, a commune for Service civique. */
bool offers_criteria_shareable(const struct offers_criteria *c);

/* "Lieu de travail" typed without choosing a suggestion (no JavaScript): which of the @n
 * suggestions geo_suggest gave for @text's name part (offers_place_query) is meant.
 * The one whose label is @text ("Brest (29200)", case ignored); else the one whose name is
 * @text (geo_key: accents, case, hyphens ignored) when only one is; else the only
 * suggestion. Returns its index, OFFERS_PLACE_NONE when there is none, or
 * OFFERS_PLACE_AMBIGUOUS when several fit: the page asks "Précisez le lieu". */
#define OFFERS_PLACE_NONE (-1)
#define OFFERS_PLACE_AMBIGUOUS (-2)
int offers_place_pick(struct arena *a, const char *text, const struct geo_suggestion *s, int n);
/* What to give geo_suggest for @text: its part before " (" ("Brest" of "Brest (29200)"),
 * trimmed. Arena-owned. */
char *offers_place_query(struct arena *a, const char *text);

/* The number of pages of @r for the pager: 1 at least, OFFERS_PAGES_MAX at most (the
 * search refuses a page beyond: page × 10 > 1000). */
#define OFFERS_PAGES_MAX (OFFERS_COUNT_MAX / OFFERS_PAGE_SIZE)
int offers_pages(const struct offers_result *r);

/* Where a card says the offer is (§2): "Brest (29200)" — @place_label without the
 * provider's "29 - " prefix, then the postal code when known; NULL when neither is.
 * Arena-owned. */
const char *offers_place_display(struct arena *a, const char *place_label,
				 const char *postal_code);

/* "À 3,4 km" of a distance in km, one decimal, French comma. Arena-owned. */
const char *offers_distance_label(struct arena *a, double km);

/* "Mise en relation par mail", "Mise en relation par téléphone", "Rendez-vous sur place" of
 * an Immersion's contact mode (EMAIL, PHONE, IN_PERSON); NULL for another or none. Static. */
const char *offers_contact_mode_label(const char *mode);

/* The detail of @o (offers.md §3, youth-app.md §8) as the counselor's detail and share
 * pages and the app's detail, share and contact pages show it; what differs between the
 * two spaces (tu or vous, buttons, the Immersion's "Contacter l'entreprise") is in their
 * templates. Keys: type (label), slug, id, href (@href: the offer's page in that space),
 * share (@href + "/partager"), job, civic, immersion, title (Immersion: the métier),
 * company, place, updated (the provider's update, else its creation), contract,
 * work_time, salary, description, experience, experience_required, the lists of "Profil
 * souhaité" skills, soft_skills, education, languages, licences ({label, required}),
 * company_description, company_url and apply_url (web addresses only), adapted,
 * disability_friendly, origin, address, domain, start, end, sector, voluntary, contact
 * (offers_contact_mode_label) and map (an Immersion's "Localiser l'entreprise"). Days are
 * civil days in @tz (NULL: Europe/Paris). Allocated in @a. */
struct vm *offers_detail_vm(struct arena *a, const struct offer *o, const char *href,
			    const char *tz);

#endif
