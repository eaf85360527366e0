// record.test.mjs — the fiche bénéficiaire in a real browser, axe-core on every page:
// banner and resend of an inactive account, deletion, archive of an active one with each
// validation error, read-only fiche through the page "Bénéficiaires".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, launchBrowser, visit, waitForMails, counselorPage, addBeneficiary, activateBeneficiary } from './harness.mjs';

let stack, browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const login = (email) => counselorPage(browser, stack, email);
const add = (page, number, dispositif) => addBeneficiary(page, stack, number, dispositif);
const activate = (who) => activateBeneficiary(browser, stack, who);

test('an inactive beneficiary: banner, resend once a day, deletion', async () => {
  const page = await login('camille.martin@cej-demo.fr');
  const b = await add(page, '100021');
  await page.getByRole('heading', { name: `${b.first} ${b.last.toUpperCase()}` }).waitFor();
  await page.getByText('Ce bénéficiaire ne s’est pas encore connecté à l’application.', { exact: false }).waitFor();
  await visit(page, 'r01-fiche-inactive');

  await page.getByRole('button', { name: 'Renvoyer l’e-mail d’activation' }).click();
  await page.getByText('L’e-mail d’activation a été envoyé à l’adresse du bénéficiaire.').waitFor();
  await page.getByText('Le dernier renvoi date de moins de 24h.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Renvoyer l’e-mail d’activation' }).isDisabled(), true);
  await visit(page, 'r02-fiche-renvoi');
  const mails = await waitForMails(stack.outboxDir, (m) => m.filter((x) => x.to.includes(b.email)).length === 2);
  assert.equal(mails.filter((x) => x.to.includes(b.email)).length, 2);

  await page.getByRole('link', { name: 'Voir plus d’informations' }).click();
  await page.getByText(b.email).first().waitFor();
  // The header's banner on the Informations tab too, with the link's lifetime (it read
  // "… n’est valable que h." there).
  const banner = await page.getByText('Ce bénéficiaire ne s’est pas encore connecté à l’application.', { exact: false }).textContent();
  assert.match(banner, /Le lien d’activation envoyé à l’adresse e-mail du jeune n’est valable que 12h\. /);
  await visit(page, 'r03-informations');
  await page.getByRole('link', { name: 'Voir l’historique des conseillers' }).click();
  await page.getByText(/^Du \d\d\/\d\d\/\d{4} à aujourd’hui : MARTIN Camille$/).waitFor();
  await visit(page, 'r04-historique');

  await page.goto(`${stack.baseUrl}/beneficiaires/${b.id}`);
  await page.getByRole('link', { name: 'Supprimer ce compte' }).click();
  await page.getByRole('heading', { name: `Suppression du compte bénéficiaire ${b.first} ${b.last.toUpperCase()}` }).waitFor();
  await page.getByText('Une fois confirmée toutes les informations liées à ce compte jeune seront supprimées.').waitFor();
  await visit(page, 'r05-suppression');
  await page.getByRole('button', { name: 'Supprimer le compte' }).click();
  await page.waitForURL(/\/portefeuille$/);
  await page.getByText(`Le compte bénéficiaire ${b.first} ${b.last.toUpperCase()} a bien été supprimé.`).waitFor();
  const gone = await page.goto(`${stack.baseUrl}/beneficiaires/${b.id}`);
  assert.equal(gone.status(), 404);

  // The dossier is free again.
  const again = await add(page, '100021');
  assert.notEqual(again.id, b.id);
});

test('an active beneficiary is archived with a motif, and loses the app', async () => {
  const page = await login('camille.martin@cej-demo.fr');
  const b = await add(page, '100022');
  const young = await activate(b);
  await page.reload();
  assert.equal(await page.getByText('Ce bénéficiaire ne s’est pas encore connecté', { exact: false }).count(), 0);

  await page.getByRole('link', { name: 'Supprimer ce compte' }).click();
  await page.getByText('À la suppression le bénéficiaire n’apparaîtra plus dans votre portefeuille.', { exact: false }).waitFor();
  await visit(page, 'r06-archive-confirmation');
  await page.getByRole('link', { name: 'Supprimer ce compte' }).click();
  await page.getByLabel('* Motif de suppression').waitFor();
  await visit(page, 'r07-archive-formulaire');

  await page.getByRole('button', { name: 'Supprimer le compte' }).click();
  await page.getByText('Le champ “Motif” est vide. Renseignez un motif de suppression.').waitFor();
  await page.getByText('Le champ “Date de fin d’accompagnement” est vide. Renseignez une date de fin d’accompagnement.').waitFor();
  await visit(page, 'r08-archive-erreurs');

  await page.getByLabel('* Motif de suppression').selectOption('Autre');
  await page.getByLabel('* Date de fin d’accompagnement').fill('2001-01-01');
  await page.getByRole('button', { name: 'Supprimer le compte' }).click();
  await page.getByText('Le champ “Motif de suppression” est vide. Renseignez un commentaire.').waitFor();
  await page.getByText('Le champ “Date de fin d’accompagnement” est invalide. La date attendue est comprise entre la date de création du bénéficiaire et maintenant.').waitFor();

  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
  await page.getByLabel(/Veuillez préciser le motif/).fill('Départ à l’étranger');
  await page.getByLabel('* Date de fin d’accompagnement').fill(today);
  await page.getByRole('button', { name: 'Supprimer le compte' }).click();
  await page.waitForURL(/\/portefeuille$/);
  await page.getByText(`Le compte bénéficiaire ${b.first} ${b.last.toUpperCase()} a bien été supprimé.`).waitFor();
  assert.equal(await page.getByRole('link', { name: `${b.last.toUpperCase()} ${b.first}` }).count(), 0);

  // The beneficiary is told, without the comment, and logged out.
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(b.email) && x.subject.startsWith('Ton compte')));
  const mail = mails.find((x) => x.to.includes(b.email) && x.subject.startsWith('Ton compte'));
  assert.equal(mail.subject, 'Ton compte de l’application du CEJ a été supprimé');
  assert.match(mail.text, /Motif : Autre/);
  assert.doesNotMatch(mail.text, /étranger/);
  await young.reload();
  assert.match(young.url(), /\/app\/connexion/);

  // The archive is kept with the motif, the comment and the counselor history; the live
  // account is gone.
  const sql = (q) => stack.sql(q);
  assert.equal(sql(`SELECT motif || '|' || comment FROM beneficiary_archive WHERE beneficiary_id = '${b.id}'`),
               'Autre|Départ à l’étranger');
  assert.match(sql(`SELECT content_json FROM beneficiary_archive WHERE beneficiary_id = '${b.id}'`), /"counselor_history":\[\{/);
  assert.equal(sql(`SELECT count(*) FROM beneficiary WHERE id = '${b.id}'`), '0');
  assert.equal(sql(`SELECT count(*) FROM web_session WHERE user_id = '${b.id}'`), '0');
});

