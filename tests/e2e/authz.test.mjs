// authz.test.mjs — every route of the application with every role, and the status each
// one must get (DESIGN §8, beneficiaries.md §2). The route list is the one the server
// serves, printed by `cej routes` (METHOD, PATTERN, ACCESS, FLAGS, FEATURE, tab-separated)
// run with the stack's environment (test-only routes exist with CEJ_TEST_CLOCK). A route
// without an expectation here fails the test, so the walk grows with the application.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { startStack, httpClient, waitForMails, extractLink, importOffers } from './harness.mjs';

const ROLES = ['anonymous', 'beneficiary', 'referent', 'colleague', 'stranger'];
let stack, ctx;

// Expected statuses, in ROLES order. "A" is an activated beneficiary of the referent,
// "B" a never-activated one; the colleague is in the same Mission Locale, the stranger
// in another one. Bodies are chosen so that allowed calls change nothing (invalid input),
// except the last ones of the walk (deletion of B, logouts).
const WALK = [
  ['GET', '/healthz', null, [200, 200, 200, 200, 200]],
  // Not a matter of roles: the loopback without metrics_token (the test stack), else the
  // token's bearer (metrics.test.mjs).
  ['GET', '/metrics', null, [200, 200, 200, 200, 200]],
  ['GET', '/static/{hash}/{path*}', null, [200, 200, 200, 200, 200]],
  ['GET', '/', null, [303, 303, 303, 303, 303]],
  ['GET', '/connexion', null, [200, 200, 303, 303, 303]],
  ['POST', '/connexion', { email: 'personne@exemple.fr', password: 'Mauvais1' }, [401, 401, 401, 401, 401]],
  ['GET', '/portefeuille', null, [303, 403, 200, 200, 200]],
  ['GET', '/portefeuille/ajouter', null, [303, 403, 200, 200, 200]],
  ['POST', '/portefeuille/ajouter', { dossier: '' }, [303, 403, 400, 400, 400]],
  ['POST', '/portefeuille/ajouter/creer', { dossier: '' }, [303, 403, 400, 400, 400]],
  ['GET', '/etablissement', null, [303, 403, 200, 200, 200]],
  ['GET', '/beneficiaires/{id}', 'A', [303, 403, 200, 200, 404]],
  ['GET', '/beneficiaires/{id}/informations', 'A', [303, 403, 200, 200, 404]],
  ['GET', '/beneficiaires/{id}/supprimer', 'A', [303, 403, 200, 403, 404]],
  ['POST', '/beneficiaires/{id}/archiver', 'A', [303, 403, 400, 403, 404]],
  ['POST', '/beneficiaires/{id}/actualiser', 'A', [303, 403, 303, 403, 404]],
  ['POST', '/beneficiaires/{id}/renvoyer-activation', 'B', [303, 403, 303, 403, 404]],
  ['GET', '/messagerie', null, [303, 403, 200, 200, 200]],
  ['GET', '/pieces-jointes/{id}', 'unknown', [303, 403, 404, 404, 404]],
  ['GET', '/app/pieces-jointes/{id}', 'unknown', [303, 404, 403, 403, 403]],
  ['GET', '/messagerie/colonne', null, [303, 403, 200, 200, 200]],
  ['POST', '/messagerie/masquage', { masquer: '0' }, [303, 403, 303, 303, 303]],
  ['GET', '/conversations/{id}', 'A', [303, 403, 200, 403, 404]],
  ['POST', '/conversations/{id}', 'A', [303, 403, 400, 403, 404]],
  ['GET', '/conversations/{id}/fil', 'A', [303, 403, 200, 403, 404]],
  ['GET', '/conversations/{id}/recherche', 'A', [303, 403, 200, 403, 404]],
  ['POST', '/conversations/{id}/suivre', 'A', [303, 403, 303, 403, 404]],
  ['POST', '/conversations/{id}/messages/{mid}/modifier', 'A', [303, 403, 404, 403, 404]],
  ['POST', '/conversations/{id}/messages/{mid}/supprimer', 'A', [303, 403, 404, 403, 404]],
  ['GET', '/messagerie/multi-destinataires', null, [303, 403, 200, 200, 200]],
  ['POST', '/messagerie/multi-destinataires', (c) => ({ beneficiaires: c.ids.A, message: '' }), [303, 403, 400, 403, 403]],
  // Offres (offers_web.c): every counselor searches and reads the catalogue; a share is
  // for the referent's own portfolio (A: 403 for the others; the referent's text is too
  // long, 400, so that nothing is sent).
  ['GET', '/offres', null, [303, 403, 200, 200, 200]],
  ['GET', '/offres/lieux', null, [303, 403, 200, 200, 200]],
  ['GET', '/offres/{slug}/{id}', 'OFFER', [303, 403, 200, 200, 200]],
  ['GET', '/offres/{slug}/{id}/partager', 'OFFER', [303, 403, 200, 200, 200]],
  ['POST', '/offres/{slug}/{id}/partager', (c) => ({ beneficiaires: c.ids.A, message: 'x'.repeat(5001) }), [303, 403, 400, 403, 403]],
  ['GET', '/listes', null, [303, 403, 200, 200, 200]],
  ['GET', '/listes/nouvelle', null, [303, 403, 200, 200, 200]],
  ['POST', '/listes/nouvelle', { titre: '' }, [303, 403, 400, 400, 400]],
  ['GET', '/listes/messages', null, [303, 403, 200, 200, 200]],
  ['GET', '/listes/{id}/modifier', 'LIST', [303, 403, 200, 404, 404]],
  ['POST', '/listes/{id}/modifier', 'LIST', [303, 403, 400, 404, 404]],
  ['GET', '/listes/{id}/supprimer', 'LIST', [303, 403, 200, 404, 404]],
  ['GET', '/listes/{id}/messages', 'LIST', [303, 403, 200, 404, 404]],
  ['GET', '/listes/{id}/messages/{bid}', 'LIST', [303, 403, 200, 404, 404]],
  ['GET', '/beneficiaires/{id}/actions/nouvelle', 'A', [303, 403, 200, 403, 404]],
  ['POST', '/beneficiaires/{id}/actions/nouvelle', 'A', [303, 403, 400, 403, 404]],
  ['GET', '/actions/{id}', 'ACT', [303, 403, 200, 200, 404]],
  ['GET', '/actions/{id}/enregistree', 'ACT', [303, 403, 200, 403, 404]],
  ['GET', '/actions/{id}/modifier', 'ACT', [303, 403, 200, 403, 404]],
  ['POST', '/actions/{id}/modifier', 'ACT', [303, 403, 400, 403, 404]],
  ['POST', '/actions/{id}/statut', 'ACT', [303, 403, 400, 403, 404]],
  ['GET', '/actions/{id}/supprimer', 'ACT', [303, 403, 200, 403, 404]],
  ['POST', '/actions/{id}/commentaires', 'ACT', [303, 403, 400, 403, 404]],
  ['GET', '/actions/{id}/qualifier', 'QUAL', [303, 403, 200, 403, 404]],
  ['POST', '/actions/{id}/qualifier', 'QUAL', [303, 403, 400, 403, 404]],
  ['POST', '/actions/qualification', (c) => ({ action: c.ids.QUAL, type: 'non_snp', retour: 'fiche' }), [303, 403, 200, 403, 404]],
  // RDV: the referent's rendez-vous with A. The colleague (same Mission Locale) reads it.
  // The /agenda page: each counselor reads their own agenda and their structure's.
  ['GET', '/agenda', null, [303, 403, 200, 200, 200]],
  ['GET', '/agenda/rendez-vous/nouveau', null, [303, 403, 200, 200, 200]],
  ['POST', '/agenda/rendez-vous/nouveau', { type: '' }, [303, 403, 400, 400, 400]],
  ['GET', '/agenda/rendez-vous/{id}', 'RDV', [303, 403, 200, 200, 404]],
  ['GET', '/agenda/rendez-vous/{id}/modifier', 'RDV', [303, 403, 200, 403, 404]],
  ['POST', '/agenda/rendez-vous/{id}/modifier', 'RDV', [303, 403, 400, 403, 404]],
  ['GET', '/agenda/rendez-vous/{id}/supprimer', 'RDV', [303, 403, 200, 403, 404]],
  // AC: the referent's animation collective with A; every counselor of its Mission Locale
  // writes it (agenda.md §2.1), the stranger does not see it. "inscrire" lists the AC for
  // A (a fiche the colleague reads).
  ['GET', '/agenda/animations-collectives/nouveau', null, [303, 403, 200, 200, 200]],
  ['POST', '/agenda/animations-collectives/nouveau', { type: '' }, [303, 403, 400, 400, 400]],
  ['GET', '/agenda/animations-collectives/inscrire', 'A', [303, 403, 200, 200, 404]],
  ['GET', '/agenda/animations-collectives/{id}', 'AC', [303, 403, 200, 200, 404]],
  ['GET', '/agenda/animations-collectives/{id}/modifier', 'AC', [303, 403, 200, 200, 404]],
  ['POST', '/agenda/animations-collectives/{id}/modifier', 'AC', [303, 403, 400, 400, 404]],
  ['GET', '/agenda/animations-collectives/{id}/supprimer', 'AC', [303, 403, 200, 200, 404]],
  ['GET', '/pilotage', null, [303, 403, 200, 200, 200]],
  // Support: supervisors only (the colleague, Yann Le Goff, is one; the referent is not).
  ['GET', '/support/flux-imilo', null, [303, 403, 403, 200, 403]],
  ['GET', '/support/offres', null, [303, 403, 403, 200, 403]],
  // Closing an AC of the referent's Mission Locale: any of its counselors; "ACP" has
  // started (À clore), "ACF" has not (the POST is refused, nothing closes).
  ['GET', '/agenda/animations-collectives/{id}/clore', 'ACP', [303, 403, 200, 200, 404]],
  ['POST', '/agenda/animations-collectives/{id}/clore', 'ACF', [303, 403, 400, 400, 404]],
  ['GET', '/emargement/{id}', 'ACP', [303, 403, 200, 200, 404]],
  // i-milo sessions of the referent's Mission Locale (the simulator's seed): "SESSION" is
  // open (+7 days), "SESSIONC" started with Inscrit registrants (À clore). Another
  // structure's counselor gets 404 (i-milo's S1 of that day does not list it).
  ['GET', '/agenda/sessions/{id}', 'SESSION', [303, 403, 200, 200, 404]],
  ['POST', '/agenda/sessions/{id}/visibilite', 'SESSION', [303, 403, 303, 303, 404]],
  ['POST', '/agenda/sessions/{id}/inscriptions', 'SESSION', [303, 403, 400, 400, 404]],
  ['GET', '/agenda/sessions/{id}/clore', 'SESSIONC', [303, 403, 200, 200, 404]],
  ['POST', '/agenda/sessions/{id}/clore', 'SESSION', [303, 403, 400, 400, 404]],
  ['GET', '/evenements', null, [303, 403, 200, 200, 200]],
  ['GET', '/messagerie/message-important', null, [303, 403, 200, 200, 200]],
  ['POST', '/messagerie/message-important', { message: '' }, [303, 403, 400, 400, 400]],
  ['POST', '/messagerie/message-important/desactiver', null, [303, 403, 303, 303, 303]],
  ['GET', '/aide', null, [303, 403, 200, 200, 200]],
  ['GET', '/raccourci', null, [303, 403, 200, 200, 200]],
  ['GET', '/manifest.webmanifest', null, [200, 200, 200, 200, 200]],
  ['GET', '/profil', null, [303, 403, 200, 200, 200]],
  ['POST', '/profil/notifications-sonores', { notifications_sonores: 'oui' }, [303, 403, 400, 400, 400]],
  ['POST', '/profil/bienvenue-mobile', { retour: '/messagerie' }, [303, 403, 303, 303, 303]],
  ['GET', '/messagerie/non-lus', null, [303, 403, 200, 200, 200]],
  ['GET', '/app', null, [200, 303, 200, 200, 200]],
  ['GET', '/app/pas-de-compte', null, [200, 200, 200, 200, 200]],
  ['GET', '/app/connexion', null, [200, 303, 200, 200, 200]],
  ['POST', '/app/connexion', { email: 'personne@exemple.fr', password: 'Mauvais1' }, [401, 401, 401, 401, 401]],
  ['GET', '/app/activation/{token}', null, [410, 410, 410, 410, 410]],
  ['POST', '/app/activation/{token}', { password: 'Abcdefg1', confirmation: 'Abcdefg1' }, [410, 410, 410, 410, 410]],
  ['GET', '/app/mot-de-passe-oublie', null, [200, 200, 200, 200, 200]],
  ['POST', '/app/mot-de-passe-oublie', { email: 'personne@exemple.fr' }, [200, 200, 200, 200, 200]],
  ['GET', '/app/accueil', null, [303, 200, 403, 403, 403]],
  ['GET', '/app/profil', null, [303, 200, 403, 403, 403]],
  // Refused values (a switch sends "1" or nothing): nothing is saved.
  ['POST', '/app/profil/partage', { partage_favoris: 'oui' }, [303, 400, 403, 403, 403]],
  ['GET', '/app/profil/notifications', null, [303, 200, 403, 403, 403]],
  ['POST', '/app/profil/notifications', { messages: 'oui' }, [303, 400, 403, 403, 403]],
  ['GET', '/app/suppression-compte', null, [303, 200, 403, 403, 403]],
  ['POST', '/app/suppression-compte', { confirmation: 'non' }, [303, 400, 403, 403, 403]],
  // The beneficiary's actions: APP is A's own (in progress), ACT the referent's for A.
  ['GET', '/app/suivi', null, [303, 200, 403, 403, 403]],
  ['GET', '/app/actions/nouvelle', null, [303, 200, 403, 403, 403]],
  ['POST', '/app/actions/nouvelle', { etape: '1' }, [303, 400, 403, 403, 403]],
  ['GET', '/app/actions/{id}', 'APP', [303, 200, 403, 403, 403]],
  ['GET', '/app/actions/{id}', 'ACT', [303, 200, 403, 403, 403]],
  ['GET', '/app/actions/{id}', 'unknown', [303, 404, 403, 403, 403]],
  ['GET', '/app/actions/{id}/creee', 'APP', [303, 200, 403, 403, 403]],
  ['POST', '/app/actions/{id}/terminer', 'APP', [303, 400, 403, 403, 403]],
  ['POST', '/app/actions/{id}/reprendre', 'APP', [303, 400, 403, 403, 403]],
  ['GET', '/app/actions/{id}/modifier', 'APP', [303, 200, 403, 403, 403]],
  ['GET', '/app/actions/{id}/modifier', 'ACT', [303, 403, 403, 403, 403]],
  ['POST', '/app/actions/{id}/modifier', 'APP', [303, 400, 403, 403, 403]],
  ['GET', '/app/actions/{id}/supprimer', 'APP', [303, 200, 403, 403, 403]],
  ['POST', '/app/actions/{id}/supprimer', 'ACT', [303, 403, 403, 403, 403]],
  ['POST', '/app/actions/{id}/commentaires', 'APP', [303, 400, 403, 403, 403]],
  ['GET', '/app/notifications', null, [303, 200, 403, 403, 403]],
  ['GET', '/app/evenements-direct', null, [303, 200, 403, 403, 403]],
  // The young person's agenda: RDV is A's, APPAC an animation collective of A's Mission Locale.
  ['GET', '/app/rendez-vous/{id}', 'RDV', [303, 200, 403, 403, 403]],
  ['GET', '/app/rendez-vous/{id}', 'unknown', [303, 404, 403, 403, 403]],
  ['GET', '/app/evenements', null, [303, 200, 403, 403, 403]],
  ['GET', '/app/evenements/animations/{id}', 'APPAC', [303, 200, 403, 403, 403]],
  ['GET', '/app/evenements/animations/{id}', 'RDV', [303, 404, 403, 403, 403]],
  ['POST', '/app/evenements/animations/{id}/partager', 'unknown', [303, 404, 403, 403, 403]],
  ['POST', '/app/evenements/animations/{id}/partager', 'APPAC', [303, 303, 403, 403, 403]],
  // An i-milo session of A's Mission Locale made visible (the simulator's 1009, apart from
  // the counselor's walk above, which changes 1007's visibility), and one that is not an
  // i-milo id.
  ['GET', '/app/evenements/sessions/{id}', 'APPSESSION', [303, 200, 403, 403, 403]],
  ['GET', '/app/evenements/sessions/{id}', 'unknown', [303, 404, 403, 403, 403]],
  ['GET', '/app/evenements/sessions/{id}/demande', 'APPSESSION', [303, 200, 403, 403, 403]],
  ['POST', '/app/evenements/sessions/{id}/demande', 'APPSESSION', [303, 400, 403, 403, 403]],
  ['POST', '/app/evenements/sessions/{id}/demande', 'unknown', [303, 404, 403, 403, 403]],
  ['GET', '/app/evenements/sessions/{id}/demande/envoyee', 'APPSESSION', [303, 200, 403, 403, 403]],
  // Self-registration is off here (SESSION_AUTO_REGISTRATION) and A is not registered.
  ['POST', '/app/evenements/sessions/{id}/inscription', 'APPSESSION', [303, 404, 403, 403, 403]],
  ['GET', '/app/evenements/sessions/{id}/inscription/confirmee', 'APPSESSION', [303, 404, 403, 403, 403]],
  // Événements › Externes (offers_events.test.mjs walks them with real events).
  ['GET', '/app/evenements/externes', null, [303, 200, 403, 403, 403]],
  ['GET', '/app/evenements/externes/{id}', 'unknown', [303, 404, 403, 403, 403]],
  ['POST', '/app/evenements/externes/{id}/partager', 'unknown', [303, 404, 403, 403, 403]],
  ['GET', '/app/messages', null, [303, 200, 403, 403, 403]],
  ['POST', '/app/messages', { message: '' }, [303, 400, 403, 403, 403]],
  ['GET', '/app/messages/fil', null, [303, 200, 403, 403, 403]],
  ['GET', '/app/messages/{id}/modifier', 'unknown', [303, 404, 403, 403, 403]],
  ['POST', '/app/messages/{id}/modifier', 'unknown', [303, 404, 403, 403, 403]],
  ['GET', '/app/messages/{id}/supprimer', 'unknown', [303, 404, 403, 403, 403]],
  ['POST', '/app/messages/{id}/supprimer', 'unknown', [303, 404, 403, 403, 403]],
  // The young person's "Offres" tab: OFFER is an active offer of the catalogue (written to
  // the database), "unknown" none; the detail's forms refuse an empty body.
  ['GET', '/app/offres', null, [303, 200, 403, 403, 403]],
  ['GET', '/app/offres/recherche', null, [303, 200, 403, 403, 403]],
  ['GET', '/app/offres/suivi', null, [303, 200, 403, 403, 403]],
  ['GET', '/app/offres/lieux', null, [303, 200, 403, 403, 403]],
  ['POST', '/app/offres/suivi/{id}/supprimer', 'unknown', [303, 303, 403, 403, 403]],
  ['GET', '/app/offres/{slug}/{id}', 'OFFER', [303, 200, 403, 403, 403]],
  ['GET', '/app/offres/{slug}/{id}', 'unknown', [303, 404, 403, 403, 403]],
  ['POST', '/app/offres/{slug}/{id}/enregistrer', 'unknown', [303, 404, 403, 403, 403]],
  ['POST', '/app/offres/{slug}/{id}/postule', 'OFFER', [303, 400, 403, 403, 403]],
  ['GET', '/app/offres/{slug}/{id}/partager', 'OFFER', [303, 200, 403, 403, 403]],
  ['POST', '/app/offres/{slug}/{id}/partager', 'OFFER', [303, 400, 403, 403, 403]],
  // "Contacter l'entreprise" is an Immersion's: OFFER is an Emploi (404).
  ['GET', '/app/offres/{slug}/{id}/contact', 'OFFER', [303, 404, 403, 403, 403]],
  ['POST', '/app/offres/{slug}/{id}/contact', 'OFFER', [303, 404, 403, 403, 403]],
  // The favourites' API: a form body is no JSON (400); A's favourites are read by A and by
  // the counselors who read his fiche (he shares them: the default), nobody else.
  ['POST', '/api/v1/favoris', null, [303, 400, 403, 403, 403]],
  ['GET', '/api/v1/beneficiaires/{id}/favoris', 'A', [401, 200, 200, 200, 404]],
  // Saved searches and suggestions (offers.md §4, §6): SAVED is A's saved search; the create
  // and share pages carry criteria (concretePath); sharing to A is the referent's only.
  ['GET', '/app/offres/alertes', null, [303, 200, 403, 403, 403]],
  ['GET', '/app/offres/alertes/nouvelle', null, [303, 200, 403, 403, 403]],
  ['POST', '/app/offres/alertes/nouvelle', { nom: '' }, [303, 400, 403, 403, 403]],
  ['GET', '/app/offres/alertes/{id}', 'SAVED', [303, 303, 403, 403, 403]],
  ['GET', '/app/offres/alertes/{id}', 'unknown', [303, 404, 403, 403, 403]],
  ['GET', '/app/offres/alertes/{id}/supprimer', 'SAVED', [303, 200, 403, 403, 403]],
  ['GET', '/app/offres/alertes/{id}/supprimer', 'unknown', [303, 404, 403, 403, 403]],
  ['POST', '/app/offres/alertes/{id}/supprimer', 'unknown', [303, 404, 403, 403, 403]],
  ['POST', '/app/offres/alertes/suggestions/{id}/accepter', 'unknown', [303, 404, 403, 403, 403]],
  ['POST', '/app/offres/alertes/suggestions/{id}/refuser', 'unknown', [303, 404, 403, 403, 403]],
  ['GET', '/offres/criteres/partager', null, [303, 403, 200, 200, 200]],
  ['POST', '/offres/criteres/partager', {}, [303, 403, 400, 400, 400]],
  ['POST', '/offres/criteres/partager', (c) => ({ beneficiaires: c.ids.A }), [303, 403, 303, 403, 403]],
  ['GET', '/demo/courriels', null, [200, 200, 200, 200, 200]],
  ['GET', '/demo/courriels/{id}', 'unknown', [404, 404, 404, 404, 404]],
  ['GET', '/demo/courriels/{id}/contenu', 'unknown', [404, 404, 404, 404, 404]],
  ['GET', '/demo/courriels/{id}/pieces-jointes/{n}', 'unknown', [404, 404, 404, 404, 404]],
  ['POST', '/_test/horloge', 'clock', [200, 200, 200, 200, 200]],
  ['POST', '/_test/publier', 'publish', [200, 200, 200, 200, 200]],
  ['GET', '/_test/files-vides', null, [200, 200, 200, 200, 200]],
  // Last: they end things.
  ['POST', '/app/actions/{id}/supprimer', 'APP', [303, 303, 403, 403, 403]],
  ['POST', '/actions/{id}/supprimer', 'ACT', [303, 403, 303, 403, 404], ['anonymous', 'beneficiary', 'colleague', 'stranger', 'referent']],
  ['POST', '/agenda/rendez-vous/{id}/supprimer', 'RDV', [303, 403, 303, 403, 404], ['anonymous', 'beneficiary', 'colleague', 'stranger', 'referent']],
  ['POST', '/agenda/animations-collectives/{id}/supprimer', 'AC', [303, 403, 404, 303, 404], ['anonymous', 'beneficiary', 'stranger', 'colleague', 'referent']],
  ['POST', '/listes/{id}/supprimer', 'LIST', [303, 403, 303, 404, 404], ['anonymous', 'beneficiary', 'colleague', 'stranger', 'referent']],
  ['POST', '/beneficiaires/{id}/supprimer', 'B', [303, 403, 303, 403, 404], ['anonymous', 'beneficiary', 'colleague', 'stranger', 'referent']],
  ['POST', '/deconnexion', null, [303, 403, 303, 303, 303], ['anonymous', 'beneficiary']],
  ['POST', '/app/deconnexion', null, [303, 303, 403, 403, 403]],
  ['POST', '/deconnexion', null, [303, 403, 303, 303, 303], ['referent', 'colleague', 'stranger']],
];

