// agenda_ics.test.mjs — the invitations (.ics) of agenda.md §2.2, in Chromium with axe-core:
// the form's switch (creation only, default Non, disabled without an e-mail), and
// scenario 4 of §10 — a counselor creates a RDV with the invitation, a colleague who now
// follows the participant moves it (the confirmation says the creator will be mailed) then
// deletes it: the creator got 3 mails, same UID, SEQUENCE 0/1/2, METHOD
// REQUEST/REQUEST/CANCEL. The invitation.ics parts are read from the .eml files and from
// the demo mailbox, and parsed with an independent parser, Mozilla's ical.js. Scenario 4 is
// also issue 12's story: the young person finds the rendez-vous in the app through its
// notification, sees it move (and who programmed it), and is told of its deletion.
// Each test creates its own beneficiary and rendez-vous, so each can run alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import ICAL from 'ical.js';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, readMails, waitForMails,
  httpClient, waitForIdle, activateBeneficiary, notificationCentre, COUNSELOR_PASSWORD, parisDay,
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

// A busy timeout: the server may be writing (a mail just sent) when the test does.
const sql = (q) => stack.sql(q);
const CAMILLE = 'camille.martin@cej-demo.fr';
const YANN = 'yann.le-goff@cej-demo.fr';
const SWITCH = 'Intégrer cet événement à mon agenda via l’adresse e-mail suivante : ';
const NOT_SYNCED = 'Les modifications effectuées dans votre agenda ne sont pas prises en compte dans l’application du CEJ.';


// The instant (ms) of @hhmm on civil day @iso in Paris, independently of the server.
function parisInstant(iso, hhmm) {
  const naive = Date.parse(`${iso}T${hhmm}:00Z`);
  for (const guess of [naive - 3600000, naive - 7200000]) {
    const shown = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    }).format(new Date(guess));
    if (shown === `${iso} ${hhmm}`) return guess;
  }
  throw new Error(`no Paris instant for ${iso} ${hhmm}`);
}

