// http.test.mjs — what a user observes over plain HTTP (no browser): body size cap, CSRF and
// origin checks, counselor login and logout, access rules, adding a beneficiary from an
// i-milo dossier (both steps, i-milo faults, duplicates), activation, forgotten password.
// Each check asserts the status and the exact French text of the page, and that a refused
// action left nothing behind (portfolio still empty, no mail in the outbox).
//
// Specs: beneficiaries.md §4–§5, youth-app.md §2–§3, imilo.md §3.1 §6 §7, DESIGN.md §8.
//
//   node --test tests/e2e/http.test.mjs      (from the repository root; binary: $CEJ_BIN or build/cej)
//
// One stack (simulator + server, fresh databases) per describe block; the tests of a block
// run in order on it. Each test also runs alone (--test-name-pattern): what it needs from
// an earlier test of its block (an account, its activation link, its password) it makes
// itself when missing. Login failures are counted per address too (20 per 15 min, all
// tests come from 127.0.0.1), so blocks that fail logins get their own stack.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startStack, httpClient, readMails, waitForMails, waitForIdle, extractLink } from './harness.mjs';

const COUNSELOR = { email: 'camille.martin@cej-demo.fr', password: 'Conseiller1!' };
const YANN = { email: 'yann.le-goff@cej-demo.fr', password: 'Conseiller1!' };
const SOPHIE = { email: 'sophie.durand@cej-demo.fr', password: 'Conseiller1!' };
const MIB = 1024 * 1024;
const HOUR_MS = 3600 * 1000;
/** The link to a beneficiary's fiche (DESIGN §7: /beneficiaires/{id}). */
const FICHE_LINK = /<a [^>]*href="\/beneficiaires\/[0-9a-f-]{36}"[^>]*>Voir le détail du bénéficiaire<\/a>/;

/** retour values a browser would follow to another site (security review): it drops tabs
 * and line breaks and reads "\\" as "/"; "%…" may be decoded once more on the way. */
const OPEN_REDIRECTS = ['/\t/evil.example/phish', '/\r\n/evil.example', '/%09/evil.example',
	'/%2F/evil.example', '%2F%2Fevil.example', '/%5Cevil.example', 'https:evil.example'];

const MSG = {
	badRequestTitle: 'Requête invalide',
	badRequest: 'La requête envoyée est invalide. Rechargez la page et recommencez.',
	tooLargeTitle: 'Envoi trop volumineux',
	tooLarge: 'Le contenu envoyé dépasse la taille autorisée.',
	forbiddenTitle: 'Accès refusé',
	forbidden: 'Vous n’avez pas accès à cette page.',
	notFoundTitle: 'Page introuvable',
	notFound: 'La page que vous cherchez n’existe pas ou a été déplacée.',
	loginBad: 'Adresse e-mail ou mot de passe incorrect.',
	loginLocked: 'Trop de tentatives. Réessayez dans 15 minutes.',
	loginNoEmail: 'Renseignez votre adresse e-mail.',
	loginNoPassword: 'Renseignez votre mot de passe.',
	loggedOut: 'Vous êtes déconnecté.',
	appNoEmail: 'Renseigne ton adresse e-mail.',
	appNoPassword: 'Renseigne ton mot de passe.',
	emptyPortfolio: 'Vous n’avez pas encore de bénéficiaire rattaché à votre portefeuille.',
	dossierEmpty: 'Le champ “Numéro de dossier” est vide. Renseignez un numéro. Exemple : 123456',
	dossierBad: 'Le numéro de dossier est incorrect. Renseignez un numéro. Exemple : 123456.',
	lookupDown: 'Une erreur est survenue lors de la récupération du dossier. Veuillez réessayer ultérieurement.',
	noEmailLabel: 'L’e-mail du bénéficiaire n’est peut-être pas renseigné',
	badEmail: (mail) => `L’adresse e-mail du bénéficiaire dans i-milo n’est pas valide : « ${mail} ». ` +
		'L’e-mail d’activation ne pourrait pas lui être envoyé. Mettez-la à jour dans i-milo (une seule ' +
		'adresse, de la forme prenom.nom@exemple.fr) avant de créer le compte.',
	noEmailCreate: 'L’adresse e-mail du bénéficiaire n’est pas renseignée dans i-milo. Mettez-la à jour dans i-milo avant de créer le compte.',
	dispositif: 'Veuillez choisir un dispositif.',
	otherMl: 'Ce bénéficiaire dispose déjà d’un compte dans une autre Mission Locale.',
	alreadyCreated: 'Utilisateur déjà créé, veuillez contacter le support',
	declareDown: 'La création du compte est momentanément impossible car i-milo ne répond pas. Veuillez réessayer ultérieurement.',
	notCreated: 'Le compte n’a pas été créé',
	otherStructureTitle: 'Mission Locale différente de la vôtre',
	otherStructure: (ml) => `Ce bénéficiaire est rattaché à une Mission Locale différente de la vôtre : ${ml}. ` +
		'Il ne pourra ni visualiser les événements partagés ni y être inscrit. Vérifiez qu’il doit bien ' +
		'être suivi dans votre portefeuille avant de créer son compte.',
	added: 'Le bénéficiaire a été ajouté à votre portefeuille',
	notActivated: 'Compte non activé',
	activationSubject: 'Active ton compte de l’application du CEJ',
	resetSubject: 'Crée un nouveau mot de passe pour l’application du CEJ',
	passwordTitle: 'Crée ton mot de passe',
	passwordRule: 'Le mot de passe doit contenir au moins 8 caractères, dont une majuscule, une minuscule et un chiffre.',
	passwordMismatch: 'Les deux mots de passe ne sont pas identiques.',
	passwordCreated: 'Ton mot de passe a bien été créé. Connecte-toi avec ton adresse e-mail et ce mot de passe.',
	linkInvalidTitle: 'Ce lien n’est plus valide',
	linkInvalid: 'Le lien est valable 12h et ne peut être utilisé qu’une seule fois. Tu peux en recevoir un nouveau.',
	newLink: 'Recevoir un nouveau lien',
	forgotSent: 'Si un compte est associé à cette adresse, tu vas recevoir un e-mail avec un lien pour créer un nouveau mot de passe. Pense à vérifier tes courriers indésirables.',
};

// ---------------------------------------------------------------------------------------------
// Helpers

/** HTML-escapes like the server's templates (for texts that come from i-milo verbatim). */
function esc(s) {
	return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Asserts that html contains text (exactly, as the server writes it). */
function has(html, text, what = '') {
	assert.ok(html.includes(text), `${what ? what + ': ' : ''}page should contain ${JSON.stringify(text)}\n` +
		`--- page (text) ---\n${visible(html)}`);
}

function hasNot(html, text, what = '') {
	assert.ok(!html.includes(text), `${what ? what + ': ' : ''}page should not contain ${JSON.stringify(text)}`);
}

/** The visible text of a page, roughly, for failure messages. */
function visible(html) {
	return (html || '').replace(/<head>[^]*?<\/head>/, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 3000);
}

/** The error page of status: its title and text. */
function assertErrorPage(html, title, text) {
	has(html, `<h1>${title}</h1>`);
	has(html, text);
}

function setCookies(res) {
	return res.headers.getSetCookie();
}

function sessionCookieSet(res) {
	return setCookies(res).find((c) => c.startsWith('cej_session=') && !/^cej_session=;/.test(c));
}

/** A client logged in as the given counselor. */
async function counselor(stack, who = COUNSELOR) {
	const c = httpClient(stack.baseUrl);
	const page = await c.get('/connexion');
	const csrf = c.csrfFrom(await page.text());
	const r = await c.form('/connexion', { _csrf: csrf, email: who.email, password: who.password });
	assert.equal(r.status, 303, `login of ${who.email}`);
	assert.equal(r.headers.get('location'), '/portefeuille');
	await r.arrayBuffer();
	return c;
}

/** The _csrf of a page the client can open. */
async function csrfOf(c, path) {
	const r = await c.get(path);
	const html = await r.text();
	assert.equal(r.status, 200, `GET ${path}`);
	const t = c.csrfFrom(html);
	assert.ok(t, `${path} has a _csrf field`);
	return t;
}

/** Step 1: POST /portefeuille/ajouter → { status, html }. */
async function lookup(c, dossier) {
	const csrf = await csrfOf(c, '/portefeuille/ajouter');
	const r = await c.form('/portefeuille/ajouter', { _csrf: csrf, dossier });
	return { status: r.status, html: await r.text(), res: r };
}

/** Step 2: POST /portefeuille/ajouter/creer → { status, location, html }; dispositif null: none sent. */
async function create(c, dossier, dispositif = 'CEJ') {
	const csrf = await csrfOf(c, '/portefeuille/ajouter');
	const fields = { _csrf: csrf, dossier };
	if (dispositif !== null) fields.dispositif = dispositif;
	const r = await c.form('/portefeuille/ajouter/creer', fields);
	return { status: r.status, location: r.headers.get('location'), html: await r.text() };
}

/** The rows of the counselor's portfolio as text ([] when the empty-portfolio page shows). */
async function portfolioRows(c) {
	const r = await c.get('/portefeuille');
	const html = await r.text();
	assert.equal(r.status, 200, 'GET /portefeuille');
	if (html.includes(MSG.emptyPortfolio)) return { rows: [], html };
	const body = /<tbody>([^]*?)<\/tbody>/.exec(html);
	assert.ok(body, 'a non-empty portfolio has a table');
	const rows = [...body[1].matchAll(/<tr>([^]*?)<\/tr>/g)].map((m) => visible(m[1]));
	return { rows, html };
}

async function assertPortfolioEmpty(c, what = '') {
	const { rows, html } = await portfolioRows(c);
	assert.deepEqual(rows, [], `${what}: portfolio should be empty`);
	has(html, MSG.emptyPortfolio, what);
}

/**
 * Waits until the server has no job due and no mail unsent (so every mail the test caused
 * is in the outbox, and none can arrive late), then asserts that the outbox holds exactly
 * n mails.
 */
async function assertMailCount(stack, n, what = '') {
	await waitForIdle(stack);
	const mails = await readMails(stack.outboxDir);
	assert.equal(mails.length, n, `${what}: expected ${n} mail(s) in the outbox, found ` +
		JSON.stringify(mails.map((m) => `${m.to}: ${m.subject}`)));
	return mails;
}

/** The simulator's view of a dossier (D1 fields plus _sim, and nom: the name cej shows). */
async function simDossier(stack, id) {
	const r = await stack.simAdmin('GET', `/_admin/dossiers/${id}`);
	assert.equal(r.status, 200, `sim dossier ${id}`);
	return { ...r.body, nom: r.body.nomUsage ?? r.body.nomNaissance };
}

/** What the simulator's API itself answers for D1 (to compare messages shown verbatim). */
async function simLookup(stack, id) {
	const key = stack.env.CEJ_IMILO_KEY_DOSSIERS || 'cle-dossiers-demo';
	const r = await fetch(`${stack.simUrl}/sue/dossiers/${id}`, { headers: { 'X-Gravitee-Api-Key': key } });
	return { status: r.status, body: await r.json() };
}

async function setClock(stack, offsetMs) {
	const r = await fetch(stack.baseUrl + '/_test/horloge', {
		method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offset_ms: offsetMs }),
	});
	assert.equal(r.status, 200, 'test clock');
	await r.arrayBuffer();
}