/** An atelier of Camille's Mission Locale starting at @startsAt, with @beneficiary registered. */
function insertAc(beneficiary, startsAt) {
  const id = randomUUID();
  const now = Date.now();
  stack.sql(`INSERT INTO event(id, kind, type, title,
      starts_at, duration_min, ends_at, presence, creator_id, creator_first_name, creator_last_name,
      structure_id, created_at, updated_at)
    SELECT '${id}', 'ac', 'ATELIER', 'Atelier CV', ${startsAt}, 60, ${startsAt + 3600 * 1000}, 1, id,
      first_name, last_name, structure_id, ${now}, ${now} FROM counselor WHERE email = 'camille.martin@cej-demo.fr';
    INSERT INTO event_participant(event_id, beneficiary_id, added_at) VALUES ('${id}', '${beneficiary}', ${now});`);
  return id;
}

async function counselor(email) {
  const c = httpClient(stack.baseUrl);
  const html = await (await c.get('/connexion')).text();
  const r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email, password: 'Conseiller1!' });
  assert.equal(r.status, 303, `login ${email}`);
  return c;
}

async function addBeneficiary(c, dossier) {
  const csrf = c.csrfFrom(await (await c.get('/portefeuille/ajouter')).text());
  const r = await c.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier, dispositif: 'CEJ' });
  assert.equal(r.status, 303);
  const flash = decodeURIComponent(c.cookie('cej_flash') || '');
  return { id: /([0-9a-f-]{36})$/.exec(flash)[1] };
}

