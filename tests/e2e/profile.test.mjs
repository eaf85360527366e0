// profile.test.mjs — the counselor's "Mon profil" (admin-and-misc.md §4), the favicon and
// the sound of new messages (messaging.md §4) and the welcome modal of the mobile space
// (messaging.md §12), in Chromium with axe-core on every page: the profile of a demo
// counselor, the warning of a counselor without e-mail, the sound switch with and without
// JavaScript, a beneficiary's message arriving live, and the modal at 375 px and 1280 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, launchBrowser, visit, waitForMails, extractLink, httpClient } from './harness.mjs';

const CAMILLE = 'camille.martin@cej-demo.fr';
const WARNING = 'Votre adresse e-mail n’est pas renseignée. Renseignez-la dans l’encart « Contacts personnels » de votre profil i-milo, puis reconnectez-vous.';
const WELCOME = 'Bienvenue sur l’espace mobile du conseiller';
const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };
let stack, browser, young, beneficiaryId;

const sql = (q) => stack.sql(q);
const favicon = (page) => page.locator('link[rel="icon"]').getAttribute('href');
const NORMAL = /\/vendor\/dsfr\/favicon\/favicon\.svg$/;
const NOTIFICATION = /\/vendor\/dsfr\/favicon\/favicon-notification\.svg$/;
const faviconIs = (page, variant) => page.waitForFunction(
  (v) => document.querySelector('link[rel="icon"]').getAttribute('href').endsWith(v),
  variant === 'notification' ? '/favicon-notification.svg' : '/favicon.svg');

// Counts the tones the page plays: every oscillator started through AudioContext.
function spyOnAudio() {
  window.__tones = 0;
  const Real = window.AudioContext;
  window.AudioContext = class extends Real {
    createOscillator() {
      const osc = super.createOscillator();
      const start = osc.start.bind(osc);
      osc.start = (...args) => { window.__tones += 1; return start(...args); };
      return osc;
    }
  };
}
const tones = (page) => page.evaluate(() => window.__tones);
// Does @act, then waits until the page has loaded @pathname again (a dismissal returns to
// the page it covered: the URL alone cannot tell the new page from the old one).
async function reloadsTo(page, pathname, act) {
  const back = page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === pathname);
  const loaded = page.waitForEvent('load');
  await act();
  await back;
  await loaded;
}
// The DSFR switch: its label covers the box, as a user sees it, and is what one clicks.
const soundSwitch = (page) => page.getByRole('checkbox', { name: 'Notifications sonores' });
const flipSound = (page) => page.locator('label[for="notifications-sonores"]').click();