/** The leaves of a MIME entity with "Content-Disposition: attachment": [{filename, type, text}]. */
function attachmentsOf(raw) {
  const split = (s) => {
    const m = /\r?\n\r?\n/.exec(s);
    const head = (m ? s.slice(0, m.index) : s).replace(/\r?\n[ \t]+/g, ' ');
    const headers = new Map();
    for (const line of head.split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    return { headers, body: m ? s.slice(m.index + m[0].length) : '' };
  };
  const out = [];
  const walk = (s) => {
    const { headers, body } = split(s);
    const type = headers.get('content-type') || 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type);
    if (/^multipart\//i.test(type) && boundary) {
      const parts = body.split(new RegExp(`\\r?\\n?--${boundary[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
      for (const p of parts.slice(1, -1)) walk(p);
      return;
    }
    const disposition = headers.get('content-disposition') || '';
    if (!/^attachment/i.test(disposition)) return;
    assert.match(headers.get('content-transfer-encoding') || '', /base64/i);
    out.push({
      filename: /filename="?([^";]+)"?/.exec(disposition)?.[1],
      type,
      text: Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'),
    });
  };
  walk(raw);
  return out;
}

/** The invitations of event @eventId mailed to @to, oldest first, each with its raw text, its
 * attachments and its outbox id. */
async function invitations(to, eventId) {
  const mails = (await readMails(stack.outboxDir)).filter((m) => m.to === to && /rendez-vous CEJ/.test(m.subject));
  const out = [];
  for (const m of mails) {
    const raw = await fsp.readFile(m.file, 'utf8');
    const files = attachmentsOf(raw);
    // Unfolded (RFC 5545 §3.1): a long UID may be cut across lines.
    if (!files.some((f) => f.text.replace(/\r\n[ \t]/g, '').includes(`UID:rdv-${eventId}@`))) continue;
    out.push({ ...m, raw, files, id: m.messageId.split('@')[0] });
  }
  return out.sort((x, y) => x.date - y.date || x.id.localeCompare(y.id));
}

/** The only VEVENT of @text parsed by ical.js, and the calendar's METHOD. */
function parseIcs(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  const ev = cal.getAllSubcomponents('vevent');
  assert.equal(ev.length, 1);
  return { cal, ev: ev[0], method: cal.getFirstPropertyValue('method') };
}

function utcMs(ev, name) {
  const t = ev.getFirstPropertyValue(name);
  assert.equal(t.zone.tzid, 'UTC', `${name} in UTC`);
  return t.toUnixTime() * 1000;
}

/** Opens the form from @who's fiche, fills a RDV and creates it; returns its id. */
async function createRdv(page, who, { days, start, invite, title = 'Atelier mobilité' }) {
  await page.goto(`${stack.baseUrl}/beneficiaires/${who.id}`);
  await page.getByRole('link', { name: 'Créer un rendez-vous' }).click();
  await page.waitForURL(/\/agenda\/rendez-vous\/nouveau\?beneficiaire=/);
  await page.locator('#type').selectOption('PRESTATION');
  await page.locator('#titre').fill(title);
  await page.locator('#modalite').selectOption('ML');
  await page.locator('#date').fill(parisDay(days).iso);
  await page.locator('#heure').fill(start);
  await page.locator('#duree').fill('01:30');
  await page.locator('#adresse').fill('12 rue Duc, Brest');
  if (invite) await page.locator('label[for=invitation]').click();
  assert.equal(await page.locator('#invitation').isChecked(), invite);
  await page.getByRole('button', { name: 'Créer le rendez-vous' }).click();
  await page.getByText('Le rendez-vous a bien été créé').waitFor();
  const href = await page.getByRole('link', { name: 'Voir le détail du rendez-vous', exact: true }).getAttribute('href');
  return /([0-9a-f-]{36})$/.exec(href)[1];
}

test('the switch: at creation only, Non by default, with the counselor\'s address', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  await page.setViewportSize({ width: 1366, height: 900 });
  const who = await addBeneficiary(page, stack, '100012');
  await page.goto(`${stack.baseUrl}/agenda/rendez-vous/nouveau?beneficiaire=${who.id}`);
  const toggle = page.getByRole('checkbox', { name: SWITCH + CAMILLE });
  assert.equal(await toggle.count(), 1, 'the switch with the address');
  assert.equal(await toggle.isChecked(), false, 'Non by default');
  assert.equal(await toggle.isDisabled(), false);
  await visit(page, 'ics01-formulaire-1366');
  // A form sent back with an error keeps the switch on.
  await page.locator('label[for=invitation]').click();
  await page.getByRole('button', { name: 'Créer le rendez-vous' }).click();
  await page.getByText(/Le formulaire contient \d+ erreur/).waitFor();
  assert.equal(await page.locator('#invitation').isChecked(), true);
  // Without it, no mail; and the edit form has no switch (creation only).
  const id = await createRdv(page, who, { days: 4, start: '09:00', invite: false });
  assert.equal(sql(`SELECT invitation FROM event WHERE id = '${id}'`), '0');
  await page.goto(`${stack.baseUrl}/agenda/rendez-vous/${id}/modifier`);
  assert.equal(await page.locator('#invitation').count(), 0);
  await page.goto(`${stack.baseUrl}/agenda/rendez-vous/${id}`);
  await page.getByRole('link', { name: 'Supprimer' }).click();
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await page.getByText('Le rendez-vous a bien été supprimé').waitFor();
  await waitForIdle(stack);   /* every mail due is written */
  assert.deepEqual(await invitations(CAMILLE, id), [], 'neither at creation nor at deletion');
  await page.context().close();

  // At 390 px: no horizontal scroll, no axe violation.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const small = await phone.newPage();
  await small.goto(`${stack.baseUrl}/connexion`);
  await small.getByLabel('Adresse e-mail').fill(CAMILLE);
  await small.getByLabel('Mot de passe', { exact: true }).fill(COUNSELOR_PASSWORD);
  await small.getByRole('button', { name: 'Se connecter' }).click();
  await small.waitForURL((u) => !u.pathname.startsWith('/connexion'));
  await small.goto(`${stack.baseUrl}/agenda/rendez-vous/nouveau?beneficiaire=${who.id}`);
  await small.locator('#invitation').waitFor({ state: 'attached' });
  assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    'no horizontal scroll at 390 px');
  await visit(small, 'ics01-formulaire-390');
  await phone.close();
});

test('a counselor without an e-mail sees the switch disabled, with why', async () => {
  const page = await counselorPage(browser, stack, YANN);
  const saved = sql(`SELECT email FROM counselor WHERE email = '${YANN}'`);
  assert.equal(saved, YANN);
  // The address goes while he is logged in (i-milo had none), and comes back after.
  const yannId = sql(`SELECT id FROM counselor WHERE email = '${YANN}'`);
  sql(`UPDATE counselor SET email = NULL WHERE id = '${yannId}'`);
  try {
    await page.goto(`${stack.baseUrl}/agenda/rendez-vous/nouveau`);
    assert.equal(await page.locator('#invitation').isDisabled(), true);
    await page.getByText('Indisponible : votre adresse e-mail n’est pas renseignée.', { exact: false }).waitFor();
    assert.equal(await page.getByText(SWITCH).count(), 0, 'no address to show');
    await visit(page, 'ics02-sans-adresse');
  } finally {
    sql(`UPDATE counselor SET email = '${YANN}' WHERE id = '${yannId}'`);
  }
  await page.context().close();
});

test('scenario 4 and the story: created with the invitation and seen in the app, moved then deleted by a colleague — 3 mails, one UID, SEQUENCE 0/1/2, the young person told each time', async () => {
  const camille = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(camille, stack, '100007');
  const day = parisDay(3), moved = parisDay(4);
  const young = await activateBeneficiary(browser, stack, who);
  const id = await createRdv(camille, who, { days: 3, start: '10:00', invite: true });
  await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to === CAMILLE && x.subject.startsWith('Nouveau rendez-vous CEJ')));
  // The young person: the notification leads to the rendez-vous in the app.
  assert.deepEqual(await notificationCentre(young, stack), [{ title: 'Nouveau rendez-vous',
    body: 'Votre conseiller a programmé un nouveau rendez-vous', href: `/app/rendez-vous/${id}` }]);
  await young.getByRole('link', { name: /Nouveau rendez-vous/ }).click();
  await young.waitForURL(new RegExp(`/app/rendez-vous/${id}$`));
  await young.getByRole('heading', { name: 'Atelier mobilité' }).waitFor();
  await young.getByText('De 10h00 à 11h30 (1h30) avec Camille Martin').waitFor();

  // Yann follows the participant now (a reassignment, here straight in the database).
  sql(`UPDATE beneficiary SET counselor_id = (SELECT id FROM counselor WHERE email = '${YANN}') WHERE id = '${who.id}'`);
  const yann = await counselorPage(browser, stack, YANN);
  await yann.goto(`${stack.baseUrl}/agenda/rendez-vous/${id}/modifier`);
  assert.equal(await yann.locator('#invitation').count(), 0, 'creation only');
  await yann.locator('#date').fill(moved.iso);
  await yann.locator('#heure').fill('14:00');
  await yann.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await yann.getByText('Les bénéficiaires seront notifiés sur l’application CEJ.').waitFor();
  assert.ok(await yann.getByText('Le créateur recevra un e-mail de modification.').isVisible());
  await visit(yann, 'ics03-confirmer');
  await yann.getByRole('button', { name: 'Confirmer' }).click();
  await yann.getByText('Le rendez-vous a bien été modifié').waitFor();
  await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to === CAMILLE && x.subject.startsWith('Modification du rendez-vous CEJ')));
  // The young person is told, and reads the new time and who programmed it.
  assert.deepEqual((await notificationCentre(young, stack))[0], { title: 'Rendez-vous modifié',
    body: 'Votre rendez-vous a été modifié', href: `/app/rendez-vous/${id}` });
  await young.goto(`${stack.baseUrl}/app/rendez-vous/${id}`);
  await young.getByText('De 14h00 à 15h30 (1h30) avec Camille Martin').waitFor();
  await young.getByText('Le rendez-vous a été programmé par ton conseiller précédent Camille Martin').waitFor();
  await yann.getByRole('link', { name: 'Supprimer' }).click();
  await yann.getByRole('button', { name: 'Confirmer' }).click();
  await yann.getByText('Le rendez-vous a bien été supprimé').waitFor();
  await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to === CAMILLE && x.subject.startsWith('Annulation du rendez-vous CEJ')));
  // The participant is told of the deletion; the rendez-vous is gone from the app.
  assert.deepEqual((await notificationCentre(young, stack))[0], { title: 'Rendez-vous supprimé',
    body: `Votre rendez-vous du ${moved.fr.slice(0, 5)} est supprimé`, href: '/app/suivi' });
  assert.equal((await young.goto(`${stack.baseUrl}/app/rendez-vous/${id}`)).status(), 404);

  const mails = await invitations(CAMILLE, id);
  assert.deepEqual(mails.map((m) => m.subject), [
    `Nouveau rendez-vous CEJ le ${day.fr} à 10h00`,
    `Modification du rendez-vous CEJ du ${moved.fr}`,
    `Annulation du rendez-vous CEJ du ${moved.fr}`,
  ]);
  const starts = [parisInstant(day.iso, '10:00'), parisInstant(moved.iso, '14:00'), parisInstant(moved.iso, '14:00')];
  const uid = new URL(stack.baseUrl).hostname;
  mails.forEach((m, i) => {
    assert.equal(m.files.length, 1, m.subject);
    const [ics] = m.files;
    assert.equal(ics.filename, 'invitation.ics');
    assert.equal(ics.type, `text/calendar; method=${i < 2 ? 'REQUEST' : 'CANCEL'}; charset=UTF-8`);
    const { ev, method } = parseIcs(ics.text);
    assert.equal(method, ['REQUEST', 'REQUEST', 'CANCEL'][i]);
    assert.equal(ev.getFirstPropertyValue('uid'), `rdv-${id}@${uid}`);
    assert.equal(ev.getFirstPropertyValue('sequence'), i);
    assert.equal(utcMs(ev, 'dtstart'), starts[i]);
    assert.equal(utcMs(ev, 'dtend'), starts[i] + 90 * 60000);
    assert.equal(ev.getFirstPropertyValue('summary'), '[CEJ] Atelier mobilité');
    assert.equal(ev.getFirstPropertyValue('location'), '12 rue Duc, Brest');
    if (i === 2) assert.equal(ev.getFirstPropertyValue('status'), 'CANCELLED');
    const description = ev.getFirstPropertyValue('description');
    assert.match(description, /^Type : Prestation\n/);
    assert.ok(description.includes(`Bénéficiaire : ${who.first} ${who.last[0].toUpperCase()}.`), description);
    assert.ok(description.includes(`${stack.baseUrl}/agenda/rendez-vous/${id}`), description);
    assert.ok(description.endsWith(NOT_SYNCED), description);
    const attendees = ev.getAllProperties('attendee');
    assert.equal(attendees.length, 1, 'the creator only');
    assert.equal(attendees[0].getFirstValue(), `mailto:${CAMILLE}`);
    assert.equal(ev.getFirstProperty('organizer').getParameter('cn'), 'Camille Martin');
    // The beneficiary's e-mail and last name appear nowhere in the mail.
    assert.ok(!m.raw.includes(who.email) && !ics.text.includes(who.email), 'no beneficiary e-mail');
    assert.ok(!ics.text.includes(who.last), 'no beneficiary last name');
    // A readable mail beside the file.
    assert.ok(m.text.startsWith('Bonjour Camille,'), m.text);
    assert.ok(m.html.includes('invitation.ics'));
  });
  assert.equal(mails[0].date <= mails[1].date && mails[1].date <= mails[2].date, true);
  await camille.context().close();
  await yann.context().close();
  await young.context().close();
});

test('the demo mailbox offers the invitation.ics of a sent mail', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100010');
  await createRdv(page, who, { days: 6, start: '11:15', invite: true, title: 'Bilan du mois' });
  const [mail] = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to === CAMILLE && /^Nouveau rendez-vous CEJ le .* à 11h15$/.test(x.subject)))
    .then((m) => m.filter((x) => x.to === CAMILLE && /à 11h15$/.test(x.subject)));
  const id = mail.messageId.split('@')[0];
  await page.goto(`${stack.baseUrl}/demo/courriels/${id}`);
  await page.getByRole('heading', { name: 'Pièces jointes' }).waitFor();
  const link = page.getByRole('link', { name: /Télécharger invitation\.ics/ });
  // The mail itself, as its recipient reads it, in the page's frame.
  const frame = page.frameLocator('iframe.cej-mailbox__frame');
  await frame.getByText('Ouvrez la pièce jointe', { exact: false }).waitFor();
  await frame.getByRole('link', { name: 'Voir le rendez-vous' }).waitFor();
  assert.equal(await frame.getByText('a été modifié', { exact: false }).count(), 0, 'a creation, not a change');
  await visit(page, 'ics04-boite-de-demo');
  const r = await httpClient(stack.baseUrl).get(await link.getAttribute('href'));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/calendar; method=REQUEST; charset=UTF-8');
  assert.match(r.headers.get('content-disposition'), /attachment; filename="invitation\.ics"/);
  const { ev, method } = parseIcs(await r.text());
  assert.equal(method, 'REQUEST');
  assert.equal(ev.getFirstPropertyValue('summary'), '[CEJ] Bilan du mois');
  assert.equal(ev.getFirstPropertyValue('sequence'), 0);
  assert.equal((await httpClient(stack.baseUrl).get(`/demo/courriels/${id}/pieces-jointes/2`)).status, 404);
  await page.context().close();
});
