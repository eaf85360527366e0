// demo_mailbox.test.mjs — the demo mailbox (/demo/courriels) lists every mail with its links,
// password resets included: it exists only when asked for (CEJ_DEMO_MAILBOX), and cej
// refuses to start with it on an address other machines reach unless
// CEJ_DEMO_MAILBOX_PUBLIC confirms.
//
//   node --test tests/e2e/demo_mailbox.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startStack } from './harness.mjs';

const REFUSAL = 'demo_mailbox : la boîte mail de démonstration (/demo/courriels) montre à ' +
	'quiconque atteint le serveur tous les e-mails envoyés, liens d’activation';

describe('without the demo setting', () => {
	let stack;
	before(async () => { stack = await startStack({ demoMailbox: false }); });
	after(async () => { await stack?.stop(); });

	test('the mailbox and its mails answer 404', async () => {
		for (const p of ['/demo/courriels', '/demo/courriels/01900000-0000-7000-8000-000000000000']) {
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
