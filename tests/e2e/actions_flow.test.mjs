// actions_flow.test.mjs — one action across both sides, in two browsers (issue 4, point 8):
// the counselor creates it, the beneficiary sees it with its "Nouvelle action"
// notification and marks it done, the counselor qualifies it in SNP, the simulator holds
// the situation with the chosen civil dates, and the action is frozen on both sides.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, launchBrowser, visit, waitForMails, extractLink } from './harness.mjs';

let stack, browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function parisToday() {
  const p = Object.fromEntries(new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(new Date()).map((x) => [x.type, x.value]));
  return { iso: `${p.year}-${p.month}-${p.day}`, fr: `${p.day}/${p.month}/${p.year}` };
}

test('created by the counselor, done by the beneficiary, qualified in SNP, then frozen', async () => {
  const today = parisToday();
  const dossier = '100028';

  // The counselor adds the beneficiary, who activates the account.
  const counselor = await (await browser.newContext()).newPage();
  await counselor.goto(stack.baseUrl + '/connexion');
  await counselor.getByLabel('Adresse e-mail').fill('camille.martin@cej-demo.fr');
  await counselor.getByLabel('Mot de passe', { exact: true }).fill('Conseiller1!');
  await counselor.getByRole('button', { name: 'Se connecter' }).click();
  await counselor.waitForURL(/\/portefeuille$/);
  await counselor.goto(stack.baseUrl + '/portefeuille/ajouter');
  await counselor.getByLabel('Numéro de dossier').fill(dossier);
  await counselor.getByRole('button', { name: 'Valider le numéro' }).click();
  const email = (await counselor.locator('.cej-dossier dd').nth(4).textContent()).trim();
  await counselor.locator('label[for=dispositif-cej]').click();
  await counselor.getByRole('button', { name: 'Créer le compte' }).click();
  await counselor.getByRole('link', { name: 'Voir le détail du bénéficiaire' }).click();
  await counselor.waitForURL(/\/beneficiaires\/[0-9a-f-]{36}$/);
  const fiche = counselor.url();

  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(email)));
  const link = extractLink(mails.find((x) => x.to.includes(email)).text, '/app/activation/');
  const young = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await young.goto(link.replace(/^https?:\/\/[^/]+/, stack.baseUrl));
  await young.getByLabel('Mot de passe', { exact: true }).fill('Jeune2026ok');
  await young.getByLabel('Confirmation du mot de passe').fill('Jeune2026ok');
  await young.getByRole('button', { name: 'Valider' }).click();
  await young.getByLabel('Adresse e-mail').fill(email);
  await young.getByLabel('Mot de passe', { exact: true }).fill('Jeune2026ok');
  await young.getByRole('button', { name: 'Se connecter' }).click();
  await young.waitForURL(/\/app\/accueil$/);

  // The counselor creates "Rédiger une lettre de motivation", Formation, to do today.
  await counselor.goto(fiche);
  await counselor.getByRole('link', { name: 'Créer une action' }).first().click();
  await counselor.getByLabel('Catégorie').selectOption('FORMATION');
  await counselor.getByLabel('Titre de l’action').selectOption('Rédiger une lettre de motivation');
  await counselor.locator('label[for=statut-a-faire]').click();
  await counselor.getByLabel('Date de l’action').fill(today.iso);
  await counselor.getByRole('button', { name: 'Créer l’action' }).click();
  await counselor.getByRole('heading', { name: 'Action enregistrée !' }).waitFor();

  // The beneficiary: the bell counts it, the centre lists "Nouvelle action", its link opens it.
  await young.goto(stack.baseUrl + '/app/accueil');
  assert.match(await young.getByRole('link', { name: /Centre de notifications/ }).textContent(), /1/);
  await young.getByRole('link', { name: /Centre de notifications/ }).click();
  await young.getByText('Nouvelle action', { exact: true }).waitFor();
  await young.getByText('Vous avez une nouvelle action').waitFor();
  await visit(young, 'f01-centre');
  await young.getByRole('link', { name: /Nouvelle action/ }).click();
  await young.getByRole('heading', { name: 'Rédiger une lettre de motivation' }).waitFor();
  await young.getByText('Créée par ton conseiller le', { exact: false }).waitFor();
  // Mon suivi shows it today.
  await young.goto(stack.baseUrl + '/app/suivi');
  await young.getByText('Rédiger une lettre de motivation').first().waitFor();
  await young.getByText('Rédiger une lettre de motivation').first().click();
  // Done today.
  await young.getByText('Terminer mon action').click();
  await young.locator('label[for=fin-aujourdhui]').click();
  await young.getByRole('button', { name: 'Valider' }).click();
  await young.getByText('La mise à jour de ton action a bien été prise en compte').waitFor();
  const appUrl = young.url().replace(/[?#].*$/, '');

  // The counselor qualifies it in SNP from its detail.
  await counselor.goto(fiche + '?onglet=actions');
  const row = counselor.locator('tr', { hasText: 'Rédiger une lettre de motivation' });
  assert.match(await row.textContent(), /À qualifier/);
  await counselor.getByRole('link', { name: 'Voir le détail de l’action Rédiger une lettre de motivation' }).click();
  const actionUrl = counselor.url();
  await counselor.getByRole('link', { name: 'Qualifier l’action' }).click();
  assert.equal(await counselor.getByLabel('Catégorie').inputValue(), 'FORMATION');
  assert.equal(await counselor.getByLabel('Date de début de l’action').inputValue(), today.iso);
  assert.equal(await counselor.getByLabel('Date de fin de l’action').inputValue(), today.iso);
  await visit(counselor, 'f02-qualifier');
  await counselor.getByRole('button', { name: 'Enregistrer et envoyer à i-milo' }).click();
  await counselor.getByText('Les informations sont en route vers i-milo.').waitFor();

  // The simulator received one situation with the civil dates chosen.
  const sim = await stack.simAdmin('GET', `/_admin/dossiers/${dossier}/situations`);
  assert.equal(sim.status, 200);
  assert.equal(sim.body.length, 1);
  assert.deepEqual(
    (({ dateDebut, dateFinReelle, mesure, loginConseiller, commentaire }) =>
      ({ dateDebut, dateFinReelle, mesure, loginConseiller, commentaire }))(sim.body[0]),
    { dateDebut: today.iso, dateFinReelle: today.iso, mesure: 'FORMATION',
      loginConseiller: 'camille.martin', commentaire: 'Rédiger une lettre de motivation' });

  // Frozen for the counselor: "Qualifiée", no edit link, disabled radios, writes refused.
  await counselor.goto(actionUrl);
  await counselor.getByText('Action qualifiée.').waitFor();
  assert.match(await counselor.locator('.cej-status').textContent(), /Qualifiée/);
  assert.equal(await counselor.getByRole('link', { name: 'Modifier l’action' }).count(), 0);
  assert.equal(await counselor.getByRole('link', { name: 'Qualifier l’action' }).count(), 0);
  assert.ok(await counselor.getByRole('radio', { name: 'À faire' }).isDisabled());
  await visit(counselor, 'f03-qualifiee');
  const csrf = await counselor.locator('input[name=_csrf]').first().getAttribute('value');
  const refused = await counselor.request.post(actionUrl + '/statut', {
    form: { _csrf: csrf, statut: 'a_faire' }, headers: { Origin: stack.baseUrl },
  });
  assert.equal(refused.status(), 400);
  const again = await counselor.request.post(actionUrl + '/qualifier', {
    form: { _csrf: csrf, categorie: 'FORMATION', commentaire: 'x', date_debut: today.iso, date_fin: today.iso },
    headers: { Origin: stack.baseUrl },
  });
  assert.equal(again.status(), 400);
  assert.equal((await stack.simAdmin('GET', `/_admin/dossiers/${dossier}/situations`)).body.length, 1);

  // Frozen for the beneficiary (scenario 12).
  await young.goto(appUrl);
  await young.getByText('Ton conseiller a validé cette action.').waitFor();
  assert.equal(await young.getByText('Je n’ai pas terminé mon action').count(), 0);
  const ycsrf = await young.locator('input[name=_csrf]').first().getAttribute('value');
  const reopen = await young.request.post(appUrl + '/reprendre', {
    form: { _csrf: ycsrf }, headers: { Origin: stack.baseUrl },
  });
  assert.equal(reopen.status(), 400);
  await young.goto(appUrl);
  assert.match(await young.locator('main').textContent(), /Terminée/);
});
