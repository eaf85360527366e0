// agenda_notify.test.mjs — what the young person is told of his rendez-vous (agenda.md §9,
// notifications.md §2 rows 4–7, §3.2): a counselor creates a RDV from the fiche, the young
// person finds "Nouveau rendez-vous" in the app's notification centre; the counselor moves it
// ("Rendez-vous modifié") and deletes it ("Rendez-vous supprimé" with its day); with the test
// clock moved to the day before, the job runner sends the J-1 reminder. Then agenda.md §10
// scenario 1 over HTTP: a forged "absent" stored present, "Nouveau rendez-vous", job
// rdv:{id}:j1 and no rdv:{id}:j7.
// Each test adds its own beneficiary and rendez-vous, so each can run alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, activateBeneficiary,
  httpClient, waitFor, notificationCentre, COUNSELOR_PASSWORD, parisDay,
} from './harness.mjs';

let stack, browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const sql = (q) => stack.sql(q);
const CAMILLE = 'camille.martin@cej-demo.fr';
const DAY = 86400000;


/** Creates a RDV for @who from the fiche, with the form, @days ahead at @start. */
async function createRdv(page, who, { days = 3, start = '10:00' } = {}) {
  await page.goto(`${stack.baseUrl}/beneficiaires/${who.id}`);
  await page.getByRole('link', { name: 'Créer un rendez-vous' }).click();
  await page.waitForURL(/\/agenda\/rendez-vous\/nouveau\?beneficiaire=/);
  await page.locator('#type').selectOption('VISITE');
  await page.locator('#modalite').selectOption('TELEPHONE');
  await page.locator('#date').fill(parisDay(days).iso);
  await page.locator('#heure').fill(start);
  await page.locator('#duree').fill('00:45');
  await page.getByRole('button', { name: 'Créer le rendez-vous' }).click();
  await page.getByText('Le rendez-vous a bien été créé').waitFor();
  const href = await page.getByRole('link', { name: 'Voir le détail du rendez-vous', exact: true }).getAttribute('href');
  return /([0-9a-f-]{36})$/.exec(href)[1];
}

const centre = (young) => notificationCentre(young, stack);

test('the young person is told of a new, moved and deleted rendez-vous in the app', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100001');
  const young = await activateBeneficiary(browser, stack, who);
  let list = await centre(young);
  assert.equal(list.length, 0);

  const id = await createRdv(page, who, { days: 10 });
  await young.goto(`${stack.baseUrl}/app/accueil`);
  assert.match(await young.getByRole('link', { name: /Centre de notifications/ }).textContent(), /1\s*non lue/);
  list = await centre(young);
  assert.deepEqual(list, [{ title: 'Nouveau rendez-vous', body: 'Votre conseiller a programmé un nouveau rendez-vous',
                            href: `/app/rendez-vous/${id}` }]);
  await young.getByRole('link', { name: 'Non lue : Nouveau rendez-vous' }).waitFor();
  await visit(young, 'rdvn01-nouveau-rendez-vous');
  // 10 days ahead: both reminders are planned.
  assert.equal(sql(`SELECT count(*) FROM job WHERE key IN ('rdv:${id}:j7', 'rdv:${id}:j1')`), '2');

  // Moved to 5 days ahead: one "Rendez-vous modifié"; J-7 goes, J-1 follows.
  await page.goto(`${stack.baseUrl}/agenda/rendez-vous/${id}`);
  await page.getByRole('link', { name: 'Modifier' }).click();
  await page.locator('#date').fill(parisDay(5).iso);
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await page.getByText('Le rendez-vous a bien été modifié').waitFor();
  list = await centre(young);
  assert.equal(list.length, 2);
  assert.deepEqual(list[0], { title: 'Rendez-vous modifié', body: 'Votre rendez-vous a été modifié',
                              href: `/app/rendez-vous/${id}` });
  assert.equal(sql(`SELECT count(*) FROM job WHERE key = 'rdv:${id}:j7'`), '0');
  assert.equal(sql(`SELECT count(*) FROM job WHERE key = 'rdv:${id}:j1'`), '1');
  // A new title within the minute: nothing more to tell.
  await page.getByRole('link', { name: 'Modifier' }).click();
  await page.locator('#titre').fill('Point CV');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await page.getByText('Le rendez-vous a bien été modifié').waitFor();
  assert.equal((await centre(young)).length, 2);

  // Deleted: "Rendez-vous supprimé" with its day, linking to "Mon suivi"; no job left.
  await page.getByRole('link', { name: 'Supprimer' }).click();
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await page.getByText('Le rendez-vous a bien été supprimé').waitFor();
  list = await centre(young);
  assert.equal(list.length, 3);
  assert.deepEqual(list[0], { title: 'Rendez-vous supprimé', body: `Votre rendez-vous du ${parisDay(5).dm} est supprimé`,
                              href: '/app/suivi' });
  assert.equal(sql(`SELECT count(*) FROM job WHERE key LIKE 'rdv:${id}:%'`), '0');
  await visit(young, 'rdvn02-centre');
  await young.setViewportSize({ width: 390, height: 844 });
  await visit(young, 'rdvn03-centre-390');
  assert.ok(await young.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
  await young.context().close();
  await page.context().close();
});

