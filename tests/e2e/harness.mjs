// harness.mjs — the shared e2e harness (node:test compatible; deps: playwright-core, axe-core).
//
//   import { startStack, launchBrowser, checkA11y, readMails, extractLink, httpClient } from './harness.mjs';
//
//   const stack = await startStack();            // imilo-sim + migrate + seed --demo + serve
//   const browser = await launchBrowser();
//   const page = await (await browser.newContext()).newPage();
//   await page.goto(stack.baseUrl + '/connexion');
//   await checkA11y(page, 'connexion');
//   ...
//   await browser.close();
//   await stack.stop();                          // asserts the server exits with code 0
//
// Also: waitFor(check, {timeoutMs, what}), waitForIdle(stack) (no job due, no mail unsent),
// waitForMails(outboxDir, pred), parseEml(raw), csrfFrom(html), freePort(),
// stack.simAdmin(method, path, body) → { status, headers, body }, stack.cli(...args),
// stack.sql(query) → its output (rows on lines, columns joined by '|', like sqlite3's list
// mode and psql -tA).
// Engine: SQLite (a file in the stack's folder) unless CEJ_E2E_DATABASE_URL names a
// PostgreSQL cluster (tools/with-pg.sh's URL): then each stack gets a database of its own
// there, dropped at stop (ENGINE says which).
// Pitfalls: axe is injected with page.evaluate (~1 s a page on this machine; a <script> tag
// would be refused by the CSP); launchBrowser() passes no --user-data-dir (see there).
//
// Run from the repository root (paths are relative to process.cwd()); the binary is
// $CEJ_BIN, default build/cej.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);

export const SIM_ADMIN_TOKEN = 'test-admin';
const PG_CLUSTER_URL = process.env.CEJ_E2E_DATABASE_URL || '';
export const ENGINE = PG_CLUSTER_URL ? 'postgres' : 'sqlite';
const READY_MARK = 'écoute sur';
const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// The stack's database