/** The newest mail to `to` with `subject`, waiting for it; also returns its /app/activation link. */
async function mailTo(stack, to, subject, count = 1) {
	const mails = await waitForMails(stack.outboxDir,
		(ms) => ms.filter((m) => m.to === to && m.subject === subject).length >= count);
	const mine = mails.filter((m) => m.to === to && m.subject === subject);
	const mail = mine[mine.length - 1];
	const link = extractLink(mail.text, '/app/activation/');
	assert.ok(link, `the mail "${subject}" has an /app/activation/ link`);
	const htmlLink = extractLink(mail.html, '/app/activation/');
	assert.equal(htmlLink, link, 'the text and html parts carry the same link');
	return { mail, link: new URL(link).pathname, mails: mine };
}

/** Opens the password page of a link and posts the passwords → { status, location, html }. */
async function setPassword(c, linkPath, password, confirmation = password) {
	const page = await c.get(linkPath);
	const pageHtml = await page.text();
	if (page.status !== 200) return { status: page.status, html: pageHtml, stage: 'get' };
	const r = await c.form(linkPath, { _csrf: c.csrfFrom(pageHtml), password, confirmation });
	return { status: r.status, location: r.headers.get('location'), html: await r.text(), stage: 'post' };
}

/** POST /app/connexion with a fresh client (or c) → { status, location, html, client }. */
async function appLogin(stack, email, password, c = httpClient(stack.baseUrl), extra = {}) {
	const csrf = await csrfOf(c, '/app/connexion');
	const r = await c.form('/app/connexion', { _csrf: csrf, email, password, ...extra });
	return { status: r.status, location: r.headers.get('location'), html: await r.text(), client: c };
}

/** POST /connexion → { status, location, html, res }. */
async function counselorLogin(c, email, password, extra = {}) {
	const csrf = await csrfOf(c, '/connexion');
	const r = await c.form('/connexion', { _csrf: csrf, email, password, ...extra });
	return { status: r.status, location: r.headers.get('location'), html: await r.text(), res: r };
}

/** Creates the beneficiary of `dossier` in c's portfolio; returns its e-mail and activation link. */
async function addBeneficiary(stack, c, dossier) {
	const email = (await simDossier(stack, dossier)).mail.toLowerCase();
	const r = await create(c, String(dossier));
	assert.equal(r.status, 303, `creation of ${dossier}: ${visible(r.html)}`);
	assert.equal(r.location, '/portefeuille');
	const { link } = await mailTo(stack, email, MSG.activationSubject);
	return { email, link };
}

/**
 * Sends a raw HTTP/1.1 request: head, then body chunks (each written as is), and resolves
 * { status, headers, body } from what the server answered before closing (errors from writing
 * into a connection the server already closed are ignored: the answer is what matters).
 */
function rawRequest(port, head, chunks = [], timeoutMs = 10_000) {
	return new Promise((resolve, reject) => {
		const s = net.connect(port, '127.0.0.1');
		const got = [];
		const timer = setTimeout(() => s.destroy(), timeoutMs);
		s.on('data', (d) => got.push(d));
		s.on('error', () => { /* EPIPE/ECONNRESET once the server closed: keep what we read */ });
		s.on('close', () => {
			clearTimeout(timer);
			const text = Buffer.concat(got).toString('utf8');
			const m = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([^]*?)\r\n\r\n([^]*)$/.exec(text);
			if (!m) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
			const headers = {};
			for (const line of m[2].split('\r\n')) {
				const i = line.indexOf(':');
				if (i > 0) (headers[line.slice(0, i).trim().toLowerCase()] ??= []).push(line.slice(i + 1).trim());
			}
			resolve({ status: Number(m[1]), headers, body: m[3] });
		});
		s.on('connect', async () => {
			s.write(head);
			for (const c of chunks) {
				if (s.destroyed) break;
				if (!s.write(c)) await new Promise((ok) => { s.once('drain', ok); s.once('close', ok); });
			}
		});
	});
}

function chunked(buf, size = 64 * 1024) {
	const out = [];
	for (let i = 0; i < buf.length; i += size) {
		const part = buf.subarray(i, i + size);
		out.push(Buffer.concat([Buffer.from(part.length.toString(16) + '\r\n'), part, Buffer.from('\r\n')]));
	}
	out.push(Buffer.from('0\r\n\r\n'));
	return out;
}

/** "Aujourd’hui à 14h43" for instant ms, in Europe/Paris (the structure of the demo counselor). */
function todayAt(ms) {
	const parts = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
		.formatToParts(new Date(ms));
	const get = (t) => parts.find((p) => p.type === t).value;
	return `Aujourd’hui à ${get('hour')}h${get('minute')}`;
}

// ---------------------------------------------------------------------------------------------
// 1–2. Body size cap and CSRF / origin checks