before(async () => {
  stack = await startStack();
  const referent = await counselor('camille.martin@cej-demo.fr');
  const A = await addBeneficiary(referent, '100031');
  const B = await addBeneficiary(referent, '100034');
  // A activates the account and logs in.
  const dossier = await stack.simAdmin('GET', '/_admin/dossiers/100031');
  const email = dossier.body.mail;
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(email)));
  const link = extractLink(mails.find((x) => x.to.includes(email)).text, '/app/activation/');
  const token = link.split('/').pop();
  const young = httpClient(stack.baseUrl);
  let html = await (await young.get(`/app/activation/${token}`)).text();
  let r = await young.form(`/app/activation/${token}`, { _csrf: young.csrfFrom(html), password: 'Jeune2026ok', confirmation: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  html = await (await young.get('/app/connexion')).text();
  r = await young.form('/app/connexion', { _csrf: young.csrfFrom(html), email, password: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  // A counselor-created action of A (to do, tomorrow).
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  html = await (await referent.get(`/beneficiaires/${A.id}/actions/nouvelle`)).text();
  r = await referent.form(`/beneficiaires/${A.id}/actions/nouvelle`, {
    _csrf: referent.csrfFrom(html), categorie: 'EMPLOI', titre: 'Mettre à jour son CV',
    statut: 'a_faire', date_action: tomorrow,
  });
  assert.equal(r.status, 303);
  const ACT = /\/actions\/([0-9a-f-]{36})\/enregistree$/.exec(r.headers.get('location'))[1];
  // An action A created in the app (in progress, today).
  html = await (await young.get('/app/actions/nouvelle')).text();
  r = await young.form('/app/actions/nouvelle', {
    _csrf: young.csrfFrom(html), etape: 'vide', aller: 'creer', categorie: 'EMPLOI', titre: '1',
    statut: 'en_cours', quand: 'aujourdhui', rappel: '0',
  });
  assert.equal(r.status, 303);
  const APP = /\/app\/actions\/([0-9a-f-]{36})\/creee$/.exec(r.headers.get('location'))[1];
  // A done action of A, to qualify (CEJ): the qualification routes.
  const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  html = await (await referent.get(`/beneficiaires/${A.id}/actions/nouvelle`)).text();
  r = await referent.form(`/beneficiaires/${A.id}/actions/nouvelle`, {
    _csrf: referent.csrfFrom(html), categorie: 'EMPLOI', titre: 'Consulter les offres d’emploi',
    statut: 'terminee', date_realisation: yesterday,
  });
  assert.equal(r.status, 303);
  const QUAL = /\/actions\/([0-9a-f-]{36})\/enregistree$/.exec(r.headers.get('location'))[1];
  const home = await (await httpClient(stack.baseUrl).get('/connexion')).text();
  const asset = /href="(\/static\/[0-9a-f]+\/[^"]+\.css)"/.exec(home)[1];
  ctx = {
    ids: { A: A.id, B: B.id, ACT, APP },
    asset,
    clients: {
      anonymous: httpClient(stack.baseUrl),
      beneficiary: young,
      referent,
      colleague: await counselor('yann.le-goff@cej-demo.fr'),
      stranger: await counselor('sophie.durand@cej-demo.fr'),
    },
  };
  ctx.ids.QUAL = QUAL;
  ctx.ids.SESSION = '1007';   // docs/imilo-sim.md: Brest's seeded sessions 1001–1012
  ctx.ids.SESSIONC = '1001';
  // A rendez-vous of the referent with A, in two days.
  const inTwoDays = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
  html = await (await referent.get('/agenda/rendez-vous/nouveau')).text();
  r = await referent.form('/agenda/rendez-vous/nouveau', {
    _csrf: referent.csrfFrom(html), type: 'VISITE', date: inTwoDays, heure: '10:00', duree: '01:00',
    beneficiaires: A.id,
  });
  assert.equal(r.status, 303);
  ctx.ids.RDV = /\/agenda\/rendez-vous\/([0-9a-f-]{36})$/.exec(r.headers.get('location'))[1];
  // An animation collective of the referent with A, in two days.
  html = await (await referent.get('/agenda/animations-collectives/nouveau')).text();
  r = await referent.form('/agenda/animations-collectives/nouveau', {
    _csrf: referent.csrfFrom(html), type: 'ATELIER', titre: 'Atelier CV', date: inTwoDays,
    heure: '14:00', duree: '02:00', beneficiaires: A.id,
  });
  assert.equal(r.status, 303);
  ctx.ids.AC = /\/agenda\/animations-collectives\/([0-9a-f-]{36})$/.exec(r.headers.get('location'))[1];
  // Two ateliers of the referent's Mission Locale with A, written to the database: one
  // started an hour ago (to close), one in two days.
  ctx.ids.ACP = insertAc(A.id, Date.now() - 3600 * 1000);
  ctx.ids.ACF = insertAc(A.id, Date.now() + 2 * 86400000);
  // An animation collective of the referent's Mission Locale (A's), in three days, written to
  // the database, without registrants (the app's pages).
  ctx.ids.APPAC = randomUUID();
  const start = Date.now() + 3 * 86400000, now = Date.now();
  stack.sql(`INSERT INTO event(id, kind, type, title,
      starts_at, duration_min, ends_at, presence, creator_id, creator_first_name, creator_last_name,
      structure_id, created_at, updated_at) SELECT '${ctx.ids.APPAC}', 'ac', 'ATELIER', 'Atelier CV',
      ${start}, 60, ${start + 3600000}, 1, id, first_name, last_name, structure_id, ${now}, ${now}
      FROM counselor WHERE email = 'camille.martin@cej-demo.fr'`);
  // An active Emploi offer of the catalogue (the app's "Offres" tab).
  ctx.ids.OFFER = '123ABCD';
  stack.sql(`INSERT INTO offer(id, provider, provider_id, type, title, first_seen_at, last_seen_at, raw)
    VALUES ('123ABCD', 'demo', '123ABCD', 'EMPLOI', 'Vendeur (H/F)', ${now}, ${now}, '{}')`);
  ctx.ids.APPSESSION = '1009';
  stack.sql(`INSERT INTO imilo_session(id,
      structure_id, visible, updated_at) SELECT '1009', structure_id, 1, ${now}
      FROM counselor WHERE email = 'camille.martin@cej-demo.fr'`);
  // A list of the referent (A and B) and one message sent to it: the lists' routes.
  html = await (await referent.get('/listes/nouvelle')).text();
  r = await referent.form('/listes/nouvelle', [['_csrf', referent.csrfFrom(html)], ['titre', 'Liste du parcours'], ['beneficiaires', A.id], ['beneficiaires', B.id]]);
  assert.equal(r.status, 303);
  // A's saved search (Mes alertes), made through the page.
  html = await (await young.get('/app/offres/alertes/nouvelle?type=emploi&motscles=vendeur&lieu=29019')).text();
  r = await young.form('/app/offres/alertes/nouvelle?type=emploi&motscles=vendeur&lieu=29019',
                       { _csrf: young.csrfFrom(html), nom: 'Vendeur à Brest' });
  assert.equal(r.status, 303);
  ctx.ids.SAVED = /\/app\/offres\/alertes\/([0-9a-f-]{36})\/supprimer/.exec(await (await young.get('/app/offres/alertes')).text())[1];
  ctx.ids.LIST = /\/listes\/([0-9a-f-]{36})\/modifier/.exec(await (await referent.get('/listes')).text())[1];
  html = await (await referent.get('/messagerie/multi-destinataires')).text();
  r = await referent.form('/messagerie/multi-destinataires', { _csrf: referent.csrfFrom(html), listes: ctx.ids.LIST, message: 'Bonjour à la liste' });
  assert.equal(r.status, 303);
  ctx.ids.BC = /\/messages\/([0-9a-f-]{36})"/.exec(await (await referent.get(`/listes/${ctx.ids.LIST}/messages`)).text())[1];
  // One offer of the catalogue: the Offres pages.
  await importOffers(stack, 'france-travail', [{ id: '123ABCD', intitule: 'Vendeur (H/F)', typeContrat: 'CDI',
    lieuTravail: { libelle: '29 - Brest', latitude: 48.40844, longitude: -4.49959, codePostal: '29200', commune: '29019' } }]);
  ctx.ids.OFFER = '123ABCD';
});