test('a colleague of the structure reads the fiche through "Bénéficiaires", read-only', async () => {
  const owner = await login('camille.martin@cej-demo.fr');
  const b = await add(owner, '100025');  // a dossier of Brest, like Camille and Yann

  const colleague = await login('yann.le-goff@cej-demo.fr');
  await colleague.getByRole('link', { name: 'Bénéficiaires' }).click();
  await visit(colleague, 'r09-etablissement');
  await colleague.getByLabel(/Rechercher un bénéficiaire/).fill('a');
  await colleague.getByRole('button', { name: 'Rechercher', exact: true }).click();
  await colleague.getByText('Veuillez saisir au moins 2 caractères').waitFor();
  await visit(colleague, 'r10-etablissement-trop-court');

  const accentless = b.last.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
  await colleague.getByLabel(/Rechercher un bénéficiaire/).fill(accentless);
  await colleague.getByRole('button', { name: 'Rechercher', exact: true }).click();
  await colleague.getByText(/^Résultat de recherche \(\d+\)$/).waitFor();
  const row = colleague.locator('tbody tr', { hasText: `${b.last.toUpperCase()} ${b.first}` });
  await row.getByText('MARTIN Camille').waitFor();
  await visit(colleague, 'r11-etablissement-resultats');
  await row.getByRole('link', { name: `Voir la fiche de ${b.first} ${b.last.toUpperCase()}` }).click();
  await colleague.getByText('Vous êtes en lecture seule').waitFor();
  await colleague.getByText('Vous pouvez uniquement lire la fiche de ce bénéficiaire car il ne fait pas partie de votre portefeuille.').waitFor();
  assert.equal(await colleague.getByRole('link', { name: 'Supprimer ce compte' }).count(), 0);
  assert.equal(await colleague.getByRole('button', { name: 'Renvoyer l’e-mail d’activation' }).count(), 0);
  await visit(colleague, 'r12-fiche-lecture-seule');

  // Writing is refused on the server too.
  const resp = await colleague.request.post(`${stack.baseUrl}/beneficiaires/${b.id}/supprimer`, {
    form: { _csrf: await colleague.locator('input[name=_csrf]').first().inputValue() },
    headers: { Origin: stack.baseUrl },
  });
  assert.equal(resp.status(), 403);
  await owner.goto(`${stack.baseUrl}/beneficiaires/${b.id}`);
  await owner.getByRole('heading', { name: `${b.first} ${b.last.toUpperCase()}` }).waitFor();

  // A counselor of another Mission Locale does not see it at all.
  const stranger = await login('sophie.durand@cej-demo.fr');
  const r = await stranger.goto(`${stack.baseUrl}/beneficiaires/${b.id}`);
  assert.equal(r.status(), 404);
});

test('a beneficiary deletes their own account; the counselor is told by e-mail', async () => {
  const page = await login('camille.martin@cej-demo.fr');
  const b = await add(page, '100028');
  const young = await activate(b);
  await young.getByRole('link', { name: 'Mon profil' }).click();
  await young.getByRole('link', { name: 'Supprimer mon compte de l’application CEJ' }).click();
  await young.getByText('La suppression de ton compte sur l’application CEJ n’entraîne pas la suppression de ton accompagnement.').waitFor();
  await visit(young, 'r13-app-suppression');
  await young.getByLabel('Tape “supprimer” pour confirmer la suppression de ton compte.').fill('effacer');
  await young.getByRole('button', { name: 'Supprimer mon compte' }).click();
  await young.getByText('Champ invalide. Vérifie que tu as bien tapé “supprimer”').waitFor();
  await visit(young, 'r14-app-suppression-erreur');
  await young.getByLabel('Tape “supprimer” pour confirmer la suppression de ton compte.').fill('  Supprimer ');
  await young.getByRole('button', { name: 'Supprimer mon compte' }).click();
  await young.waitForURL(/\/app$/);
  await young.getByText('Ton compte a bien été supprimé de l’application CEJ').waitFor();

  const name = `${b.first} ${b.last}`;
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.subject === `Suppression du compte de ${name}`));
  const mail = mails.find((x) => x.subject === `Suppression du compte de ${name}`);
  assert.equal(mail.to.includes('camille.martin@cej-demo.fr'), true);
  assert.match(mail.text, /a supprimé son compte de l’application du CEJ\. Son accompagnement n’est pas modifié\./);

  // The dossier is free: the counselor can create the account again.
  const again = await add(page, '100028');
  assert.notEqual(again.id, b.id);
});