test('the day before, the job runner sends the J-1 reminder (test clock)', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100004');
  const young = await activateBeneficiary(browser, stack, who);
  const id = await createRdv(page, who, { days: 3, start: '15:00' });
  const runAt = Number(sql(`SELECT run_at FROM job WHERE key = 'rdv:${id}:j1'`));
  const start = Number(sql(`SELECT starts_at FROM event WHERE id = '${id}'`));
  assert.equal(runAt, start - DAY, 'J-1 is start − 24 h');
  assert.equal(sql(`SELECT count(*) FROM job WHERE key = 'rdv:${id}:j7'`), '0', '3 days ahead: no J-7');
  try {
    // Just past J-1 on the server's clock: the runner (every second) sends it.
    const shift = await fetch(stack.baseUrl + '/_test/horloge', {
      method: 'POST', body: JSON.stringify({ offset_ms: runAt - Date.now() + 1000 }),
    });
    assert.equal(shift.status, 200);
    await waitFor(() => sql(`SELECT count(*) FROM job WHERE key = 'rdv:${id}:j1'`) === '0',
                  { what: 'the J-1 job to run' });
  } finally {
    // Back to today before the young person looks: two days later his session would be over.
    await fetch(stack.baseUrl + '/_test/horloge', { method: 'POST', body: '{"offset_ms":0}' });
  }
  const list = await centre(young);
  assert.deepEqual(list[0], { title: 'Rappel rendez-vous', body: 'Vous avez un rendez-vous demain',
                              href: `/app/rendez-vous/${id}` });
  assert.equal(sql(`SELECT count(*) FROM notification WHERE key = 'APPOINTMENT_REMINDER:${id}:1:${start}'`), '1');
  await visit(young, 'rdvn04-rappel');
  await young.context().close();
  await page.context().close();
});

