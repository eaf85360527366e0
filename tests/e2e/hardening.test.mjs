// hardening.test.mjs — what the security review of the issue "A fresh machine, phones, and
// what a security review found" asked of the HTTP server, seen from a client on the wire:
//
//   3. access is decided from the headers: a post its sender may not make is answered
//      before its body is read (no buffering of 6 MB for an anonymous client);
//   4. one address cannot take every connection (connections_per_address, event streams
//      counted apart with streams_per_address), and a request that trickles in is cut
//      (request_timeout_ms);
//   5. a slow i-milo never makes a login wait (i-milo calls on their own pool);
//  10. NUL in a path and HTTP/1.1 without Host are 400, one Cache-Control per response,
//      the access log names the client address and the user, failed logins and 403s leave
//      an audit row;
//  18. a second `cej serve` on a port in use fails to start and says so.
//
//   node --test tests/e2e/hardening.test.mjs   (from the repository root; binary: $CEJ_BIN or build/cej)
//
// Raw sockets are used where the point is what the server does before a request is complete.
// Loopback addresses other than 127.0.0.1 (127.0.0.0/8 is all local on Linux) stand for
// other clients.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, httpClient, waitFor } from './harness.mjs';

const COUNSELOR = { email: 'camille.martin@cej-demo.fr', password: 'Conseiller1!' };
const YANN = { email: 'yann.le-goff@cej-demo.fr', password: 'Conseiller1!' };
const MB = 1000 * 1000;

const sql = (stack, q) =>
	stack.sql(q);

/**
 * A raw connection: send(bytes), response({ headOnly, timeoutMs }) resolves { status, headers,
 * body } as soon as a whole answer is in (headOnly: its head), or rejects when none came in
 * time; closed resolves when the server (or we) closed it, with the time it took.
 */
function raw(port, { localAddress } = {}) {
	const s = net.connect({ port, host: '127.0.0.1', localAddress });
	const opened = Date.now();
	let buf = Buffer.alloc(0);
	const listeners = new Set();
	let isClosed = false;
	const connected = new Promise((ok, ko) => { s.once('connect', ok); s.once('error', ko); });
	const closed = new Promise((ok) => s.once('close', () => { isClosed = true; ok(Date.now() - opened); notify(); }));
	s.on('error', () => { /* reset by the server: closed tells */ });
	s.on('data', (d) => { buf = Buffer.concat([buf, d]); notify(); });
	function notify() { for (const l of listeners) l(); }

	function parse(headOnly) {
		const end = buf.indexOf('\r\n\r\n');
		if (end < 0) return null;
		const head = buf.subarray(0, end).toString('latin1').split('\r\n');
		const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
		if (!m) return null;
		const headers = {};
		for (const line of head.slice(1)) {
			const i = line.indexOf(':');
			if (i > 0) (headers[line.slice(0, i).trim().toLowerCase()] ??= []).push(line.slice(i + 1).trim());
		}
		const rest = buf.subarray(end + 4);
		const res = { status: Number(m[1]), headers, body: '' };
		if (headOnly) return res;
		const len = headers['content-length'] ? Number(headers['content-length'][0]) : null;
		if (len !== null) {
			if (rest.length < len) return null;
			buf = rest.subarray(len);
			res.body = rest.subarray(0, len).toString('utf8');
			return res;
		}
		if (/chunked/.test(headers['transfer-encoding']?.[0] ?? '')) {
			const last = rest.indexOf('0\r\n\r\n');
			if (last < 0) return isClosed ? res : null;
			buf = rest.subarray(last + 5);
			res.body = rest.subarray(0, last).toString('utf8');
			return res;
		}
		return isClosed ? { ...res, body: rest.toString('utf8') } : null;
	}

	return {
		socket: s,
		connected,
		closed,
		get isClosed() { return isClosed; },
		async send(data) {
			await connected;
			if (!s.destroyed) s.write(data);
		},
		response({ headOnly = false, timeoutMs = 5000 } = {}) {
			return new Promise((resolve, reject) => {
				const check = () => {
					const r = parse(headOnly);
					if (r) { done(); resolve(r); } else if (isClosed) { done(); reject(new Error('closed without an answer')); }
				};
				const timer = setTimeout(() => { done(); reject(new Error(`no answer within ${timeoutMs} ms`)); }, timeoutMs);
				const done = () => { clearTimeout(timer); listeners.delete(check); };
				listeners.add(check);
				check();
			});
		},
		destroy() { s.destroy(); },
	};
}

