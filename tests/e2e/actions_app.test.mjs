// actions_app.test.mjs — the beneficiary's side of actions in a real browser, axe-core on
// every page (youth-app.md §6, actions.md §1–§4, notifications.md §1): creation in 3 steps
// with its errors, Mon suivi, detail, "Terminer mon action", edit, comments, deletion, the
// refusals (counselor's action, qualified action) and the notification centre.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, launchBrowser, visit, waitForMails, extractLink, httpClient, csrfFrom } from './harness.mjs';

const TZ = 'Europe/Paris';
let stack, browser, young, referent, beneficiaryId;

// Civil days in the structure's zone, as the server computes them.
function isoDay(offsetDays = 0) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}
const frDay = (iso) => iso.split('-').reverse().join('/');
function dayTitle(iso) {
  const s = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' })
    .format(new Date(`${iso}T12:00:00Z`));
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function sql(query) {
  return stack.sql(query);
}

async function counselor(email) {
  const c = httpClient(stack.baseUrl);
  const html = await (await c.get('/connexion')).text();
  const r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email, password: 'Conseiller1!' });
  assert.equal(r.status, 303, `login ${email}`);
  return c;
}

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  referent = await counselor('camille.martin@cej-demo.fr');
  const csrf = referent.csrfFrom(await (await referent.get('/portefeuille/ajouter')).text());
  const r = await referent.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier: '100031', dispositif: 'CEJ' });
  assert.equal(r.status, 303);
  beneficiaryId = /([0-9a-f-]{36})$/.exec(decodeURIComponent(referent.cookie('cej_flash') || ''))[1];

  const email = (await stack.simAdmin('GET', '/_admin/dossiers/100031')).body.mail;
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(email)));
  const link = extractLink(mails.find((x) => x.to.includes(email)).text, '/app/activation/');
  young = await (await browser.newContext()).newPage();
  await young.goto(link.replace(/^https?:\/\/[^/]+/, stack.baseUrl));
  await young.getByLabel('Mot de passe', { exact: true }).fill('Jeune2026ok');
  await young.getByLabel('Confirmation du mot de passe').fill('Jeune2026ok');
  await young.getByRole('button', { name: 'Valider' }).click();
  await young.waitForURL(/\/app\/connexion$/);
  await young.getByLabel('Adresse e-mail').fill(email);
  await young.getByLabel('Mot de passe', { exact: true }).fill('Jeune2026ok');
  await young.getByRole('button', { name: 'Se connecter' }).click();
  await young.waitForURL(/\/app\/accueil$/);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

// DSFR draws its own radio over the hidden input, and the app's tab bar sticks at the
// bottom: a real click may land on either, so the input receives the click itself.
async function choose(input) {
  await input.dispatchEvent('click');
  assert.equal(await input.isChecked(), true);
}
const go = (p) => young.goto(stack.baseUrl + p);
const text = (t) => young.getByText(t, { exact: false }).first().waitFor();

// POSTs a form as the beneficiary (the browser's cookies and session CSRF token).
async function post(p, fields = {}) {
  const req = young.context().request;
  const csrf = csrfFrom(await (await req.get(stack.baseUrl + '/app/actions/nouvelle')).text());
  return req.post(stack.baseUrl + p, {
    form: { _csrf: csrf, ...fields },
    headers: { origin: stack.baseUrl },
    maxRedirects: 0,
  });
}

