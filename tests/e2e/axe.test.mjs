// axe.test.mjs — self-test of the e2e harness, without the cej server: the browser and
// checkA11y on two tiny pages served by node (under the same CSP as cej's), readMails on
// hand-written .eml files, the link and CSRF helpers, the cookie jar, and startStack's
// process handling against a stand-in for the cej binary.
//
//   node --test tests/e2e/axe.test.mjs        (from the repository root)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import {
	checkA11y, csrfFrom, decodeRfc2047, extractLink, freePort, httpClient, launchBrowser,
	readMails, startStack,
} from './harness.mjs';

const CSP = "default-src 'self'";

const PAGES = {
	'/ok': `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Page accessible</title></head>
<body><header><p>En-tête</p></header>
<main><h1>Bonjour</h1><img src="/pixel.svg" alt="Logo de la Mission Locale">
<form method="post" action="/ok"><label for="nom">Nom</label><input id="nom" name="nom" type="text">
<button type="submit">Envoyer</button></form></main></body></html>`,
	'/ko': `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Page fautive</title></head>
<body><main><h1>Image sans alternative</h1><img src="/pixel.svg"></main></body></html>`,
};
const PIXEL = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';

let server;
let base;
let browser;

before(async () => {
	server = http.createServer((req, res) => {
		const url = new URL(req.url, 'http://x');
		if (url.pathname === '/pixel.svg') {
			res.writeHead(200, { 'content-type': 'image/svg+xml', 'content-security-policy': CSP });
			return res.end(PIXEL);
		}
		if (url.pathname === '/cookies') { // for the cookie jar test
			const seen = req.headers.cookie || '';
			const headers = { 'content-type': 'text/plain' };
			if (url.searchParams.has('set'))
				headers['set-cookie'] = ['sid=abc123; Path=/; HttpOnly; SameSite=Lax', 'csrf=tok; Path=/'];
			if (url.searchParams.has('clear'))
				headers['set-cookie'] = ['sid=; Path=/; Max-Age=0'];
			res.writeHead(url.searchParams.has('redirect') ? 303 : 200,
				url.searchParams.has('redirect') ? { ...headers, location: '/ok' } : headers);
			return res.end(seen);
		}
		if (url.pathname === '/form' && req.method === 'POST') {
			let body = '';
			req.on('data', (d) => { body += d; });
			req.on('end', () => {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ type: req.headers['content-type'], origin: req.headers.origin ?? null, body }));
			});
			return undefined;
		}
		const page = PAGES[url.pathname];
		if (!page) { res.writeHead(404); return res.end(); }
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP });
		return res.end(page);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${server.address().port}`;
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
	await new Promise((resolve) => server?.close(resolve));
});

test('checkA11y passes on an accessible page (under a strict CSP)', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	const cspErrors = [];
	page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
	await page.goto(base + '/ok');
	assert.equal(await page.title(), 'Page accessible');
	await checkA11y(page, '/ok');
	await checkA11y(page, '/ok (second run, axe already injected)');
	assert.deepEqual(cspErrors, [], 'injecting axe must not trip the CSP');
	await context.close();
});

test('checkA11y throws on a page with an image without alt', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(base + '/ko');
	await assert.rejects(checkA11y(page, '/ko'), (err) => {
		assert.match(err.message, /accessibility violation/);
		assert.match(err.message, /\/ko/);
		assert.match(err.message, /image-alt \[critical\]/);
		assert.match(err.message, /img/);
		assert.ok(err.violations.some((v) => v.id === 'image-alt'));
		return true;
	});
	await context.close();
});

test('the browser is isolated: a fresh profile, no --user-data-dir of ours', async () => {
	// Two contexts share no cookies.
	const a = await browser.newContext();
	const b = await browser.newContext();
	await a.addCookies([{ name: 'sid', value: '1', url: base }]);
	assert.equal((await b.cookies(base)).length, 0);
	await a.close();
	await b.close();
});

// -------------------------------------------------------------------------------------------
// Mail

function b64lines(s) {
	return Buffer.from(s, 'utf8').toString('base64').replace(/.{1,76}/g, '$&\r\n');
}

// As cej's file transport writes them: multipart/alternative, base64 UTF-8 parts, an RFC 2047
// subject folded over two lines.
function emlCej({ to, subject, text, html, date, id }) {
	const words = [subject.slice(0, 20), subject.slice(20)].filter(Boolean)
		.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`);
	return [
		`Date: ${date}`,
		`Message-ID: <${id}@cej.test>`,
		'From: "CEJ" <ne-pas-repondre@cej.test>',
		`To: ${to}`,
		`Subject: ${words.join('\r\n ')}`,
		'MIME-Version: 1.0',
		'Content-Type: multipart/alternative; boundary="=_cej_b0und"',
		'',
		'This is a multi-part message in MIME format.',
		'--=_cej_b0und',
		'Content-Type: text/plain; charset=UTF-8',
		'Content-Transfer-Encoding: base64',
		'',
		b64lines(text) + '--=_cej_b0und',
		'Content-Type: text/html; charset=UTF-8',
		'Content-Transfer-Encoding: base64',
		'',
		b64lines(html) + '--=_cej_b0und--',
		'',
	].join('\r\n');
}

