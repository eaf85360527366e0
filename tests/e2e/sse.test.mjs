// sse.test.mjs — the live event streams over plain HTTP (DESIGN §6): GET /evenements for a
// counselor and GET /app/evenements-direct for a beneficiary, fed through the test-only
// POST /_test/publier until the pages that publish exist. Delivery, framing, heartbeat,
// who may open which stream, 200 streams at once, the per-user and overall caps, and a
// SIGTERM with streams open (the harness's stop() fails unless the server exits cleanly).
//
// Two stacks: the main one with a 300 ms heartbeat and room for 250 streams per user; a
// small one with the default 5 streams per user and 7 in all, to hit both caps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, httpClient, waitForMails, extractLink, openStream } from './harness.mjs';

let stack, small;
let camille, yann, young;   // clients of the main stack
let ids;                    // user ids by name

function withEnv(vars, fn) {
  const saved = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  return fn().finally(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

const sql = (s, q) => s.sql(q);

async function counselor(s, email) {
  const c = httpClient(s.baseUrl);
  const html = await (await c.get('/connexion')).text();
  const r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email, password: 'Conseiller1!' });
  assert.equal(r.status, 303, `login ${email}`);
  return c;
}

async function publish(s, topic, event, data) {
  const body = JSON.stringify(data === undefined ? { topic, event } : { topic, event, data });
  const res = await fetch(s.baseUrl + '/_test/publier', { method: 'POST', body });
  assert.equal(res.status, 200);
  return res.json();  // { delivered, streams }
}

// Waits until the server counts @n streams (it notices a client that left at its next write:
// the heartbeat).
async function streamsDropTo(s, n, ms = 5000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = (await publish(s, 'personne', 'compte')).streams;
    if (last <= n) return last;
    await sleep(100);
  }
  assert.fail(`still ${last} streams after ${ms} ms, expected ${n}`);
}

before(async () => {
  // 200 streams open at once from one address (127.0.0.1): each arrives as a page
  // connection before it becomes a stream, so the per-address caps are raised past them.
  stack = await withEnv({ CEJ_SSE_HEARTBEAT_MS: '300', CEJ_SSE_MAX_PER_USER: '250',
    CEJ_CONNECTIONS_PER_ADDRESS: '300', CEJ_STREAMS_PER_ADDRESS: '300' }, () => startStack());
  small = await withEnv({ CEJ_SSE_MAX_STREAMS: '7' }, () => startStack());
  camille = await counselor(stack, 'camille.martin@cej-demo.fr');
  yann = await counselor(stack, 'yann.le-goff@cej-demo.fr');

  // A beneficiary of Camille activates the account and logs in to the app.
  const csrf = camille.csrfFrom(await (await camille.get('/portefeuille/ajouter')).text());
  let r = await camille.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier: '100031', dispositif: 'CEJ' });
  assert.equal(r.status, 303);
  const email = (await stack.simAdmin('GET', '/_admin/dossiers/100031')).body.mail;
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(email)));
  const token = extractLink(mails.find((x) => x.to.includes(email)).text, '/app/activation/').split('/').pop();
  young = httpClient(stack.baseUrl);
  let html = await (await young.get(`/app/activation/${token}`)).text();
  r = await young.form(`/app/activation/${token}`, { _csrf: young.csrfFrom(html), password: 'Jeune2026ok', confirmation: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  html = await (await young.get('/app/connexion')).text();
  r = await young.form('/app/connexion', { _csrf: young.csrfFrom(html), email, password: 'Jeune2026ok' });
  assert.equal(r.status, 303);

  ids = {
    camille: sql(stack, "SELECT id FROM counselor WHERE email = 'camille.martin@cej-demo.fr'"),
    yann: sql(stack, "SELECT id FROM counselor WHERE email = 'yann.le-goff@cej-demo.fr'"),
    young: sql(stack, `SELECT id FROM beneficiary WHERE email = lower('${email}')`),
  };
  for (const [k, v] of Object.entries(ids)) assert.match(v, /^[0-9a-f-]{36}$/, k);
});

after(async () => {
  await small?.stop();
  await stack?.stop();
});