describe('request limits and CSRF', () => {
	let stack;
	before(async () => { stack = await startStack(); });
	after(async () => { await stack?.stop(); });

	test('a body announced over 1 MiB is refused with 413 before it is read', async () => {
		const r = await rawRequest(stack.port,
			`POST /connexion HTTP/1.1\r\nHost: 127.0.0.1:${stack.port}\r\n` +
			`Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${MIB + 1}\r\n\r\n`);
		assert.equal(r.status, 413);
		assertErrorPage(r.body, MSG.tooLargeTitle, MSG.tooLarge);
		assert.equal(r.headers['set-cookie']?.some((c) => c.startsWith('cej_session=')) ?? false, false);
	});

	test('a chunked body over 1 MiB holding valid credentials is refused with 413 and logs nobody in', async () => {
		const c = httpClient(stack.baseUrl);
		const csrf = await csrfOf(c, '/connexion');
		const form = new URLSearchParams({ _csrf: csrf, email: COUNSELOR.email, password: COUNSELOR.password }).toString();
		const body = Buffer.from(form + '&pad=' + 'x'.repeat(MIB + 1 - form.length - 5));
		assert.equal(body.length, MIB + 1);
		const r = await rawRequest(stack.port,
			`POST /connexion HTTP/1.1\r\nHost: 127.0.0.1:${stack.port}\r\nOrigin: ${stack.baseUrl}\r\n` +
			`Cookie: cej_csrf=${c.cookie('cej_csrf')}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
			`Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n`, chunked(body));
		assert.equal(r.status, 413);
		assertErrorPage(r.body, MSG.tooLargeTitle, MSG.tooLarge);
		assert.equal(r.headers['set-cookie']?.some((x) => /^cej_session=[^;]/.test(x)) ?? false, false, 'no session cookie');
		assert.equal(r.headers.location, undefined);
	});

	test('a body of exactly 1 MiB is still accepted', async () => {
		const c = httpClient(stack.baseUrl);
		const csrf = await csrfOf(c, '/connexion');
		const form = new URLSearchParams({ _csrf: csrf, email: COUNSELOR.email, password: COUNSELOR.password }).toString();
		const body = form + '&pad=' + 'x'.repeat(MIB - form.length - 5);
		assert.equal(body.length, MIB);
		const r = await c.fetch('/connexion', {
			method: 'POST', body,
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.baseUrl },
		});
		assert.equal(r.status, 303);
		assert.equal(r.headers.get('location'), '/portefeuille');
	});

	/** Posts the counselor login with the given tweaks; asserts 400 and nobody logged in. */
	async function refusedLogin(mutate, what) {
		const c = httpClient(stack.baseUrl);
		const csrf = await csrfOf(c, '/connexion');
		const { fields, opts } = mutate({ _csrf: csrf, email: COUNSELOR.email, password: COUNSELOR.password });
		const r = await c.form('/connexion', fields, opts);
		const html = await r.text();
		assert.equal(r.status, 400, what);
		assertErrorPage(html, MSG.badRequestTitle, MSG.badRequest);
		assert.equal(sessionCookieSet(r), undefined, `${what}: no session cookie`);
		const p = await c.get('/portefeuille');
		assert.equal(p.status, 303, `${what}: still anonymous`);
		assert.equal(p.headers.get('location'), '/connexion?retour=%2Fportefeuille');
	}

	test('login without _csrf → 400, nobody logged in', async () => {
		await refusedLogin((f) => { delete f._csrf; return { fields: f }; }, 'no _csrf');
	});

	test('login with a wrong _csrf → 400, nobody logged in', async () => {
		await refusedLogin((f) => ({ fields: { ...f, _csrf: f._csrf.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')) } }), 'wrong _csrf');
		await refusedLogin((f) => ({ fields: { ...f, _csrf: 'x' } }), 'short _csrf');
	});

	test('login with a good token but Sec-Fetch-Site: cross-site → 400, nobody logged in', async () => {
		await refusedLogin((f) => ({ fields: f, opts: { headers: { 'sec-fetch-site': 'cross-site' } } }), 'cross-site');
	});

	test('login with a good token but a foreign Origin → 400, nobody logged in', async () => {
		await refusedLogin((f) => ({ fields: f, opts: { headers: { origin: 'https://cej.attaquant.example' } } }), 'foreign Origin');
	});

	test('login with the same good token, same-origin headers → accepted (the checks above are what refused)', async () => {
		const c = httpClient(stack.baseUrl);
		const csrf = await csrfOf(c, '/connexion');
		const r = await c.form('/connexion', { _csrf: csrf, email: COUNSELOR.email, password: COUNSELOR.password },
			{ headers: { 'sec-fetch-site': 'same-origin' } });
		assert.equal(r.status, 303);
		assert.equal(r.headers.get('location'), '/portefeuille');
	});

	test('logged-in forms refuse a missing token, the pre-login token and a cross-site post; nothing is created', async () => {
		const c = httpClient(stack.baseUrl);
		const anonToken = await csrfOf(c, '/connexion');
		const r0 = await c.form('/connexion', { _csrf: anonToken, ...COUNSELOR });
		assert.equal(r0.status, 303);
		const token = await csrfOf(c, '/portefeuille/ajouter');
		assert.notEqual(token, anonToken, 'the session has its own CSRF token');

		const attempts = [
			[{ dossier: '100005', dispositif: 'CEJ' }, {}, 'no _csrf'],
			[{ _csrf: anonToken, dossier: '100005', dispositif: 'CEJ' }, {}, 'pre-login token'],
			[{ _csrf: token, dossier: '100005', dispositif: 'CEJ' }, { headers: { 'sec-fetch-site': 'cross-site' } }, 'cross-site'],
			[{ _csrf: token, dossier: '100005', dispositif: 'CEJ' }, { headers: { origin: 'http://evil.example' } }, 'foreign Origin'],
		];
		for (const [fields, opts, what] of attempts) {
			const r = await c.form('/portefeuille/ajouter/creer', fields, opts);
			assert.equal(r.status, 400, what);
			assertErrorPage(await r.text(), MSG.badRequestTitle, MSG.badRequest);
		}
		await assertPortfolioEmpty(c, 'after refused creations');
		await assertMailCount(stack, 0, 'after refused creations');
		const journal = await stack.simAdmin('GET', '/_admin/requests');
		assert.deepEqual(journal.body.filter((e) => e.path.includes('100005')), [], 'i-milo was never called');
	});

	test('logout without _csrf → 400 and the session stays open', async () => {
		const c = await counselor(stack);
		const r = await c.form('/deconnexion', {});
		assert.equal(r.status, 400);
		assertErrorPage(await r.text(), MSG.badRequestTitle, MSG.badRequest);
		const p = await c.get('/portefeuille');
		assert.equal(p.status, 200, 'still logged in');
	});
});

// ---------------------------------------------------------------------------------------------
// 3. Counselor login and logout

describe('counselor login', () => {
	let stack;
	before(async () => { stack = await startStack(); });
	after(async () => {
		if (stack) await setClock(stack, 0).catch(() => {});
		await stack?.stop();
	});

	test('wrong password → 401 "Adresse e-mail ou mot de passe incorrect."', async () => {
		const c = httpClient(stack.baseUrl);
		const r = await counselorLogin(c, YANN.email, 'Mauvais1!');
		assert.equal(r.status, 401);
		has(r.html, MSG.loginBad);
		assert.equal(sessionCookieSet(r.res), undefined);
		has(r.html, `value="${YANN.email}"`, 'the e-mail is kept in the form');
	});

	test('unknown account → the same 401 and the same message', async () => {
		const c = httpClient(stack.baseUrl);
		const r = await counselorLogin(c, 'personne@cej-demo.fr', 'Conseiller1!');
		assert.equal(r.status, 401);
		has(r.html, MSG.loginBad);
		assert.equal(sessionCookieSet(r.res), undefined);
	});

	test('empty fields → 400 with the message of each field', async () => {
		const c = httpClient(stack.baseUrl);
		let r = await counselorLogin(c, '', '');
		assert.equal(r.status, 400);
		has(r.html, MSG.loginNoEmail);
		has(r.html, MSG.loginNoPassword);
		hasNot(r.html, MSG.loginBad);

		r = await counselorLogin(c, '   ', 'Conseiller1!');
		assert.equal(r.status, 400, 'blank e-mail');
		has(r.html, MSG.loginNoEmail);
		hasNot(r.html, MSG.loginNoPassword);

		r = await counselorLogin(c, COUNSELOR.email, '');
		assert.equal(r.status, 400, 'no password');
		has(r.html, MSG.loginNoPassword);
		hasNot(r.html, MSG.loginNoEmail);
		assert.equal(sessionCookieSet(r.res), undefined);
	});

	test('5 failures lock the account: the right password then gets 429 "Trop de tentatives…"; other accounts are not locked; the lock ends after 15 min', async () => {
		const c = httpClient(stack.baseUrl);
		for (let i = 1; i <= 5; i++) {
			const r = await counselorLogin(c, SOPHIE.email, `Mauvais${i}!`);
			assert.equal(r.status, 401, `failure ${i}`);
			has(r.html, MSG.loginBad);
		}
		let r = await counselorLogin(c, SOPHIE.email, SOPHIE.password);
		assert.equal(r.status, 429, 'the right password while locked');
		has(r.html, MSG.loginLocked);
		hasNot(r.html, MSG.loginBad);
		assert.equal(sessionCookieSet(r.res), undefined);

		const other = await counselorLogin(httpClient(stack.baseUrl), COUNSELOR.email, COUNSELOR.password);
		assert.equal(other.status, 303, 'another account logs in meanwhile');

		try {
			await setClock(stack, 15 * 60 * 1000 + 1000);
			r = await counselorLogin(httpClient(stack.baseUrl), SOPHIE.email, SOPHIE.password);
			assert.equal(r.status, 303, '15 min later');
			assert.equal(r.location, '/portefeuille');
		} finally {
			await setClock(stack, 0);
		}
	});

	test('success → 303 /portefeuille with an HttpOnly SameSite=Lax cej_session cookie; the portfolio opens', async () => {
		const c = httpClient(stack.baseUrl);
		const r = await counselorLogin(c, COUNSELOR.email, COUNSELOR.password);
		assert.equal(r.status, 303);
		assert.equal(r.location, '/portefeuille');
		const cookie = sessionCookieSet(r.res);
		assert.ok(cookie, 'a cej_session cookie is set');
		const attrs = cookie.split(';').map((a) => a.trim().toLowerCase());
		assert.ok(attrs.includes('httponly'), `HttpOnly: ${cookie}`);
		assert.ok(attrs.includes('samesite=lax'), `SameSite=Lax: ${cookie}`);
		assert.ok(attrs.includes('path=/'), `Path=/: ${cookie}`);
		assert.ok(/^cej_session=[A-Za-z0-9_-]{40,}/.test(cookie), 'an opaque random token');
		const p = await c.get('/portefeuille');
		const html = await p.text();
		assert.equal(p.status, 200);
		has(html, '<h1>Portefeuille</h1>');
		has(html, MSG.emptyPortfolio);
	});

	test('the retour parameter is honoured for local paths only', async () => {
		let r = await counselorLogin(httpClient(stack.baseUrl), COUNSELOR.email, COUNSELOR.password, { retour: '/portefeuille/ajouter' });
		assert.equal(r.status, 303);
		assert.equal(r.location, '/portefeuille/ajouter');
		for (const evil of ['//evil.example/', 'https://evil.example/', '/\\evil.example', ...OPEN_REDIRECTS]) {
			r = await counselorLogin(httpClient(stack.baseUrl), COUNSELOR.email, COUNSELOR.password, { retour: evil });
			assert.equal(r.status, 303, evil);
			assert.equal(r.location, '/portefeuille', `retour=${JSON.stringify(evil)} is not followed`);
		}
	});

	test('logging in again rotates the session: the previous cookie stops working', async () => {
		const c = await counselor(stack);
		const first = c.cookie('cej_session');
		const csrf = await csrfOf(c, '/portefeuille');
		const r = await c.form('/connexion', { _csrf: csrf, ...COUNSELOR });
		assert.equal(r.status, 303);
		const second = c.cookie('cej_session');
		assert.ok(second && second !== first, 'a new session token');
		const replay = await fetch(stack.baseUrl + '/portefeuille', { headers: { cookie: `cej_session=${first}` }, redirect: 'manual' });
		assert.equal(replay.status, 303, 'the pre-login session is gone');
		assert.equal((await c.get('/portefeuille')).status, 200, 'the new one works');
	});

	test('logout revokes the session on the server: the old cookie no longer opens the portfolio', async () => {
		const c = await counselor(stack);
		const old = c.cookie('cej_session');
		assert.ok(old);
		const csrf = await csrfOf(c, '/portefeuille');
		const r = await c.form('/deconnexion', { _csrf: csrf });
		assert.equal(r.status, 303);
		assert.equal(r.headers.get('location'), '/connexion');
		assert.ok(setCookies(r).some((x) => /^cej_session=;/.test(x) && /max-age=0/i.test(x)), 'the cookie is cleared');
		const page = await c.get('/connexion');
		has(await page.text(), MSG.loggedOut);

		// Replaying the old cookie, as a stolen copy would:
		const replay = await fetch(stack.baseUrl + '/portefeuille', { headers: { cookie: `cej_session=${old}` }, redirect: 'manual' });
		assert.equal(replay.status, 303);
		assert.equal(replay.headers.get('location'), '/connexion?retour=%2Fportefeuille');
	});
});

// ---------------------------------------------------------------------------------------------
// 3b. Login throttling (youth-app.md §2: 5 failures in 15 min lock the account for 15 min,
// 20 attempts per 15 min per address; DESIGN §8: the same for counselors)

describe('login throttling', () => {
	let stack;
	const accounts = {}; // dossier → e-mail, each with password PASSWORD
	const PASSWORD = 'Throttle2025';
	const LOCKED_APP = 'Trop de tentatives. Réessaie dans 15 minutes.';
	before(async () => {
		stack = await startStack();
		const c = await counselor(stack);
		for (const dossier of [100016, 100017]) {
			const { email, link } = await addBeneficiary(stack, c, dossier);
			const set = await setPassword(httpClient(stack.baseUrl), link, PASSWORD);
			assert.equal(set.status, 303);
			accounts[dossier] = email;
		}
	});
	after(async () => {
		if (stack) await setClock(stack, 0).catch(() => {});
		await stack?.stop();
	});

	test('beneficiary: 5 failures, then the right password → 429 "Trop de tentatives. Réessaie dans 15 minutes."', async () => {
		const email = accounts[100016];
		for (let i = 1; i <= 5; i++) {
			const r = await appLogin(stack, email, `Mauvais${i}x`);
			assert.equal(r.status, 401, `failure ${i}`);
			has(r.html, MSG.loginBad);
		}
		const r = await appLogin(stack, email, PASSWORD);
		assert.equal(r.status, 429);
		has(r.html, LOCKED_APP);
		hasNot(r.html, MSG.loginBad);
		assert.equal(r.client.cookie('cej_session'), undefined, 'no session');
		const other = await appLogin(stack, accounts[100017], PASSWORD);
		assert.equal(other.status, 303, 'another account is not locked');
	});

	test('the lock lasts 15 min from the 5th failure, even when the first failure is older',
		async () => {
			const email = accounts[100017];
			try {
				let r = await appLogin(stack, email, 'Mauvais1x');
				assert.equal(r.status, 401);
				await setClock(stack, 14 * 60 * 1000);
				for (let i = 2; i <= 5; i++) {
					r = await appLogin(stack, email, `Mauvais${i}x`);
					assert.equal(r.status, 401, `failure ${i}`);
				}
				r = await appLogin(stack, email, PASSWORD);
				assert.equal(r.status, 429, 'locked right after the 5th failure');
				await setClock(stack, 15 * 60 * 1000 + 1000);
				r = await appLogin(stack, email, PASSWORD);
				assert.equal(r.status, 429, '1 min after the 5th failure: still locked ("Réessaie dans 15 minutes")');
				has(r.html, LOCKED_APP);
				await setClock(stack, 29 * 60 * 1000 + 1000);
				r = await appLogin(stack, email, PASSWORD);
				assert.equal(r.status, 303, '15 min after the 5th failure: unlocked');
			} finally {
				await setClock(stack, 0);
			}
		});

	test('20 failed attempts from one address lock that address for every account, counselor and beneficiary', async () => {
		try {
			await setClock(stack, 2 * HOUR_MS); // earlier failures have left the window
			for (let i = 1; i <= 20; i++) {
				const r = await appLogin(stack, `inconnu${i}@exemple.fr`, 'Mauvais1x');
				assert.equal(r.status, 401, `failure ${i}`);
			}
			const young = await appLogin(stack, accounts[100016], PASSWORD);
			assert.equal(young.status, 429, 'beneficiary with the right password');
			has(young.html, LOCKED_APP);
			const c = httpClient(stack.baseUrl);
			const adult = await counselorLogin(c, COUNSELOR.email, COUNSELOR.password);
			assert.equal(adult.status, 429, 'counselor with the right password');
			has(adult.html, MSG.loginLocked);
		} finally {
			await setClock(stack, 0);
		}
	});
});

// ---------------------------------------------------------------------------------------------
// 3c. Behind the load balancer of several nodes (issue 14): the address that counts for the
// per-address limit is the one the trusted proxy (CEJ_TRUSTED_PROXY) gives in X-Real-IP;
// without that setting the header is nobody's word.

describe('client address behind a trusted load balancer', () => {
	const stacks = [];
	after(async () => { for (const s of stacks) await s.stop(); });

	async function appLoginFrom(stack, ip, email, password) {
		const c = httpClient(stack.baseUrl);
		const csrf = await csrfOf(c, '/app/connexion');
		const r = await c.form('/app/connexion', { _csrf: csrf, email, password },
			{ headers: { 'x-real-ip': ip } });
		return { status: r.status, html: await r.text() };
	}

	test('20 failures through the proxy lock the client address it names, not the others', async () => {
		const stack = await startStack({ extraEnv: { CEJ_TRUSTED_PROXY: '127.0.0.1' } });
		stacks.push(stack);
		for (let i = 1; i <= 20; i++) {
			const r = await appLoginFrom(stack, '203.0.113.7', `inconnu${i}@exemple.fr`, 'Mauvais1x');
			assert.equal(r.status, 401, `failure ${i}`);
		}
		const locked = await appLoginFrom(stack, '203.0.113.7', 'inconnu@exemple.fr', 'Mauvais1x');
		assert.equal(locked.status, 429, 'the address named by the proxy is locked');
		has(locked.html, 'Trop de tentatives. Réessaie dans 15 minutes.');
		const other = await appLoginFrom(stack, '2001:db8::8', 'inconnu@exemple.fr', 'Mauvais1x');
		assert.equal(other.status, 401, 'another client behind the same proxy is not');
	});

	test('without CEJ_TRUSTED_PROXY, X-Real-IP changes nothing: the peer is the client', async () => {
		const stack = await startStack();
		stacks.push(stack);
		for (let i = 1; i <= 20; i++) {
			const r = await appLoginFrom(stack, `198.51.100.${i}`, `inconnu${i}@exemple.fr`, 'Mauvais1x');
			assert.equal(r.status, 401, `failure ${i}`);
		}
		const r = await appLoginFrom(stack, '198.51.100.99', 'inconnu@exemple.fr', 'Mauvais1x');
		assert.equal(r.status, 429, 'a forged X-Real-IP does not escape the per-address limit');
	});
});

// ---------------------------------------------------------------------------------------------
// 4. Access rules

describe('access rules', () => {
	let stack;
	let young; // a logged-in beneficiary client
	let youngEmail;
	before(async () => {
		stack = await startStack();
		const c = await counselor(stack);
		const { email, link } = await addBeneficiary(stack, c, 100012);
		youngEmail = email;
		const y = httpClient(stack.baseUrl);
		const set = await setPassword(y, link, 'MotDePasse1');
		assert.equal(set.status, 303);
		const login = await appLogin(stack, email, 'MotDePasse1', y);
		assert.equal(login.status, 303);
		young = y;
	});
	after(async () => { await stack?.stop(); });

	test('the beneficiary login follows retour only to a path of the application', async () => {
		let r = await appLogin(stack, youngEmail, 'MotDePasse1', httpClient(stack.baseUrl), { retour: '/app/messages' });
		assert.equal(r.status, 303, visible(r.html));
		assert.equal(r.location, '/app/messages');
		for (const evil of ['//evil.example/', ...OPEN_REDIRECTS]) {
			r = await appLogin(stack, youngEmail, 'MotDePasse1', httpClient(stack.baseUrl), { retour: evil });
			assert.equal(r.status, 303, evil);
			assert.equal(r.location, '/app/accueil', `retour=${JSON.stringify(evil)} is not followed`);
		}
	});

	test('anonymous GET /portefeuille → 303 /connexion?retour=%2Fportefeuille', async () => {
		const c = httpClient(stack.baseUrl);
		let r = await c.get('/portefeuille');
		assert.equal(r.status, 303);
		assert.equal(r.headers.get('location'), '/connexion?retour=%2Fportefeuille');
		r = await c.get('/portefeuille/ajouter');
		assert.equal(r.status, 303);
		assert.equal(r.headers.get('location'), '/connexion?retour=%2Fportefeuille%2Fajouter');
		const login = await c.get('/connexion?retour=%2Fportefeuille%2Fajouter');
		has(await login.text(), 'name="retour" value="/portefeuille/ajouter"', 'the login form carries retour');
	});

	test('anonymous GET /app/accueil → 303 /app/connexion?retour=%2Fapp%2Faccueil', async () => {
		const r = await httpClient(stack.baseUrl).get('/app/accueil');
		assert.equal(r.status, 303);
		assert.equal(r.headers.get('location'), '/app/connexion?retour=%2Fapp%2Faccueil');
	});

	test('anonymous POST to a counselor form (valid anonymous token) → 303 /connexion, nothing created', async () => {
		const c = httpClient(stack.baseUrl);
		const csrf = await csrfOf(c, '/connexion');
		const r = await c.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier: '100013', dispositif: 'CEJ' });
		assert.equal(r.status, 303);
		assert.equal(r.headers.get('location'), '/connexion');
		const journal = await stack.simAdmin('GET', '/_admin/requests');
		assert.deepEqual(journal.body.filter((e) => e.path.includes('100013')), [], 'i-milo was never called');
	});

	test('a beneficiary session on counselor pages → 403 page in French', async () => {
		let r = await young.get('/app/accueil');
		assert.equal(r.status, 200, 'the beneficiary is logged in');
		await r.arrayBuffer();
		for (const path of ['/portefeuille', '/portefeuille/ajouter']) {
			r = await young.get(path);
			assert.equal(r.status, 403, path);
			assertErrorPage(await r.text(), MSG.forbiddenTitle, MSG.forbidden);
		}
		const csrf = await csrfOf(young, '/app/profil');
		r = await young.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier: '100013', dispositif: 'CEJ' });
		assert.equal(r.status, 403, 'POST creation as a beneficiary');
		assertErrorPage(await r.text(), MSG.forbiddenTitle, MSG.forbidden);
	});

	test('a counselor session on /app/accueil → 403 page in French', async () => {
		const c = await counselor(stack);
		const r = await c.get('/app/accueil');
		assert.equal(r.status, 403);
		assertErrorPage(await r.text(), MSG.forbiddenTitle, MSG.forbidden);
	});

	test('beneficiary logout revokes the app session on the server', async () => {
		const old = young.cookie('cej_session');
		const csrf = await csrfOf(young, '/app/profil');
		const r = await young.form('/app/deconnexion', { _csrf: csrf });
		assert.equal(r.status, 303);
		assert.equal(r.headers.get('location'), '/app');
		has(await (await young.get('/app')).text(), 'Tu es déconnecté.');
		const replay = await fetch(stack.baseUrl + '/app/accueil', { headers: { cookie: `cej_session=${old}` }, redirect: 'manual' });
		assert.equal(replay.status, 303);
		assert.equal(replay.headers.get('location'), '/app/connexion?retour=%2Fapp%2Faccueil');
	});

	test('unknown path → 404 page in French', async () => {
		for (const c of [httpClient(stack.baseUrl), await counselor(stack)]) {
			const r = await c.get('/cette-page-n-existe-pas');
			const html = await r.text();
			assert.equal(r.status, 404);
			assertErrorPage(html, MSG.notFoundTitle, MSG.notFound);
			has(html, '<html lang="fr"');
		}
	});
});

// ---------------------------------------------------------------------------------------------
// 5–6. Adding a beneficiary: refusals, i-milo faults (nothing may be created)

describe('adding a beneficiary: refusals and i-milo faults leave nothing behind', () => {
	let stack;
	let c;
	before(async () => {
		stack = await startStack();
		c = await counselor(stack);
	});
	after(async () => {
		if (stack) await stack.simAdmin('DELETE', '/_admin/faults').catch(() => {});
		await stack?.stop();
	});

	async function nothingCreated(what) {
		await assertPortfolioEmpty(c, what);
		await assertMailCount(stack, 0, what);
	}

	test('step 1 shows the form', async () => {
		const r = await c.get('/portefeuille/ajouter');
		const html = await r.text();
		assert.equal(r.status, 200);
		has(html, 'Saisissez le numéro de dossier du jeune pour lequel vous voulez créer un compte');
		has(html, 'Retour à Portefeuille');
		has(html, '1 sur 2');
		has(html, 'Valider le numéro');
	});

	test('step 1: empty → "Le champ “Numéro de dossier” est vide…"', async () => {
		for (const v of ['', '   ']) {
			const r = await lookup(c, v);
			assert.equal(r.status, 400, JSON.stringify(v));
			has(r.html, MSG.dossierEmpty);
		}
	});

	test('step 1: "12ab" and 12 digits → "Le numéro de dossier est incorrect…"', async () => {
		for (const v of ['12ab', '123456789012', '-1', '1 2']) {
			const r = await lookup(c, v);
			assert.equal(r.status, 400, v);
			has(r.html, MSG.dossierBad, v);
		}
		// The dossiers family only: the event feed polls E1 on its own from the start.
		const journal = await stack.simAdmin('GET', '/_admin/requests');
		assert.deepEqual(journal.body.filter((c) => c.path.startsWith('/sue/')), [],
			'malformed numbers never reach i-milo');
	});

	test('step 1: unknown dossier (11 digits, 999999) → i-milo’s own message, verbatim', async () => {
		for (const id of ['999999', '12345678901']) {
			const sim = await simLookup(stack, id);
			assert.equal(sim.status, 404);
			assert.ok(sim.body.message, 'i-milo gives a message');
			const r = await lookup(c, id);
			assert.equal(r.status, 404, `${id}: the page answers i-milo's status`);
			has(r.html, esc(sim.body.message), id);
		}
	});

	test('step 1: dossier 100040 (not justified) → i-milo’s "pas justifié" message', async () => {
		const sim = await simLookup(stack, '100040');
		assert.equal(sim.status, 403);
		assert.match(sim.body.message, /pas justifié/);
		const r = await lookup(c, '100040');
		assert.equal(r.status, 403, 'the page answers i-milo\'s status');
		has(r.html, esc(sim.body.message));
	});

	test('step 1: a valid number, spaces trimmed → step 2 with the dossier read from i-milo', async () => {
		const d = await simDossier(stack, 100005);
		const r = await lookup(c, '  100005 ');
		assert.equal(r.status, 200);
		has(r.html, '2 sur 2');
		for (const label of ['Prénom :', 'Nom :', 'Date de naissance :', 'Code postal :', 'E-mail :']) has(r.html, label);
		has(r.html, `<dd>${esc(d.prenom)}</dd>`);
		has(r.html, `<dd>${esc(d.nom)}</dd>`);
		has(r.html, `<dd>${esc(d.mail.toLowerCase())}</dd>`);
		has(r.html, 'Veillez à ce que l’adresse e-mail associée au dossier i-milo du bénéficiaire soit correcte et en usage.');
		has(r.html, 'Ce bénéficiaire recevra un lien d’activation valable 12h.');
		has(r.html, 'Créer le compte');
		has(r.html, 'name="dossier" value="100005"');
	});

	test('step 2 names the dossier’s Mission Locale, and warns before creation when it is not the counselor’s', async () => {
		// Camille is at the Mission Locale du Pays de Brest (29019S00): 100004 is one of its
		// dossiers, 100005 one of the Mission Locale de Paris.
		let r = await lookup(c, '100004');
		assert.equal(r.status, 200);
		has(r.html, '<dt>Mission Locale :</dt><dd>Mission Locale du Pays de Brest</dd>');
		hasNot(r.html, MSG.otherStructureTitle, 'own Mission Locale');
		r = await lookup(c, '100005');
		assert.equal(r.status, 200);
		has(r.html, '<dt>Mission Locale :</dt><dd>Mission Locale de Paris</dd>');
		has(r.html, MSG.otherStructureTitle);
		has(r.html, MSG.otherStructure('Mission Locale de Paris'));
		assert.ok(r.html.indexOf(MSG.otherStructureTitle) < r.html.indexOf('Créer le compte'),
			'the warning comes before the button');
		await nothingCreated('looking dossiers up creates nothing');
	});

	test('step 1: dossier 100038 (no e-mail) → step 2 with "Rafraîchir le compte" and no "Créer le compte"', async () => {
		const r = await lookup(c, '100038');
		assert.equal(r.status, 200);
		has(r.html, MSG.noEmailLabel);
		has(r.html, 'Renseignez l’e-mail du bénéficiaire sur son profil i-milo');
		has(r.html, 'Rafraîchir le compte');
		hasNot(r.html, 'Créer le compte');
		hasNot(r.html, 'action="/portefeuille/ajouter/creer"');
	});

	test('step 2: a forged creation for 100038 (no e-mail) → 400, nothing created', async () => {
		const r = await create(c, '100038');
		assert.equal(r.status, 400);
		has(r.html, MSG.noEmailCreate);
		await nothingCreated('100038 forged');
		const journal = await stack.simAdmin('GET', '/_admin/requests');
		assert.deepEqual(journal.body.filter((e) => e.method === 'POST' && e.path.startsWith('/sue/')), [], 'never declared to i-milo');
	});

	test('an i-milo address a mail cannot go to ("a@x.fr; b@x.fr", CR/LF) → refused at step 1 and at creation, never declared to i-milo', async () => {
		for (const mail of ['a@x.fr; b@x.fr', 'a@x.fr\r\nBcc: b@x.fr']) {
			const p = await stack.simAdmin('PATCH', '/_admin/dossiers/100022', { mail });
			assert.equal(p.status, 200, JSON.stringify(p.body));
			const shown = mail.toLowerCase().replace(/[\r\n]/g, ' ');
			let r = await lookup(c, '100022');
			assert.equal(r.status, 422, JSON.stringify(mail));
			has(r.html, MSG.badEmail(shown));
			hasNot(r.html, 'Créer le compte');
			hasNot(r.html, 'action="/portefeuille/ajouter/creer"');
			// A creation posted anyway re-reads the dossier and stops before D2.
			r = await create(c, '100022');
			assert.equal(r.status, 422, JSON.stringify(mail));
			has(r.html, MSG.badEmail(shown));
		}
		await nothingCreated('unusable e-mail');
		const journal = await stack.simAdmin('GET', '/_admin/requests');
		assert.deepEqual(journal.body.filter((e) => e.method === 'POST' && e.path.startsWith('/sue/')), [], 'never declared to i-milo (no D2)');
		assert.ok(journal.body.some((e) => e.method === 'GET' && e.path === '/sue/dossiers/100022'), 'the dossier was read (D1)');
		const d = await simDossier(stack, 100022);
		assert.equal(d._sim.accountId ?? null, null, 'no account attached in i-milo');
	});

	test('step 2: no dispositif (or an unknown one) → 400 "Veuillez choisir un dispositif.", nothing created', async () => {
		for (const dispositif of [null, '', 'AUTRE']) {
			const r = await create(c, '100005', dispositif);
			assert.equal(r.status, 400, `dispositif=${dispositif}`);
			has(r.html, MSG.dispositif);
			has(r.html, 'Créer le compte', 'the form stays on step 2');
		}
		await nothingCreated('no dispositif');
	});

	test('step 2: dossier 100039 (other Mission Locale) → 422 "Ce bénéficiaire dispose déjà d’un compte dans une autre Mission Locale.", nothing created', async () => {
		const r = await create(c, '100039');
		assert.equal(r.status, 422);
		has(r.html, MSG.otherMl);
		has(r.html, MSG.notCreated);
		await nothingCreated('100039');
	});

	test('step 2: i-milo answers 503 to the declaration → the "momentanément impossible" message, nothing created', async () => {
		const f = await stack.simAdmin('POST', '/_admin/faults', { match: { method: 'POST', path: '/sue/compte-jeune/*' }, status: 503 });
		assert.equal(f.status, 201, JSON.stringify(f.body));
		try {
			const r = await create(c, '100005');
			assert.ok(r.status >= 500, `status ${r.status}`);
			has(r.html, MSG.declareDown);
			has(r.html, MSG.notCreated);
			hasNot(r.html, MSG.added);
			const journal = await stack.simAdmin('GET', '/_admin/requests');
			const posts = journal.body.filter((e) => e.method === 'POST' && e.path === '/sue/compte-jeune/100005');
			assert.equal(posts.length, 1, 'a write is never retried automatically');
		} finally {
			await stack.simAdmin('DELETE', '/_admin/faults');
		}
		await nothingCreated('declaration 503');
	});

	test('step 2: the declaration times out → the "momentanément impossible" message within ~5 s, nothing created', async () => {
		await stack.simAdmin('POST', '/_admin/faults', { match: { method: 'POST', path: '/sue/compte-jeune/*' }, timeout: true });
		try {
			const t0 = Date.now();
			const r = await create(c, '100005');
			const elapsed = Date.now() - t0;
			assert.ok(r.status >= 500, `status ${r.status}`);
			has(r.html, MSG.declareDown);
			assert.ok(elapsed < 5000, `answered after ${elapsed} ms`);
			assert.ok(elapsed >= 2500, `answered after ${elapsed} ms: the client waited for its 3 s timeout`);
		} finally {
			await stack.simAdmin('DELETE', '/_admin/faults');
		}
		await nothingCreated('declaration timeout');
	});

	test('step 1: the dossier read times out → "Une erreur est survenue lors de la récupération du dossier…" within ~5 s', async () => {
		await stack.simAdmin('POST', '/_admin/faults', { match: { method: 'GET', path: '/sue/dossiers/*' }, timeout: true });
		try {
			let t0 = Date.now();
			let r = await lookup(c, '100005');
			let elapsed = Date.now() - t0;
			assert.ok(r.status >= 400 && r.status !== 404, `status ${r.status}`);
			has(r.html, MSG.lookupDown);
			hasNot(r.html, 'Créer le compte');
			assert.ok(elapsed < 5000, `lookup answered after ${elapsed} ms`);
			assert.ok(elapsed >= 2500, `lookup answered after ${elapsed} ms: the client waited for its 3 s timeout`);

			// The creation re-reads the dossier: same message, nothing created.
			t0 = Date.now();
			r = await create(c, '100005');
			elapsed = Date.now() - t0;
			assert.ok(r.status >= 400, `status ${r.status}`);
			has(r.html, MSG.lookupDown);
			assert.ok(elapsed < 5000, `creation answered after ${elapsed} ms`);
		} finally {
			await stack.simAdmin('DELETE', '/_admin/faults');
		}
		await nothingCreated('dossier read timeout');
	});

	test('step 1: i-milo answers 500 to the dossier read → the same message', async () => {
		await stack.simAdmin('POST', '/_admin/faults', { match: { method: 'GET', path: '/sue/dossiers/*' }, status: 500 });
		try {
			const r = await lookup(c, '100005');
			assert.ok(r.status >= 400 && r.status !== 404, `status ${r.status}`);
			has(r.html, MSG.lookupDown);
		} finally {
			await stack.simAdmin('DELETE', '/_admin/faults');
		}
	});

	test('once i-milo is back, the same dossier is created (the failures left nothing in i-milo either)', async () => {
		const d = await simDossier(stack, 100005);
		assert.equal(d._sim.accountId ?? null, null, 'the failed declarations attached no account in i-milo');
		const r = await create(c, '100005');
		assert.equal(r.status, 303, visible(r.html));
		assert.equal(r.location, '/portefeuille');
		const { rows, html } = await portfolioRows(c);
		has(html, MSG.added);
		assert.equal(rows.length, 1);
		assert.match(rows[0], new RegExp(`${d.nom.toUpperCase()} ${d.prenom}`));
		assert.match(rows[0], /Compte non activé/);
		const mails = await assertMailCount(stack, 1, 'one activation mail');
		assert.equal(mails[0].to, d.mail.toLowerCase());
	});

	test('"Rafraîchir le compte" for 100038 once its e-mail is filled in i-milo → "Créer le compte" appears', async () => {
		const p = await stack.simAdmin('PATCH', '/_admin/dossiers/100038', { mail: 'Nouvelle.Adresse@Exemple.fr' });
		assert.equal(p.status, 200, JSON.stringify(p.body));
		const r = await lookup(c, '100038');
		assert.equal(r.status, 200);
		hasNot(r.html, MSG.noEmailLabel);
		has(r.html, '<dd>nouvelle.adresse@exemple.fr</dd>', 'the e-mail is lower-cased');
		has(r.html, 'Créer le compte');
	});
});