// What an SMTP copy could look like: multipart/mixed around the alternative, quoted-printable,
// a Q-encoded subject, LF line ends.
const EML_NESTED = `Date: Tue, 03 Jun 2025 08:00:00 +0000
Message-ID: <nested@cej.test>
From: cej@cej.test
To: =?UTF-8?Q?Zo=C3=A9_Martin?= <zoe@exemple.fr>
Subject: =?UTF-8?Q?Rendez-vous_d=C3=A9plac=C3=A9?= =?UTF-8?Q?_au_12_juin?=
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=outer

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

Votre rendez-vous est d=C3=A9plac=C3=A9 : https://cej.test/app/rendez-vous/42=
?x=3D1.
--inner
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<p>Votre rendez-vous est déplacé.</p>
--inner--
--outer
Content-Type: text/calendar; method=REQUEST; charset=utf-8

BEGIN:VCALENDAR
END:VCALENDAR
--outer--
`;

test('readMails parses .eml files (base64 parts, RFC 2047 subject), sorted by file name', async () => {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cej-eml-'));
	try {
		const link = 'http://127.0.0.1:8080/activation/3f2a9c?etape=1&x=2';
		await fs.writeFile(path.join(dir, '0002-b.eml'), emlCej({
			to: 'lea.dupont@exemple.fr',
			subject: 'Activez votre compte du Contrat d’engagement jeune — étape 1',
			text: `Bonjour Léa,\r\n\r\nPour activer votre compte : ${link}\r\nÀ bientôt.\r\n`,
			html: `<p>Bonjour Léa,</p><p><a href="${link.replace('&', '&amp;')}">Activer mon compte</a></p>`,
			date: 'Mon, 02 Jun 2025 09:30:00 +0200',
			id: '0197-b',
		}));
		await fs.writeFile(path.join(dir, '0001-a.eml'), EML_NESTED);
		await fs.writeFile(path.join(dir, '0003-c.eml.tmp'), 'partial write, not a mail yet');

		const mails = await readMails(dir);
		assert.equal(mails.length, 2);
		assert.deepEqual(mails.map((m) => path.basename(m.file)), ['0001-a.eml', '0002-b.eml']);

		const [nested, cej] = mails;
		assert.equal(cej.to, 'lea.dupont@exemple.fr');
		assert.equal(cej.subject, 'Activez votre compte du Contrat d’engagement jeune — étape 1');
		assert.match(cej.text, /^Bonjour Léa,/);
		assert.match(cej.html, /<a href="http:\/\/127\.0\.0\.1:8080\/activation\/3f2a9c\?etape=1&amp;x=2">/);
		assert.equal(cej.messageId, '0197-b@cej.test');
		assert.ok(cej.date instanceof Date);
		assert.equal(cej.date.toISOString(), '2025-06-02T07:30:00.000Z');

		assert.equal(extractLink(cej.text, '/activation/'), link);
		assert.equal(extractLink(cej.html, '/activation/'), link, 'entities decoded in html');
		assert.equal(extractLink(cej.text, '/inconnu/'), null);

		assert.equal(nested.to, 'Zoé Martin <zoe@exemple.fr>');
		assert.equal(nested.subject, 'Rendez-vous déplacé au 12 juin');
		assert.match(nested.text, /déplacé : https:\/\/cej\.test\/app\/rendez-vous\/42\?x=1\./);
		assert.equal(extractLink(nested.text, '/app/'), 'https://cej.test/app/rendez-vous/42?x=1');
		assert.equal(nested.html.trim(), '<p>Votre rendez-vous est déplacé.</p>');

		assert.deepEqual(await readMails(path.join(dir, 'absent')), []);
	} finally {
		await fs.rm(dir, { recursive: true, force: true });
	}
});