test('a beneficiary creates an action in 3 steps, follows it in Mon suivi, finishes, edits and comments it', async () => {
  await go('/app/suivi');
  await young.getByRole('heading', { name: 'Mon suivi' }).waitFor();
  await text('Cette semaine');
  await text('Semaine prochaine');
  assert.ok(await young.getByText('Aucun événement ni action').count() > 0);
  assert.ok(await young.getByText('Rien de prévu').count() > 0);
  await visit(young, 'aa01-suivi-vide');
  assert.equal(await young.locator('.cej-week').count(), 5);
  await young.getByRole('link', { name: 'Afficher la période précédente' }).click();
  await young.waitForURL(/\/app\/suivi\?avant=1&apres=0$/);
  assert.equal(await young.locator('.cej-week').count(), 9);
  await young.getByRole('link', { name: 'Afficher la période suivante' }).click();
  await young.waitForURL(/\/app\/suivi\?avant=1&apres=1$/);
  assert.equal(await young.locator('.cej-week').count(), 13);

  await young.getByRole('link', { name: 'Créer une action' }).click();
  await text('Étape 1 sur 3');
  await young.getByRole('button', { name: 'Continuer' }).click();
  await text('Choisis une catégorie pour continuer');
  await visit(young, 'aa02-etape1-erreur');
  await young.locator('label[for=categorie-EMPLOI]').click();
  await young.getByRole('button', { name: 'Continuer' }).click();

  await text('Étape 2 sur 3');
  await choose(young.getByLabel('Autre', { exact: true }));
  await young.getByRole('button', { name: 'Continuer' }).click();
  await text('L’intitulé de l’action doit être renseigné');
  await visit(young, 'aa03-etape2-titre-manquant');
  await choose(young.getByLabel('Mettre à jour son CV', { exact: true }));
  await young.getByLabel('Décrire mon action').fill('Ajouter mon stage de mars');
  await young.getByRole('button', { name: 'Continuer' }).click();

  await text('Étape 3 sur 3');
  await visit(young, 'aa04-etape3');
  await choose(young.getByLabel('En cours', { exact: true }));
  await choose(young.getByLabel('Choisir une date'));
  await young.getByLabel('Date choisie').fill('2020-01-01');
  await young.getByRole('button', { name: 'Terminer' }).click();
  await young.getByText(/La date doit être comprise entre le \d\d\/\d\d\/\d{4} et le \d\d\/\d\d\/\d{4}\./).waitFor();
  await visit(young, 'aa05-etape3-date-hors-fenetre');
  // The answers of the earlier steps travelled along.
  await young.getByRole('button', { name: 'Retour' }).click();
  assert.equal(await young.getByLabel('Décrire mon action').inputValue(), 'Ajouter mon stage de mars');
  await young.getByRole('button', { name: 'Continuer' }).click();
  await choose(young.getByLabel('En cours', { exact: true }));
  await choose(young.getByLabel('Demain'));
  await young.getByRole('button', { name: 'Terminer' }).click();

  await young.getByRole('heading', { name: 'Action créée' }).waitFor();
  await text('L’action est en route vers ton conseiller.');
  await visit(young, 'aa06-action-creee');
  const id = /\/app\/actions\/([0-9a-f-]{36})\/creee$/.exec(young.url())[1];

  // Stored by the 09:30 rule, in the structure's zone, created by the beneficiary.
  const [due, creator, reminder] = sql(`SELECT due_at, creator_kind, reminder FROM action WHERE id = '${id}'`).split('|');
  const local = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(Number(due)));
  assert.equal(local, `${isoDay(1)}, 09:30`);
  assert.equal(creator, 'beneficiary');
  assert.equal(reminder, '1');
  // No notification for anyone.
  assert.equal(sql(`SELECT count(*) FROM notification WHERE url LIKE '%${id}%'`), '0');

  await young.getByRole('link', { name: 'Consulter Mon suivi' }).click();
  const day = young.locator('.cej-day', { has: young.getByRole('heading', { name: dayTitle(isoDay(1)) }) });
  await day.getByRole('link', { name: 'Mettre à jour son CV' }).waitFor();
  await day.getByText('En cours', { exact: true }).waitFor();
  await day.getByText('Emploi').waitFor();
  await visit(young, 'aa07-suivi-avec-action');
  assert.match(await young.getByRole('link', { name: 'Aller à aujourd’hui' }).getAttribute('href'), /#aujourdhui$/);

  await day.getByRole('link', { name: 'Mettre à jour son CV' }).click();
  await young.getByRole('heading', { name: 'Mon action' }).waitFor();
  await text(`À réaliser pour le ${frDay(isoDay(1))}`);
  await text(`Créée par toi le ${frDay(isoDay(0))}`);
  await text('Tu n’as pas encore de commentaire');
  await visit(young, 'aa08-detail');

  // Terminer mon action: yesterday.
  await young.getByText('Terminer mon action').click();
  await choose(young.getByLabel('Hier'));
  await young.getByRole('button', { name: 'Valider' }).click();
  await text('La mise à jour de ton action a bien été prise en compte');
  await text(`Terminée le ${frDay(isoDay(-1))}`);
  await visit(young, 'aa09-detail-terminee');
  const [status, completed] = sql(`SELECT status, completed_at FROM action WHERE id = '${id}'`).split('|');
  assert.equal(status, 'done');
  assert.match(new Intl.DateTimeFormat('en-CA', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Number(completed))), /09:30/);

  await young.getByRole('button', { name: 'Je n’ai pas terminé mon action' }).click();
  await text('La mise à jour de ton action a bien été prise en compte');
  await text(`À réaliser pour le ${frDay(isoDay(1))}`);
  assert.equal(sql(`SELECT status, CASE WHEN completed_at IS NULL OR completed_at = 0 THEN 1 ELSE 0 END FROM action WHERE id = '${id}'`), 'in_progress|1');

  // Edit.
  await young.getByText('Éditer l’action').click();
  await young.getByRole('link', { name: 'Modifier' }).click();
  await young.getByRole('heading', { name: 'Modifier l’action' }).waitFor();
  await visit(young, 'aa10-modifier');
  await young.getByLabel('Titre de l’action').selectOption('autre');
  await young.getByLabel('Nommer mon action').fill('');
  await young.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await text('L’intitulé de l’action doit être renseigné');
  await visit(young, 'aa11-modifier-erreur');
  await young.getByLabel('Nommer mon action').fill('Préparer mon entretien');
  await young.getByLabel('Catégorie').selectOption('FORMATION');
  await young.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await text('Tes modifications ont été enregistrées.');
  await young.getByRole('heading', { name: 'Préparer mon entretien' }).waitFor();
  await text('Formation');

  // Comments.
  await young.getByRole('button', { name: 'Envoyer le commentaire' }).click();
  await text('Écris ton commentaire avant de l’envoyer');
  await visit(young, 'aa12-commentaire-erreur');
  await young.getByLabel('Ajouter un commentaire').fill('J’ai envoyé mon CV à trois entreprises.');
  await young.getByRole('button', { name: 'Envoyer le commentaire' }).click();
  await young.locator('.cej-comment', { hasText: 'J’ai envoyé mon CV à trois entreprises.' }).getByText('Toi', { exact: true }).waitFor();
  await visit(young, 'aa13-commentaire');

  // A commented action can no longer be deleted.
  const res = await go(`/app/actions/${id}/supprimer`);
  assert.equal(res.status(), 400);
  await text('Vous ne pouvez pas supprimer une action terminée, qualifiée ou commentée.');
  await visit(young, 'aa14-suppression-refusee');
  assert.equal((await post(`/app/actions/${id}/supprimer`)).status(), 400);
});