test('across a DST change the reminders keep to the UTC start: J-7 and J-1 fire at start − 7 × 24 h and − 24 h (test clock)', async () => {
  // Paris moves to summer time on Sunday 28 March 2027 (02:00 → 03:00). A rendez-vous on
  // Monday 29 March at 10:00 (08:00 UTC): J-7 on the 22nd at 08:00 UTC (09:00 in Paris,
  // still winter), J-1 on the 28th at 08:00 UTC (10:00 in Paris, summer).
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100010');
  await page.goto(`${stack.baseUrl}/agenda/rendez-vous/nouveau?beneficiaire=${who.id}`);
  await page.locator('#type').selectOption('VISITE');
  await page.locator('#date').fill('2027-03-29');
  await page.locator('#heure').fill('10:00');
  await page.locator('#duree').fill('01:00');
  await page.getByRole('button', { name: 'Créer le rendez-vous' }).click();
  await page.getByText('Le rendez-vous a bien été créé').waitFor();
  const href = await page.getByRole('link', { name: 'Voir le détail du rendez-vous', exact: true }).getAttribute('href');
  const id = /([0-9a-f-]{36})$/.exec(href)[1];
  const start = Date.parse('2027-03-29T08:00:00Z');
  assert.equal(Number(sql(`SELECT starts_at FROM event WHERE id = '${id}'`)), start);
  const j7 = Number(sql(`SELECT run_at FROM job WHERE key = 'rdv:${id}:j7'`));
  const j1 = Number(sql(`SELECT run_at FROM job WHERE key = 'rdv:${id}:j1'`));
  assert.equal(j7, Date.parse('2027-03-22T08:00:00Z'), 'J-7: start − 7 × 24 h');
  assert.equal(j1, Date.parse('2027-03-28T08:00:00Z'), 'J-1: start − 24 h, after the change');
  const reminders = () => sql(`SELECT count(*) FROM notification WHERE key LIKE 'APPOINTMENT_REMINDER:${id}:%'`);
  const at = (t) => fetch(stack.baseUrl + '/_test/horloge', {
    method: 'POST', body: JSON.stringify({ offset_ms: t - Date.now() }),
  }).then((r) => assert.equal(r.status, 200));
  try {
    await at(j7 - 60000);   // a minute early: nothing yet
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(reminders(), '0', 'J-7 not before its instant');
    await at(j7 + 1000);
    await waitFor(() => sql(`SELECT count(*) FROM job WHERE key = 'rdv:${id}:j7'`) === '0', { what: 'J-7 to run' });
    assert.equal(sql(`SELECT body FROM notification WHERE key = 'APPOINTMENT_REMINDER:${id}:7:${start}'`),
                 'Vous avez un rendez-vous dans une semaine');
    await at(j1 - 60000);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(reminders(), '1', 'J-1 not before its instant');
    await at(j1 + 1000);
    await waitFor(() => sql(`SELECT count(*) FROM job WHERE key = 'rdv:${id}:j1'`) === '0', { what: 'J-1 to run' });
    assert.equal(sql(`SELECT body FROM notification WHERE key = 'APPOINTMENT_REMINDER:${id}:1:${start}'`),
                 'Vous avez un rendez-vous demain');
  } finally {
    await fetch(stack.baseUrl + '/_test/horloge', { method: 'POST', body: '{"offset_ms":0}' });
  }
  await page.context().close();
});

test('agenda.md §10 scenario 1: forged absence stored present, "Nouveau rendez-vous", J-1 but no J-7', async () => {
  const c = httpClient(stack.baseUrl);
  const html = await (await c.get('/connexion')).text();
  assert.equal((await c.form('/connexion', { _csrf: c.csrfFrom(html), email: CAMILLE, password: COUNSELOR_PASSWORD })).status, 303);
  let csrf = c.csrfFrom(await (await c.get('/portefeuille/ajouter')).text());
  assert.equal((await c.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier: '100007', dispositif: 'CEJ' })).status, 303);
  const A = /([0-9a-f-]{36})$/.exec(decodeURIComponent(c.cookie('cej_flash') || ''))[1];
  csrf = c.csrfFrom(await (await c.get('/agenda/rendez-vous/nouveau')).text());
  // No "presence" field: a forged request asking for "absent".
  const r = await c.form('/agenda/rendez-vous/nouveau', {
    _csrf: csrf, type: 'ENTRETIEN_INDIVIDUEL_CONSEILLER', date: parisDay(3).iso, heure: '10:00',
    duree: '00:45', beneficiaires: A,
  });
  assert.equal(r.status, 303);
  const id = /([0-9a-f-]{36})$/.exec(r.headers.get('location'))[1];
  assert.equal(sql(`SELECT presence FROM event WHERE id = '${id}'`), '1');
  assert.equal(sql(`SELECT title || '|' || body || '|' || url FROM notification WHERE beneficiary_id = '${A}'`),
               `Nouveau rendez-vous|Votre conseiller a programmé un nouveau rendez-vous|/app/rendez-vous/${id}`);
  assert.equal(sql(`SELECT count(*) FROM job WHERE key = 'rdv:${id}:j1'`), '1');
  assert.equal(sql(`SELECT count(*) FROM job WHERE key = 'rdv:${id}:j7'`), '0');
});