test('decodeRfc2047 leaves plain text alone', () => {
	assert.equal(decodeRfc2047('Hello'), 'Hello');
	assert.equal(decodeRfc2047('=?iso-8859-1?Q?caf=E9?= ouvert'), 'café ouvert');
});

// -------------------------------------------------------------------------------------------
// HTTP helpers

test('csrfFrom finds the hidden _csrf input whatever the attribute order', () => {
	assert.equal(csrfFrom('<form><input type="hidden" name="_csrf" value="a1B2"></form>'), 'a1B2');
	assert.equal(csrfFrom("<input value='x&amp;y' name='_csrf' type=hidden>"), 'x&y');
	assert.equal(csrfFrom('<input name="_csrf_other" value="no"><input name=_csrf value=yes>'), 'yes');
	assert.equal(csrfFrom('<p>rien</p>'), null);
});

test('httpClient keeps cookies, does not follow redirects, posts forms', async () => {
	const c = httpClient(base);
	let r = await c.get('/cookies?set');
	assert.equal(await r.text(), '');
	assert.equal(c.cookie('sid'), 'abc123');
	r = await c.get('/cookies?redirect');
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/ok');
	assert.equal(await r.text(), 'sid=abc123; csrf=tok');
	await c.get('/cookies?clear');
	assert.equal(c.cookie('sid'), undefined);
	assert.equal(await (await c.get('/cookies')).text(), 'csrf=tok');

	r = await c.form('/form', { _csrf: 'tok', message: 'Bonjour & à bientôt' });
	const echo = await r.json();
	assert.equal(echo.type, 'application/x-www-form-urlencoded');
	assert.equal(echo.origin, base);
	assert.equal(new URLSearchParams(echo.body).get('message'), 'Bonjour & à bientôt');
	const bare = await (await c.form('/form', [['a', '1']], { origin: false })).json();
	assert.equal(bare.origin, null);
});

// -------------------------------------------------------------------------------------------
// startStack's process handling, against a stand-in for the cej binary