after(async () => {
  await stack?.stop();
});

function concretePath(pattern, arg) {
  if (pattern === '/static/{hash}/{path*}') return ctx.asset;
  if (pattern === '/agenda/animations-collectives/inscrire') return `${pattern}?beneficiaire=${ctx.ids[arg]}`;
  if (pattern === '/emargement/{id}') return `/emargement/${ctx.ids[arg]}?type=ac`;
  if (pattern.startsWith('/offres/{slug}/{id}') && !arg) arg = 'OFFER';  // a POST whose body needs ids
  if (pattern === '/app/offres/alertes/nouvelle' || pattern === '/offres/criteres/partager')
    return `${pattern}?type=emploi&motscles=vendeur&lieu=29019`;
  return pattern
    .replace('{slug}', 'emploi')
    .replace('{id}', arg === 'unknown' ? '0190b6a0-0000-7000-8000-00000000dead' : ctx.ids[arg] || '')
    .replace('{mid}', '0190b6a0-0000-7000-8000-00000000dead')
    .replace('{n}', '1')
    .replace('{bid}', ctx.ids.BC || '')
    .replace('{token}', 'x'.repeat(43));
}

// Event streams never end: only their status and headers are read, then the body is aborted.
const STREAMS = new Set(['/evenements', '/app/evenements-direct']);

