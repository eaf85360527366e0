// agenda_app.test.mjs — the young person's side of the agenda in Chromium (agenda.md §7,
// youth-app.md §5–§7), axe-core and the 390 px width on every new page: a rendez-vous the
// counselor creates from the fiche shows in Mon suivi, as "Ton prochain rendez-vous" and in
// its detail with the spec's sentences; another beneficiary gets 404. Événements › "Ma
// Mission Locale" lists the animations collectives of his structure (written to the
// database: the form is agenda_ac.test.mjs's) with "Inscrit"; a beneficiary of
// another Mission Locale sees none of them; "Partager à mon conseiller" (also without
// JavaScript) posts the card the counselor sees in the conversation.
// The before() makes both beneficiaries; each test makes its own events, so each runs alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, activateBeneficiary, csrfFrom,
} from './harness.mjs';

const TZ = 'Europe/Paris';
const CAMILLE = 'camille.martin@cej-demo.fr';
const SOPHIE = 'sophie.durand@cej-demo.fr';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };

let stack, browser, referent, young, parisian, A, P;

const sql = (q) => stack.sql(q);
const esc = (s) => s.replace(/'/g, "''");

// Civil day in Paris, @days from today: "yyyy-mm-dd".
function parisIso(days = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(Date.now() + days * 86400000));
}
// "Mardi 5 mars 2024", as the app titles a day.
function dayTitle(ms) {
  const s = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .format(new Date(ms));
  return s.charAt(0).toUpperCase() + s.slice(1);
}
// "10h00" in Paris.
function hhmm(ms) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.hour}h${p.minute}`;
}

// The instant of 10:00 in Paris on day @iso.
function parisTen(iso) {
  const utc = Date.parse(`${iso}T10:00:00Z`);
  const shown = Number(new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', hourCycle: 'h23' }).format(new Date(utc)));
  return utc - (shown - 10) * 3600000;
}

/**
 * Stores an animation collective of the structure of counselor @email, @days from now at
 * 10:00 Paris time (or @startsAt), with @registered beneficiary ids; resolves to {id, startsAt}.
 */
function insertAc({ title, days = 5, startsAt, email = CAMILLE, type = 'ATELIER', registered = [], closed = false, address = '' }) {
  const id = randomUUID();
  const start = startsAt ?? parisTen(parisIso(days));
  const now = Date.now();
  sql(`INSERT INTO event(id, kind, type, title, description, modality, starts_at, duration_min, ends_at,
         address, organism, presence, creator_id, creator_first_name, creator_last_name, structure_id,
         closed_at, created_at, updated_at)
       SELECT '${id}', 'ac', '${type}', '${esc(title)}', 'Apporte ton CV.', 'ML', ${start}, 90, ${start + 90 * 60000},
         '${esc(address)}', 'Mission Locale', 1, c.id, c.first_name, c.last_name, c.structure_id,
         ${closed ? now : 'NULL'}, ${now}, ${now}
       FROM counselor c WHERE c.email = '${email}'`);
  for (const b of registered) {
    sql(`INSERT INTO event_participant(event_id, beneficiary_id, added_at) VALUES ('${id}', '${b}', ${now})`);
  }
  return { id, startsAt: start };
}

/** Opens @url on a new page of @page's context at @viewport, checks axe and the width. */
async function check(page, url, label) {
  for (const [name, viewport] of [['390', PHONE], ['1366', LAPTOP]]) {
    const p = await page.context().newPage();
    await p.setViewportSize(viewport);
    const res = await p.goto(stack.baseUrl + url);
    assert.equal(res.status(), 200, `${label} at ${name}`);
    const extra = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(extra <= 0, `${label} at ${name}: ${extra} px too wide`);
    await visit(p, `${label}-${name}`);
    await p.close();
  }
}

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  referent = await counselorPage(browser, stack, CAMILLE);
  A = await addBeneficiary(referent, stack, '100031');          // ML du Pays de Brest
  young = await activateBeneficiary(browser, stack, A);
  const sophie = await counselorPage(browser, stack, SOPHIE);
  P = await addBeneficiary(sophie, stack, '100032');            // ML de Paris
  parisian = await activateBeneficiary(browser, stack, P);
  await sophie.context().close();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The counselor creates a rendez-vous with A from the fiche, as agenda.test.mjs does. */
async function createRdv({ days = 2, start = '10:00', duration = '00:45' } = {}) {
  await referent.goto(`${stack.baseUrl}/beneficiaires/${A.id}`);
  await referent.getByRole('link', { name: 'Créer un rendez-vous' }).click();
  await referent.waitForURL(/\/agenda\/rendez-vous\/nouveau\?beneficiaire=/);
  await referent.locator('#type').selectOption('ENTRETIEN_INDIVIDUEL_CONSEILLER');
  await referent.locator('#description').fill('Pense à apporter ton CV.');
  await referent.locator('#modalite').selectOption('TELEPHONE');
  await referent.locator('#date').fill(parisIso(days));
  await referent.locator('#heure').fill(start);
  await referent.locator('#duree').fill(duration);
  await referent.locator('#adresse').fill('12 rue Duc, Brest');
  await referent.locator('#organisme').fill('Mission Locale du Pays de Brest');
  await referent.getByRole('button', { name: 'Créer le rendez-vous' }).click();
  await referent.getByText('Le rendez-vous a bien été créé').waitFor();
  const href = await referent.getByRole('link', { name: 'Voir le détail du rendez-vous', exact: true }).getAttribute('href');
  return /([0-9a-f-]{36})$/.exec(href)[1];
}

test('a rendez-vous from the fiche: Mon suivi, "Ton prochain rendez-vous" and its detail', async () => {
  const id = await createRdv({ days: 2 });
  const startsAt = Number(sql(`SELECT starts_at FROM event WHERE id = '${id}'`));
  const title = 'Entretien individuel conseiller Par téléphone';

  // Accueil: the next one, linked to its page.
  await young.goto(`${stack.baseUrl}/app/accueil`);
  const next = young.locator('section', { has: young.getByRole('heading', { name: 'Ton prochain rendez-vous' }) });
  await next.getByRole('link', { name: title }).waitFor();
  assert.equal(await next.getByRole('link', { name: title }).getAttribute('href'), `/app/rendez-vous/${id}`);
  assert.match(await next.innerText(), new RegExp(`${dayTitle(startsAt)} · ${hhmm(startsAt)} - ${hhmm(startsAt + 45 * 60000)}`));
  assert.match(await next.innerText(), /Par téléphone · avec Camille Martin/);
  await check(young, '/app/accueil', 'app-accueil-rdv');

  // Mon suivi: on its day, with its time, type, modality and who.
  await young.goto(`${stack.baseUrl}/app/suivi`);
  const card = young.locator('.cej-item', { has: young.getByRole('link', { name: title }) });
  assert.match(await card.innerText(), /Entretien individuel conseiller · Par téléphone · avec Camille Martin/);
  assert.match(await card.innerText(), new RegExp(`${hhmm(startsAt)} - ${hhmm(startsAt + 45 * 60000)}`));
  const day = young.locator('.cej-day', { has: card });
  assert.match(await day.locator('h3').innerText(), new RegExp(dayTitle(startsAt).split(' ').slice(0, 3).join(' ')));
  await check(young, '/app/suivi', 'app-suivi-rdv');

  // The detail: every sentence of agenda.md §7.
  await card.getByRole('link', { name: title }).click();
  await young.waitForURL(`${stack.baseUrl}/app/rendez-vous/${id}`);
  const main = young.locator('.cej-app');
  await young.getByRole('heading', { level: 1, name: title }).waitFor();
  const text = await main.innerText();
  assert.match(text, new RegExp(dayTitle(startsAt)));
  assert.match(text, new RegExp(`De ${hhmm(startsAt)} à ${hhmm(startsAt + 45 * 60000)} \\(45 min\\) avec Camille Martin`));
  assert.match(text, /Le rendez-vous se fera par téléphone/);
  assert.match(text, /Ton conseiller sera présent/);
  assert.match(text, /12 rue Duc, Brest/);
  assert.match(text, /Mission Locale du Pays de Brest/);
  assert.match(text, /Commentaire de mon conseiller\s+Pense à apporter ton CV\./);
  assert.doesNotMatch(text, /conseiller précédent/);
  const itinerary = young.getByRole('link', { name: /Voir l’itinéraire/ });
  assert.equal(await itinerary.getAttribute('href'), 'https://www.openstreetmap.org/search?query=12%20rue%20Duc%2C%20Brest');
  assert.equal(await itinerary.getAttribute('target'), '_blank');
  assert.match(text, /Tu ne peux pas te rendre au rendez-vous \?/);
  assert.equal(await young.getByRole('link', { name: 'Préviens ton conseiller dans la messagerie' }).getAttribute('href'), '/app/messages');
  await check(young, `/app/rendez-vous/${id}`, 'app-rendez-vous');

  // Programmed by a counselor who no longer follows him: the sentence appears.
  sql(`UPDATE event SET creator_id = (SELECT id FROM counselor WHERE email = 'yann.le-goff@cej-demo.fr'),
       creator_first_name = 'Yann', creator_last_name = 'Le Goff' WHERE id = '${id}'`);
  await young.reload();
  await young.getByText('Le rendez-vous a été programmé par ton conseiller précédent Yann Le Goff').waitFor();

  // Another beneficiary: 404, as if it did not exist.
  const res = await parisian.goto(`${stack.baseUrl}/app/rendez-vous/${id}`);
  assert.equal(res.status(), 404);
  await parisian.getByText('Cet élément n’est plus disponible.').waitFor();
  await visit(parisian, 'app-rendez-vous-404');
});

test('Accueil without any rendez-vous: "Ton prochain rendez-vous" is hidden', async () => {
  await parisian.goto(`${stack.baseUrl}/app/accueil`);
  await parisian.getByRole('heading', { name: /^Bonjour/ }).waitFor();
  assert.equal(await parisian.getByRole('heading', { name: 'Ton prochain rendez-vous' }).count(), 0);
});

test('Ma Mission Locale: the upcoming AC of his structure, "Inscrit", nothing of another one', async () => {
  const tag = randomUUID().slice(0, 8);
  const soon = insertAc({ title: `Information service civique ${tag}`, type: 'INFORMATION_COLLECTIVE', days: 3 });
  const mine = insertAc({ title: `Atelier CV ${tag}`, days: 6, registered: [A.id], address: '2 place de la Liberté, Brest' });
  insertAc({ title: `Atelier clos ${tag}`, days: 4, closed: true });
  insertAc({ title: `Atelier passé ${tag}`, startsAt: Date.now() - 3600000 });
  insertAc({ title: `Atelier dans quatre mois ${tag}`, days: 125 });

  // The Paris beneficiary first: his Mission Locale offers nothing yet.
  await parisian.goto(`${stack.baseUrl}/app/evenements`);
  const empty = await parisian.locator('.cej-app').innerText();
  assert.match(empty, /Il n’y a pas encore d’événement dans ta Mission Locale/);
  assert.match(empty, /Tu retrouveras ici tous les événements programmés de ta Mission Locale/);
  await check(parisian, '/app/evenements', 'app-evenements-vide');
  insertAc({ title: `Atelier de Paris ${tag}`, email: SOPHIE, days: 2 });

  // A's list: the bottom bar's entry, the two to come in order, the badge on his.
  await young.goto(`${stack.baseUrl}/app/accueil`);
  await young.getByRole('link', { name: 'Événements', exact: true }).click();
  await young.waitForURL(`${stack.baseUrl}/app/evenements`);
  await young.getByText('Retrouve ici l’ensemble des événements organisés par ta Mission Locale').waitFor();
  const titles = (await young.locator('.cej-item h3').allInnerTexts()).filter((t) => t.endsWith(tag));
  assert.deepEqual(titles, [`Information service civique ${tag}`, `Atelier CV ${tag}`]);
  const card = young.locator('.cej-item', { has: young.getByRole('link', { name: `Atelier CV ${tag}` }) });
  assert.match(await card.textContent(), /Inscrit/);
  assert.match(await card.innerText(), new RegExp(`${dayTitle(mine.startsAt)} · 10h00 - 11h30`));
  assert.match(await card.innerText(), /Atelier/);
  const other = young.locator('.cej-item', { has: young.getByRole('link', { name: `Information service civique ${tag}` }) });
  assert.doesNotMatch(await other.textContent(), /Inscrit/);
  assert.match(await other.innerText(), /Information collective/);
  await check(young, '/app/evenements', 'app-evenements');

  // Accueil suggests them; Mon suivi holds the one he is registered to.
  await young.goto(`${stack.baseUrl}/app/accueil`);
  const suggested = young.locator('section', { has: young.getByRole('heading', { name: 'Événements pouvant t’intéresser' }) });
  await suggested.getByRole('link', { name: `Information service civique ${tag}` }).waitFor();
  assert.equal(await suggested.getByRole('link', { name: 'Voir plus d’événements' }).getAttribute('href'), '/app/evenements');
  await young.goto(`${stack.baseUrl}/app/suivi`);
  const inSuivi = young.locator('.cej-item', { has: young.getByRole('link', { name: `Atelier CV ${tag}` }) });
  assert.match(await inSuivi.textContent(), /Inscrit/);
  assert.equal(await inSuivi.getByRole('link').getAttribute('href'), `/app/rendez-vous/${mine.id}`);
  assert.equal(await young.getByRole('link', { name: `Information service civique ${tag}` }).count(), 0);
  // Its page as one of his events: an AC is the structure's, created by anyone of it.
  sql(`UPDATE event SET creator_id = (SELECT id FROM counselor WHERE email = 'yann.le-goff@cej-demo.fr'),
       creator_first_name = 'Yann', creator_last_name = 'Le Goff' WHERE id = '${mine.id}'`);
  await inSuivi.getByRole('link').click();
  await young.waitForURL(`${stack.baseUrl}/app/rendez-vous/${mine.id}`);
  const asMine = await young.locator('.cej-app').textContent();
  assert.match(asMine, /Inscrit/);
  assert.match(asMine, /De 10h00 à 11h30 \(1h30\)/);
  assert.doesNotMatch(asMine, /avec Yann|conseiller précédent/);

  // The Paris beneficiary sees his own only, and 404 on A's.
  await parisian.goto(`${stack.baseUrl}/app/evenements`);
  const seen = (await parisian.locator('.cej-item h3').allInnerTexts()).filter((t) => t.endsWith(tag));
  assert.deepEqual(seen, [`Atelier de Paris ${tag}`]);
  for (const ac of [soon, mine]) {
    const res = await parisian.goto(`${stack.baseUrl}/app/evenements/animations/${ac.id}`);
    assert.equal(res.status(), 404);
    await parisian.getByText('Cet élément n’est plus disponible.').waitFor();
  }
  assert.equal((await parisian.goto(`${stack.baseUrl}/app/rendez-vous/${mine.id}`)).status(), 404);

  // The detail of the AC he is registered to, and of the other.
  await young.goto(`${stack.baseUrl}/app/evenements/animations/${mine.id}`);
  let text = await young.locator('.cej-app').innerText();
  assert.match(text, /Tu es inscrit à cet événement\./);
  assert.match(text, /En cas d’imprévu, préviens ton conseiller\./);
  assert.match(text, new RegExp(`${dayTitle(mine.startsAt)}\\s+De 10h00 à 11h30 \\(1h30\\)`));
  assert.match(text, /2 place de la Liberté, Brest/);
  assert.match(text, /Apporte ton CV\./);
  await check(young, `/app/evenements/animations/${mine.id}`, 'app-evenement-inscrit');
  await young.goto(`${stack.baseUrl}/app/evenements/animations/${soon.id}`);
  text = await young.locator('.cej-app').innerText();
  assert.doesNotMatch(text, /Tu es inscrit/);
  await young.getByRole('button', { name: 'Partager à mon conseiller' }).waitFor();
  await check(young, `/app/evenements/animations/${soon.id}`, 'app-evenement');
});

test('"Partager à mon conseiller" posts the card the counselor sees, without JavaScript too', async () => {
  const tag = randomUUID().slice(0, 8);
  const ac = insertAc({ title: `Atelier entretien d’embauche ${tag}`, days: 8 });
  const when = `${dayTitle(ac.startsAt).charAt(0).toLowerCase()}${dayTitle(ac.startsAt).slice(1)} à 10h00`;

  // Without JavaScript: a plain form and a redirect with the confirmation.
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await plain.context().addCookies(await young.context().cookies());
  await plain.goto(`${stack.baseUrl}/app/evenements/animations/${ac.id}`);
  await plain.getByRole('button', { name: 'Partager à mon conseiller' }).click();
  await plain.waitForURL(`${stack.baseUrl}/app/evenements/animations/${ac.id}`);
  await plain.getByText('L’événement a été partagé à ton conseiller sur la messagerie de l’application').waitFor();
  await plain.context().close();

  // His conversation holds it, with the card linking to the event's page of the app.
  await young.goto(`${stack.baseUrl}/app/messages`);
  const bubble = young.locator('.cej-msg', { hasText: `Atelier entretien d’embauche ${tag}` });
  assert.match(await bubble.innerText(), /Bonjour, je vous partage un événement afin d’avoir votre avis/);
  assert.match(await bubble.innerText(), new RegExp(when));
  assert.equal(await bubble.getByRole('link', { name: 'Voir l’événement' }).getAttribute('href'), `/app/evenements/animations/${ac.id}`);

  // The counselor sees the card in the conversation: title, date, link to the AC's page.
  await referent.goto(`${stack.baseUrl}/conversations/${A.id}`);
  const seen = referent.locator('.cej-bubble', { hasText: `Atelier entretien d’embauche ${tag}` });
  await seen.waitFor();
  const shown = await seen.innerText();
  assert.match(shown, /Bonjour, je vous partage un événement afin d’avoir votre avis/);
  assert.match(shown, new RegExp(when));
  assert.equal(await seen.getByRole('link', { name: /Voir l’événement/ }).getAttribute('href'), `/agenda/animations-collectives/${ac.id}`);
  await visit(referent, 'conversation-evenement-partage');

  // Someone of another Mission Locale cannot share it: 404, nothing posted.
  const before = Number(sql(`SELECT count(*) FROM message WHERE kind = 'EVENT_SHARE'`));
  const req = parisian.context().request;
  const csrf = csrfFrom(await (await req.get(`${stack.baseUrl}/app/actions/nouvelle`)).text());
  const res = await req.post(`${stack.baseUrl}/app/evenements/animations/${ac.id}/partager`, {
    form: { _csrf: csrf }, headers: { origin: stack.baseUrl }, maxRedirects: 0,
  });
  assert.equal(res.status(), 404);
  assert.equal(Number(sql(`SELECT count(*) FROM message WHERE kind = 'EVENT_SHARE'`)), before);
});
