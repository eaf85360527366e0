// sim.test.mjs — the i-milo simulator (`cej imilo-sim`) seen over HTTP, as cej and the
// other e2e tests see it: the dossiers contract of spec/imilo.md §3.1 (D1, D2, D3, D5), the seed
// of §6, the API key, and the admin API (faults, journal, desk changes, reset), then
// persistence across a restart. No npm dependency: node 20's test runner and fetch.
//
//   node --test tests/e2e/sim.test.mjs        (from the repository root; binary: $CEJ_BIN or build/cej)

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = process.env.CEJ_BIN || 'build/cej';
const API_KEY = 'cle-dossiers-e2e';
const ADMIN_TOKEN = 'jeton-admin-e2e';
const TIMEOUT_CAP_S = 2; // a `timeout` fault holds requests this long
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CATEGORIES = [
	'Emploi', 'Contrat en Alternance', 'Formation', 'Immersion en entreprise', 'Pmsmp',
	'Contrat de volontariat - bénévolat', 'Scolarité', "Demandeur d'emploi",
];
const ETATS = ['EN_COURS', 'PREVU', 'TERMINE'];
const STRUCTURES = ['29019S00', '75056S00', '97411S00'];

let tmp;
let sim; // { child, base, exited, log }

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** Starts the simulator on a free port; resolves once it announced itself on stdout. */
async function startSim(extraArgs = []) {
	const port = await freePort();
	const logFile = path.join(tmp, 'sim.log');
	const logFd = fs.openSync(logFile, 'a');
	const args = ['imilo-sim', '--port', String(port), '--db', path.join(tmp, 'sim.db'),
		'--admin-token', ADMIN_TOKEN, '--timeout-cap', String(TIMEOUT_CAP_S), ...extraArgs];
	const child = spawn(BIN, args, {
		env: { ...process.env, CEJ_IMILO_KEY_DOSSIERS: API_KEY, CEJ_QUIET: 'true' },
		stdio: ['ignore', 'pipe', logFd],
	});
	fs.closeSync(logFd);
	const exited = new Promise((resolve) => {
		child.once('error', (error) => resolve({ code: null, error }));
		child.once('exit', (code, signal) => resolve({ code, signal }));
	});
	const announced = await new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error(`simulateur muet après 15 s:\n${readLog()}`)), 15_000);
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk) => {
			out += chunk;
			const m = out.match(/imilo-sim: écoute sur (http:\/\/127\.0\.0\.1:(\d+))/);
			if (m) {
				clearTimeout(timer);
				resolve(m);
			}
		});
		exited.then((r) => {
			clearTimeout(timer);
			reject(new Error(`simulateur arrêté au démarrage (${JSON.stringify(r)}):\n${readLog()}`));
		});
	});
	assert.equal(Number(announced[2]), port, 'announces the port it was given');
	return { child, base: announced[1], exited };
}

function readLog() {
	try { return fs.readFileSync(path.join(tmp, 'sim.log'), 'utf8'); } catch { return ''; }
}

/** SIGTERM, then the exit code (the simulator must stop cleanly, code 0). */
async function stopSim(s) {
	s.child.kill('SIGTERM');
	const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
	const r = await s.exited;
	clearTimeout(timer);
	return r;
}

async function call(method, urlPath, { key = API_KEY, admin = false, headers = {}, body, signal } = {}) {
	const h = { ...headers };
	if (admin) h['X-Admin-Token'] = ADMIN_TOKEN;
	else if (key !== null) h['X-Gravitee-Api-Key'] = key;
	if (body !== undefined && typeof body !== 'string') {
		h['Content-Type'] = 'application/json';
		body = JSON.stringify(body);
	}
	const res = await fetch(sim.base + urlPath, { method, headers: h, body, signal });
	const text = await res.text();
	const type = res.headers.get('content-type') || '';
	const json = type.includes('application/json') && text ? JSON.parse(text) : null;
	return { status: res.status, type, text, json };
}

const api = (method, urlPath, opts) => call(method, urlPath, opts);
const admin = (method, urlPath, body) => call(method, urlPath, { admin: true, body });