async function call(role, method, pattern, arg) {
  const c = ctx.clients[role];
  const path = concretePath(pattern, typeof arg === 'string' ? arg : null);
  if (method === 'GET' && STREAMS.has(pattern)) {
    const ac = new AbortController();
    const res = await c.get(path, { signal: ac.signal });
    ac.abort();
    return res;
  }
  if (method === 'GET') return c.get(path);
  if (arg === 'clock') return c.fetch(path, { method: 'POST', body: '{"offset_ms":0}' });
  if (arg === 'publish') return c.fetch(path, { method: 'POST', body: '{"topic":"personne","event":"walk"}' });
  // The role's own CSRF token (from a page every role may open), so that only
  // authorization decides.
  const csrf = c.csrfFrom(await (await c.get('/app/mot-de-passe-oublie')).text());
  if (typeof arg === 'function') arg = arg(ctx);  // fields that need the ids
  const fields = typeof arg === 'object' && arg ? arg : {};
  return c.form(path, { _csrf: csrf, ...fields });
}

/** Runs `cej routes` with the stack's environment: { code, stdout, stderr }. */
function cejRoutes() {
  const bin = path.resolve(process.env.CEJ_BIN || 'build/cej');
  return new Promise((resolve) => {
    execFile(bin, ['routes'], { env: stack.env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/**
 * The routes the server serves: [{ method, pattern, access, flags, feature }], as
 * `cej routes` prints them (METHOD\tPATTERN\tACCESS\tFLAGS\tFEATURE); anything else fails
 * the test.
 */
async function servedRoutes() {
  const r = await cejRoutes();
  assert.equal(r.code, 0, `cej routes failed: ${r.stderr}`);
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  const routes = lines.map((line) => {
    const f = line.split('\t');
    assert.ok(f.length === 5 && /^[A-Z]+$/.test(f[0]) && f[1].startsWith('/') &&
      ['public', 'counselor', 'beneficiary'].includes(f[2]) && f[3] !== '' && f[4] !== '',
      `cej routes: unexpected line ${JSON.stringify(line)} (want METHOD\tPATTERN\tACCESS\tFLAGS\tFEATURE)`);
    return { method: f[0], pattern: f[1], access: f[2], flags: f[3] === '-' ? [] : f[3].split(','),
             feature: f[4] };
  });
  assert.ok(routes.length > 0, 'cej routes printed no route');
  return { source: 'cej routes', routes };
}

test('every route answers each role as expected', async () => {
  const { source, routes } = await servedRoutes();
  const walked = WALK.map(([m, p]) => `${m} ${p}`);
  const declared = routes.map((r) => `${r.method} ${r.pattern}`);
  for (const route of declared)
    assert.ok(walked.includes(route), `route without an authorization expectation (${source}): ${route}`);
  for (const route of new Set(walked))
    assert.ok(declared.includes(route), `expectation for a route the server does not serve (${source}): ${route}`);
  // With access levels (cej routes), the expectations must agree with them: a counselor
  // route sends the anonymous to the login and refuses beneficiaries, a beneficiary route
  // the reverse.
  const refused = { counselor: ['beneficiary'], beneficiary: ['referent', 'colleague', 'stranger'] };
  for (const r of routes) {
    if (!refused[r.access]) continue;
    for (const [m, p, , expected] of WALK.filter(([m, p]) => m === r.method && p === r.pattern)) {
      assert.equal(expected[0], 303, `${m} ${p} is a ${r.access} route: the anonymous must be sent to log in`);
      for (const role of refused[r.access])
        assert.ok([403, 404].includes(expected[ROLES.indexOf(role)]),
          `${m} ${p} is a ${r.access} route: ${role} must be refused (403, or 404 for what it cannot know)`);
    }
  }

  const failures = [];
  for (const [method, pattern, arg, expected, order] of WALK) {
    for (const role of order || ROLES) {
      const want = expected[ROLES.indexOf(role)];
      const res = await call(role, method, pattern, arg);
      if (res.status !== want)
        failures.push(`${method} ${pattern} as ${role}: ${res.status}, expected ${want}`);
    }
  }
  assert.deepEqual(failures, []);
});
