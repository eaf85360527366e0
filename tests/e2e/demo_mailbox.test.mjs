// demo_mailbox.test.mjs — the demo mailbox (/demo/courriels) lists every mail with its links,
// password resets included: it exists only when asked for (CEJ_DEMO_MAILBOX), and cej
// refuses to start with it on an address other machines reach unless
// CEJ_DEMO_MAILBOX_PUBLIC confirms. A mail opens on its own page, its HTML part in a
// sandboxed frame with the inline styles mail clients keep; both pages fit a 390 px phone.
//
//   node --test tests/e2e/demo_mailbox.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startStack, launchBrowser, visit, httpClient, waitForMails } from './harness.mjs';

const REFUSAL = 'demo_mailbox : la boîte de réception de démonstration (/demo/courriels) montre à ' +
	'quiconque atteint le serveur tous les e-mails envoyés, liens d’activation';

describe('without the demo setting', () => {
	let stack;
	before(async () => { stack = await startStack({ demoMailbox: false }); });
	after(async () => { await stack?.stop(); });

	test('the mailbox and its mails answer 404', async () => {
		for (const p of ['/demo/courriels', '/demo/courriels/01900000-0000-7000-8000-000000000000',
			'/demo/courriels/01900000-0000-7000-8000-000000000000/contenu']) {
			const res = await fetch(stack.baseUrl + p);
			assert.equal(res.status, 404, p);
		}
	});

	test('a non-loopback bind starts (the mailbox is off)', () => {
		// `cej routes` loads the same configuration as `cej serve` and needs no free port.
		const r = spawnSync(path.resolve(process.env.CEJ_BIN || 'build/cej'), ['routes'],
			{ env: { ...stack.env, CEJ_BIND: '0.0.0.0' }, encoding: 'utf8' });
		assert.equal(r.status, 0, r.stderr);
		assert.doesNotMatch(r.stdout, /\/demo\/courriels/);
	});
});

describe('with CEJ_DEMO_MAILBOX', () => {
	let stack;
	before(async () => { stack = await startStack(); });
	after(async () => { await stack?.stop(); });

	test('the mailbox answers 200', async () => {
		const res = await fetch(stack.baseUrl + '/demo/courriels');
		assert.equal(res.status, 200);
		assert.match(await res.text(), /Boîte de réception de démonstration/);
	});

	test('cej serve on 0.0.0.0 refuses to start, with the reason in French', () => {
		const bin = path.resolve(process.env.CEJ_BIN || 'build/cej');
		const env = { ...stack.env, CEJ_BIND: '0.0.0.0', CEJ_PORT: '0' };
		const r = spawnSync(bin, ['serve'], { env, encoding: 'utf8', timeout: 10_000 });
		assert.equal(r.status, 1, `exit ${r.status}, signal ${r.signal}\n${r.stderr}`);
		assert.ok(r.stderr.replaceAll("'", '’').includes(REFUSAL), r.stderr);
		assert.match(r.stderr, /CEJ_DEMO_MAILBOX_PUBLIC=1/);
	});

	test('CEJ_DEMO_MAILBOX_PUBLIC confirms a public bind', () => {
		const r = spawnSync(path.resolve(process.env.CEJ_BIN || 'build/cej'), ['routes'],
			{ env: { ...stack.env, CEJ_BIND: '0.0.0.0', CEJ_DEMO_MAILBOX_PUBLIC: '1' }, encoding: 'utf8' });
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /\/demo\/courriels/);
	});
});

describe('a mail in the demo mailbox', () => {
	let stack, browser, id;
	before(async () => {
		stack = await startStack();
		browser = await launchBrowser();
		// Camille adds dossier 100001: its activation mail is the one to read.
		const c = httpClient(stack.baseUrl);
		let html = await (await c.get('/connexion')).text();
		let r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email: 'camille.martin@cej-demo.fr', password: 'Conseiller1!' });
		assert.equal(r.status, 303);
		html = await (await c.get('/portefeuille/ajouter')).text();
		r = await c.form('/portefeuille/ajouter/creer', { _csrf: c.csrfFrom(html), dossier: '100001', dispositif: 'CEJ' });
		assert.equal(r.status, 303);
		await waitForMails(stack.outboxDir);
		html = await (await fetch(stack.baseUrl + '/demo/courriels')).text();
		id = /href="\/demo\/courriels\/([0-9a-f-]{36})"/.exec(html)[1];
	});
	after(async () => {
		await browser?.close();
		await stack?.stop();
	});

	test('its HTML part has its own policy: inline styles, no script, nothing fetched, framed by the site only', async () => {
		const res = await fetch(`${stack.baseUrl}/demo/courriels/${id}/contenu`);
		assert.equal(res.status, 200);
		const csp = res.headers.get('content-security-policy');
		assert.match(csp, /default-src 'none'/);
		assert.match(csp, /style-src 'unsafe-inline'/);
		assert.doesNotMatch(csp, /script-src/);
		assert.match(csp, /frame-ancestors 'self'/);
		assert.match(csp, /sandbox allow-popups allow-popups-to-escape-sandbox(;|$)/);
		assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
		const html = await res.text();
		assert.match(html, /<head>\n<base target="_blank">/, 'links open a new tab, as in a webmail');
		assert.match(html, /République<br>française/);
		// The page around it keeps the site's policy.
		const page = await fetch(`${stack.baseUrl}/demo/courriels/${id}`);
		assert.match(page.headers.get('content-security-policy'), /frame-ancestors 'none'/);
		assert.equal(page.headers.get('x-frame-options'), 'DENY');
		assert.match(await page.text(), new RegExp(`<iframe class="cej-mailbox__frame" src="/demo/courriels/${id}/contenu" sandbox="allow-popups allow-popups-to-escape-sandbox"`));
	});

	for (const [width, height] of [[390, 844], [1366, 900]]) {
		test(`the list and the mail fit ${width} px, the mail styled as its reader sees it`, async () => {
			const ctx = await browser.newContext({ viewport: { width, height }, isMobile: width < 500 });
			const page = await ctx.newPage();
			const noSideways = async (what) => assert.ok(
				await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
				`${what}: no sideways scroll at ${width} px`);
			await page.goto(stack.baseUrl + '/demo/courriels');
			await noSideways('the list');
			await visit(page, `22-boite-de-demo-${width}`);
			await page.getByRole('link', { name: 'Active ton compte de l’application du CEJ' }).click();
			await page.getByRole('heading', { level: 1, name: 'Active ton compte de l’application du CEJ' }).waitFor();
			const frame = page.frameLocator('iframe.cej-mailbox__frame');
			const button = frame.getByRole('link', { name: 'Activer mon compte' });
			await button.waitFor();
			await noSideways('the mail');
			// Inside the frame: no sideways scroll either, a sans-serif text, the blue button.
			const inner = page.frame({ url: /\/contenu$/ });
			assert.ok(await inner.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
				`the mail itself fits the frame at ${width} px`);
			assert.match(await inner.evaluate(() => getComputedStyle(document.querySelector('h1')).fontFamily), /Marianne, Arial/);
			assert.equal(await button.evaluate((a) => getComputedStyle(a.parentElement).backgroundColor), 'rgb(0, 0, 145)');
			await visit(page, `23-courriel-activation-${width}`);
			await ctx.close();
		});
	}
});
