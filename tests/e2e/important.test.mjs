// important.test.mjs — the counselor's "message important" (messaging.md §10), the mobile
// access (§12: /aide with the QR code, /raccourci, the web manifest, narrow screens) and
// the 08:00 unread digest driven by the job queue on the test clock (notifications.md
// §3.5), in Chromium with axe-core on every page of ours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, launchBrowser, visit, waitForMails, readMails, extractLink, httpClient } from './harness.mjs';

const EMAIL = 'camille.martin@cej-demo.fr';
const FORM = '/messagerie/message-important';
let stack, browser, page;

const sql = (q) => stack.sql(q);
const iso = (d) => d.toISOString().slice(0, 10);
const inDays = (n) => iso(new Date(Date.now() + n * 86400000));

async function login(p) {
  await p.goto(stack.baseUrl + '/connexion');
  await p.getByLabel('Adresse e-mail').fill(EMAIL);
  await p.getByLabel('Mot de passe', { exact: true }).fill('Conseiller1!');
  await p.getByRole('button', { name: 'Se connecter' }).click();
  await p.waitForURL((u) => !u.pathname.startsWith('/connexion'));
}

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await login(page);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function fill(start, end, message) {
  await page.getByLabel('Date de début').fill(start);
  await page.getByLabel('Date de fin').fill(end);
  await page.getByLabel('Message').fill(message);
}

async function send() {
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.waitForLoadState();
}

const errors = () => page.locator('#erreurs li').allTextContents();

// Each test runs alone (--test-name-pattern): the message the first test configures (today
// to tomorrow, 150 × "é"), which the second one finds and replaces, is configured through
// the form when there is none.
async function ensureConfigured() {
  if (sql('SELECT count(*) FROM important_message') !== '0') return;
  await page.goto(stack.baseUrl + FORM);
  await fill(inDays(0), inDays(1), 'é'.repeat(150));
  await send();
  await page.getByText('Votre message a bien été diffusé à l’ensemble de vos bénéficiaires').waitFor();
}