// ---------------------------------------------------------------------------------------------
// 6. Adding a beneficiary: already attached dossier, duplicates

describe('adding a beneficiary: re-creation and duplicates', () => {
	let stack;
	let c;
	before(async () => {
		stack = await startStack();
		c = await counselor(stack);
	});
	after(async () => { await stack?.stop(); });

	// Each test runs alone (--test-name-pattern): what one needs in the portfolio it adds
	// itself when missing, and counts are taken relative to the state it starts from.
	const rowOf = (d) => `${d.nom.toUpperCase()} ${d.prenom}`;
	/** Dossier @id in c's portfolio (added now when missing); resolves to the sim's dossier. */
	async function ensureAdded(id) {
		const d = await simDossier(stack, id);
		if (!(await portfolioRows(c)).rows.some((r) => r.includes(rowOf(d)))) {
			const r = await create(c, String(id));
			assert.equal(r.status, 303, visible(r.html));
		}
		await waitForIdle(stack);
		return d;
	}
	/** The portfolio's rows and the outbox's mails once nothing is left to send. */
	async function counts() {
		await waitForIdle(stack);
		return { rows: (await portfolioRows(c)).rows.length, mails: (await readMails(stack.outboxDir)).length };
	}

	test('dossier 100037, already attached in i-milo to an account no cej beneficiary holds → accepted (imilo.md §3.1)', async () => {
		const d = await simDossier(stack, 100037);
		assert.ok(d._sim.accountId, 'the simulator has an id-keycloak for 100037');
		const before = await counts();
		const r = await create(c, '100037');
		assert.equal(r.status, 303, visible(r.html));
		assert.equal(r.location, '/portefeuille');
		const { rows, html } = await portfolioRows(c);
		has(html, MSG.added);
		assert.equal(rows.length, before.rows + 1);
		assert.equal(rows.filter((x) => x.includes(rowOf(d))).length, 1);
		await mailTo(stack, d.mail.toLowerCase(), MSG.activationSubject);
	});

	test('another dossier attached to that same i-milo account → 422 "Utilisateur déjà créé, veuillez contacter le support", nothing created', async () => {
		const held = (await ensureAdded(100037))._sim.accountId;
		const before = await counts();
		const p = await stack.simAdmin('PATCH', '/_admin/dossiers/100014', { accountId: held });
		assert.equal(p.status, 200, JSON.stringify(p.body));
		const r = await create(c, '100014');
		assert.equal(r.status, 422);
		has(r.html, MSG.alreadyCreated);
		const { rows } = await portfolioRows(c);
		assert.equal(rows.length, before.rows, 'nothing added');
		await assertMailCount(stack, before.mails, 'no mail for 100014');
	});

	test('creating 100002 twice → 409 "Un compte avec l’id dossier 100002 existe déjà", one account, one mail', async () => {
		const d = await simDossier(stack, 100002);
		const before = await counts();
		let r = await create(c, '100002');
		assert.equal(r.status, 303, visible(r.html));
		await mailTo(stack, d.mail.toLowerCase(), MSG.activationSubject);
		r = await create(c, '100002');
		assert.equal(r.status, 409);
		has(r.html, 'Un compte avec l’id dossier 100002 existe déjà');
		has(r.html, MSG.notCreated);
		const { rows } = await portfolioRows(c);
		assert.equal(rows.length, before.rows + 1);
		const mails = await assertMailCount(stack, before.mails + 1, 'one mail for 100002');
		assert.equal(mails.filter((m) => m.to === d.mail.toLowerCase()).length, 1, '100002 mailed once');
	});

	test('the 409 for a dossier of one’s own portfolio is followed by the link "Voir le détail du bénéficiaire"',
		async () => {
			await ensureAdded(100002);
			const r = await create(c, '100002');
			assert.equal(r.status, 409);
			has(r.html, 'Un compte avec l’id dossier 100002 existe déjà');
			assert.ok(FICHE_LINK.test(r.html), `no link to the fiche after the 409:\n${visible(r.html)}`);
		});

	test('a dossier carrying the e-mail of an existing beneficiary (another case) → 409 "Un compte avec l’e-mail … existe déjà"', async () => {
		const a = await ensureAdded(100002);
		const before = await counts();
		const email = a.mail.toLowerCase();
		const p = await stack.simAdmin('PATCH', '/_admin/dossiers/100006', { mail: email.toUpperCase() });
		assert.equal(p.status, 200, JSON.stringify(p.body));
		const r = await create(c, '100006');
		assert.equal(r.status, 409);
		has(r.html, `Un compte avec l’e-mail ${email} existe déjà`);
		const { rows } = await portfolioRows(c);
		assert.equal(rows.length, before.rows, 'nothing added');
		await assertMailCount(stack, before.mails, 'no new mail');
		const journal = await stack.simAdmin('GET', '/_admin/requests');
		assert.deepEqual(journal.body.filter((e) => e.method === 'POST' && e.path.endsWith('/100006')), [],
			'duplicates are checked before the account is declared to i-milo');
	});

	test('step 1 refuses a dossier already added: 409 with the link to the fiche from one’s own portfolio only', async () => {
		await ensureAdded(100002);
		let r = await lookup(c, '100002');
		assert.equal(r.status, 409);
		has(r.html, '1 sur 2', 'still step 1');
		has(r.html, '<p id="dossier-erreur" class="fr-error-text">Un compte avec l’id dossier 100002 existe déjà</p>');
		hasNot(r.html, 'Sélectionner le dispositif', 'the dispositif is never asked');
		assert.ok(FICHE_LINK.test(r.html), `no link to the fiche at step 1:\n${visible(r.html)}`);
		// Sophie, of another Mission Locale, reads the same refusal, without a link.
		r = await lookup(await counselor(stack, SOPHIE), '100002');
		assert.equal(r.status, 409);
		has(r.html, 'Un compte avec l’id dossier 100002 existe déjà');
		assert.ok(!FICHE_LINK.test(r.html), 'no link to a fiche outside one’s portfolio');
	});

	test('step 1 refuses a dossier whose e-mail a live account holds: 409 "Un compte avec l’e-mail … existe déjà"', async () => {
		const a = await ensureAdded(100002);
		const email = a.mail.toLowerCase();
		const p = await stack.simAdmin('PATCH', '/_admin/dossiers/100009', { mail: email.toUpperCase() });
		assert.equal(p.status, 200, JSON.stringify(p.body));
		const r = await lookup(c, '100009');
		assert.equal(r.status, 409);
		has(r.html, '1 sur 2', 'still step 1');
		has(r.html, `Un compte avec l’e-mail ${email} existe déjà`);
		hasNot(r.html, 'Sélectionner le dispositif');
		assert.ok(!FICHE_LINK.test(r.html), 'the e-mail rule has no link');
	});

	test('the success flash carries the link "Voir le détail du bénéficiaire"',
		async () => {
			const d = await simDossier(stack, 100015);
			const r = await create(c, '100015');
			assert.equal(r.status, 303, visible(r.html));
			await mailTo(stack, d.mail.toLowerCase(), MSG.activationSubject);
			const { html } = await portfolioRows(c);
			has(html, MSG.added);
			assert.ok(FICHE_LINK.test(html), `no link to the fiche in the flash:\n${visible(html)}`);
		});

	test('a double submit creates one account only', async () => {
		const d = await simDossier(stack, 100008);
		const { rows: rowsBefore } = await portfolioRows(c);
		await waitForIdle(stack);
		const mailsBefore = (await readMails(stack.outboxDir)).length;
		const csrf = await csrfOf(c, '/portefeuille/ajouter');
		const send = () => c.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier: '100008', dispositif: 'CEJ' })
			.then(async (r) => ({ status: r.status, html: await r.text() }));
		const results = await Promise.all([send(), send()]);
		const statuses = results.map((x) => x.status).sort();
		assert.equal(statuses[0], 303, JSON.stringify(statuses));
		assert.ok([409, 422].includes(statuses[1]), `the second submit is refused: ${JSON.stringify(statuses)}`);
		const { rows } = await portfolioRows(c);
		assert.equal(rows.length, rowsBefore.length + 1, 'one more row');
		assert.equal(rows.filter((x) => x.includes(d.prenom)).length, 1);
		const mails = await assertMailCount(stack, mailsBefore + 1, 'one more mail');
		assert.equal(mails.filter((m) => m.to === d.mail.toLowerCase()).length, 1);
	});
});

