// sim_sessions.test.mjs — the simulator's sessions, registrations, rendez-vous and event feed
// (spec/imilo.md §3.3–§3.5, §6) over plain HTTP: S1–S7 with every error of §3.4, E1–E4 with
// acknowledgement, the desk side of the admin API (each change in the feed once), the seed's
// sessions, a fault on a session path. No npm dependency: node 20's test runner and fetch.
//
//   node --test tests/e2e/sim_sessions.test.mjs    (from the repository root; binary: $CEJ_BIN or build/cej)

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = process.env.CEJ_BIN || 'build/cej';
const KEYS = { dossiers: 'cle-dossiers-e2e', sessions: 'cle-sessions-e2e', events: 'cle-evenements-e2e' };
const ADMIN_TOKEN = 'jeton-admin-e2e';
const OPERATOR = { operateur: 'APPLICATION_CEJ' };
const LOCAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
// Seed (sim_seed_sessions.c): structure st's k-th session is 1001 + 100 st + k; dossier i
// belongs to structure i % 3 (Brest 100001, 100004…; Paris 100002…; Réunion 100003…).
const BREST = { code: '29019S00', counselor: 'camille.martin', first: 1001 };
const PARIS = { code: '75056S00', counselor: 'sophie.durand', first: 1101 };
const S = { aClore: 0, marked: 1, started: 2, full: 3, deadlinePassed: 4, unlimited: 5, open: 6, onePlace: 7 };
const FREE_BREST_DOSSIER = 100031; // registered to no seeded Brest session

let tmp;
let sim;

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

async function startSim() {
	const port = await freePort();
	const logFd = fs.openSync(path.join(tmp, 'sim.log'), 'a');
	const child = spawn(BIN, ['imilo-sim', '--port', String(port), '--db', path.join(tmp, 'sim.db'),
		'--admin-token', ADMIN_TOKEN, '--reset'], {
		env: { ...process.env, CEJ_IMILO_KEY_DOSSIERS: KEYS.dossiers, CEJ_IMILO_KEY_SESSIONS: KEYS.sessions,
			CEJ_IMILO_KEY_EVENTS: KEYS.events, CEJ_QUIET: 'true' },
		stdio: ['ignore', 'pipe', logFd],
	});
	fs.closeSync(logFd);
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	const base = await new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error('simulateur muet après 15 s')), 15_000);
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk) => {
			out += chunk;
			const m = out.match(/imilo-sim: écoute sur (http:\/\/127\.0\.0\.1:\d+)/);
			if (m) { clearTimeout(timer); resolve(m[1]); }
		});
		exited.then((r) => { clearTimeout(timer); reject(new Error(`arrêté au démarrage ${JSON.stringify(r)}`)); });
	});
	return { child, base, exited };
}

async function call(method, urlPath, { key, bearer, headers = {}, body, adminCall = false } = {}) {
	const h = { ...headers };
	if (adminCall) h['X-Admin-Token'] = ADMIN_TOKEN;
	if (key) h['X-Gravitee-Api-Key'] = key;
	if (bearer) h.Authorization = `Bearer ${bearer}`;
	if (body !== undefined && typeof body !== 'string') {
		h['Content-Type'] = 'application/json';
		body = JSON.stringify(body);
	} else if (typeof body === 'string') {
		h['Content-Type'] = 'application/json';
	}
	const res = await fetch(sim.base + urlPath, { method, headers: h, body });
	const text = await res.text();
	const json = (res.headers.get('content-type') || '').includes('application/json') && text ? JSON.parse(text) : null;
	return { status: res.status, text, json };
}

// The sessions family with a counselor's bearer (or operator auth with bearer null).
const sessions = (method, p, { as = BREST.counselor, body, headers } = {}) =>
	call(method, p, { key: KEYS.sessions, bearer: as, body, headers: as ? headers : { ...OPERATOR, ...headers } });
const events = (method, p) => call(method, p, { key: KEYS.events, headers: OPERATOR });
const admin = (method, p, body) => call(method, p, { adminCall: true, body });
const register = (dossier, session, as = BREST.counselor) =>
	sessions('POST', `/operateurs/dossiers/${dossier}/instances-session`, { as, body: JSON.stringify(String(session)) });
const feed = async () => (await events('GET', '/operateurs/events')).json;