test('configuring a message important: every error, then the flash', async () => {
  await page.goto(stack.baseUrl + FORM);
  await visit(page, 'message-important');
  await page.getByText('Tous les champs sont obligatoires').waitFor();
  await page.getByText('Si votre message contient un lien, n’hésitez pas à le raccourcir pour une meilleure lisibilité').waitFor();
  assert.equal(await page.getByText('Un message important est déjà configuré').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Désactiver le message' }).count(), 0);

  await send();
  assert.deepEqual(await errors(), [
    'Le champ “Date de début” est vide. Renseignez une date de début.',
    'Le champ “Date de fin” est vide. Renseignez une date de fin.',
    'Le champ “Message” est vide. Renseignez un message.',
  ]);
  await visit(page, 'message-important-erreurs');
  assert.equal(await page.getByLabel('Message').getAttribute('aria-invalid'), 'true');

  await fill(inDays(3), inDays(1), 'Agence fermée');
  await send();
  assert.deepEqual(await errors(), [
    'Le champ “Date de fin” est invalide. La date de fin ne peut pas être antérieure à la date de début.',
  ]);
  assert.equal(await page.getByLabel('Message').inputValue(), 'Agence fermée', 'what was typed stays');

  await fill(inDays(0), inDays(1), 'x'.repeat(151));
  await send();
  assert.deepEqual(await errors(), ['Vous avez dépassé le nombre maximal de caractères. Retirez des caractères.']);
  assert.equal(Number(sql('SELECT count(*) FROM important_message')), 0);

  await fill(inDays(0), inDays(1), 'é'.repeat(150));
  await send();
  await page.waitForURL(/\/messagerie$/);
  await page.getByText('Votre message a bien été diffusé à l’ensemble de vos bénéficiaires').waitFor();
  assert.equal(Number(sql('SELECT count(*) FROM important_message')), 1);
  assert.equal(sql("SELECT count(*) FROM important_message WHERE instr(content, 'éé') > 0"), '0', 'sealed at rest');
});

test('one message per counselor: replace it, then disable it', async () => {
  await ensureConfigured();
  await page.goto(stack.baseUrl + FORM);
  await page.getByText('Un message important est déjà configuré').waitFor();
  assert.equal(await page.getByLabel('Date de début').inputValue(), inDays(0));
  assert.equal(await page.getByLabel('Date de fin').inputValue(), inDays(1));
  assert.equal(await page.getByLabel('Message').inputValue(), 'é'.repeat(150));
  await visit(page, 'message-important-configure');

  await fill(inDays(1), inDays(5), 'Permanence du jeudi déplacée au vendredi');
  await send();
  await page.getByText('Votre message a bien été diffusé à l’ensemble de vos bénéficiaires').waitFor();
  assert.equal(sql('SELECT count(*) FROM important_message'), '1');
  assert.equal(sql("SELECT start_date || ' ' || end_date FROM important_message"), `${inDays(1)} ${inDays(5)}`);

  await page.goto(stack.baseUrl + FORM);
  assert.equal(await page.getByLabel('Message').inputValue(), 'Permanence du jeudi déplacée au vendredi');
  await page.getByRole('button', { name: 'Désactiver le message' }).click();
  await page.waitForURL(/\/messagerie$/);
  await page.getByText('Votre message a bien été désactivé').waitFor();
  assert.equal(sql('SELECT count(*) FROM important_message'), '0');
  await page.goto(stack.baseUrl + FORM);
  assert.equal(await page.getByText('Un message important est déjà configuré').count(), 0);
  assert.equal(await page.getByLabel('Message').inputValue(), '');
});

test('/aide shows the QR code of the counselor space, its link and "Créer un raccourci"', async () => {
  await page.goto(stack.baseUrl + '/messagerie');
  await page.getByRole('link', { name: 'Aide et ressources' }).click();
  await page.waitForURL(/\/aide$/);
  await visit(page, 'aide');
  const qr = page.locator('svg[role="img"]');
  assert.equal(await qr.count(), 1);
  const url = stack.baseUrl + '/';
  assert.equal(await qr.getAttribute('aria-label'), `QR code de l’adresse de votre espace conseiller : ${url}`);
  assert.equal(await qr.locator('title').textContent(), `QR code de l’adresse de votre espace conseiller : ${url}`);
  assert.match(await qr.locator('path').getAttribute('d'), /^M4 4h7v1h-7z/);
  await page.getByText('Scannez ce QR code pour vous connecter à votre espace conseiller dans l’application depuis votre smartphone. Vous aurez accès à toutes vos conversations avec les bénéficiaires de votre portefeuille. Vous pouvez également y accéder en utilisant ce lien depuis votre smartphone.').waitFor();
  assert.equal(await page.getByRole('link', { name: url, exact: true }).getAttribute('href'), url);
  // The same bytes at every visit: the SVG is a function of the URL.
  const again = await (await page.context().request.get(stack.baseUrl + '/aide')).text();
  assert.ok(again.includes(await qr.evaluate((e) => e.getAttribute('viewBox'))));

  await page.getByRole('link', { name: 'Créer un raccourci' }).first().click();
  await page.waitForURL(/\/raccourci$/);
  await visit(page, 'raccourci');
  await page.getByRole('heading', { name: 'Sur Android, avec Chrome' }).waitFor();
  await page.getByText('Touchez le menu « ⋮ »').waitFor();
  await page.getByText('Touchez « Ajouter à l’écran d’accueil »').waitFor();
  await page.getByRole('heading', { name: 'Sur iPhone, avec Safari' }).waitFor();
  await page.getByText('Touchez le bouton « Partager »').waitFor();
  await page.getByText('Touchez « Sur l’écran d’accueil »').waitFor();
});

test('the counselor space ships a web manifest that opens the messaging standalone', async () => {
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  assert.equal(href, '/manifest.webmanifest');
  const r = await fetch(stack.baseUrl + href);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/manifest\+json/);
  const m = await r.json();
  assert.equal(m.name, 'CEJ conseiller');
  assert.equal(m.display, 'standalone');
  assert.equal(m.start_url, '/messagerie');
  assert.equal(m.icons.length, 2);
  for (const icon of m.icons) {
    const res = await fetch(new URL(icon.src, stack.baseUrl));
    assert.equal(res.status, 200, icon.src);
    assert.equal(res.headers.get('content-type'), 'image/png');
  }
});

test('on a narrow screen the menu holds the messaging, the shortcut, the help and the logout', async () => {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const phone = await ctx.newPage();
  await login(phone);
  await phone.goto(stack.baseUrl + '/aide');
  // The first visit on a narrow screen welcomes the counselor (profile.test.mjs); done.
  const back = phone.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/aide');
  const loaded = phone.waitForEvent('load');
  await phone.getByRole('dialog', { name: 'Bienvenue sur l’espace mobile du conseiller' }).getByRole('button', { name: 'Terminer' }).click();
  await back;
  await loaded;
  const menu = phone.getByRole('navigation', { name: 'Menu' });
  for (const name of ['Messagerie', 'Créer un raccourci', 'Aide et ressources'])
    assert.ok(await menu.getByRole('link', { name, exact: true }).isVisible(), name);
  assert.ok(await menu.getByRole('button', { name: 'Déconnexion' }).isVisible());
  for (const name of ['Portefeuille', 'Pilotage'])
    assert.equal(await menu.getByRole('link', { name, exact: true }).isVisible(), false, name);
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
  await visit(phone, 'aide-mobile');
  await menu.getByRole('link', { name: 'Messagerie', exact: true }).click();
  await phone.waitForURL(/\/messagerie$/);
  await menu.getByRole('button', { name: 'Déconnexion' }).click();
  await phone.waitForURL(/\/connexion/);
  await ctx.close();
  // On a wide screen the two narrow-only entries are not shown.
  await page.goto(stack.baseUrl + '/aide');
  const wide = page.getByRole('navigation', { name: 'Menu' });
  assert.equal(await wide.getByRole('link', { name: 'Créer un raccourci', exact: true }).isVisible(), false);
  assert.equal(await wide.getByRole('button', { name: 'Déconnexion' }).isVisible(), false);
});