test('a counselor receives what is published to their topic within 2 s, framed line by line', async () => {
  const s = await openStream(camille, '/evenements');
  try {
    assert.equal(s.res.status, 200);
    const h = s.res.headers;
    assert.equal(h.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(h.get('cache-control'), 'no-store');
    assert.equal(h.get('x-accel-buffering'), 'no');
    assert.match(h.get('content-security-policy'), /default-src 'self'/);
    assert.equal(h.get('x-content-type-options'), 'nosniff');
    assert.equal((await s.next((f) => f.retry !== null)).retry, 3000);

    const t0 = Date.now();
    const sent = await publish(stack, `counselor:${ids.camille}`, 'message', '<p>Bonjour</p>\n<p>à demain</p>');
    assert.equal(sent.delivered, 1);
    const f = await s.next((x) => x.event === 'message', 2000);
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(f.raw, 'event: message\ndata: <p>Bonjour</p>\ndata: <p>à demain</p>');
    assert.equal(f.data, '<p>Bonjour</p>\n<p>à demain</p>');

    // Someone else's topic does not reach this stream.
    assert.equal((await publish(stack, `counselor:${ids.yann}`, 'message', 'pour Yann')).delivered, 0);
    await publish(stack, `counselor:${ids.camille}`, 'suivant', '');
    const g = await s.next((x) => x.event === 'suivant');
    assert.equal(g.data, '');
    assert.ok(!s.frames.some((x) => x.data === 'pour Yann'));
  } finally {
    s.close();
  }
});

test('an idle stream gets a heartbeat comment', async () => {
  const s = await openStream(yann, '/evenements');
  try {
    const ping = await s.next((f) => f.comment === 'ping', 2000);
    assert.equal(ping.raw, ': ping');
  } finally {
    s.close();
  }
});

test('a beneficiary has their own stream; the other one is refused, and anonymous is sent to log in', async () => {
  const s = await openStream(young, '/app/evenements-direct');
  try {
    assert.equal(s.res.status, 200);
    assert.equal(s.res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal((await publish(stack, `beneficiary:${ids.young}`, 'notification', '<li>Nouvelle action</li>')).delivered, 1);
    assert.equal((await s.next((f) => f.event === 'notification')).data, '<li>Nouvelle action</li>');
  } finally {
    s.close();
  }
  const refused = await young.get('/evenements');
  assert.equal(refused.status, 403);
  assert.match(refused.headers.get('content-type'), /text\/html/);
  assert.equal((await camille.get('/app/evenements-direct')).status, 403);

  const anonymous = httpClient(stack.baseUrl);
  let r = await anonymous.get('/evenements');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/connexion?retour=%2Fevenements');
  r = await anonymous.get('/app/evenements-direct');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/app\/connexion\?retour=/);
});

test('200 streams at once all get the event, close, and the server still answers at once', async () => {
  await streamsDropTo(stack, 0);  // the earlier tests' streams are noticed gone
  const streams = await Promise.all(Array.from({ length: 200 }, () => openStream(camille, '/evenements')));
  try {
    assert.deepEqual([...new Set(streams.map((s) => s.res.status))], [200]);
    await Promise.all(streams.map((s) => s.next((f) => f.retry !== null)));
    const sent = await publish(stack, `counselor:${ids.camille}`, 'message', 'à tous');
    assert.equal(sent.delivered, 200);
    await Promise.all(streams.map((s) => s.next((f) => f.event === 'message' && f.data === 'à tous', 3000)));
  } finally {
    for (const s of streams) s.close();
  }
  await streamsDropTo(stack, 0);
  const t0 = Date.now();
  const res = await fetch(stack.baseUrl + '/healthz', { signal: AbortSignal.timeout(1000) });
  assert.equal(res.status, 200);
  assert.ok(Date.now() - t0 < 500, `healthz took ${Date.now() - t0} ms`);
});

test('a sixth stream of the same user ends the oldest with "fin"; beyond the overall cap: 503', async () => {
  const sophie = await counselor(small, 'sophie.durand@cej-demo.fr');
  const mael = await counselor(small, 'mael.payet@cej-demo.fr');
  const open = [];
  try {
    for (let i = 0; i < 5; i++) open.push(await openStream(sophie, '/evenements'));
    await Promise.all(open.map((s) => s.next((f) => f.retry !== null)));
    const sixth = await openStream(sophie, '/evenements');
    open.push(sixth);
    assert.equal(sixth.res.status, 200);
    const fin = await open[0].next((f) => f.event === 'fin');
    assert.equal(fin.data, 'trop-de-flux');
    assert.equal(await open[0].ended, 'end', 'the oldest ends cleanly');
    await streamsDropTo(small, 5);

    // 5 of Sophie + 2 of Maël = 7, the overall cap: the next one is refused.
    open.push(await openStream(mael, '/evenements'), await openStream(mael, '/evenements'));
    const refused = await mael.get('/evenements');
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '10');
    assert.match(refused.headers.get('content-type'), /text\/html/);
  } finally {
    for (const s of open) s.close();
  }
});

test('SIGTERM with streams open: they end cleanly and the server exits with 0', async () => {
  const streams = [await openStream(camille, '/evenements'), await openStream(young, '/app/evenements-direct')];
  await Promise.all(streams.map((s) => s.next((f) => f.retry !== null)));
  const t0 = Date.now();
  await stack.stop();  // throws unless the server exits with 0 within the harness's limit
  assert.ok(Date.now() - t0 < 5000, `stop took ${Date.now() - t0} ms`);
  assert.deepEqual(await Promise.all(streams.map((s) => s.ended)), ['end', 'end']);
});