/** A fresh, empty database for one stack: { env, sql(q), drop() }. */
function stackDatabase(tmp) {
	if (ENGINE === 'sqlite') {
		const file = path.join(tmp, 'cej.db');
		return {
			env: { CEJ_DB_PATH: file },
			sql: (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, q], { encoding: 'utf8' }).trim(),
			drop() {},
		};
	}
	const name = `cej_e2e_${process.pid}_${path.basename(tmp).replace(/[^a-zA-Z0-9]/g, '').toLowerCase()}`;
	const url = new URL(PG_CLUSTER_URL);
	const psql = (target, q) => execFileSync('psql', [target, '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', q],
		{ encoding: 'utf8' }).trim();
	psql(PG_CLUSTER_URL, `CREATE DATABASE ${name}`);
	url.pathname = '/' + name;
	const dbUrl = url.toString();
	return {
		env: { CEJ_DATABASE_URL: dbUrl, CEJ_MESSAGE_KEY_FILE: path.join(tmp, 'cles-messages') },
		sql: (q) => psql(dbUrl, q),
		drop() {
			try { psql(PG_CLUSTER_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* cluster gone */ }
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Ports and processes

/** A TCP port free on 127.0.0.1 right now (the OS picks it; it may be taken again later). */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** Children still running: killed if the test process exits without stop(). */
const live = new Set();
process.once('exit', () => {
	for (const child of live) {
		try { child.kill('SIGKILL'); } catch { /* already gone */ }
	}
});

/**
 * Spawns `bin args` with stdout piped (read line by line, teed into the log file, so the
 * child never blocks on a full pipe) and stderr written straight into the log file.
 * Returns { child, name, log, waitLine(substr, ms), exited } where exited resolves to
 * { code, signal }.
 */
function startChild(name, bin, args, { env, cwd, logFile }) {
	const logFd = fs.openSync(logFile, 'a');
	fs.writeSync(logFd, `$ ${bin} ${args.join(' ')}\n`);
	const child = spawn(bin, args, { env, cwd, stdio: ['ignore', 'pipe', logFd] });
	fs.closeSync(logFd); // the child has its own copy
	live.add(child);

	const lines = [];
	const waiters = [];
	let partial = '';
	const log = (text) => { try { fs.appendFileSync(logFile, text); } catch { /* tmp removed */ } };
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk) => {
		log(chunk); // synchronous: the log is complete whenever we read it
		partial += chunk;
		let nl;
		while ((nl = partial.indexOf('\n')) >= 0) {
			const line = partial.slice(0, nl);
			partial = partial.slice(nl + 1);
			lines.push(line);
			for (const w of waiters) if (!w.done && line.includes(w.substr)) w.hit(line);
		}
	});

	const exited = new Promise((resolve) => {
		child.once('error', (err) => {
			live.delete(child);
			log(`[harness] ${name}: cannot start ${bin}: ${err.message}\n`);
			resolve({ code: null, signal: null, error: err });
		});
		child.once('exit', (code, signal) => {
			live.delete(child);
			const done = () => {
				log(`[harness] ${name} exited (code ${code}, signal ${signal})\n`);
				resolve({ code, signal });
			};
			// report once the remaining stdout has been read (and logged)
			if (child.stdout.closed || child.stdout.readableEnded) done();
			else child.stdout.once('close', done);
		});
	});

	/** Resolves with the first stdout line containing substr; rejects on exit or time-out. */
	function waitLine(substr, ms) {
		const seen = lines.find((l) => l.includes(substr));
		if (seen !== undefined) return Promise.resolve(seen);
		return new Promise((resolve, reject) => {
			const w = { substr, done: false };
			const timer = setTimeout(() => {
				w.done = true;
				reject(new Error(`${name}: no line containing ${JSON.stringify(substr)} within ${ms} ms`));
			}, ms);
			timer.unref();
			w.hit = (line) => { w.done = true; clearTimeout(timer); resolve(line); };
			waiters.push(w);
			exited.then(({ code, signal, error }) => {
				if (w.done) return;
				w.done = true;
				clearTimeout(timer);
				reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})` +
					(error ? `: ${error.message}` : '')));
			});
		});
	}

	return { child, name, logFile, waitLine, exited };
}

/** Runs a command to completion; resolves { code, signal, stdout }, output also in logFile. */
async function runToEnd(name, bin, args, opts) {
	const c = startChild(name, bin, args, opts);
	let stdout = '';
	c.child.stdout?.on('data', (d) => { stdout += d; });
	const res = await c.exited;
	return { ...res, stdout };
}

/** SIGTERM, then wait for the exit (SIGKILL after STOP_TIMEOUT_MS). Resolves { code, signal, killed }. */
async function terminate(c) {
	if (c.child.exitCode !== null || c.child.signalCode !== null) return { ...(await c.exited), killed: false };
	c.child.kill('SIGTERM');
	const timer = sleep(STOP_TIMEOUT_MS, 'timeout', { ref: false }); // must not hold the event loop
	const first = await Promise.race([c.exited, timer]);
	if (first !== 'timeout') return { ...first, killed: false };
	c.child.kill('SIGKILL');
	return { ...(await c.exited), killed: true };
}

function readLog(file) {
	try { return fs.readFileSync(file, 'utf8'); } catch { return ''; }
}

// ---------------------------------------------------------------------------------------------
// Waiting on a condition (never a fixed sleep)

/**
 * Calls check() (sync or async) every intervalMs until it returns a truthy value, and
 * resolves to that value. After timeoutMs it rejects with "timed out after N ms waiting
 * for <what>", plus the last value (or error) check() gave, so that a failure says what
 * was expected and what was seen. An error thrown by check() counts as "not yet".
 */
export async function waitFor(check, { timeoutMs = 10_000, intervalMs = 50, what = 'a condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		try {
			last = await check();
			if (last) return last;
		} catch (err) {
			last = err;
		}
		if (Date.now() >= deadline) {
			const seen = last instanceof Error ? `last error: ${last.message}` : `last value: ${JSON.stringify(last)}`;
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${seen})`);
		}
		await sleep(intervalMs);
	}
}

/**
 * The server's background queues (test clock only): { jobs, mails } = live jobs due on the
 * server's clock or running, and mails neither sent nor given up (GET /_test/files-vides).
 */
export async function queues(stack) {
	const r = await fetch(stack.baseUrl + '/_test/files-vides');
	if (r.status !== 200) throw new Error(`GET /_test/files-vides: ${r.status} (is CEJ_TEST_CLOCK set?)`);
	return r.json();
}

/**
 * Resolves once the server has nothing left to do in the background: no job due or
 * running, no mail waiting to be written. Use it after an action (or a clock shift) whose
 * jobs and mails a test then checks, and before asserting that something did NOT happen
 * ("no 4th mail"): once the queues are empty, nothing more can arrive.
 */
export async function waitForIdle(stack, timeoutMs = 15_000) {
	let last;
	await waitFor(async () => {
		last = await queues(stack);
		return last.jobs === 0 && last.mails === 0;
	}, { timeoutMs, what: 'empty job and mail queues', intervalMs: 50 }).catch((err) => {
		throw new Error(`${err.message}; queues: ${JSON.stringify(last)}`);
	});
}

// ---------------------------------------------------------------------------------------------
// The stack: i-milo simulator + cej serve on random loopback ports, temporary databases

/**
 * Starts `cej imilo-sim`, runs `cej migrate` and `cej seed --demo`, then starts `cej serve`.
 * Options: clockTest (POST /_test/horloge, default on), demoMailbox (/demo/courriels,
 * default on), demoData (the demo beneficiaries and the features' demo data, default off:
 * `seed --demo --sans-exemples` gives the demo structures and counselors only, so every
 * test starts from empty portfolios and agendas).
 * Returns { baseUrl, simUrl, tmp, outboxDir, env, logFile, simAdmin(method, path, body),
 *           cli(...args), stop() }.
 * On a start-up failure the children's logs are printed, everything is stopped and removed,
 * and the promise rejects. Set CEJ_E2E_KEEP=1 to keep the temporary directory.
 * extraEnv: more CEJ_* settings for both processes (small limits in a test).
 */
export async function startStack({ clockTest = true, demoMailbox = true, demoData = false, extraEnv = {}, nodes = 1 } = {}) {
	if (nodes > 1 && ENGINE !== 'postgres') throw new Error('several nodes share a PostgreSQL database: set CEJ_E2E_DATABASE_URL');
	const root = process.cwd();
	const bin = path.resolve(root, process.env.CEJ_BIN || 'build/cej');
	const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'cej-e2e-'));
	const outboxDir = path.join(tmp, 'outbox');
	await fsp.mkdir(outboxDir);
	const logFile = path.join(tmp, 'stack.log');
	const simPort = await freePort();
	const taken = new Set([simPort]);
	const portOf = async () => {
		let p = await freePort();
		while (taken.has(p)) p = await freePort();
		taken.add(p);
		return p;
	};
	const port = await portOf();
	// Several nodes: `port` is the load balancer's (nginx), each node has its own.
	const nodePorts = nodes > 1 ? await Promise.all(Array.from({ length: nodes }, portOf)) : [port];
	const baseUrl = `http://127.0.0.1:${port}`;
	const simUrl = `http://127.0.0.1:${simPort}`;

	const db = stackDatabase(tmp);
	const env = {
		...process.env,
		...db.env,
		CEJ_PORT: String(port),
		CEJ_MAIL_TRANSPORT: `file:${outboxDir}`,
		CEJ_IMILO_API_URL: simUrl,
		CEJ_SIM_PORT: String(simPort),
		CEJ_SIM_ADMIN_TOKEN: SIM_ADMIN_TOKEN,
		CEJ_IMILO_TIMEOUT_MS: '3000',
		CEJ_BASE_URL: baseUrl,
		CEJ_QUIET: 'true',
	};
	Object.assign(env, extraEnv);
	if (clockTest) env.CEJ_TEST_CLOCK = 'true';
	else delete env.CEJ_TEST_CLOCK;
	// The tests read their mails in the demo mailbox (/demo/courriels): on unless asked.
	if (demoMailbox) env.CEJ_DEMO_MAILBOX = 'true';
	else delete env.CEJ_DEMO_MAILBOX;
	const opts = { env, cwd: root, logFile };

	let sim = null;
	let server = null;
	const extraNodes = []; // nodes 2…n: { port, proc, killed }
	let lb = null;
	const cleanup = async () => {
		if (lb) await terminate(lb);
		for (const n of extraNodes) if (n.proc) await terminate(n.proc);
		if (server) await terminate(server);
		if (sim) await terminate(sim);
		if (!process.env.CEJ_E2E_KEEP) db.drop();
		if (!process.env.CEJ_E2E_KEEP) await fsp.rm(tmp, { recursive: true, force: true });
	};

	try {
		if (!fs.existsSync(bin)) throw new Error(`${bin} does not exist (build first, or set CEJ_BIN)`);

		sim = startChild('cej imilo-sim', bin, ['imilo-sim', '--port', String(simPort), '--db',
			path.join(tmp, 'sim.db'), '--reset', '--admin-token', SIM_ADMIN_TOKEN], opts);
		await sim.waitLine(READY_MARK, STARTUP_TIMEOUT_MS);

		for (const args of [['migrate'], ['seed', '--demo', ...(demoData ? [] : ['--sans-exemples'])]]) {
			const r = await runToEnd(`cej ${args.join(' ')}`, bin, args, opts);
			if (r.code !== 0) throw new Error(`cej ${args.join(' ')} failed (code ${r.code}, signal ${r.signal})`);
		}

		if (nodes > 1) {
			// Behind nginx every connection comes from 127.0.0.1: per-address caps off, the
			// client's address from X-Real-IP (as tools/run-cluster.sh does).
			Object.assign(env, { CEJ_TRUSTED_PROXY: '127.0.0.1', CEJ_CONNECTIONS_PER_ADDRESS: '0',
				CEJ_STREAMS_PER_ADDRESS: '0' });
		}
		const nodeOpts = (p) => ({ ...opts, env: { ...env, CEJ_PORT: String(p) } });
		server = startChild('cej serve', bin, ['serve'], nodeOpts(nodePorts[0]));
		await waitServerReady(server, `http://127.0.0.1:${nodePorts[0]}`);
		for (const p of nodePorts.slice(1)) {
			const proc = startChild(`cej serve :${p}`, bin, ['serve'], nodeOpts(p));
			extraNodes.push({ port: p, proc, killed: false });
			await waitServerReady(proc, `http://127.0.0.1:${p}`);
		}
		if (nodes > 1) lb = await startLoadBalancer(tmp, port, nodePorts, logFile);
	} catch (err) {
		const log = readLog(logFile);
		await cleanup();
		process.stderr.write(`\n[harness] stack start-up failed: ${err.message}\n` +
			`----- ${logFile} -----\n${log}\n----- end of log -----\n`);
		throw err;
	}

	let stopped = false;
	const nodeList = nodePorts.map((p, i) => {
		const holder = i === 0 ? null : extraNodes[i - 1];
		return {
			baseUrl: `http://127.0.0.1:${p}`,
			/** kill -9 of this node (never the first: it is the one stop() checks). */
			kill9: async () => {
				if (!holder) throw new Error('kill9: not the first node');
				holder.killed = true;
				holder.proc.child.kill('SIGKILL');
				await holder.proc.exited;
			},
		};
	});
	return {
		baseUrl,
		/** Several nodes: each node's own address (baseUrl is the load balancer's). */
		nodes: nodeList,
		simUrl,
		tmp,
		outboxDir,
		env,
		logFile,
		port,
		simPort,
		/** Calls the simulator's admin API; resolves { status, headers, body } (JSON parsed when JSON). */
		async simAdmin(method, urlPath, body) {
			const headers = { 'X-Admin-Token': SIM_ADMIN_TOKEN };
			const init = { method, headers };
			if (body !== undefined) {
				headers['Content-Type'] = 'application/json';
				init.body = typeof body === 'string' ? body : JSON.stringify(body);
			}
			const res = await fetch(simUrl + urlPath, init);
			const text = await res.text();
			let parsed = text;
			if ((res.headers.get('content-type') || '').includes('json') && text !== '') {
				try { parsed = JSON.parse(text); } catch { /* keep the text */ }
			}
			return { status: res.status, headers: res.headers, body: parsed };
		},
		/** Runs `cej ARGS…` with the stack's environment; resolves { code, signal, stdout }. */
		cli(...args) {
			return runToEnd(`cej ${args.join(' ')}`, bin, args, opts);
		},
		/** Runs SQL on the stack's database; its output, trimmed. */
		sql: db.sql,
		/** The children's combined log so far. */
		log() {
			return readLog(logFile);
		},
		/** Stops both processes; throws unless the server exited cleanly with code 0. */
		async stop() {
			if (stopped) return;
			stopped = true;
			if (lb) await terminate(lb);
			const others = [];
			for (const n of extraNodes) if (!n.killed) others.push(await terminate(n.proc));
			const s = await terminate(server);
			const m = await terminate(sim);
			const problems = [];
			for (const o of others)
				if (o.code !== 0 || o.killed) problems.push(`a cej serve node did not shut down cleanly: code ${o.code}, signal ${o.signal}`);
			if (s.code !== 0 || s.killed)
				problems.push(`cej serve did not shut down cleanly on SIGTERM: code ${s.code}, signal ${s.signal}` +
					(s.killed ? ` (killed after ${STOP_TIMEOUT_MS} ms)` : ''));
			if (m.killed || m.code === null)
				problems.push(`cej imilo-sim did not exit on SIGTERM: code ${m.code}, signal ${m.signal}`);
			else if (m.code !== 0)
				process.stderr.write(`[harness] warning: cej imilo-sim exited with code ${m.code}\n`);
			const log = problems.length ? readLog(logFile) : '';
			if (!process.env.CEJ_E2E_KEEP) db.drop();
			if (!process.env.CEJ_E2E_KEEP) await fsp.rm(tmp, { recursive: true, force: true });
			if (problems.length) {
				process.stderr.write(`----- ${logFile} -----\n${log}\n----- end of log -----\n`);
				throw new Error(problems.join('; '));
			}
		},
	};
}

