/* offers_alerts_view.h — what the pages of saved searches and suggestions show of a search's
 * criteria (the "Critères de la recherche" recap), for the app's and the counselor's pages. */
#ifndef CEJ_OFFERS_ALERTS_VIEW_H
#define CEJ_OFFERS_ALERTS_VIEW_H

struct db;
struct offers_criteria;
struct vm;

/* Adds to list @out one {label, value} per criterion of @c: "Type d'offre", "Numéro
 * d'offre", "Mots clés" or "Métier", "Lieu" ("Brest (29200)", @place_label), "Distance",
 * "Type de contrat", "Temps de travail", "Débutant accepté", and for Service civique
 * "Domaine" and "Date de début" ("Dès que possible" or "À partir du jj/mm/aaaa"). */
void offers_alerts_recap(const struct offers_criteria *c, const char *place_label,
			 struct vm *out);

/* The same recap in one line ("vendeur · Brest (29200) · 10 km"), arena-owned, for a list. */
const char *offers_alerts_recap_line(const struct offers_criteria *c, const char *place_label,
				     struct vm *owner);

#endif