before(async () => {
	assert.ok(fs.existsSync(BIN), `${BIN} n'existe pas (compiler d'abord, ou CEJ_BIN)`);
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cej-sim-'));
	sim = await startSim(['--reset']);
});

after(async () => {
	if (sim) {
		const r = await stopSim(sim);
		assert.equal(r.code, 0, `exit on SIGTERM: ${JSON.stringify(r)}\n${readLog()}`);
	}
	if (tmp && !process.env.CEJ_E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
	const r = await admin('POST', '/_admin/reset');
	assert.equal(r.status, 200, r.text);
});

test('D1 returns a dossier with the fields of spec §3.1', async () => {
	const r = await api('GET', '/sue/dossiers/100001');
	assert.equal(r.status, 200, r.text);
	assert.match(r.type, /^application\/json/);
	const d = r.json;
	assert.equal(d.idDossier, 100001, 'ids are JSON integers');
	for (const k of ['idJeune', 'prenom', 'nomNaissance']) assert.equal(typeof d[k], 'string', k);
	assert.ok(d.nomUsage === null || typeof d.nomUsage === 'string');
	assert.match(d.dateNaissance, DATE);
	assert.match(d.mail, /^[a-z0-9.-]+@exemple\.fr$/, 'lower-case demo e-mail');
	assert.deepEqual(Object.keys(d.adresse).sort(), ['codePostal', 'commune', 'complement', 'libelleVoie', 'numero']);
	assert.match(d.adresse.codePostal, /^\d{5}$/);
	assert.ok(STRUCTURES.includes(d.structureRattachement.codeStructure));
	assert.equal(typeof d.structureRattachement.nomOfficiel, 'string');
	assert.equal(typeof d.structureRattachement.nomUsuel, 'string');
	assert.deepEqual(Object.keys(d.accompagnementCEJ).sort(),
		['accompagnementCEJ', 'dateDebut', 'dateFinPrevue', 'dateFinReelle', 'premierAccompagnement']);
	assert.ok(Array.isArray(d.situations));
	for (const s of d.situations) {
		assert.ok(ETATS.includes(s.etat), s.etat);
		assert.ok(CATEGORIES.includes(s.categorieSituation), s.categorieSituation);
		assert.ok(s.dateFin === null || DATE.test(s.dateFin));
	}
});

test('the seed holds 40 dossiers over 3 structures, CEJ and PACEA, every category and état', async () => {
	const seen = { structures: new Set(), categories: new Set(), etats: new Set(), cej: new Set(), mails: new Set() };
	for (let id = 100001; id <= 100039; id++) {
		const r = await api('GET', `/sue/dossiers/${id}`);
		assert.equal(r.status, 200, `${id}: ${r.text}`);
		const d = r.json;
		seen.structures.add(d.structureRattachement.codeStructure);
		seen.cej.add(d.accompagnementCEJ.accompagnementCEJ);
		if (d.mail) {
			assert.ok(!seen.mails.has(d.mail), `e-mail ${d.mail} used twice`);
			seen.mails.add(d.mail);
		}
		if (d.accompagnementCEJ.accompagnementCEJ) assert.match(d.accompagnementCEJ.dateFinPrevue, DATE);
		for (const s of d.situations) {
			seen.categories.add(s.categorieSituation);
			seen.etats.add(s.etat);
		}
	}
	assert.deepEqual([...seen.structures].sort(), STRUCTURES);
	assert.deepEqual([...seen.cej].sort(), [false, true]);
	assert.deepEqual([...seen.categories].sort(), [...CATEGORIES].sort());
	assert.deepEqual([...seen.etats].sort(), [...ETATS].sort());
	assert.equal((await api('GET', '/sue/dossiers/100041')).status, 404);
	const state = (await admin('GET', '/_admin/state')).json;
	assert.equal(state.structures, 3);
	assert.equal(state.counselors, 12, "the spec's 8 plus cej's 4 demo counselors");
	assert.equal(state.dossiers, 40);
});

test('D1 refuses a malformed dossier number with 400', async () => {
	for (const id of ['abc', '12a', '123456789012', '-1']) {
		const r = await api('GET', `/sue/dossiers/${id}`);
		assert.equal(r.status, 400, id);
		assert.equal(typeof r.json.message, 'string');
	}
});

test('D1 answers 404 "Dossier introuvable" for an unknown dossier', async () => {
	const r = await api('GET', '/sue/dossiers/999');
	assert.equal(r.status, 404);
	assert.deepEqual(r.json, { message: 'Dossier introuvable' });
});

test('D1 answers 403 "pas justifié" for 100040', async () => {
	const r = await api('GET', '/sue/dossiers/100040');
	assert.equal(r.status, 403);
	assert.match(r.json.message, /pas justifié/);
});

test('D1 gives mail null for 100038', async () => {
	const r = await api('GET', '/sue/dossiers/100038');
	assert.equal(r.status, 200);
	assert.equal(r.json.mail, null);
});

test('D2 declares an account once: 201 text/plain id, then SUE_RECORD_ALREADY_ATTACHED_TO_ACCOUNT', async () => {
	const first = await api('POST', '/sue/compte-jeune/100005');
	assert.equal(first.status, 201, first.text);
	assert.match(first.type, /^text\/plain/);
	assert.match(first.text, UUID);
	const again = await api('POST', '/sue/compte-jeune/100005');
	assert.equal(again.status, 400);
	assert.deepEqual(again.json, { code: 'SUE_RECORD_ALREADY_ATTACHED_TO_ACCOUNT', 'id-keycloak': first.text });
	const d3 = await api('PUT', '/sue/compte-jeune/surcharge/100005');
	assert.equal(d3.status, 201, 'D3 re-declares the attached account');
	assert.equal(d3.text, first.text);
	const d3none = await api('PUT', '/sue/compte-jeune/surcharge/100006');
	assert.equal(d3none.status, 204, 'D3 without account: empty answer, the client falls back to D2');
	assert.equal(d3none.text, '');
});

test('D2 on 100037 reports the account already attached, with its id-keycloak', async () => {
	const r = await api('POST', '/sue/compte-jeune/100037');
	assert.equal(r.status, 400);
	assert.equal(r.json.code, 'SUE_RECORD_ALREADY_ATTACHED_TO_ACCOUNT');
	assert.match(r.json['id-keycloak'], UUID);
});

test('D2 on 100039 reports SUE_ACCOUNT_EXISTING_OTHER_ML', async () => {
	const r = await api('POST', '/sue/compte-jeune/100039');
	assert.equal(r.status, 400);
	assert.deepEqual(r.json, { code: 'SUE_ACCOUNT_EXISTING_OTHER_ML' });
	const d1 = await api('GET', '/sue/dossiers/100039');
	assert.equal(d1.status, 200, 'the dossier itself reads fine');
});

// ---- D5: SNP situations ----

const SNP = Object.freeze({
	dateDebut: '2025-03-10',
	dateFinReelle: '2025-03-12',
	commentaire: 'Atelier CV - Rédaction du CV',
	mesure: 'EMPLOI',
	loginConseiller: 'yann.kerjean',
});
const MESURES = ['EMPLOI', 'FORMATION', 'PROJET_PROFESSIONNEL', 'CULTURE_SPORT_LOISIRS', 'CITOYENNETE', 'LOGEMENT', 'SANTE'];
const snp = (id, body) => api('POST', `/sue/dossiers/${id}/situation`, { body });
const situations = async (id) => {
	const r = await admin('GET', `/_admin/dossiers/${id}/situations`);
	assert.equal(r.status, 200, r.text);
	return r.json;
};

test('D5 creates a situation: 201 {id}, listed by the admin API newest last and in the dossier', async () => {
	const t0 = Date.now();
	const first = await snp(100001, SNP);
	assert.equal(first.status, 201, first.text);
	assert.deepEqual(Object.keys(first.json), ['id']);
	assert.match(first.json.id, UUID);
	const second = await snp(100001, { ...SNP, mesure: 'SANTE', commentaire: 'Bilan de santé', dateDebut: '2025-03-12' });
	assert.equal(second.status, 201, second.text);

	const list = await situations(100001);
	assert.deepEqual(list.map((s) => s.id), [first.json.id, second.json.id], 'newest last');
	const { id, receivedAt, ...fields } = list[0];
	assert.deepEqual(fields, SNP);
	assert.ok(Date.parse(receivedAt) >= t0 - 1000, receivedAt);
	assert.equal(list[1].mesure, 'SANTE');
	const dossier = await admin('GET', '/_admin/dossiers/100001');
	assert.deepEqual(dossier.json.situationsSnp, list);
	assert.deepEqual(await situations(100002), [], 'other dossiers untouched');
	assert.equal((await admin('GET', '/_admin/dossiers/999/situations')).status, 404);

	const journal = (await admin('GET', '/_admin/requests')).json.filter((e) => e.path.endsWith('/situation'));
	assert.deepEqual(journal.map((e) => [e.method, e.path, e.status]), [
		['POST', '/sue/dossiers/100001/situation', 201], ['POST', '/sue/dossiers/100001/situation', 201]]);
	assert.deepEqual(JSON.parse(journal[0].body), SNP);

	await admin('POST', '/_admin/reset');
	assert.deepEqual(await situations(100001), [], 'reset clears them');
});

test('D5 accepts every mesure of the spec, a one-day situation and every demo login', async () => {
	for (const mesure of MESURES) {
		const r = await snp(100002, { ...SNP, mesure });
		assert.equal(r.status, 201, `${mesure}: ${r.text}`);
	}
	const oneDay = await snp(100002, { ...SNP, dateDebut: '2025-03-12' });
	assert.equal(oneDay.status, 201, 'dateDebut = dateFinReelle');
	for (const login of ['camille.martin', 'yann.le-goff', 'sophie.durand', 'mael.payet']) {
		const r = await snp(100002, { ...SNP, loginConseiller: login });
		assert.equal(r.status, 201, `${login}: ${r.text}`);
	}
	assert.equal((await situations(100002)).length, MESURES.length + 5);
});

test('D5 refuses an invalid situation with 400 VALIDATION and a message, storing nothing', async () => {
	const { commentaire, ...noComment } = SNP;
	const { dateDebut, ...noStart } = SNP;
	const { dateFinReelle, ...noEnd } = SNP;
	const { mesure, ...noMesure } = SNP;
	const { loginConseiller, ...noLogin } = SNP;
	const cases = [
		['not JSON', 'pas du json'],
		['JSON array', [SNP]],
		['JSON string', '"EMPLOI"'],
		['no dateDebut', noStart],
		['no dateFinReelle', noEnd],
		['dateDebut not a date', { ...SNP, dateDebut: '10/03/2025' }],
		['dateDebut impossible', { ...SNP, dateDebut: '2025-02-30' }],
		['dateFinReelle with a time', { ...SNP, dateFinReelle: '2025-03-12T10:00:00' }],
		['dateFinReelle a number', { ...SNP, dateFinReelle: 20250312 }],
		['dateDebut after dateFinReelle', { ...SNP, dateDebut: '2025-03-13' }],
		['no commentaire', noComment],
		['blank commentaire', { ...SNP, commentaire: '   ' }],
		['no mesure', noMesure],
		['unknown mesure', { ...SNP, mesure: 'SPORT' }],
		['mesure in lower case', { ...SNP, mesure: 'emploi' }],
		['no loginConseiller', noLogin],
		['unknown loginConseiller', { ...SNP, loginConseiller: 'inconnu.total' }],
		['loginConseiller in another case', { ...SNP, loginConseiller: 'Yann.Kerjean' }],
	];
	for (const [name, body] of cases) {
		const r = await snp(100001, body);
		assert.equal(r.status, 400, `${name}: ${r.text}`);
		assert.equal(r.json.code, 'VALIDATION', name);
		assert.equal(typeof r.json.message, 'string', name);
		assert.ok(r.json.message.length > 0, name);
	}
	const late = await snp(100001, { ...SNP, dateDebut: '2025-03-13' });
	assert.equal(late.json.message, 'La date de début doit être antérieure ou égale à la date de fin réelle.');
	const stranger = await snp(100001, { ...SNP, loginConseiller: 'inconnu.total' });
	assert.match(stranger.json.message, /inconnu\.total/);
	assert.deepEqual(await situations(100001), []);
});

test('D5 counts the 255 characters of commentaire, not bytes', async () => {
	const accented = 'é'.repeat(250) + 'àçèù€'; // 255 characters, 511 bytes
	assert.equal([...accented].length, 255);
	const ok = await snp(100001, { ...SNP, commentaire: accented });
	assert.equal(ok.status, 201, ok.text);
	assert.equal((await situations(100001))[0].commentaire, accented, 'stored as sent');
	const tooLong = await snp(100001, { ...SNP, commentaire: accented + 'é' });
	assert.equal(tooLong.status, 400);
	assert.deepEqual(tooLong.json, { code: 'VALIDATION', message: 'Le commentaire ne doit pas dépasser 255 caractères.' });
	assert.equal((await situations(100001)).length, 1);
});

test('D5 on an unknown dossier: 404 as D1; malformed number 400; the API key is required', async () => {
	const r = await snp(999, SNP);
	assert.equal(r.status, 404);
	assert.deepEqual(r.json, (await api('GET', '/sue/dossiers/999')).json);
	assert.deepEqual(r.json, { message: 'Dossier introuvable' });
	assert.equal((await snp('12a', SNP)).status, 400);
	const denied = await api('POST', '/sue/dossiers/100001/situation', { key: null, body: SNP });
	assert.equal(denied.status, 401);
	assert.deepEqual(await situations(100001), []);
});

test('D5 goes through the fault machinery like every API route', async () => {
	await admin('POST', '/_admin/faults', { match: { path: '/sue/dossiers/*/situation' }, status: 503, count: 1 });
	const failed = await snp(100001, SNP);
	assert.equal(failed.status, 503);
	assert.deepEqual(await situations(100001), [], 'the fault answered instead of i-milo');
	const [entry] = (await admin('GET', '/_admin/requests')).json.filter((e) => e.path.endsWith('/situation'));
	assert.equal(entry.status, 503);
	assert.ok(entry.faultId);
	assert.equal((await snp(100001, SNP)).status, 201, 'count spent');
	assert.equal((await situations(100001)).length, 1);
});

test('a missing or wrong API key gets 401 "Clé d\'API invalide"; admin needs its token', async () => {
	for (const key of [null, 'mauvaise-cle']) {
		const r = await api('GET', '/sue/dossiers/100001', { key });
		assert.equal(r.status, 401);
		assert.deepEqual(r.json, { message: "Clé d'API invalide" });
	}
	const d2 = await api('POST', '/sue/compte-jeune/100005', { key: null });
	assert.equal(d2.status, 401, 'nothing declared without a key');
	assert.equal((await api('POST', '/sue/compte-jeune/100005')).status, 201);
	for (const headers of [{}, { 'X-Admin-Token': 'faux' }]) {
		const res = await fetch(`${sim.base}/_admin/state`, { headers });
		assert.equal(res.status, 401);
	}
	assert.equal((await api('GET', '/_admin/state')).status, 401, 'the API key is not an admin token');
});

test('a fault forces a status until deleted; count limits it; non-matching calls pass', async () => {
	const add = await admin('POST', '/_admin/faults', { match: { method: 'GET', path: '/sue/dossiers/*' }, status: 503 });
	assert.equal(add.status, 201, add.text);
	const { id } = add.json;
	assert.match(id, UUID);
	for (let i = 0; i < 2; i++) assert.equal((await api('GET', '/sue/dossiers/100001')).status, 503);
	assert.equal((await api('POST', '/sue/compte-jeune/100005')).status, 201, 'method does not match');
	const list = await admin('GET', '/_admin/faults');
	assert.equal(list.json.length, 1);
	assert.equal(list.json[0].hits, 2);
	assert.equal((await admin('DELETE', `/_admin/faults/${id}`)).status, 204);
	assert.equal((await admin('DELETE', `/_admin/faults/${id}`)).status, 404);
	assert.equal((await api('GET', '/sue/dossiers/100001')).status, 200);

	const once = await admin('POST', '/_admin/faults', {
		match: { path: '/sue/*' }, status: 500, body: { message: 'Erreur simulée' }, count: 1,
	});
	assert.equal(once.status, 201);
	const failed = await api('GET', '/sue/dossiers/100002');
	assert.equal(failed.status, 500);
	assert.deepEqual(failed.json, { message: 'Erreur simulée' });
	assert.equal((await api('GET', '/sue/dossiers/100002')).status, 200, 'count spent');
	assert.equal((await admin('GET', '/_admin/faults')).json[0].remaining, 0);
	assert.equal((await admin('DELETE', '/_admin/faults')).status, 204);
	assert.deepEqual((await admin('GET', '/_admin/faults')).json, []);
});

test('a fault adds latency, or holds the request (timeout) past the client timeout', async () => {
	await admin('POST', '/_admin/faults', { match: { path: '/sue/dossiers/100003' }, latencyMs: 400 });
	let t0 = Date.now();
	assert.equal((await api('GET', '/sue/dossiers/100003')).status, 200);
	assert.ok(Date.now() - t0 >= 380, `latency ${Date.now() - t0} ms`);

	await admin('POST', '/_admin/faults', { match: { path: '/sue/dossiers/100004' }, timeout: true });
	t0 = Date.now();
	await assert.rejects(api('GET', '/sue/dossiers/100004', { signal: AbortSignal.timeout(500) }),
		{ name: 'TimeoutError' }, 'the client gives up first');
	t0 = Date.now();
	const held = await api('GET', '/sue/dossiers/100004');
	assert.equal(held.status, 504, 'answered at the cap');
	assert.ok(Date.now() - t0 >= TIMEOUT_CAP_S * 1000 - 100, `held ${Date.now() - t0} ms`);
});

test('fault rules are validated strictly', async () => {
	for (const body of [
		{ match: { path: '/sue/*' }, status: 503, bogus: 1 },
		{ match: { path: 'sue/*' }, status: 503 },
		{ match: { path: '/sue/*' } },
		{ match: { path: '/sue/*' }, status: 99 },
		{ match: { path: '/sue/*' }, status: 503, probability: 2 },
		{ status: 503 },
	]) {
		const r = await admin('POST', '/_admin/faults', body);
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(r.json.code, 'VALIDATION');
	}
	assert.equal((await admin('POST', '/_admin/faults', 'pas du json')).status, 400);
});

test('the journal lists API calls with secrets masked, after a sequence number or an instant', async () => {
	const { lastRequestSeq } = (await admin('GET', '/_admin/state')).json;
	const instant = new Date().toISOString();
	await api('GET', '/sue/dossiers/100001?champ=1');
	await api('POST', '/operateurs/dossiers/100003/instances-session', {
		headers: { Authorization: 'Bearer jeton-tres-secret', operateur: 'APPLICATION_CEJ', 'Content-Type': 'application/json' },
		body: '"4242"',
	});
	await api('GET', '/sue/dossiers/100001', { key: 'cle-fausse-secrete' });
	await admin('GET', '/_admin/faults'); // admin calls are not journaled

	const r = await admin('GET', `/_admin/requests?since=${lastRequestSeq}`);
	assert.equal(r.status, 200);
	const [d1, s5, denied, ...rest] = r.json;
	assert.equal(rest.length, 0, JSON.stringify(rest));
	assert.deepEqual([d1.method, d1.path, d1.query, d1.status], ['GET', '/sue/dossiers/100001', 'champ=1', 200]);
	assert.equal(d1.seq, lastRequestSeq + 1);
	assert.ok(Date.parse(d1.at) >= Date.parse(instant) - 1000, d1.at);
	assert.equal(d1.headers['X-Gravitee-Api-Key'], '***');
	// The dossiers key on a path of the sessions family: 401 (one key per family, spec §1).
	assert.deepEqual([s5.method, s5.path, s5.body, s5.status], ['POST', '/operateurs/dossiers/100003/instances-session', '"4242"', 401]);
	assert.equal(s5.headers.Authorization, 'Bearer ***');
	assert.equal(s5.headers.operateur, 'APPLICATION_CEJ');
	assert.equal(denied.status, 401);
	assert.ok(!r.text.includes('secret') && !r.text.includes(API_KEY), 'no secret in the journal');

	const byInstant = await admin('GET', `/_admin/requests?since=${encodeURIComponent(instant)}`);
	assert.ok(byInstant.json.length >= 3);
	assert.equal((await admin('GET', '/_admin/requests?since=hier')).status, 400);
	const faulted = await admin('POST', '/_admin/faults', { match: { path: '/sue/*' }, status: 502, count: 1 });
	await api('GET', '/sue/dossiers/100002');
	const last = (await admin('GET', `/_admin/requests?since=${denied.seq}`)).json;
	assert.equal(last.length, 1);
	assert.equal(last[0].status, 502);
	assert.equal(last[0].faultId, faulted.json.id);
});

test('desk changes: PATCH a dossier e-mail and justification', async () => {
	let r = await admin('PATCH', '/_admin/dossiers/100002', { mail: 'Nouveau.Mail@Exemple.FR' });
	assert.equal(r.status, 200, r.text);
	assert.equal((await api('GET', '/sue/dossiers/100002')).json.mail, 'Nouveau.Mail@Exemple.FR');
	r = await admin('PATCH', '/_admin/dossiers/100002', { mail: null, justified: false });
	assert.equal(r.json._sim.justified, false);
	assert.equal(r.json.mail, null);
	assert.equal((await api('GET', '/sue/dossiers/100002')).status, 403);
	assert.equal((await api('POST', '/sue/compte-jeune/100002')).status, 403);
	r = await admin('PATCH', '/_admin/dossiers/100002', {
		justified: true,
		situations: [{ etat: 'EN_COURS', categorieSituation: 'Scolarité', dateFin: null }],
	});
	const d = (await api('GET', '/sue/dossiers/100002')).json;
	assert.deepEqual(d.situations.map((s) => [s.etat, s.categorieSituation]), [['EN_COURS', 'Scolarité']]);
	assert.equal((await admin('PATCH', '/_admin/dossiers/100002', { email: 'x' })).status, 400, 'unknown member');
	assert.equal((await admin('PATCH', '/_admin/dossiers/100002', { structureCode: 'XXX' })).status, 400);
	assert.equal((await admin('PATCH', '/_admin/dossiers/999', { mail: null })).status, 404);
});

test('reset reloads the same seed and clears accounts, faults and the journal', async () => {
	const before = (await api('GET', '/sue/dossiers/100001')).text;
	await api('POST', '/sue/compte-jeune/100005');
	await admin('PATCH', '/_admin/dossiers/100001', { mail: 'autre@exemple.fr' });
	await admin('POST', '/_admin/faults', { match: { path: '/autre' }, status: 500 });
	const r = await admin('POST', '/_admin/reset');
	assert.equal(r.status, 200);
	assert.equal(r.json.attachedAccounts, 1, 'only 100037');
	assert.equal(r.json.faults, 0);
	assert.equal(r.json.requests, 0);
	assert.equal((await api('GET', '/sue/dossiers/100001')).text, before, 'deterministic seed');
	assert.equal((await api('POST', '/sue/compte-jeune/100005')).status, 201);
});

test('state persists across a restart; --reset reloads the seed', async () => {
	const account = (await api('POST', '/sue/compte-jeune/100009')).text;
	assert.match(account, UUID);
	const stopped = await stopSim(sim);
	sim = null;
	assert.equal(stopped.code, 0, `exit on SIGTERM: ${JSON.stringify(stopped)}`);

	sim = await startSim();
	const again = await api('POST', '/sue/compte-jeune/100009');
	assert.equal(again.json['id-keycloak'], account, 'the attachment survived the restart');
	assert.equal((await stopSim(sim)).code, 0);
	sim = null;

	sim = await startSim(['--reset']);
	assert.equal((await api('POST', '/sue/compte-jeune/100009')).status, 201, 'fresh seed');
});