/**
 * Opens @p as client @c's event stream. Returns { res, frames, next(pred, ms), close(),
 * ended } where frames are parsed as { event, data, retry, comment, raw } and ended
 * resolves to 'end' (clean end of the body) or 'error'.
 */
export async function openStream(c, p) {
	const ac = new AbortController();
	const res = await c.get(p, { signal: ac.signal, headers: { accept: 'text/event-stream' } });
	const frames = [];
	const waiters = [];
	let buf = '';
	const parse = (raw) => {
		const f = { raw, event: null, data: null, retry: null, comment: null };
		for (const line of raw.split('\n')) {
			if (line.startsWith(':')) f.comment = line.slice(1).trim();
			else if (line.startsWith('event: ')) f.event = line.slice(7);
			else if (line.startsWith('retry: ')) f.retry = Number(line.slice(7));
			else if (line.startsWith('data: ')) f.data = f.data === null ? line.slice(6) : `${f.data}\n${line.slice(6)}`;
		}
		return f;
	};
	const ended = (async () => {
		if (res.status !== 200) return 'not-a-stream';
		const reader = res.body.getReader();
		const dec = new TextDecoder();
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) return 'end';
				buf += dec.decode(value, { stream: true });
				let i;
				while ((i = buf.indexOf('\n\n')) >= 0) {
					frames.push(parse(buf.slice(0, i)));
					buf = buf.slice(i + 2);
					for (const w of waiters.splice(0)) w();
				}
			}
		} catch {
			return 'error';
		} finally {
			for (const w of waiters.splice(0)) w();
		}
	})();
	let state = 'open';
	ended.then((e) => { state = e; });
	async function next(pred, ms = 2000) {
		const deadline = Date.now() + ms;
		for (let seen = 0; ; ) {
			for (; seen < frames.length; seen++) if (pred(frames[seen])) return frames[seen];
			if (state !== 'open') throw new Error(`stream ${p} ended (${state}) without the frame`);
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`no matching frame on ${p} within ${ms} ms: ${JSON.stringify(frames)}`);
			await Promise.race([new Promise((r) => waiters.push(r)), sleep(left)]);
		}
	}
	return { res, frames, next, ended, close: () => ac.abort() };
}