const FAKE_CEJ = `#!/usr/bin/env node
// Stand-in for build/cej: enough of imilo-sim / migrate / seed / serve for the harness.
const http = require('node:http');
const fs = require('node:fs');
const [cmd, ...args] = process.argv.slice(2);
// The database: a file on SQLite, a URL on PostgreSQL (CEJ_E2E_DATABASE_URL); either way the
// commands are noted in <stack folder>/commandes, the folder of the outbox.
if (!process.env.CEJ_DB_PATH && !process.env.CEJ_DATABASE_URL) { console.error('missing database'); process.exit(3); }
const noted = require('node:path').join(require('node:path').dirname(process.env.CEJ_MAIL_TRANSPORT.slice(5)), 'commandes');
const need = ['CEJ_PORT', 'CEJ_MAIL_TRANSPORT', 'CEJ_IMILO_API_URL', 'CEJ_SIM_PORT',
  'CEJ_SIM_ADMIN_TOKEN', 'CEJ_IMILO_TIMEOUT_MS', 'CEJ_BASE_URL', 'CEJ_QUIET'];
for (const k of need) if (!process.env[k]) { console.error('missing ' + k); process.exit(3); }
function serve(port, handler, exitCode) {
  const srv = http.createServer(handler);
  srv.listen(port, '127.0.0.1', () => console.log('cej: écoute sur http://127.0.0.1:' + port));
  process.on('SIGTERM', () => srv.close(() => process.exit(exitCode)));
}
if (cmd === 'imilo-sim') {
  const port = Number(args[args.indexOf('--port') + 1]);
  if (args[args.indexOf('--admin-token') + 1] !== 'test-admin') process.exit(4);
  serve(port, (req, res) => {
    const ok = req.headers['x-admin-token'] === 'test-admin';
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, path: req.url, body: body ? JSON.parse(body) : null }));
    });
  }, 0);
} else if (cmd === 'migrate' || cmd === 'seed') {
  fs.appendFileSync(noted, cmd + '\\n');
} else if (cmd === 'serve') {
  if (process.env.FAKE_BROKEN) { console.error('boom: cannot open database'); process.exit(2); }
  serve(Number(process.env.CEJ_PORT), (req, res) => {
    res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'text/plain' });
    res.end(req.url === '/healthz' ? 'ok' : JSON.stringify({ clock: process.env.CEJ_TEST_CLOCK || null }));
  }, Number(process.env.FAKE_EXIT_CODE || 0));
} else process.exit(64);
`;

async function withFakeCej(env, fn) {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cej-fake-'));
	const bin = path.join(dir, 'cej');
	await fs.writeFile(bin, FAKE_CEJ, { mode: 0o755 });
	const saved = {};
	for (const k of ['CEJ_BIN', ...Object.keys(env)]) saved[k] = process.env[k];
	Object.assign(process.env, { CEJ_BIN: bin, ...env });
	try {
		return await fn();
	} finally {
		for (const [k, v] of Object.entries(saved)) {
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
		}
		await fs.rm(dir, { recursive: true, force: true });
	}
}

test('startStack starts sim, migrate, seed, serve; stop() needs a clean exit', async () => {
	await withFakeCej({}, async () => {
		const stack = await startStack();
		assert.match(stack.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
		assert.notEqual(stack.port, stack.simPort);
		assert.equal((await fetch(stack.baseUrl + '/healthz')).status, 200);
		assert.equal(await fs.readFile(path.join(stack.tmp, 'commandes'), 'utf8'), 'migrate\nseed\n');
		assert.equal(stack.env.CEJ_TEST_CLOCK, 'true');
		assert.equal(stack.env.CEJ_MAIL_TRANSPORT, `file:${stack.outboxDir}`);
		const r = await stack.simAdmin('POST', '/admin/faults', { status: 503 });
		assert.equal(r.status, 200);
		assert.deepEqual(r.body, { method: 'POST', path: '/admin/faults', body: { status: 503 } });
		await stack.stop();
		await assert.rejects(fs.access(stack.tmp), 'tmp removed');
		await stack.stop(); // idempotent
	});

	await withFakeCej({}, async () => {
		const stack = await startStack({ clockTest: false });
		assert.equal(await (await fetch(stack.baseUrl + '/x')).text(), '{"clock":null}');
		await stack.stop();
	});
});

test('startStack reports a server that does not start, and a dirty shutdown', async () => {
	await withFakeCej({ FAKE_BROKEN: '1' }, async () => {
		await assert.rejects(startStack(), /cej serve exited/);
	});
	await withFakeCej({ FAKE_EXIT_CODE: '1' }, async () => {
		const stack = await startStack();
		await assert.rejects(stack.stop(), /did not shut down cleanly.*code 1/);
		await assert.rejects(fs.access(stack.tmp), 'tmp removed even then');
	});
	await assert.rejects(
		withFakeCej({}, () => { process.env.CEJ_BIN = '/nonexistent/cej'; return startStack(); }),
		/does not exist/);
});

test('freePort gives a bindable loopback port', async () => {
	const port = await freePort();
	const srv = http.createServer();
	await new Promise((resolve, reject) => { srv.once('error', reject); srv.listen(port, '127.0.0.1', resolve); });
	await new Promise((resolve) => srv.close(resolve));
});