// The first weekday at 09:00 in Paris at least a day ahead: after the 08:00 run planned at
// start-up. Returns the clock offset that gets there.
function offsetToNextWeekdayMorning() {
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hour12: false });
  for (let d = 1; d <= 7; d++) {
    const probe = new Date(Date.now() + d * 86400000);
    const parts = Object.fromEntries(fmt.formatToParts(probe).map((p) => [p.type, p.value]));
    if (parts.weekday === 'Sat' || parts.weekday === 'Sun') continue;
    for (const utcHour of [7, 8]) { // 09:00 in Paris is 07:00 or 08:00 UTC
      const t = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), utcHour);
      const h = Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value])).hour;
      if (h === '09') return t - Date.now();
    }
  }
  throw new Error('no weekday found');
}

test('the 08:00 digest mails the counselor their unread conversations, once', async () => {
  // A beneficiary of Camille activates the account and writes; Camille opens nothing.
  const referent = httpClient(stack.baseUrl);
  let html = await (await referent.get('/connexion')).text();
  let r = await referent.form('/connexion', { _csrf: referent.csrfFrom(html), email: EMAIL, password: 'Conseiller1!' });
  assert.equal(r.status, 303);
  html = await (await referent.get('/portefeuille/ajouter')).text();
  r = await referent.form('/portefeuille/ajouter/creer', { _csrf: referent.csrfFrom(html), dossier: '100031', dispositif: 'CEJ' });
  assert.equal(r.status, 303);
  const dossier = (await stack.simAdmin('GET', '/_admin/dossiers/100031')).body;
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(dossier.mail)));
  const token = extractLink(mails.find((x) => x.to.includes(dossier.mail)).text, '/app/activation/').split('/').pop();
  const young = httpClient(stack.baseUrl);
  html = await (await young.get(`/app/activation/${token}`)).text();
  r = await young.form(`/app/activation/${token}`, { _csrf: young.csrfFrom(html), password: 'Jeune2026ok', confirmation: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  html = await (await young.get('/app/connexion')).text();
  r = await young.form('/app/connexion', { _csrf: young.csrfFrom(html), email: dossier.mail, password: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  html = await (await young.get('/app/messages')).text();
  r = await young.form('/app/messages', { _csrf: young.csrfFrom(html), message: 'Bonjour, j’ai une question sur mon CV' });
  assert.equal(r.status, 303);

  const subject = 'Vous avez 1 conversation(s) non lue(s) sur l\'application du CEJ';
  const digests = async () => (await readMails(stack.outboxDir)).filter((m) => m.to.includes(EMAIL) && m.subject === subject);
  assert.equal((await digests()).length, 0);
  const shift = await fetch(stack.baseUrl + '/_test/horloge', { method: 'POST', body: JSON.stringify({ offset_ms: offsetToNextWeekdayMorning() }) });
  assert.equal(shift.status, 200);
  try {
    await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(EMAIL) && x.subject === subject));
    const [mail] = await digests();
    assert.match(mail.text, /Bonjour Camille,/);
    assert.ok(mail.text.includes(`${stack.baseUrl}/messagerie`));
    assert.ok(mail.html.includes(`href="${stack.baseUrl}/messagerie"`));
    assert.match(mail.html, /Accéder à mes conversations/);
    for (const never of [dossier.prenom, dossier.nomUsage, 'question', 'CV'].filter(Boolean)) {
      assert.ok(!mail.text.includes(never), never);
      assert.ok(!mail.html.includes(never), never);
    }
    assert.equal(sql("SELECT conversations FROM unread_digest d JOIN counselor c ON c.id = d.counselor_id WHERE c.email = 'camille.martin@cej-demo.fr'"), '1');
    // The day's run is done: the job waits for tomorrow 08:00, and nothing else was sent.
    assert.equal(sql("SELECT count(*) FROM job WHERE key = 'unread-digest' AND run_at > " + (Date.now() + offsetToNextWeekdayMorning())), '1');
    assert.equal((await digests()).length, 1);
  } finally {
    await fetch(stack.baseUrl + '/_test/horloge', { method: 'POST', body: JSON.stringify({ offset_ms: 0 }) });
  }
});