// ---------------------------------------------------------------------------------------------
// 7. Activation

describe('activation', () => {
	let stack;
	let c;
	let email;
	let link;
	let passwordSet = false;
	const PASSWORD = 'Activation2025';
	before(async () => {
		stack = await startStack();
		c = await counselor(stack);
	});
	after(async () => {
		if (stack) await setClock(stack, 0).catch(() => {});
		await stack?.stop();
	});

	// The tests follow one account (100003) from its creation to its first login. Each can
	// run alone: what it needs from the earlier ones it makes itself when missing.
	/** The first test's creation of 100003 (email, its activation link), made when missing. */
	async function ensureCreated() {
		if (email) return;
		email = (await simDossier(stack, 100003)).mail.toLowerCase();
		const r = await create(c, '100003');
		assert.equal(r.status, 303, visible(r.html));
		({ link } = await mailTo(stack, email, MSG.activationSubject));
	}
	/** The password PASSWORD chosen through the activation link (as the 6th test does), when not yet. */
	async function ensurePasswordSet() {
		await ensureCreated();
		if (passwordSet) return;
		const r = await setPassword(httpClient(stack.baseUrl), link, PASSWORD);
		assert.equal(r.status, 303, visible(r.html));
		passwordSet = true;
	}

	test('creating 100003 sends "Active ton compte de l’application du CEJ" with a /app/activation/{token} link', async () => {
		const d = await simDossier(stack, 100003);
		email = d.mail.toLowerCase();
		const r = await create(c, '100003');
		assert.equal(r.status, 303, visible(r.html));
		const got = await mailTo(stack, email, MSG.activationSubject);
		link = got.link;
		assert.match(link, /^\/app\/activation\/[A-Za-z0-9_-]{43,}$/, 'at least 128 random bits');
		assert.match(got.mail.text, new RegExp(`Bonjour ${d.prenom}`));
		assert.match(got.mail.text, /Ce lien est valable 12 heures\./);
		const { rows } = await portfolioRows(c);
		assert.equal(rows.length, 1);
		assert.match(rows[0], /Compte non activé/);
	});

	test('before a password exists, the beneficiary login says "Adresse e-mail ou mot de passe incorrect."', async () => {
		await ensureCreated();
		const r = await appLogin(stack, email, PASSWORD);
		assert.equal(r.status, 401);
		has(r.html, MSG.loginBad);
	});

	test('the link opens "Crée ton mot de passe"', async () => {
		await ensureCreated();
		const r = await httpClient(stack.baseUrl).get(link);
		const html = await r.text();
		assert.equal(r.status, 200);
		has(html, MSG.passwordTitle);
		has(html, 'Confirmation du mot de passe');
		has(html, 'Valider');
	});

	test('a weak password → 400 with the CNIL rule; the link stays valid', async () => {
		await ensureCreated();
		const y = httpClient(stack.baseUrl);
		for (const weak of ['abc', 'motdepasse1', 'MOTDEPASSE1', 'MotDePasse', 'Ab1', 'Ab3defg', 'Ab1' + 'x'.repeat(126)]) {
			const r = await setPassword(y, link, weak);
			assert.equal(r.status, 400, weak);
			has(r.html, MSG.passwordRule, weak);
		}
		const again = await y.get(link);
		assert.equal(again.status, 200, 'not consumed');
	});

	test('different confirmation → 400 "Les deux mots de passe ne sont pas identiques."', async () => {
		await ensureCreated();
		const r = await setPassword(httpClient(stack.baseUrl), link, PASSWORD, PASSWORD + 'x');
		assert.equal(r.status, 400);
		has(r.html, MSG.passwordMismatch);
		hasNot(r.html, MSG.passwordRule);
	});

	test('a good password → 303 /app/connexion and the flash "Ton mot de passe a bien été créé…"', async () => {
		await ensureCreated();
		const y = httpClient(stack.baseUrl);
		const r = await setPassword(y, link, PASSWORD);
		assert.equal(r.status, 303, visible(r.html));
		assert.equal(r.location, '/app/connexion');
		passwordSet = true;
		const page = await y.get('/app/connexion');
		const html = await page.text();
		assert.equal(page.status, 200);
		has(html, MSG.passwordCreated);
		// A flash shows once.
		const again = await y.get('/app/connexion');
		hasNot(await again.text(), MSG.passwordCreated);
	});

	test('the login form the new password leads to holds the account’s address, once; a forged one is only text', async () => {
		await ensureCreated();
		const y = httpClient(stack.baseUrl);
		let r = await y.form('/app/mot-de-passe-oublie', { _csrf: await csrfOf(y, '/app/mot-de-passe-oublie'), email });
		assert.equal(r.status, 200);
		const { link: reset } = await mailTo(stack, email, MSG.resetSubject);
		r = await setPassword(y, reset, PASSWORD);
		assert.equal(r.status, 303, visible(r.html));
		assert.equal(r.location, '/app/connexion', 'nothing of the address in the URL');
		passwordSet = true;
		const emailField = (v) => `type="email" id="email" name="email" autocomplete="username" value="${v}"`;
		let html = await (await y.get('/app/connexion')).text();
		has(html, MSG.passwordCreated);
		has(html, emailField(esc(email)), 'prefilled');
		html = await (await y.get('/app/connexion')).text();
		has(html, emailField(''), 'once only');
		// The flash cookie comes back from the browser: whatever it holds is printed as text.
		html = await (await fetch(stack.baseUrl + '/app/connexion', {
			headers: { cookie: 'cej_flash=mot-de-passe-cree:%22%3E%3Cscript%3Ex()%3C%2Fscript%3E' },
		})).text();
		has(html, emailField('&quot;&gt;&lt;script&gt;x()&lt;/script&gt;'));
		hasNot(html, '<script>x()');
	});

	test('the app’s login page says "e-mail"', async () => {
		const html = await (await fetch(stack.baseUrl + '/app/connexion')).text();
		has(html, 'Le mot de passe créé lors de la réception de l’e-mail d’activation');
		has(html, 'si tu n’as pas reçu l’e-mail d’activation');
		assert.doesNotMatch(visible(html), /(?<!e-)mail d’activation/);
	});

	test('the activation and reset e-mails share the layout: République française header, button, footer', async () => {
		await ensureCreated();
		if (!(await readMails(stack.outboxDir)).some((m) => m.to === email && m.subject === MSG.resetSubject)) {
			const y = httpClient(stack.baseUrl);
			const r = await y.form('/app/mot-de-passe-oublie', { _csrf: await csrfOf(y, '/app/mot-de-passe-oublie'), email });
			assert.equal(r.status, 200);
		}
		for (const subject of [MSG.activationSubject, MSG.resetSubject]) {
			const { mail } = await mailTo(stack, email, subject);
			assert.match(mail.html, /République<br>française/, subject);
			assert.match(mail.html, /<td style="background-color:#000091;">\n<a href="http[^"]+\/app\/activation\/[^"]+" style="display:inline-block;padding:12px 24px;/, subject);
			assert.match(mail.html, /max-width:600px/, subject);
			assert.match(mail.html, /Merci de ne pas y répondre\./, subject);
		}
	});

	test('a password set is not yet an activation: the portfolio still says "Compte non activé"', async () => {
		await ensurePasswordSet();
		const { rows } = await portfolioRows(c);
		assert.match(rows[0], /Compte non activé/);
	});

	test('reusing the link → 410 "Ce lien n’est plus valide" with "Recevoir un nouveau lien"', async () => {
		await ensurePasswordSet();
		const y = httpClient(stack.baseUrl);
		const r = await y.get(link);
		const html = await r.text();
		assert.equal(r.status, 410);
		has(html, MSG.linkInvalidTitle);
		has(html, MSG.linkInvalid);
		has(html, `href="/app/mot-de-passe-oublie">${MSG.newLink}</a>`);
		// Posting to it directly (a form left open in another tab) is refused too.
		const post = await y.form(link, { _csrf: await csrfOf(y, '/app/connexion'), password: 'Autre2025x', confirmation: 'Autre2025x' });
		assert.equal(post.status, 410);
		has(await post.text(), MSG.linkInvalidTitle);
		const old = await appLogin(stack, email, 'Autre2025x');
		assert.equal(old.status, 401, 'the password was not changed');
	});

	test('an unknown token → 410 too', async () => {
		const r = await httpClient(stack.baseUrl).get('/app/activation/' + 'A'.repeat(43));
		assert.equal(r.status, 410);
		has(await r.text(), MSG.linkInvalidTitle);
	});

	test('the first login → 303 /app/accueil and turns "Compte non activé" into "Aujourd’hui à …"', async () => {
		await ensurePasswordSet();
		const t0 = Date.now();
		const r = await appLogin(stack, email, PASSWORD);
		const t1 = Date.now();
		assert.equal(r.status, 303, visible(r.html));
		assert.equal(r.location, '/app/accueil');
		const home = await r.client.get('/app/accueil');
		assert.equal(home.status, 200);
		const { rows } = await portfolioRows(c);
		assert.doesNotMatch(rows[0], /Compte non activé/);
		const expected = new Set([todayAt(t0), todayAt(t1)]);
		assert.ok([...expected].some((e) => rows[0].includes(e)), `row "${rows[0]}" shows one of ${[...expected].join(' / ')}`);
	});

	test('beneficiary login errors use the "tu" form', async () => {
		await ensurePasswordSet();
		let r = await appLogin(stack, '', '');
		assert.equal(r.status, 400);
		has(r.html, MSG.appNoEmail);
		has(r.html, MSG.appNoPassword);
		r = await appLogin(stack, email, 'Mauvais2025');
		assert.equal(r.status, 401);
		has(r.html, MSG.loginBad);
		r = await appLogin(stack, 'inconnu@exemple.fr', PASSWORD);
		assert.equal(r.status, 401);
		has(r.html, MSG.loginBad);
	});

	test('a password equal to the e-mail (any case) is refused with the same rule', async () => {
		const p = await stack.simAdmin('PATCH', '/_admin/dossiers/100009', { mail: 'Jeune2025@Exemple.fr' });
		assert.equal(p.status, 200, JSON.stringify(p.body));
		const { link: l } = await addBeneficiary(stack, c, 100009);
		const r = await setPassword(httpClient(stack.baseUrl), l, 'JEUNE2025@exemple.fr');
		assert.equal(r.status, 400);
		has(r.html, MSG.passwordRule);
	});

	test('a link is valid 12 h: still open at 12 h − 10 s, 410 at 12 h + 1 s', async () => {
		const d = await simDossier(stack, 100004);
		const r = await create(c, '100004');
		assert.equal(r.status, 303, visible(r.html));
		const { link: fresh } = await mailTo(stack, d.mail.toLowerCase(), MSG.activationSubject);
		try {
			await setClock(stack, 12 * HOUR_MS - 10_000);
			let page = await httpClient(stack.baseUrl).get(fresh);
			assert.equal(page.status, 200, 'just before expiry');
			has(await page.text(), MSG.passwordTitle);

			await setClock(stack, 12 * HOUR_MS + 1000);
			const y = httpClient(stack.baseUrl);
			page = await y.get(fresh);
			const html = await page.text();
			assert.equal(page.status, 410, 'just after expiry');
			has(html, MSG.linkInvalidTitle);
			has(html, MSG.linkInvalid);
			has(html, MSG.newLink);
			const post = await y.form(fresh, { _csrf: await csrfOf(y, '/app/connexion'), password: PASSWORD, confirmation: PASSWORD });
			assert.equal(post.status, 410, 'posting a password after expiry');
			const login = await appLogin(stack, d.mail.toLowerCase(), PASSWORD);
			assert.equal(login.status, 401, 'no password was set');
		} finally {
			await setClock(stack, 0);
		}
	});
});

// ---------------------------------------------------------------------------------------------
// 8. Forgotten password

describe('forgotten password', () => {
	let stack;
	let c;
	const PASSWORD = 'Premier2025';
	const NEW_PASSWORD = 'Nouveau2026';

	before(async () => {
		stack = await startStack();
		c = await counselor(stack);
	});
	after(async () => { await stack?.stop(); });

	// Each test has its own beneficiary (the mails an hour are counted per account), so
	// that any one of them runs alone.
	/** Adds dossier @dossier, sets PASSWORD and logs in: { email, appSession }. */
	async function activated(dossier) {
		const b = await addBeneficiary(stack, c, dossier);
		const set = await setPassword(httpClient(stack.baseUrl), b.link, PASSWORD);
		assert.equal(set.status, 303);
		const login = await appLogin(stack, b.email, PASSWORD);
		assert.equal(login.status, 303);
		assert.equal((await login.client.get('/app/accueil')).status, 200);
		return { email: b.email, appSession: login.client };
	}

	async function forgot(client, address) {
		const csrf = await csrfOf(client, '/app/mot-de-passe-oublie');
		const r = await client.form('/app/mot-de-passe-oublie', { _csrf: csrf, email: address });
		return { status: r.status, html: await r.text() };
	}

	const resetMails = async (email) => (await readMails(stack.outboxDir))
		.filter((m) => m.subject === MSG.resetSubject && m.to === email);

	test('the page asks for the e-mail; an empty one → "Renseigne ton adresse e-mail."', async () => {
		const y = httpClient(stack.baseUrl);
		const page = await y.get('/app/mot-de-passe-oublie');
		const html = await page.text();
		assert.equal(page.status, 200);
		has(html, 'Adresse e-mail');
		has(html, 'Recevoir un lien');
		const r = await forgot(y, '');
		assert.equal(r.status, 400);
		has(r.html, MSG.appNoEmail);
	});

	test('known and unknown e-mails get the same neutral answer; only the known one gets a mail', async () => {
		const { email } = await activated(100010);
		await waitForIdle(stack);
		const before = (await readMails(stack.outboxDir)).length;
		const y = httpClient(stack.baseUrl);
		const unknown = await forgot(y, 'personne.inconnue@exemple.fr');
		assert.equal(unknown.status, 200);
		has(unknown.html, MSG.forgotSent);
		await assertMailCount(stack, before, 'no mail for an unknown address');

		const known = await forgot(y, `  ${email.toUpperCase()} `);
		assert.equal(known.status, 200);
		has(known.html, MSG.forgotSent);
		assert.equal(known.html, unknown.html, 'the two answers are identical');

		const { mail, link } = await mailTo(stack, email, MSG.resetSubject);
		assert.match(link, /^\/app\/activation\/[A-Za-z0-9_-]{43,}$/);
		assert.match(mail.text, /Bonjour /);
		assert.equal((await resetMails(email)).length, 1);
	});

	test('at most 3 mails an hour: a 4th request answers the same but sends nothing', async () => {
		const { email } = await activated(100018);
		const y = httpClient(stack.baseUrl);
		for (let i = 1; i <= 3; i++) {
			const r = await forgot(y, email);
			assert.equal(r.status, 200);
			has(r.html, MSG.forgotSent);
			await mailTo(stack, email, MSG.resetSubject, i);
		}
		const fourth = await forgot(y, email);
		assert.equal(fourth.status, 200);
		has(fourth.html, MSG.forgotSent);
		await waitForIdle(stack);
		assert.equal((await resetMails(email)).length, 3, 'no 4th reset mail');
	});

	test('only the newest link works; it sets the new password, then every link is dead and app sessions are revoked', async () => {
		const { email, appSession } = await activated(100019);
		// Three reset requests, each mailed (the most an hour).
		for (let i = 1; i <= 3; i++) {
			assert.equal((await forgot(httpClient(stack.baseUrl), email)).status, 200);
			await mailTo(stack, email, MSG.resetSubject, i);
		}
		const mails = await resetMails(email);
		assert.equal(mails.length, 3);
		const links = mails.map((m) => new URL(extractLink(m.text, '/app/activation/')).pathname);
		assert.equal(new Set(links).size, 3, 'three different links');
		const [first, second, newest] = links;

		const y = httpClient(stack.baseUrl);
		for (const [l, what] of [[first, '1st link'], [second, '2nd link']]) {
			const r = await y.get(l);
			assert.equal(r.status, 410, `${what} was invalidated by the newer one`);
			has(await r.text(), MSG.linkInvalidTitle);
		}

		const set = await setPassword(y, newest, NEW_PASSWORD);
		assert.equal(set.status, 303, visible(set.html));
		assert.equal(set.location, '/app/connexion');
		const page = await y.get('/app/connexion');
		has(await page.text(), MSG.passwordCreated);

		const reuse = await y.get(newest);
		assert.equal(reuse.status, 410, 'the used link is dead');
		has(await reuse.text(), MSG.linkInvalidTitle);

		const revoked = await appSession.get('/app/accueil');
		assert.equal(revoked.status, 303, 'the app session opened before the reset is revoked');
		assert.equal(revoked.headers.get('location'), '/app/connexion?retour=%2Fapp%2Faccueil');

		const old = await appLogin(stack, email, PASSWORD);
		assert.equal(old.status, 401, 'the old password no longer works');
		has(old.html, MSG.loginBad);
		const fresh = await appLogin(stack, email, NEW_PASSWORD);
		assert.equal(fresh.status, 303, 'the new password works');
		assert.equal(fresh.location, '/app/accueil');
	});

	test('it also works for an account never activated (the way out of an expired activation link)', async () => {
		const b = await addBeneficiary(stack, c, 100011);
		const r = await forgot(httpClient(stack.baseUrl), b.email);
		assert.equal(r.status, 200);
		has(r.html, MSG.forgotSent);
		const { link } = await mailTo(stack, b.email, MSG.resetSubject);
		const old = await httpClient(stack.baseUrl).get(b.link);
		assert.equal(old.status, 410, 'the activation link was invalidated by the reset link');
		const set = await setPassword(httpClient(stack.baseUrl), link, NEW_PASSWORD);
		assert.equal(set.status, 303);
		const login = await appLogin(stack, b.email, NEW_PASSWORD);
		assert.equal(login.status, 303);
		assert.equal(login.location, '/app/accueil');
		const { rows } = await portfolioRows(c);
		const row = rows.find((x) => !x.includes('Compte non activé') && x.includes('Aujourd’hui à'));
		assert.ok(row, `both beneficiaries now show a last activity: ${JSON.stringify(rows)}`);
		assert.equal(rows.filter((x) => x.includes('Compte non activé')).length, 0);
	});
});