/**
 * nginx in front of @nodePorts on @port, as tools/run-cluster.sh configures it (keep-alive
 * to the nodes, X-Real-IP, no buffering for the event streams). Resolves to its child.
 */
async function startLoadBalancer(tmp, port, nodePorts, logFile) {
	const dir = path.join(tmp, 'nginx');
	await fsp.mkdir(dir, { recursive: true });
	const servers = nodePorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n');
	await fsp.writeFile(path.join(dir, 'nginx.conf'), `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream cej {
${servers}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://cej;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_buffering off;
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout;
    }
  }
}
`);
	const lb = startChild('nginx', process.env.NGINX || '/usr/sbin/nginx',
		['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')],
		{ env: process.env, cwd: dir, logFile });
	await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200,
		{ timeoutMs: STARTUP_TIMEOUT_MS, what: 'nginx in front of the nodes' });
	return lb;
}

/** Ready when serve prints READY_MARK or GET /healthz answers 200, whichever comes first. */
async function waitServerReady(server, baseUrl) {
	const deadline = Date.now() + STARTUP_TIMEOUT_MS;
	let ready = false;
	let failure = null;
	server.waitLine(READY_MARK, STARTUP_TIMEOUT_MS).then(() => { ready = true; }, (e) => { failure = e; });
	while (!ready) {
		if (failure && !/no line containing/.test(failure.message)) throw failure;
		if (server.child.exitCode !== null || server.child.signalCode !== null)
			throw new Error(`cej serve exited during start-up (code ${server.child.exitCode}, signal ${server.child.signalCode})`);
		if (Date.now() > deadline) throw new Error(`cej serve not ready within ${STARTUP_TIMEOUT_MS} ms`);
		try {
			const res = await fetch(baseUrl + '/healthz', { signal: AbortSignal.timeout(1000) });
			await res.arrayBuffer();
			if (res.status === 200) return;
		} catch { /* not listening yet */ }
		await sleep(100);
	}
}