test('an action without description asks first, then is deleted by its creator', async () => {
  await go('/app/actions/nouvelle');
  await young.locator('label[for=categorie-SANTE]').click();
  await young.getByRole('button', { name: 'Continuer' }).click();
  await choose(young.getByLabel('Contacter la mission locale', { exact: true }));
  await young.getByRole('button', { name: 'Continuer' }).click();
  await choose(young.getByLabel('Terminée', { exact: true }));
  await choose(young.getByLabel('Aujourd’hui'));
  await young.getByRole('button', { name: 'Terminer' }).click();
  await young.getByRole('heading', { name: 'Cette action ne contient aucune description.' }).waitFor();
  await text('Ton conseiller risque de ne pas pouvoir valider cette action.');
  await visit(young, 'ab01-sans-description');
  await young.getByRole('button', { name: 'Ajouter une description' }).click();
  await text('Étape 2 sur 3');
  await young.getByRole('button', { name: 'Continuer' }).click();
  await young.getByRole('button', { name: 'Terminer' }).click();
  await young.getByRole('button', { name: 'Créer l’action sans description' }).click();
  await young.getByRole('heading', { name: 'Action créée' }).waitFor();
  const id = /\/app\/actions\/([0-9a-f-]{36})\/creee$/.exec(young.url())[1];
  const [status, due, completed, reminder] = sql(`SELECT status, due_at, completed_at, reminder FROM action WHERE id = '${id}'`).split('|');
  assert.equal(status, 'done');
  assert.equal(completed, due);
  assert.equal(reminder, '0');

  // A done action cannot be deleted; back to "en cours", it can.
  await young.getByRole('link', { name: 'Consulter mon action' }).click();
  await text(`Terminée le ${frDay(isoDay(0))}`);
  assert.equal(await young.getByRole('link', { name: 'Supprimer' }).count(), 0);
  await young.getByRole('button', { name: 'Je n’ai pas terminé mon action' }).click();
  await young.getByText('Éditer l’action').click();
  await young.getByRole('link', { name: 'Supprimer' }).click();
  await young.getByRole('heading', { name: 'Supprimer l’action ?' }).waitFor();
  await text('Tu ne pourras plus consulter ni modifier l’action.');
  await visit(young, 'ab02-supprimer');
  await young.getByRole('button', { name: 'Supprimer' }).click();
  await young.waitForURL(/\/app\/suivi$/);
  await text('L’action a bien été supprimée');
  const res = await go(`/app/actions/${id}`);
  assert.equal(res.status(), 404);
  await text('Cet élément n’est plus disponible.');
  await visit(young, 'ab03-action-disparue');
});