/** A logged-in counselor (httpClient) and its session cookie. */
async function counselor(stack, who = COUNSELOR) {
	const c = httpClient(stack.baseUrl);
	const page = await c.get('/connexion');
	const csrf = c.csrfFrom(await page.text());
	const r = await c.form('/connexion', { _csrf: csrf, email: who.email, password: who.password });
	assert.equal(r.status, 303, `login of ${who.email}`);
	await r.arrayBuffer();
	return c;
}

function cookieHeader(c) {
	return [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** Head of a multipart post announcing `length` bytes of body. */
function multipartHead(stack, target, { length, cookie = '', extra = '' }) {
	return `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${stack.port}\r\nOrigin: ${stack.baseUrl}\r\n` +
		(cookie ? `Cookie: ${cookie}\r\n` : '') + extra +
		`Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: ${length}\r\n\r\n`;
}

const FIRST_PART = '--xyz\r\nContent-Disposition: form-data; name="fichier"; filename="gros.pdf"\r\n' +
	'Content-Type: application/pdf\r\n\r\n' + 'x'.repeat(1000);

// ---------------------------------------------------------------------------------------------
// 3 and 10: decisions at the headers, malformed requests, audit rows, access log

describe('refused at the headers; malformed requests; audit and access log', () => {
	let stack;
	let camille;
	before(async () => {
		stack = await startStack({ extraEnv: { CEJ_QUIET: 'false' } });
		camille = await counselor(stack);
	});
	after(async () => { await stack?.stop(); });

	test('an anonymous 6 MB multipart post to a counselor route is answered before its body is sent', async () => {
		// The double-submit cookie an anonymous visitor holds after any page: without it the
		// answer would be 400 for CSRF, with it the route's access decides: login.
		const anon = httpClient(stack.baseUrl);
		await (await anon.get('/connexion')).arrayBuffer();
		const conns = [];
		for (let i = 0; i < 8; i++) {
			const c = raw(stack.port);
			conns.push(c);
			await c.send(multipartHead(stack, '/conversations/01900000-0000-7000-8000-000000000000',
				{ length: 6 * MB, cookie: cookieHeader(anon) }) + FIRST_PART);
		}
		// Nothing more is sent: the answer can only come from the headers.
		for (const c of conns) {
			const r = await c.response({ timeoutMs: 5000 });
			assert.equal(r.status, 303);
			assert.deepEqual(r.headers.location, ['/connexion']);
			assert.equal(Number(await c.closed) >= 0, true, 'the server closes the connection (the body is never read)');
		}
	});

	test('the same post without the CSRF cookie: 400 at the headers', async () => {
		const c = raw(stack.port);
		await c.send(multipartHead(stack, '/conversations/01900000-0000-7000-8000-000000000000', { length: 6 * MB }) + FIRST_PART);
		const r = await c.response();
		assert.equal(r.status, 400);
		assert.match(r.body, /Requête invalide/);
		c.destroy();
	});

	test('a counselor posting to a beneficiary route gets 403 at the headers, and an audit row', async () => {
		const before = Number(sql(stack, "SELECT count(*) FROM audit_log WHERE action = 'access.denied'"));
		const c = raw(stack.port);
		await c.send(multipartHead(stack, '/app/messages', { length: 6 * MB, cookie: cookieHeader(camille) }) + FIRST_PART);
		const r = await c.response();
		assert.equal(r.status, 403);
		assert.match(r.body, /Accès refusé/);
		c.destroy();
		const id = sql(stack, `SELECT id FROM counselor WHERE email = '${COUNSELOR.email}'`);
		const rows = sql(stack, "SELECT actor_kind, actor_id, detail FROM audit_log WHERE action = 'access.denied' ORDER BY at").split('\n');
		assert.equal(rows.length, before + 1);
		assert.equal(rows.at(-1), `counselor|${id}|POST /app/messages ip=127.0.0.1`);
	});

	test('a post from a foreign Origin with the session cookie: 400 at the headers', async () => {
		const c = raw(stack.port);
		await c.send(multipartHead(stack, '/conversations/01900000-0000-7000-8000-000000000000',
			{ length: 6 * MB, cookie: cookieHeader(camille) }).replace(`Origin: ${stack.baseUrl}`, 'Origin: https://evil.example') + FIRST_PART);
		const r = await c.response();
		assert.equal(r.status, 400);
		c.destroy();
	});

	test('a wrong X-CSRF-Token header is refused at the headers; the right one lets the request through', async () => {
		const page = await camille.get('/messagerie');
		const token = camille.csrfFrom(await page.text());
		assert.ok(token);
		const head = (t) => `POST /messagerie/masquage HTTP/1.1\r\nHost: 127.0.0.1:${stack.port}\r\n` +
			`Cookie: ${cookieHeader(camille)}\r\nX-CSRF-Token: ${t}\r\n` +
			`Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n`;
		const bad = raw(stack.port);
		await bad.send(head(token.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'))));
		assert.equal((await bad.response()).status, 400);
		bad.destroy();
		const good = raw(stack.port);
		await good.send(head(token));
		await assert.rejects(good.response({ timeoutMs: 500 }), /no answer/, 'the body is awaited');
		await good.send('masquer=0&' + 'x='.padEnd(100000 - 'masquer=0&'.length, 'y'));
		assert.equal((await good.response()).status, 303);
		good.destroy();
	});

	test('%00 in a path is 400; the asset itself is 200', async () => {
		const html = await (await fetch(stack.baseUrl + '/connexion')).text();
		const css = /\/static\/[0-9a-f]{16}\/cej\.css/.exec(html)?.[0];
		assert.ok(css, 'the page links cej.css');
		assert.equal((await fetch(stack.baseUrl + css)).status, 200);
		for (const p of [`${css}%00.js`, `${css}%00`, '/connexion%00.css']) {
			const r = await fetch(stack.baseUrl + p);
			assert.equal(r.status, 400, p);
			await r.arrayBuffer();
		}
		// A raw NUL is cut by libmicrohttpd 0.9.75 before the application sees the request
		// line: what is served is the part before it, as itself (nginx refuses it in front).
		const c = raw(stack.port);
		await c.send(`GET ${css}\0.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
		const r = await c.response().catch(() => ({ status: 'closed', headers: {} }));
		assert.ok(r.status === 400 || /^text\/css/.test(r.headers['content-type']?.[0]), 'never served as a script');
		c.destroy();
	});

	test('HTTP/1.1 without Host is 400; HTTP/1.0 without Host is served', async () => {
		const c = raw(stack.port);
		await c.send('GET /connexion HTTP/1.1\r\nConnection: close\r\n\r\n');
		assert.equal((await c.response()).status, 400);
		c.destroy();
		const old = raw(stack.port);
		await old.send('GET /connexion HTTP/1.0\r\n\r\n');
		assert.equal((await old.response()).status, 200);
		old.destroy();
	});

	test('every response carries one Cache-Control, a download included', async () => {
		// A beneficiary in the portfolio, then a file sent in the conversation.
		let page = await camille.get('/portefeuille/ajouter');
		let csrf = camille.csrfFrom(await page.text());
		const created = await camille.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier: '100031', dispositif: 'CEJ' });
		assert.equal(created.status, 303);
		const list = await (await camille.get('/portefeuille')).text();
		const id = /\/beneficiaires\/([0-9a-f-]{36})/.exec(list)[1];
		page = await camille.get(`/conversations/${id}`);
		csrf = camille.csrfFrom(await page.text());
		const form = new FormData();
		form.set('_csrf', csrf);
		form.set('message', 'Voici votre attestation.');
		form.set('piece_jointe', new Blob([Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')], { type: 'application/pdf' }), 'attestation.pdf');
		const sent = await camille.fetch(`/conversations/${id}`, { method: 'POST', body: form, headers: { origin: stack.baseUrl } });
		assert.ok([200, 303].includes(sent.status), `send: ${sent.status}`);
		await sent.arrayBuffer();
		const att = sql(stack, 'SELECT id FROM attachment LIMIT 1');
		assert.ok(att, 'the attachment is stored');
		const get = async (p, cookie) => {
			const c = raw(stack.port);
			await c.send(`GET ${p} HTTP/1.1\r\nHost: x\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}Connection: close\r\n\r\n`);
			const r = await c.response();
			c.destroy();
			return r;
		};
		const dl = await waitFor(async () => { const r = await get(`/pieces-jointes/${att}`, cookieHeader(camille)); return r.status === 200 && r; },
			{ what: 'the attachment to be downloadable' });
		assert.deepEqual(dl.headers['cache-control'], ['private, no-store']);
		assert.deepEqual((await get('/connexion')).headers['cache-control'], ['no-store']);
		assert.deepEqual((await get('/manifest.webmanifest')).headers['cache-control'], ['public, max-age=3600']);
	});

	test('failed logins leave an audit row: the account when it exists, never the password nor an unknown e-mail', async () => {
		const c = httpClient(stack.baseUrl);
		const csrf = c.csrfFrom(await (await c.get('/connexion')).text());
		for (const email of [YANN.email, 'personne.inconnue@example.fr']) {
			const r = await c.form('/connexion', { _csrf: csrf, email, password: 'MauvaisMotDePasse9' });
			assert.equal(r.status, 401);
			await r.arrayBuffer();
		}
		const yann = sql(stack, `SELECT id FROM counselor WHERE email = '${YANN.email}'`);
		const rows = sql(stack, "SELECT actor_kind, coalesce(actor_id, '-'), coalesce(target_id, '-'), detail FROM audit_log " +
			"WHERE action = 'login.failed' ORDER BY at").split('\n');
		assert.deepEqual(rows, [
			`anonymous|-|${yann}|counselor ip=127.0.0.1`,
			'anonymous|-|-|counselor ip=127.0.0.1 compte inconnu',
		]);
		const all = sql(stack, 'SELECT * FROM audit_log');
		assert.ok(!all.includes('MauvaisMotDePasse9') && !all.includes('personne.inconnue'), 'no password, no unknown e-mail');
	});

	test('the access log names the client address and the user, never a password', async () => {
		const id = sql(stack, `SELECT id FROM counselor WHERE email = '${COUNSELOR.email}'`);
		// A failed login of its own (the test runs alone too): its line names no user and
		// holds neither the password nor the token.
		const anon = httpClient(stack.baseUrl);
		const failed = await anon.form('/connexion', {
			_csrf: anon.csrfFrom(await (await anon.get('/connexion')).text()), email: 'personne.inconnue@example.fr', password: 'MauvaisMotDePasse9',
		});
		assert.equal(failed.status, 401);
		await failed.arrayBuffer();
		const r = await camille.get('/portefeuille?marqueur=journal');
		assert.equal(r.status, 200);
		await r.arrayBuffer();
		await waitFor(() => stack.log().includes('/portefeuille?') || /GET \/portefeuille route=\/portefeuille status=200/.test(stack.log()),
			{ what: 'the access-log line' });
		const line = stack.log().split('\n').filter((l) => / GET \/portefeuille route=/.test(l)).at(-1);
		assert.match(line, new RegExp(`req=\\d+ ip=127\\.0\\.0\\.1 user=${id} GET /portefeuille route=/portefeuille status=200 us=\\d+`));
		assert.match(stack.log(), /ip=127\.0\.0\.1 user=- POST \/connexion route=\/connexion status=401/);
		const access = stack.log().split('\n').filter((l) => / req=\d+ ip=/.test(l)).join('\n');
		assert.ok(!access.includes(COUNSELOR.password) && !access.includes('MauvaisMotDePasse9') &&
			!access.includes('_csrf'), 'no password nor token in the access log');
	});
});

// ---------------------------------------------------------------------------------------------
// 4. Connections per address, event streams apart

describe('connections per address', () => {
	let stack;
	before(async () => {
		stack = await startStack({ extraEnv: { CEJ_CONNECTIONS_PER_ADDRESS: '4', CEJ_STREAMS_PER_ADDRESS: '2' } });
	});
	after(async () => { await stack?.stop(); });

	/** A kept-alive connection from `localAddress` that has been served once (so it is counted). */
	async function served(localAddress, target = '/healthz') {
		const c = raw(stack.port, { localAddress });
		await c.send(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
		const r = await c.response();
		return { c, r };
	}

	test('an address holding its 4 connections gets no fifth; another address is served; a freed slot is reused', async () => {
		const held = [];
		for (let i = 0; i < 4; i++) {
			const { c, r } = await served('127.0.0.3');
			assert.equal(r.status, 200);
			held.push(c);
		}
		const fifth = raw(stack.port, { localAddress: '127.0.0.3' });
		await fifth.send('GET /connexion HTTP/1.1\r\nHost: x\r\n\r\n');
		await assert.rejects(fifth.response(), /closed without an answer/);
		const other = await served('127.0.0.4', '/connexion');
		assert.equal(other.r.status, 200, 'another address is served');
		other.c.destroy();
		held.pop().destroy();
		const again = await waitFor(async () => {
			const { c, r } = await served('127.0.0.3').catch(() => ({}));
			return r?.status === 200 && c;
		}, { what: 'a connection from 127.0.0.3 once one of its four closed' });
		again.destroy();
		for (const c of held) c.destroy();
	});

	test('event streams are counted apart: two streams leave the four page connections; a third stream is 503', async () => {
		const c = await counselor(stack);
		const cookie = cookieHeader(c);
		const streams = [];
		for (let i = 0; i < 2; i++) {
			const s = raw(stack.port, { localAddress: '127.0.0.5' });
			await s.send(`GET /evenements HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\n\r\n`);
			const r = await s.response({ headOnly: true });
			assert.equal(r.status, 200);
			assert.match(r.headers['content-type'][0], /text\/event-stream/);
			streams.push(s);
		}
		const pages = [];
		for (let i = 0; i < 4; i++) {
			const p = await waitFor(async () => {
				const x = await served('127.0.0.5').catch(() => null);
				return x?.r.status === 200 && x.c;
			}, { what: `page connection ${i + 1} beside two streams` });
			pages.push(p);
		}
		pages.pop().destroy();  // room for the request of the third stream
		const third = await waitFor(async () => {
			const s = raw(stack.port, { localAddress: '127.0.0.5' });
			await s.send(`GET /evenements HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\n\r\n`);
			const r = await s.response({ headOnly: true }).catch(() => null);
			s.destroy();
			return r;
		}, { what: 'an answer to a third stream' });
		assert.equal(third.status, 503);
		for (const s of [...streams, ...pages]) s.destroy();
	});
});

// ---------------------------------------------------------------------------------------------
// 4. A request must arrive in time

describe('request time limit', () => {
	let stack;
	before(async () => { stack = await startStack({ extraEnv: { CEJ_REQUEST_TIMEOUT_MS: '1500' } }); });
	after(async () => { await stack?.stop(); });

	/** Sends head, then one byte of drip every 200 ms until the server closes (or 8 s). */
	async function trickle(head, drip) {
		const c = raw(stack.port);
		await c.send(head);
		const start = Date.now();
		let sent = 0;
		while (!c.isClosed && Date.now() - start < 8000) {
			await c.send(drip[sent % drip.length]);
			sent++;
			await sleep(200);
		}
		return { closed: c.isClosed, afterMs: Date.now() - start, sent };
	}

	test('headers sent a byte at a time are cut after request_timeout_ms', async () => {
		const r = await trickle('GET /connexion HTTP/1.1\r\nHost: x\r\nX-Lent: ', 'abcdef');
		assert.ok(r.closed, `the server closed the connection (still open after ${r.afterMs} ms and ${r.sent} bytes)`);
		assert.ok(r.afterMs >= 1000, `not before the limit (${r.afterMs} ms)`);
	});

	test('a body sent a byte at a time is cut too', async () => {
		const anon = httpClient(stack.baseUrl);
		await (await anon.get('/connexion')).arrayBuffer();
		const r = await trickle(`POST /connexion HTTP/1.1\r\nHost: 127.0.0.1:${stack.port}\r\nCookie: ${cookieHeader(anon)}\r\n` +
			'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n', 'x');
		assert.ok(r.closed, `the server closed the connection (still open after ${r.afterMs} ms)`);
	});

	test('a request that arrives in time is served', async () => {
		const r = await fetch(stack.baseUrl + '/connexion');
		assert.equal(r.status, 200);
		await r.arrayBuffer();
	});
});

// ---------------------------------------------------------------------------------------------
// 5. i-milo and logins on separate pools

describe('a slow i-milo and logins', () => {
	let stack;
	// Two password workers, as few as the old shared pool had for i-milo and logins together
	// with four "Valider le numéro" at once.
	before(async () => { stack = await startStack({ extraEnv: { CEJ_WORKERS: '2' } }); });
	after(async () => { await stack?.stop(); });

	test('a login answers while four i-milo lookups wait on a slow i-milo', async () => {
		const LATENCY = 2000;  // below the stack's i-milo timeout (3 s)
		const camille = await counselor(stack);
		const csrf = camille.csrfFrom(await (await camille.get('/portefeuille/ajouter')).text());
		const yann = httpClient(stack.baseUrl);
		const yannCsrf = yann.csrfFrom(await (await yann.get('/connexion')).text());
		const f = await stack.simAdmin('POST', '/_admin/faults', { match: { path: '/sue/dossiers/*' }, latencyMs: LATENCY });
		assert.equal(f.status, 201, JSON.stringify(f.body));

		const finished = [];
		const fired = Date.now();
		const lookups = ['100001', '100002', '100003', '100004'].map(async (dossier) => {
			const r = await camille.form('/portefeuille/ajouter', { _csrf: csrf, dossier });
			await r.arrayBuffer();
			finished.push(Date.now());
			return r.status;
		});
		// Wait until the four lookups have gone through the server's pool to i-milo (the
		// simulator counts a fault's hits when a call arrives, before its latency).
		await waitFor(async () => {
			const faults = (await stack.simAdmin('GET', '/_admin/faults')).body;
			return faults.find((x) => x.id === f.body.id)?.hits === 4;
		}, { what: 'the four lookups waiting on the slow i-milo' });
		const r = await yann.form('/connexion', { _csrf: yannCsrf, ...YANN });
		const loginAt = Date.now();
		assert.equal(r.status, 303);
		assert.equal(finished.length, 0, 'the login answered before any i-milo lookup finished');
		const statuses = await Promise.all(lookups);
		assert.ok(finished.every((t) => t > loginAt && t - fired >= LATENCY - 50), 'the lookups did wait on i-milo');
		assert.deepEqual(statuses, [200, 200, 200, 200]);
	});
});

// ---------------------------------------------------------------------------------------------
// 18. One server per port

describe('one server per port', () => {
	let stack;
	before(async () => { stack = await startStack(); });
	after(async () => { await stack?.stop(); });

	test('a second cej serve on the same port fails to start and says the port is in use', async () => {
		const bin = path.resolve(process.env.CEJ_BIN || 'build/cej');
		const second = spawn(bin, ['serve'], { env: stack.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		second.stdout.on('data', (d) => { out += d; });
		second.stderr.on('data', (d) => { out += d; });
		const exited = new Promise((ok) => second.once('exit', (code) => ok(code)));
		// Were it to start (sharing the port), it would print "écoute sur": stop it then.
		const started = waitFor(() => out.includes('écoute sur'), { timeoutMs: 10_000, what: 'a start' }).then(() => 'started', () => 'no start');
		const first = await Promise.race([exited.then((code) => ({ code })), started]);
		if (first === 'started' || first === 'no start') {
			second.kill('SIGTERM');
			await exited;
			assert.fail(`the second server ${first === 'started' ? 'started on the port in use' : 'neither started nor exited'}:\n${out}`);
		}
		assert.equal(first.code, 1);
		assert.match(out, new RegExp(`le port ${stack.port} est déjà utilisé`));
		const ok = await fetch(stack.baseUrl + '/healthz');
		assert.equal(ok.status, 200, 'the first server still answers');
		await ok.arrayBuffer();
	});

});