// ---------------------------------------------------------------------------------------------
// Browser

/**
 * Launches Debian's chromium through playwright-core (never `playwright install`).
 *
 * No --user-data-dir: playwright's launch() refuses it ("Pass userDataDir parameter to
 * browserType.launchPersistentContext") because it already gives every launch() a fresh
 * temporary profile (os.tmpdir()/playwright_chromiumdev_profile-XXXXXX, passed as
 * --user-data-dir and deleted on close()). That is the "fresh --user-data-dir" DESIGN §10 asks
 * for, and launch() keeps browser.newContext() for isolated sessions (counselor and
 * beneficiary side by side), which launchPersistentContext() cannot give.
 */
export async function launchBrowser(options = {}) {
	const { chromium } = await import('playwright-core');
	return chromium.launch({
		executablePath: process.env.CEJ_CHROMIUM || '/usr/bin/chromium',
		args: [
			'--no-sandbox', // we run as root
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
		...options,
	});
}

// ---------------------------------------------------------------------------------------------
// Accessibility

let axeSource = null;

/**
 * Runs axe-core on the page and throws an Error listing every violation (id, impact, help,
 * first 3 targets). The source is injected with page.evaluate, which the page's CSP does not
 * govern (an added <script> tag would be refused: CSP default-src 'self', no inline script).
 */
/**
 * checkA11y, then — when CEJ_E2E_SHOTS names a folder — a full-page screenshot
 * `${label}.png` there, to look at the pages.
 */
export async function visit(page, label) {
	await checkA11y(page, label);
	const shots = process.env.CEJ_E2E_SHOTS;
	if (shots) {
		await fsp.mkdir(shots, { recursive: true });
		await page.screenshot({ path: path.join(shots, `${label}.png`), fullPage: true });
	}
}

export async function checkA11y(page, label = page.url(), { options = {} } = {}) {
	if (axeSource === null) axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
	const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
	if (!loaded) await page.evaluate(axeSource);
	const violations = await page.evaluate(
		(opts) => window.axe.run(document, { ...opts, resultTypes: ['violations'] }).then((r) =>
			r.violations.map((v) => ({
				id: v.id,
				impact: v.impact,
				help: v.help,
				helpUrl: v.helpUrl,
				targets: v.nodes.map((n) => n.target.join(' ')),
			}))),
		options,
	);
	if (violations.length > 0) {
		const lines = violations.map((v) => {
			const more = v.targets.length > 3 ? ` (+${v.targets.length - 3} more)` : '';
			return `  - ${v.id} [${v.impact}] ${v.help}: ${v.targets.slice(0, 3).join(', ')}${more}`;
		});
		const err = new Error(`axe: ${violations.length} accessibility violation(s) on ${label}:\n${lines.join('\n')}`);
		err.violations = violations;
		throw err;
	}
}

// ---------------------------------------------------------------------------------------------
// Mail: the .eml files of the file transport

/** Decodes the RFC 2047 encoded words of a header value (B and Q encodings, any charset). */
export function decodeRfc2047(value) {
	if (!value) return value;
	// whitespace between two adjacent encoded words is not part of the text
	const joined = value.replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?[^?]+\?[bBqQ]\?[^?]*\?=)/g, '$1');
	return joined.replace(/=\?([^?*]+)(?:\*[^?]*)?\?([bBqQ])\?([^?]*)\?=/g, (whole, charset, enc, text) => {
		try {
			let bytes;
			if (enc.toUpperCase() === 'B') bytes = Buffer.from(text, 'base64');
			else bytes = qpBytes(text.replace(/_/g, ' '), false);
			return new TextDecoder(charset.trim().toLowerCase()).decode(bytes);
		} catch {
			return whole;
		}
	});
}