test('a qualified action is read-only for the beneficiary (scenario 12)', async () => {
  await go('/app/actions/nouvelle');
  await young.locator('label[for=categorie-FORMATION]').click();
  await young.getByRole('button', { name: 'Continuer' }).click();
  await choose(young.getByLabel('S’informer sur une formation', { exact: true }));
  await young.getByLabel('Décrire mon action').fill('Salon de l’apprentissage');
  await young.getByRole('button', { name: 'Continuer' }).click();
  await choose(young.getByLabel('Terminée', { exact: true }));
  await choose(young.getByLabel('Hier'));
  await young.getByRole('button', { name: 'Terminer' }).click();
  const id = /\/app\/actions\/([0-9a-f-]{36})\/creee$/.exec(young.url())[1];
  // The counselor's qualification (through i-milo elsewhere) stands here as its row.
  sql(`UPDATE action SET q_code = 'NON_SNP', q_hours = 0, qualified_at = 1, qualified_by = 'system' WHERE id = '${id}'`);

  await go(`/app/actions/${id}`);
  await text('Ton conseiller a validé cette action.');
  await young.getByText('Terminée', { exact: true }).first().waitFor();
  assert.equal(await young.getByText('Je n’ai pas terminé mon action').count(), 0);
  assert.equal(await young.getByText('Éditer l’action').count(), 0);
  await visit(young, 'ac01-qualifiee');
  for (const [p, fields] of [
    ['reprendre', {}],
    ['terminer', { quand: 'aujourdhui' }],
    ['modifier', { titre: '1', statut: 'en_cours', date: isoDay(0) }],
  ]) {
    const r = await post(`/app/actions/${id}/${p}`, fields);
    assert.equal(r.status(), 400, p);
    assert.match(await r.text(), /Vous ne pouvez pas modifier une action qualifiée/);
  }
  assert.equal((await go(`/app/actions/${id}/modifier`)).status(), 400);
  assert.equal(sql(`SELECT status, q_code FROM action WHERE id = '${id}'`), 'done|NON_SNP');
});

test('a counselor’s action: notification centre, bell, no deletion by the beneficiary', async () => {
  await go('/app/notifications');
  await text('Aucune notification pour le moment.');
  await visit(young, 'ad01-centre-vide');

  const form = `/beneficiaires/${beneficiaryId}/actions/nouvelle`;
  const csrf = referent.csrfFrom(await (await referent.get(form)).text());
  const r = await referent.form(form, {
    _csrf: csrf, categorie: 'EMPLOI', titre: 'Mettre à jour son CV', statut: 'a_faire', date_action: isoDay(10),
  });
  assert.equal(r.status, 303);
  const id = /\/actions\/([0-9a-f-]{36})/.exec(r.headers.get('location'))[1];

  await go('/app/suivi');
  const bell = young.getByRole('link', { name: /Centre de notifications/ });
  assert.match(await bell.textContent(), /1\s*non lue/);
  await bell.click();
  await young.getByRole('heading', { name: 'Notifications' }).waitFor();
  await text('Nouvelle action');
  await text('Vous avez une nouvelle action');
  await text('Non lue');
  await text('Aujourd’hui à');
  await visit(young, 'ad02-centre');
  await go('/app/suivi');
  assert.doesNotMatch(await young.getByRole('link', { name: /Centre de notifications/ }).textContent(), /non lue/);
  await go('/app/notifications');
  assert.equal(await young.getByText('Non lue').count(), 0);

  await young.getByRole('link', { name: /Nouvelle action/ }).click();
  await young.waitForURL(new RegExp(`/app/actions/${id}$`));
  await text('Créée par ton conseiller le');
  await text('À faire');
  assert.equal(await young.getByText('Éditer l’action').count(), 0);
  await visit(young, 'ad03-action-du-conseiller');

  assert.equal((await go(`/app/actions/${id}/supprimer`)).status(), 403);
  assert.equal((await go(`/app/actions/${id}/modifier`)).status(), 403);
  await go(`/app/actions/${id}`);
  assert.equal((await post(`/app/actions/${id}/supprimer`)).status(), 403);
  assert.equal((await post(`/app/actions/${id}/modifier`, { titre: '1', statut: 'en_cours', date: isoDay(0) })).status(), 403);
  assert.equal(sql(`SELECT count(*) FROM action WHERE id = '${id}'`), '1');
  // The beneficiary may still change its status.
  await young.getByText('Terminer mon action').click();
  await choose(young.getByLabel('Aujourd’hui'));
  await young.getByRole('button', { name: 'Valider' }).click();
  await text('La mise à jour de ton action a bien été prise en compte');

  // Someone else's action, or an unknown one, does not exist.
  assert.equal((await go('/app/actions/0190b6a0-0000-7000-8000-00000000dead')).status(), 404);
});