/** Today's date in a zone, YYYY-MM-DD, shifted by @days. */
function day(days = 0, zone = 'Europe/Paris') {
	const d = new Date(Date.now() + days * 86_400_000);
	return new Intl.DateTimeFormat('sv-SE', { timeZone: zone }).format(d);
}

before(async () => {
	assert.ok(fs.existsSync(BIN), `${BIN} n'existe pas (compiler d'abord, ou CEJ_BIN)`);
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cej-sim-sessions-'));
	sim = await startSim();
});

after(async () => {
	if (sim) {
		sim.child.kill('SIGTERM');
		const r = await sim.exited;
		assert.equal(r.code, 0, `exit on SIGTERM: ${JSON.stringify(r)}`);
	}
	if (tmp && !process.env.CEJ_E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
	assert.equal((await admin('POST', '/_admin/reset')).status, 200);
});

// ---- the seed ----

test('the seed gives each structure a dozen sessions: full, deadline passed, started, past à clore', async () => {
	for (const st of [BREST, PARIS]) {
		const r = await sessions('GET', `/operateurs/structures/${st.code}/sessions?taillePage=150&rechercheInscrits=true&dateDebutRecherche=${day(-30)}&dateFinRecherche=${day(40)}`, { as: st.counselor });
		assert.equal(r.status, 200, r.text);
		const ids = r.json.sessions.map((x) => x.session.id);
		for (let k = 0; k < 12; k++) assert.ok(ids.includes(st.first + k), `${st.code} session ${st.first + k}`);
	}
	const one = async (id) => (await sessions('GET', `/operateurs/sessions/${id}`)).json.session;
	assert.equal((await one(BREST.first + S.full)).nbPlacesDisponibles, 0, 'full');
	assert.equal((await one(BREST.first + S.onePlace)).nbPlacesDisponibles, 1, 'one place left');
	assert.equal((await one(BREST.first + S.unlimited)).nbPlacesDisponibles, null, 'unlimited');
	assert.ok((await one(BREST.first + S.deadlinePassed)).dateMaxInscription < day(0), 'deadline passed');
	const started = await one(BREST.first + S.started);
	assert.ok(started.dateHeureDebut.slice(0, 10) < day(0) && started.dateHeureFin.slice(0, 10) > day(0), 'started, not over');
	const aClore = (await sessions('GET', `/operateurs/sessions/${BREST.first + S.aClore}/inscrits`)).json;
	assert.ok(aClore.length > 0 && aClore.every((i) => i.statut === 'ONGOING'), 'past with Inscrit registrants');
	const marked = (await sessions('GET', `/operateurs/sessions/${BREST.first + S.marked}/inscrits`)).json;
	assert.ok(marked.length > 0 && marked.every((i) => i.statut !== 'ONGOING'), 'past, every registrant marked');
	assert.deepEqual(await feed(), [], 'a fresh seed has an empty feed');
	const state = (await admin('GET', '/_admin/state')).json;
	assert.equal(state.sessions, 3 * 12 + 160);
	assert.equal(state.rendezVous, 25);
	assert.equal(state.events, 0);
});

test('the seed is deterministic: a reset gives the same sessions and instance ids', async () => {
	const read = async () => (await sessions('GET', `/operateurs/structures/${BREST.code}/sessions?rechercheInscrits=true`)).json;
	const first = await read();
	await admin('POST', '/_admin/reset');
	assert.deepEqual(await read(), first);
});

// ---- S1–S4 ----

test('S1 lists a structure\'s sessions with their offer, and registrants with rechercheInscrits=true', async () => {
	const r = await sessions('GET', `/operateurs/structures/${BREST.code}/sessions?taillePage=150&rechercheInscrits=true&dateDebutRecherche=${day(-30)}&dateFinRecherche=${day(60)}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.page, 1);
	assert.equal(r.json.nbSessions, 12);
	const { session, offre } = r.json.sessions[0];
	assert.deepEqual(Object.keys(session).sort(), ['animateur', 'commentaire', 'dateHeureDebut', 'dateHeureFin',
		'dateMaxInscription', 'id', 'instances', 'lieu', 'nbPlacesDisponibles', 'nom'].sort());
	assert.deepEqual(Object.keys(offre).sort(), ['description', 'id', 'nom', 'nomPartenaire', 'theme', 'type']);
	assert.match(session.dateHeureDebut, LOCAL);
	assert.ok(['WORKSHOP', 'COLLECTIVE_INFORMATION'].includes(offre.type));
	assert.equal(typeof session.id, 'number', 'ids are JSON integers');
	assert.deepEqual(Object.keys(session.instances[0]).sort(), ['idDossier', 'idInstanceSession', 'nom', 'prenom', 'statut']);
	const without = await sessions('GET', `/operateurs/structures/${BREST.code}/sessions`);
	assert.ok(without.json.sessions.every((x) => x.session.instances === null), 'no registrants unless asked');
	// bounds on the date of dateHeureDebut, inclusive
	const today = await sessions('GET', `/operateurs/structures/${BREST.code}/sessions?dateDebutRecherche=${day(2)}&dateFinRecherche=${day(2)}`);
	assert.deepEqual(today.json.sessions.map((x) => x.session.id), [BREST.first + S.full]);
});

test('S1 pages by taillePage: 160 sessions of one Paris week give 150 then 10', async () => {
	const q = `taillePage=150&dateDebutRecherche=${day(49)}&dateFinRecherche=${day(55)}`;
	const p1 = await sessions('GET', `/operateurs/structures/${PARIS.code}/sessions?${q}`, { as: PARIS.counselor });
	assert.equal(p1.status, 200, p1.text);
	assert.equal(p1.json.nbSessions, 160);
	assert.equal(p1.json.sessions.length, 150);
	const p2 = await sessions('GET', `/operateurs/structures/${PARIS.code}/sessions?${q}&page=2`, { as: PARIS.counselor });
	assert.equal(p2.json.page, 2);
	assert.equal(p2.json.sessions.length, 10);
	const all = [...p1.json.sessions, ...p2.json.sessions].map((x) => x.session.id);
	assert.equal(new Set(all).size, 160, 'no session on both pages');
});

test('S1 refuses: 403 outside the structure, 401 without bearer or with the wrong family key', async () => {
	assert.equal((await sessions('GET', `/operateurs/structures/${PARIS.code}/sessions`)).status, 403);
	assert.equal((await sessions('GET', `/operateurs/structures/${PARIS.code}/sessions`, { as: 'erwan.tanguy' })).status, 200,
		'a counselor in two structures sees both');
	const noBearer = await call('GET', `/operateurs/structures/${BREST.code}/sessions`, { key: KEYS.sessions });
	assert.equal(noBearer.status, 401);
	assert.equal(noBearer.json.code, 'TOKEN_INVALID');
	assert.equal((await sessions('GET', `/operateurs/structures/${BREST.code}/sessions`, { as: 'inconnu' })).status, 401);
	const wrongKey = await call('GET', `/operateurs/structures/${BREST.code}/sessions`, { key: KEYS.dossiers, bearer: BREST.counselor });
	assert.equal(wrongKey.status, 401);
	assert.equal(wrongKey.json.message, "Clé d'API invalide");
});

test('S2 lists the sessions of a dossier\'s structure, with its own registration as sessionInstance', async () => {
	const r = await sessions('GET', `/operateurs/sessions?idDossier=100001&taillePage=150&dateDebutRecherche=${day(-30)}&dateFinRecherche=${day(60)}`, { as: null });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.nbSessions, 12);
	const mine = r.json.sessions.filter((x) => x.sessionInstance);
	assert.ok(mine.length > 0);
	for (const x of mine) assert.ok(['ONGOING', 'ACHIEVED', 'REFUSAL', 'REFUSAL_YOUNG'].includes(x.sessionInstance.statut));
	assert.equal((await sessions('GET', '/operateurs/sessions?idDossier=999', { as: null })).status, 404);
	assert.equal((await call('GET', '/operateurs/sessions?idDossier=100001', { key: KEYS.sessions })).status, 400,
		'neither bearer nor operateur');
});

test('S3 and S4 read a session and its registrants, with a bearer or operator auth; 404 unknown', async () => {
	const id = BREST.first + S.aClore;
	for (const as of [BREST.counselor, null]) {
		const s3 = await sessions('GET', `/operateurs/sessions/${id}`, { as });
		assert.equal(s3.status, 200, s3.text);
		assert.equal(s3.json.session.id, id);
		assert.equal(typeof s3.json.offre.nom, 'string');
		const s4 = await sessions('GET', `/operateurs/sessions/${id}/inscrits`, { as });
		assert.equal(s4.status, 200);
		assert.ok(s4.json.length >= 1);
	}
	const unknown = await sessions('GET', '/operateurs/sessions/999999');
	assert.equal(unknown.status, 404);
	assert.equal(unknown.json.code, 'SESSION_INCONNUE');
});

// ---- S5–S7 ----

test('S5 registers (201 ONGOING) and takes a place', async () => {
	const id = BREST.first + S.open;
	const before = (await sessions('GET', `/operateurs/sessions/${id}`)).json.session.nbPlacesDisponibles;
	const r = await register(FREE_BREST_DOSSIER, id);
	assert.equal(r.status, 201, r.text);
	assert.equal(typeof r.json.id, 'number');
	assert.deepEqual({ ...r.json, id: 0 }, { id: 0, idDossier: FREE_BREST_DOSSIER, idSession: id, statut: 'ONGOING' });
	assert.equal((await sessions('GET', `/operateurs/sessions/${id}`)).json.session.nbPlacesDisponibles, before - 1);
	const e4 = await events('GET', `/operateurs/dossiers/${FREE_BREST_DOSSIER}/sessions/${r.json.id}`);
	assert.equal(e4.status, 200, e4.text);
	assert.equal(e4.json.statut, 'Prescrit');
	assert.equal(e4.json.idSession, id);
});

test('S5 errors: DOSSIER_INCONNU, SESSION_INCONNUE, DEJA_INSCRIT, PLUS_DE_PLACE, INSCRIPTIONS_CLOSES, HORS_STRUCTURE', async () => {
	const expect = async (r, status, code) => {
		assert.equal(r.status, status, r.text);
		assert.equal(r.json.code, code);
		assert.equal(typeof r.json.message, 'string');
	};
	await expect(await register(999, BREST.first + S.open), 404, 'DOSSIER_INCONNU');
	await expect(await register(FREE_BREST_DOSSIER, 999999), 404, 'SESSION_INCONNUE');
	assert.equal((await register(FREE_BREST_DOSSIER, BREST.first + S.open)).status, 201);
	await expect(await register(FREE_BREST_DOSSIER, BREST.first + S.open), 409, 'DEJA_INSCRIT');
	await expect(await register(FREE_BREST_DOSSIER, BREST.first + S.full), 400, 'PLUS_DE_PLACE');
	await expect(await register(FREE_BREST_DOSSIER, BREST.first + S.deadlinePassed), 400, 'INSCRIPTIONS_CLOSES');
	await expect(await register(FREE_BREST_DOSSIER, BREST.first + S.started), 400, 'INSCRIPTIONS_CLOSES');
	await expect(await register(100002, BREST.first + S.open), 403, 'HORS_STRUCTURE'); // a Paris dossier
	await expect(await register(FREE_BREST_DOSSIER, BREST.first + S.open + 1, PARIS.counselor), 403, 'HORS_STRUCTURE');
	// DEJA_INSCRIT holds whatever the status: a refused registration is still one
	const seeded = (await sessions('GET', `/operateurs/sessions/${BREST.first + S.marked}/inscrits`)).json;
	const refused = seeded.find((i) => i.statut === 'REFUSAL_YOUNG');
	const again = await register(refused.idDossier, BREST.first + S.marked);
	assert.equal(again.status, 409, again.text);
	assert.equal((await register(FREE_BREST_DOSSIER, 'abc')).status, 400, 'body is not a session id');
	assert.equal((await call('POST', `/operateurs/dossiers/${FREE_BREST_DOSSIER}/instances-session`,
		{ key: KEYS.sessions, headers: OPERATOR, body: '"1007"' })).status, 401, 'writes need a bearer');
});

test('S5 deadline: open through the whole dateMaxInscription day, closed the day after (structure zone)', async () => {
	const create = async (dateMax) => (await admin('POST', '/_admin/sessions', {
		structure: BREST.code, offreId: 1, nom: 'Délai', dateHeureDebut: `${day(10)} 10:00:00`,
		dateHeureFin: `${day(10)} 12:00:00`, dateMaxInscription: dateMax, nbPlaces: 5,
	})).json.session.id;
	assert.equal((await register(FREE_BREST_DOSSIER, await create(day(0)))).status, 201, 'deadline today: open');
	const closed = await register(FREE_BREST_DOSSIER, await create(day(-1)));
	assert.equal(closed.status, 400);
	assert.equal(closed.json.code, 'INSCRIPTIONS_CLOSES');
});

test('S6 changes the status with its rules, S7 unregisters', async () => {
	const session = BREST.first + S.onePlace; // capacity 2, one taken
	const i = (await register(FREE_BREST_DOSSIER, session)).json.id;
	const put = (body, dossier = FREE_BREST_DOSSIER, id = i) =>
		sessions('PUT', `/operateurs/dossiers/${dossier}/instances-session/${id}`, { body });
	assert.equal((await put({ statut: 'REFUSAL_YOUNG', commentaire: 'Absence' })).status, 204);
	let e4 = (await events('GET', `/operateurs/dossiers/${FREE_BREST_DOSSIER}/sessions/${i}`)).json;
	assert.equal(e4.statut, 'Refus jeune');
	assert.equal(e4.commentaire, 'Absence');
	assert.equal((await put({ statut: 'REFUSAL', commentaire: 'non' })).status, 400, 'comment only with REFUSAL_YOUNG');
	assert.equal((await put({ statut: 'REFUSAL_YOUNG', commentaire: 'x'.repeat(251) })).status, 400, '≤ 250');
	assert.equal((await put({ statut: 'REFUSAL_YOUNG', commentaire: 'é'.repeat(250) })).status, 204, '250 characters');
	assert.equal((await put({ statut: 'ACHIEVED' })).status, 400, 'dateDebutReelle required');
	assert.equal((await put({ statut: 'INCONNU' })).status, 400);
	// the freed place is taken by another: back to ONGOING needs one
	assert.equal((await register(100034, session)).status, 201);
	const full = await put({ statut: 'ONGOING' });
	assert.equal(full.status, 400);
	assert.equal(full.json.code, 'PLUS_DE_PLACE');
	assert.equal((await put({ statut: 'REFUSAL' })).status, 204);
	e4 = (await events('GET', `/operateurs/dossiers/${FREE_BREST_DOSSIER}/sessions/${i}`)).json;
	assert.equal(e4.statut, 'Refus tiers');
	assert.equal((await put({ statut: 'REFUSAL' }, 100004)).status, 404, 'instance of another dossier');
	const del = (id) => sessions('DELETE', `/operateurs/dossiers/${FREE_BREST_DOSSIER}/instances-session/${id}`);
	assert.equal((await del(i)).status, 204);
	const gone = await del(i);
	assert.equal(gone.status, 404);
	assert.equal(gone.json.code, 'INSTANCE_INCONNUE');
	assert.equal((await events('GET', `/operateurs/dossiers/${FREE_BREST_DOSSIER}/sessions/${i}`)).status, 404);
});

// ---- the feed ----

test('the feed lists every mutation once, cej\'s and the desk\'s, in order; ack removes them', async () => {
	const session = BREST.first + S.open;
	const i = (await register(FREE_BREST_DOSSIER, session)).json.id;
	await sessions('PUT', `/operateurs/dossiers/${FREE_BREST_DOSSIER}/instances-session/${i}`, { body: { statut: 'REFUSAL' } });
	await sessions('DELETE', `/operateurs/dossiers/${FREE_BREST_DOSSIER}/instances-session/${i}`);
	const desk = (await admin('POST', `/_admin/sessions/${session}/instances`, { idDossier: 100034 })).json.id;
	await admin('PATCH', `/_admin/instances/${desk}`, { statut: 'ACHIEVED', dateDebutReelle: day(7) });
	await admin('PATCH', `/_admin/sessions/${session}`, { lieu: 'Salle 2' }); // one UPDATE per instance
	await admin('DELETE', `/_admin/instances/${desk}`);
	const rdv = (await admin('POST', '/_admin/dossiers/100001/rdv', {
		dateHeureDebut: `${day(3)} 10:00:00`, dateHeureFin: `${day(3)} 11:00:00`, objet: 'Entretien',
		conseiller: 'Camille Martin', type: 'Entretien individuel', statut: 'Planifié',
	})).json.id;
	await admin('PATCH', `/_admin/rdv/${rdv}`, { statut: 'Reporté' });
	await admin('DELETE', `/_admin/rdv/${rdv}`);
	await admin('PATCH', '/_admin/dossiers/100001', { nomUsage: 'Nouveau' });
	// failed writes leave no event
	await register(FREE_BREST_DOSSIER, BREST.first + S.full);

	const list = await feed();
	const seen = list.map((e) => `${e.type} ${e.action} ${e.idDossier} ${e.idType}`);
	// The session change is one UPDATE per registrant, in no promised order.
	const registrants = (await sessions('GET', `/operateurs/sessions/${session}/inscrits`)).json
		.map((x) => `SESSION UPDATE ${x.idDossier} ${x.idInstanceSession}`);
	const patch = [...registrants, `SESSION UPDATE 100034 ${desk}`].sort();
	const n = patch.length;
	assert.deepEqual([...seen.slice(0, 5), ...seen.slice(5, 5 + n).sort(), ...seen.slice(5 + n)], [
		`SESSION CREATE ${FREE_BREST_DOSSIER} ${i}`,
		`SESSION UPDATE ${FREE_BREST_DOSSIER} ${i}`,
		`SESSION DELETE ${FREE_BREST_DOSSIER} ${i}`,
		`SESSION CREATE 100034 ${desk}`,
		`SESSION UPDATE 100034 ${desk}`,
		...patch,
		`SESSION DELETE 100034 ${desk}`,
		`RDV CREATE 100001 ${rdv}`,
		`RDV UPDATE 100001 ${rdv}`,
		`RDV DELETE 100001 ${rdv}`,
		'DOSSIER UPDATE 100001 null',
	]);
	for (const e of list) {
		assert.match(e.identifiant, /^[0-9a-f-]{36}$/);
		assert.match(e.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/, 'ISO 8601 with offset');
	}
	assert.equal(new Set(list.map((e) => e.identifiant)).size, list.length);
	await admin('PATCH', '/_admin/dossiers/100003', { nomUsage: 'Payet' }); // a Réunion dossier
	assert.match((await feed()).at(-1).date, /\+04:00$/, 'the offset of the dossier\'s structure');

	// acknowledgement: 204, idempotent, 404 unknown; an acked event leaves E1
	const first = list[0].identifiant;
	assert.equal((await events('POST', `/operateurs/events/${first}/ack`)).status, 204);
	assert.equal((await events('POST', `/operateurs/events/${first}/ack`)).status, 204, 'idempotent');
	assert.equal((await events('POST', '/operateurs/events/inconnu/ack')).status, 404);
	const after = await feed();
	assert.equal(after.length, list.length);
	assert.ok(!after.some((e) => e.identifiant === first));
	const all = (await admin('GET', '/_admin/events')).json;
	assert.equal(all.length, list.length + 1, 'the admin view keeps acknowledged events');
	assert.equal((await admin('GET', '/_admin/state')).json.eventsUnacked, list.length);
	assert.equal(all[0].acquitte, true);
	assert.equal(all[1].acquitte, false);
});

test('E1 serves at most the 100 oldest unacknowledged events; operator auth and the events key', async () => {
	const rdv = (await admin('POST', '/_admin/dossiers/100001/rdv', {
		dateHeureDebut: `${day(3)} 10:00:00`, objet: 'Entretien', conseiller: 'C', type: 'Entretien individuel',
	})).json.id;
	for (let k = 0; k < 104; k++) await admin('PATCH', `/_admin/rdv/${rdv}`, { commentaire: `n° ${k}` });
	const page = await feed();
	assert.equal(page.length, 100);
	assert.equal(page[0].action, 'CREATE', 'oldest first');
	for (const e of page.slice(0, 10)) await events('POST', `/operateurs/events/${e.identifiant}/ack`);
	const next = await feed();
	assert.equal(next.length, 95);
	assert.equal(next[0].identifiant, page[10].identifiant);
	assert.equal((await call('GET', '/operateurs/events', { key: KEYS.events })).status, 400, 'operateur missing');
	assert.equal((await call('GET', '/operateurs/events', { key: KEYS.sessions, headers: OPERATOR })).status, 401, 'sessions key');
});

test('E3 reads a rendez-vous (every statut seeded), 404 for another dossier or once deleted', async () => {
	const statuts = new Set();
	for (let id = 7001; id <= 7025; id++) {
		const r = await events('GET', `/operateurs/dossiers/${100001 + id - 7001}/rdv/${id}`);
		assert.equal(r.status, 200, r.text);
		statuts.add(r.json.statut);
		assert.match(r.json.dateHeureDebut, LOCAL);
		for (const k of ['objet', 'conseiller', 'type']) assert.equal(typeof r.json[k], 'string');
	}
	assert.deepEqual([...statuts].sort(), ['Absent', 'Annulé', 'Non précisé', 'Planifié', 'Présent', 'Reporté']);
	assert.equal((await events('GET', '/operateurs/dossiers/100002/rdv/7001')).status, 404);
	assert.equal((await admin('DELETE', '/_admin/rdv/7001')).status, 204);
	assert.equal((await events('GET', '/operateurs/dossiers/100001/rdv/7001')).status, 404);
});

// ---- the desk ----

test('the desk creates, reads, changes and deletes a session; refuses bad bodies; needs the token', async () => {
	const body = { structure: PARIS.code, offreId: 2, nom: 'Info coll', dateHeureDebut: `${day(5)} 14:00:00`,
		dateHeureFin: `${day(5)} 16:00:00`, nbPlaces: 3 };
	const c = await admin('POST', '/_admin/sessions', body);
	assert.equal(c.status, 201, c.text);
	const id = c.json.session.id;
	assert.equal(c.json.session.nbPlacesDisponibles, 3);
	assert.equal(c.json.offre.type, 'COLLECTIVE_INFORMATION');
	const p = await admin('PATCH', `/_admin/sessions/${id}`, { nbPlaces: null, dateMaxInscription: day(4) });
	assert.equal(p.status, 200, p.text);
	assert.equal(p.json.session.nbPlacesDisponibles, null);
	assert.equal(p.json.session.dateMaxInscription, day(4));
	assert.equal(p.json.session.nom, 'Info coll', 'members left out keep their value');
	assert.equal((await sessions('GET', `/operateurs/sessions/${id}`)).json.session.dateMaxInscription, day(4));
	for (const bad of [{ ...body, inconnu: 1 }, { ...body, dateHeureDebut: 'demain' }, { ...body, structure: 'X' },
		{ ...body, offreId: 99 }, { ...body, dateHeureFin: `${day(4)} 10:00:00` }])
		assert.equal((await admin('POST', '/_admin/sessions', bad)).status, 400, JSON.stringify(bad));
	const reg = await admin('POST', `/_admin/sessions/${id}/instances`, { idDossier: 100002 });
	assert.equal(reg.status, 201, reg.text);
	assert.equal((await admin('POST', `/_admin/sessions/${id}/instances`, { idDossier: 100002 })).status, 409);
	assert.equal((await admin('POST', `/_admin/sessions/${id}/instances`, { idDossier: 100001 })).status, 403);
	assert.equal((await admin('DELETE', `/_admin/sessions/${id}`)).status, 204);
	assert.equal((await sessions('GET', `/operateurs/sessions/${id}`)).status, 404);
	assert.deepEqual((await feed()).map((e) => e.action), ['CREATE', 'DELETE'], 'deleting the session deletes its instance');
	const noToken = await call('POST', '/_admin/sessions', { body });
	assert.equal(noToken.status, 401);
});

test('the desk registers regardless of places and deadline (as i-milo\'s desk may)', async () => {
	const r = await admin('POST', `/_admin/sessions/${BREST.first + S.full}/instances`, { idDossier: FREE_BREST_DOSSIER, statut: 'ONGOING' });
	assert.equal(r.status, 201, r.text);
	assert.equal((await sessions('GET', `/operateurs/sessions/${BREST.first + S.full}`)).json.session.nbPlacesDisponibles, 0);
});

// ---- faults ----

test('a fault on a session path answers for it, then the path works again', async () => {
	const f = await admin('POST', '/_admin/faults', { match: { method: 'GET', path: '/operateurs/sessions/*' }, status: 503, count: 1 });
	assert.equal(f.status, 201, f.text);
	const hit = await sessions('GET', `/operateurs/sessions/${BREST.first}`);
	assert.equal(hit.status, 503);
	assert.equal((await sessions('GET', `/operateurs/sessions/${BREST.first}`)).status, 200);
	await admin('POST', '/_admin/faults', { match: { method: 'POST', path: '/operateurs/dossiers/*/instances-session' }, status: 500, count: 1 });
	assert.equal((await register(FREE_BREST_DOSSIER, BREST.first + S.open)).status, 500);
	assert.deepEqual(await feed(), [], 'a faulted write changes nothing');
	const journal = (await admin('GET', '/_admin/requests')).json;
	assert.ok(JSON.stringify(journal).includes('/operateurs/sessions/'), 'session calls are journaled');
});