/** Quoted-printable to bytes; body=true also removes soft line breaks. */
function qpBytes(s, body = true) {
	if (body) s = s.replace(/=\r?\n/g, '');
	const out = [];
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
			out.push(parseInt(s.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			for (const b of Buffer.from(c, 'utf8')) out.push(b);
		}
	}
	return Buffer.from(out);
}

/** Splits raw message text into { headers: Map(lowercase name → unfolded value), body }. */
function splitMessage(raw) {
	const m = /\r?\n\r?\n/.exec(raw);
	const head = m ? raw.slice(0, m.index) : raw;
	const body = m ? raw.slice(m.index + m[0].length) : '';
	const headers = new Map();
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		const name = line.slice(0, colon).trim().toLowerCase();
		if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
	}
	return { headers, body };
}

/** Parses a Content-Type value into { type, params }. */
function contentType(value) {
	const [type, ...rest] = (value || 'text/plain').split(';');
	const params = {};
	for (const p of rest) {
		const eq = p.indexOf('=');
		if (eq < 0) continue;
		let v = p.slice(eq + 1).trim();
		if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
		params[p.slice(0, eq).trim().toLowerCase()] = v;
	}
	return { type: type.trim().toLowerCase(), params };
}

/** Collects the text/plain and text/html leaves of a MIME entity (nested multiparts too). */
function collectParts(raw, into) {
	const { headers, body } = splitMessage(raw);
	const ct = contentType(headers.get('content-type'));
	if (ct.type.startsWith('multipart/') && ct.params.boundary) {
		// RFC 2046: a delimiter is a line "--boundary" (trailing blanks allowed), the last one
		// "--boundary--"; the CRLF before a delimiter belongs to the delimiter.
		const delim = '--' + ct.params.boundary;
		const lines = body.split(/\r?\n/);
		let current = null;
		for (const line of lines) {
			const t = line.replace(/[ \t]+$/, '');
			if (t === delim || t === delim + '--') {
				if (current) collectParts(current.join('\r\n'), into);
				if (t !== delim) { current = null; break; }
				current = [];
			} else if (current) {
				current.push(line);
			}
		}
		if (current) collectParts(current.join('\r\n'), into); // unterminated: keep what we have
		return;
	}
	const enc = (headers.get('content-transfer-encoding') || '7bit').toLowerCase();
	let bytes;
	if (enc === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
	else if (enc === 'quoted-printable') bytes = qpBytes(body);
	else bytes = Buffer.from(body, 'utf8');
	let text;
	try {
		text = new TextDecoder((ct.params.charset || 'utf-8').toLowerCase()).decode(bytes);
	} catch {
		text = bytes.toString('utf8');
	}
	if (ct.type === 'text/plain' && into.text === undefined) into.text = text;
	else if (ct.type === 'text/html' && into.html === undefined) into.html = text;
}

/** Parses one .eml text into { to, from, subject, text, html, date, messageId }. */
export function parseEml(raw) {
	const { headers } = splitMessage(raw);
	const parts = {};
	collectParts(raw, parts);
	const date = headers.get('date');
	return {
		to: decodeRfc2047(headers.get('to')),
		from: decodeRfc2047(headers.get('from')),
		subject: decodeRfc2047(headers.get('subject')),
		text: parts.text ?? '',
		html: parts.html ?? '',
		date: date ? new Date(date) : null,
		messageId: (headers.get('message-id') || '').replace(/^<|>$/g, ''),
	};
}

/**
 * The mails in outboxDir (*.eml files), sorted by file name:
 * [{ to, from, subject, text, html, date, messageId, file }]. A missing directory gives [].
 */
export async function readMails(outboxDir) {
	let names;
	try {
		names = await fsp.readdir(outboxDir);
	} catch (err) {
		if (err.code === 'ENOENT') return [];
		throw err;
	}
	names = names.filter((n) => n.endsWith('.eml')).sort();
	const mails = [];
	for (const name of names) {
		const file = path.join(outboxDir, name);
		mails.push({ ...parseEml(await fsp.readFile(file, 'utf8')), file });
	}
	return mails;
}

/** Polls readMails until pred(mails) is truthy (default: at least one mail); returns the mails. */
export async function waitForMails(outboxDir, pred = (m) => m.length > 0, timeoutMs = 10_000) {
	let count = 0;
	return waitFor(async () => {
		const mails = await readMails(outboxDir);
		count = mails.length;
		return pred(mails) ? mails : null;
	}, { timeoutMs, what: `a matching mail in ${outboxDir}` }).catch((err) => {
		throw new Error(`${err.message} (${count} mail(s))`);
	});
}

/** The first absolute http(s) URL in text whose path starts with pathPrefix, or null. */
export function extractLink(text, pathPrefix = '/') {
	const urls = (text || '').match(/https?:\/\/[^\s"'<>]+/g) || [];
	for (let u of urls) {
		u = u.replace(/&amp;/g, '&').replace(/[.,;:!?)\]]+$/, '');
		try {
			if (new URL(u).pathname.startsWith(pathPrefix)) return u;
		} catch { /* not a URL */ }
	}
	return null;
}

// ---------------------------------------------------------------------------------------------
// HTTP without a browser

/**
 * A fetch wrapper with a cookie jar (no redirect following):
 *   const c = httpClient(baseUrl);
 *   const r = await c.get('/connexion');  const html = await r.text();
 *   await c.form('/connexion', { _csrf: c.csrfFrom(html), email, password });
 * Each call resolves to the fetch Response; relative paths are resolved against baseUrl.
 */
export function httpClient(baseUrl) {
	const jar = new Map(); // name → value (one host, loopback: domain/path ignored)

	function remember(res) {
		const list = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
		for (const sc of list) {
			const [pair, ...attrs] = sc.split(';');
			const eq = pair.indexOf('=');
			if (eq <= 0) continue;
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const expired = attrs.some((a) => {
				const [k, v = ''] = a.split('=');
				const key = k.trim().toLowerCase();
				return (key === 'max-age' && Number(v) <= 0) ||
					(key === 'expires' && Date.parse(v) <= Date.now());
			});
			if (expired || value === '') jar.delete(name);
			else jar.set(name, value);
		}
	}

	async function request(urlPath, init = {}) {
		const url = new URL(urlPath, baseUrl);
		const headers = new Headers(init.headers || {});
		if (jar.size && !headers.has('cookie'))
			headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
		const res = await fetch(url, { ...init, headers, redirect: 'manual' });
		remember(res);
		return res;
	}

	return {
		baseUrl,
		jar,
		fetch: request,
		get: (p, init = {}) => request(p, { ...init, method: 'GET' }),
		/**
		 * POSTs fields (object, [[k, v], …] or URLSearchParams) as application/x-www-form-urlencoded,
		 * with the Origin header a browser would send (the server checks it); pass
		 * { origin: false } to send none, or headers: { origin: '…' } to forge one.
		 */
		form(p, fields, { origin = true, ...init } = {}) {
			const headers = new Headers(init.headers || {});
			headers.set('content-type', 'application/x-www-form-urlencoded');
			if (origin && !headers.has('origin')) headers.set('origin', new URL(baseUrl).origin);
			return request(p, { ...init, method: 'POST', headers, body: new URLSearchParams(fields).toString() });
		},
		/** The value of the hidden input named "_csrf" in html, or null. */
		csrfFrom,
		cookie: (name) => jar.get(name),
	};
}

/** The value of the first <input name="_csrf" value="…"> in html (attribute order free), or null. */
export function csrfFrom(html) {
	for (const m of (html || '').matchAll(/<input\b[^>]*>/gi)) {
		const tag = m[0];
		if (!/\bname\s*=\s*(["']?)_csrf\1(?=[\s/>])/i.test(tag)) continue;
		const v = /\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
		if (v) return decodeEntities(v[1] ?? v[2] ?? v[3]);
	}
	return null;
}

function decodeEntities(s) {
	return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (all, e) => {
		const k = e.toLowerCase();
		if (k === 'amp') return '&';
		if (k === 'lt') return '<';
		if (k === 'gt') return '>';
		if (k === 'quot') return '"';
		if (k === 'apos' || k === '#39') return "'";
		if (k.startsWith('#x')) return String.fromCodePoint(parseInt(k.slice(2), 16));
		return String.fromCodePoint(parseInt(k.slice(1), 10));
	});
}

// ---------------------------------------------------------------------------------------------
// Shared browser steps: a counselor's login, a beneficiary added to the portfolio, and the
// beneficiary's activation — the same in every test file that needs two people talking.

/** The demo counselors' password (seed --demo). */
export const COUNSELOR_PASSWORD = 'Conseiller1!';
/** The password the tests give activated beneficiaries. */
export const YOUNG_PASSWORD = 'Jeune2026ok';

/** A new browser context logged in as the counselor @email; resolves to its page. */
export async function counselorPage(browser, stack, email) {
	const page = await (await browser.newContext()).newPage();
	await page.goto(stack.baseUrl + '/connexion');
	await page.getByLabel('Adresse e-mail').fill(email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(COUNSELOR_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await page.waitForURL(/\/portefeuille$/);
	return page;
}

/**
 * Adds the simulator's dossier @number to @page's counselor's portfolio through the form,
 * and leaves the page on the new fiche. Resolves to {id, dossier, first, last, email,
 * name "Prénom NOM", row "NOM Prénom"}.
 */
export async function addBeneficiary(page, stack, number, dispositif = 'cej') {
	await page.goto(stack.baseUrl + '/portefeuille/ajouter');
	await page.getByLabel('Numéro de dossier').fill(number);
	await page.getByRole('button', { name: 'Valider le numéro' }).click();
	const dd = page.locator('.cej-dossier dd');
	const first = (await dd.nth(0).textContent()).trim();
	const last = (await dd.nth(1).textContent()).trim();
	const email = (await dd.nth(4).textContent()).trim();
	await page.locator(`label[for=dispositif-${dispositif}]`).click();
	await page.getByRole('button', { name: 'Créer le compte' }).click();
	await page.waitForURL(/\/portefeuille$/);
	await page.getByRole('link', { name: 'Voir le détail du bénéficiaire' }).click();
	await page.waitForURL(/\/beneficiaires\/[0-9a-f-]{36}$/);
	return { id: page.url().split('/').pop(), dossier: number, first, last, email,
		 name: `${first} ${last.toUpperCase()}`, row: `${last.toUpperCase()} ${first}` };
}

/**
 * The beneficiary @who ({email}) follows the activation link of their latest invitation in
 * a new browser context, chooses YOUNG_PASSWORD and logs in; resolves to the page, on
 * /app/accueil.
 */
export async function activateBeneficiary(browser, stack, who) {
	const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(who.email)));
	const link = extractLink(mails.filter((x) => x.to.includes(who.email)).pop().text, '/app/activation/');
	const page = await (await browser.newContext()).newPage();
	await page.goto(link.replace(/^https?:\/\/[^/]+/, stack.baseUrl));
	await page.getByLabel('Mot de passe', { exact: true }).fill(YOUNG_PASSWORD);
	await page.getByLabel('Confirmation du mot de passe').fill(YOUNG_PASSWORD);
	await page.getByRole('button', { name: 'Valider' }).click();
	await page.waitForURL(/\/app\/connexion$/);
	return beneficiaryLogin(page, who.email);
}

/** Logs the activated beneficiary @email in on @page (at /app/connexion); resolves to @page. */
async function beneficiaryLogin(page, email) {
	await page.getByLabel('Adresse e-mail').fill(email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(YOUNG_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await page.waitForURL(/\/app\/accueil$/);
	return page;
}

/** A new browser context logged in as the activated beneficiary @who ({email}). */
export async function beneficiaryPage(browser, stack, who) {
	const page = await (await browser.newContext()).newPage();
	await page.goto(stack.baseUrl + '/app/connexion');
	return beneficiaryLogin(page, who.email);
}

/** The civil day in Paris @days from today: {iso "aaaa-mm-jj", fr "jj/mm/aaaa", dm "jj/mm"}. */
export function parisDay(days = 0) {
	const d = new Date(Date.now() + days * 86400000);
	const p = Object.fromEntries(new Intl.DateTimeFormat('fr-FR', {
		timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit',
	}).formatToParts(d).map((x) => [x.type, x.value]));
	return { iso: `${p.year}-${p.month}-${p.day}`, fr: `${p.day}/${p.month}/${p.year}`, dm: `${p.day}/${p.month}` };
}

/** The young person's notification centre (/app/notifications) as {title, body, href}, newest first. */
export async function notificationCentre(young, stack) {
	await young.goto(`${stack.baseUrl}/app/notifications`);
	await young.getByRole('heading', { name: 'Notifications' }).waitFor();
	return young.locator('.cej-notification').evaluateAll((items) => items.map((li) => ({
		title: li.querySelector('a .fr-text--bold').textContent.trim(),
		body: li.querySelector('p').textContent.trim(),
		href: li.querySelector('a').getAttribute('href'),
	})));
}

/**
 * Resolves once @page's live event stream is subscribed: the test-only endpoint
 * /_test/publier reports how many streams of @topic got its harmless "attente" event.
 */
export async function waitForStream(stack, topic, timeoutMs = 5000) {
	await waitFor(async () => {
		const r = await fetch(stack.baseUrl + '/_test/publier', {
			method: 'POST', body: JSON.stringify({ topic, event: 'attente' }),
		});
		return (await r.json()).delivered > 0;
	}, { timeoutMs, intervalMs: 100, what: `an event stream open for ${topic}` });
}

/**
 * Imports @records (an array in the provider's own format, offers.md §8.2) into @stack's
 * catalogue with `cej offers import --provider @provider` — France Travail's and API
 * Engagement's envelopes are added here. Opt-in per test file: a stack starts with an
 * empty catalogue and no communes (`stack.cli('offers', 'communes', 'import', …)` adds them,
 * ~2 s). Throws when the command fails.
 */
export async function importOffers(stack, provider, records) {
	const body = provider === 'france-travail' ? { resultats: records }
		: provider === 'engagement' ? { total: records.length, hits: records } : records;
	const file = path.join(stack.tmp, `offres-${provider}-${Date.now()}.json`);
	await fsp.writeFile(file, JSON.stringify(body));
	const r = await stack.cli('offers', 'import', '--provider', provider, file);
	if (r.code !== 0) throw new Error(`cej offers import --provider ${provider} failed (code ${r.code})`);
}