async function login(page, email) {
  await page.goto(stack.baseUrl + '/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill('Conseiller1!');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
}

async function counselorPage(email, options = DESKTOP) {
  const ctx = await browser.newContext(options);
  if (options.javaScriptEnabled !== false) await ctx.addInitScript(spyOnAudio);
  const page = await ctx.newPage();
  await login(page, email);
  return page;
}

// The beneficiary writes from the app (its own session, the app's form).
async function beneficiarySays(message) {
  const csrf = young.csrfFrom(await (await young.get('/app/messages')).text());
  const r = await young.form('/app/messages', { _csrf: csrf, message });
  assert.equal(r.status, 303, 'message sent from the app');
}

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  // Camille's beneficiary, activated and logged in to the app.
  const referent = httpClient(stack.baseUrl);
  let html = await (await referent.get('/connexion')).text();
  let r = await referent.form('/connexion', { _csrf: referent.csrfFrom(html), email: CAMILLE, password: 'Conseiller1!' });
  assert.equal(r.status, 303);
  html = await (await referent.get('/portefeuille/ajouter')).text();
  r = await referent.form('/portefeuille/ajouter/creer', { _csrf: referent.csrfFrom(html), dossier: '100031', dispositif: 'CEJ' });
  assert.equal(r.status, 303);
  beneficiaryId = /([0-9a-f-]{36})$/.exec(decodeURIComponent(referent.cookie('cej_flash') || ''))[1];
  const email = (await stack.simAdmin('GET', '/_admin/dossiers/100031')).body.mail;
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(email)));
  const token = extractLink(mails.find((x) => x.to.includes(email)).text, '/app/activation/').split('/').pop();
  young = httpClient(stack.baseUrl);
  html = await (await young.get(`/app/activation/${token}`)).text();
  r = await young.form(`/app/activation/${token}`, { _csrf: young.csrfFrom(html), password: 'Jeune2026ok', confirmation: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  html = await (await young.get('/app/connexion')).text();
  r = await young.form('/app/connexion', { _csrf: young.csrfFrom(html), email, password: 'Jeune2026ok' });
  assert.equal(r.status, 303);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('“Mon profil” shows the counselor as i-milo knows them, and the mobile access', async () => {
  const page = await counselorPage(CAMILLE);
  const menu = page.getByRole('navigation', { name: 'Menu' });
  const me = menu.getByRole('link', { name: 'Camille Martin', exact: true });
  await me.click();
  await page.waitForURL(/\/profil$/);
  assert.equal(await me.getAttribute('aria-current'), 'page');
  await page.getByRole('heading', { level: 1, name: 'Mon profil' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Camille Martin' }).waitFor();
  const info = (term) => page.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').textContent();
  assert.equal(await info('Adresse e-mail'), CAMILLE);
  assert.equal(await info('Identifiant i-milo'), 'camille.martin');
  assert.equal(await info('Mission Locale'), 'Mission Locale du Pays de Brest');
  assert.deepEqual(await page.locator('.cej-roles li').allTextContents(), ['Conseiller']);
  assert.equal(await page.getByText(WARNING).count(), 0, 'an e-mail is known: no warning');
  assert.equal(await page.getByText('Supprimer mon compte').count(), 0, 'left to the administration issue');

  assert.equal(await soundSwitch(page).isChecked(), false, 'off by default');
  const access = page.getByRole('region', { name: 'Accéder à votre messagerie depuis votre smartphone' });
  await access.getByRole('img', { name: `QR code de l’adresse de votre espace conseiller : ${stack.baseUrl}/` }).waitFor();
  assert.equal(await access.getByRole('link', { name: `${stack.baseUrl}/` }).getAttribute('href'), `${stack.baseUrl}/`);
  await access.getByText('Scannez ce QR code pour vous connecter à votre espace conseiller dans l’application depuis votre smartphone.', { exact: false }).waitFor();
  assert.equal(await access.getByRole('link', { name: 'Créer un raccourci' }).getAttribute('href'), '/raccourci');
  // The welcome modal belongs to narrow screens only.
  assert.equal(await page.getByRole('dialog', { name: WELCOME }).isVisible(), false);
  await visit(page, 'profil');
  await page.context().close();

  // A supervisor has both roles.
  const yann = httpClient(stack.baseUrl);
  const html = await (await yann.get('/connexion')).text();
  await yann.form('/connexion', { _csrf: yann.csrfFrom(html), email: 'yann.le-goff@cej-demo.fr', password: 'Conseiller1!' });
  const profile = await (await yann.get('/profil')).text();
  assert.match(profile, /<ul class="cej-roles"><li>Conseiller<\/li><li>Superviseur<\/li><\/ul>/);
});

test('a counselor without e-mail gets the warning and a badge on the menu name', async () => {
  const page = await counselorPage('sophie.durand@cej-demo.fr');
  // i-milo gives no e-mail to some counselors: the account has none from now on.
  sql("UPDATE counselor SET email = NULL WHERE imilo_login = 'sophie.durand'");
  await page.goto(stack.baseUrl + '/profil');
  await page.getByText(WARNING).waitFor();
  const info = page.locator('dt', { hasText: 'Adresse e-mail' }).locator('xpath=following-sibling::dd[1]');
  assert.equal(await info.textContent(), 'Non renseignée');
  const menu = page.getByRole('navigation', { name: 'Menu' });
  const me = menu.getByRole('link', { name: 'Sophie Durand (adresse e-mail non renseignée)' });
  assert.ok(await me.locator('.cej-badge').isVisible(), 'the badge shows on the menu name');
  await visit(page, 'profil-sans-email');
  await page.goto(stack.baseUrl + '/portefeuille');
  assert.ok(await me.locator('.cej-badge').isVisible(), 'on every page');
  await page.context().close();
});

test('the sound switch is saved and read back without JavaScript', async () => {
  const page = await counselorPage('yann.le-goff@cej-demo.fr', { ...DESKTOP, javaScriptEnabled: false });
  await page.goto(stack.baseUrl + '/profil');
  const toggle = soundSwitch(page);
  await flipSound(page);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Les notifications sonores sont activées.').waitFor();
  assert.match(page.url(), /\/profil#notifications$/);
  assert.equal(sql("SELECT sound_notifications FROM counselor WHERE imilo_login = 'yann.le-goff'"), '1');
  await page.goto(stack.baseUrl + '/profil');
  assert.equal(await toggle.isChecked(), true);
  await flipSound(page);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Les notifications sonores sont désactivées.').waitFor();
  await page.goto(stack.baseUrl + '/profil');
  assert.equal(await toggle.isChecked(), false);
  assert.equal(sql("SELECT sound_notifications FROM counselor WHERE imilo_login = 'yann.le-goff'"), '0');
  await page.context().close();
});

test('with JavaScript the sound switch saves on change', async () => {
  const page = await counselorPage('yann.le-goff@cej-demo.fr');
  await page.goto(stack.baseUrl + '/profil');
  const toggle = soundSwitch(page);
  await flipSound(page);
  await page.getByText('Les notifications sonores sont activées.').waitFor();
  await page.reload();
  assert.equal(await toggle.isChecked(), true);
  await flipSound(page);
  await page.getByText('Les notifications sonores sont désactivées.').waitFor();
  await page.reload();
  assert.equal(await toggle.isChecked(), false);
  await page.context().close();
});

test('a beneficiary’s message arriving live switches the favicon, and sounds only when the switch is on', async () => {
  const page = await counselorPage(CAMILLE);
  // A page without a stream of its own: the script opens one.
  await page.goto(stack.baseUrl + '/profil');
  assert.match(await favicon(page), NORMAL);
  await beneficiarySays('Bonjour, j’ai une question');
  await faviconIs(page, 'notification');
  assert.equal(await tones(page), 0, 'no sound while "Notifications sonores" is off');

  await flipSound(page);
  await page.getByText('Les notifications sonores sont activées.').waitFor();
  assert.match(await favicon(page), NOTIFICATION, 'the server renders the variant while a conversation is unread');
  await beneficiarySays('Vous êtes là ?');
  await page.waitForFunction(() => window.__tones === 1);

  // The conversation: opening it reads it; a new message there sounds, and once the thread
  // shows it (read), the favicon is back to normal. The counselor's own message is silent.
  await page.goto(`${stack.baseUrl}/conversations/${beneficiaryId}`);
  assert.match(await favicon(page), NORMAL);
  await beneficiarySays('Je vous attends');
  await page.getByText('Je vous attends').waitFor();
  await page.waitForFunction(() => window.__tones === 1);
  await faviconIs(page, 'normal');
  const asked = page.waitForResponse((r) => r.url().endsWith('/messagerie/non-lus'));
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  const r = await page.context().request.post(`${stack.baseUrl}/conversations/${beneficiaryId}`, {
    form: { _csrf: csrf, message: 'Je suis là' }, headers: { origin: stack.baseUrl }, maxRedirects: 0,
  });
  assert.equal(r.status(), 303);
  await page.getByText('Je suis là').waitFor();
  await asked;
  assert.equal(await tones(page), 1, 'the counselor’s own message plays nothing');
  assert.match(await favicon(page), NORMAL);

  // Elsewhere, the page's own stream (htmx) does the same.
  await page.goto(stack.baseUrl + '/portefeuille');
  assert.match(await favicon(page), NORMAL);
  await beneficiarySays('Merci !');
  await faviconIs(page, 'notification');
  await page.waitForFunction(() => window.__tones === 1);
  await page.context().close();
});

test('the welcome modal of the mobile space: once at 375 px, dismissed by “Terminer” or Escape, never at 1280 px', async () => {
  const page = await counselorPage('mael.payet@cej-demo.fr', PHONE);
  const dialog = page.getByRole('dialog', { name: WELCOME });
  await dialog.waitFor();
  await dialog.getByText('Depuis votre téléphone, seul l’accès à la messagerie est disponible.').waitFor();
  assert.ok(await dialog.evaluate((d) => d.matches(':modal')), 'a modal dialog with JavaScript');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Terminer', 'the focus is on “Terminer”');
  await dialog.getByRole('button', { name: 'Créer un raccourci' }).waitFor();
  await visit(page, 'bienvenue-mobile');
  const where = new URL(page.url()).pathname;
  await reloadsTo(page, where, () => dialog.getByRole('button', { name: 'Terminer' }).click());
  assert.equal(await dialog.count(), 0, 'dismissed');
  await page.goto(stack.baseUrl + '/messagerie');
  assert.equal(await dialog.count(), 0, 'and not shown again');
  assert.notEqual(sql("SELECT mobile_welcome_seen_at FROM counselor WHERE imilo_login = 'mael.payet'"), '');

  // Escape means “Terminer”.
  sql("UPDATE counselor SET mobile_welcome_seen_at = NULL WHERE imilo_login = 'mael.payet'");
  await page.goto(stack.baseUrl + '/aide?depuis=bienvenue');
  await dialog.waitFor();
  await reloadsTo(page, '/aide', () => page.keyboard.press('Escape'));
  assert.equal(await dialog.count(), 0);
  // Back to the page as it was asked, its query included (a tab, a filter).
  assert.equal(new URL(page.url()).search, '?depuis=bienvenue');
  await page.reload();
  assert.equal(await dialog.count(), 0);
  await page.context().close();

  // A wide screen never shows it, even before it is dismissed: the page stays usable.
  const wide = await counselorPage(CAMILLE);
  await wide.goto(stack.baseUrl + '/aide');
  assert.equal(sql(`SELECT count(*) FROM counselor WHERE email = '${CAMILLE}' AND mobile_welcome_seen_at IS NULL`), '1');
  assert.equal(await wide.getByRole('dialog', { name: WELCOME }).isVisible(), false);
  await wide.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Pilotage' }).click();
  await wide.waitForURL(/\/pilotage$/);
  await visit(wide, 'sans-bienvenue-ecran-large');
  await wide.context().close();
});

test('without JavaScript at 375 px the welcome shows, and “Créer un raccourci” dismisses it for the instructions', async () => {
  // axe needs JavaScript: it looks at the page as rendered without our script.
  const plain = await counselorPage(CAMILLE, PHONE);
  await plain.context().route('**/cej.js', (route) => route.abort());
  await plain.goto(stack.baseUrl + '/messagerie');
  const shown = plain.getByRole('dialog', { name: WELCOME });
  assert.ok(await shown.isVisible());
  assert.equal(await shown.evaluate((d) => d.matches(':modal')), false, 'an open block, not a modal');
  await visit(plain, 'bienvenue-mobile-sans-js');
  await plain.context().close();

  const page = await counselorPage(CAMILLE, { ...PHONE, javaScriptEnabled: false });
  const dialog = page.getByRole('dialog', { name: WELCOME });
  assert.ok(await dialog.isVisible());
  await dialog.getByText('Depuis votre téléphone, seul l’accès à la messagerie est disponible.').waitFor();
  await dialog.getByRole('button', { name: 'Créer un raccourci' }).click();
  await page.waitForURL(/\/raccourci$/);
  await page.getByRole('heading', { level: 1, name: 'Créer un raccourci' }).waitFor();
  assert.equal(await dialog.count(), 0);
  await page.goto(stack.baseUrl + '/messagerie');
  assert.equal(await dialog.count(), 0);
  await page.context().close();
});
