// metrics.test.mjs — GET /metrics (issue point 19, docs/metrics.md), seen from a scraper:
//
//   - requests are counted by route PATTERN and status (never by the path a client chose),
//     with latency histograms that are well-formed and cumulative, in the Prometheus text
//     format exactly (HELP and TYPE once per family, before its samples);
//   - gauges: open event streams, jobs by kind and state (mails are the kind "mail"), the
//     database; i-milo calls by family, call and outcome;
//   - access: without a token, the loopback only and not through a proxy; with
//     metrics_token set, its bearer only — from the loopback too.
//
//   node --test tests/e2e/metrics.test.mjs   (from the repository root; binary: $CEJ_BIN or build/cej)
//
// Each test reads differences between two scrapes, or waits on a condition: none depends on
// what another test did.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startStack, httpClient, waitFor, COUNSELOR_PASSWORD } from './harness.mjs';

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const UNKNOWN_ID = '0190b6a0-0000-7000-8000-00000000dead';

/**
 * Parses the text exposition format strictly: every family has one HELP then one TYPE line,
 * its samples follow together (a histogram's as _bucket, _sum, _count), label values are
 * quoted with \\, \" and \n as the only escapes, values are numbers, no series twice.
 * Returns Map(family → { type, help, samples: [{ name, labels: {…}, value }] }); throws,
 * naming the line, on anything else.
 */
function parseExposition(text) {
  assert.ok(text.endsWith('\n'), 'the exposition ends with a line feed');
  const families = new Map();
  const seen = new Set();
  let current = null;
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${JSON.stringify(line)}`;
    let m;
    if ((m = /^# HELP (\S+) (.*)$/.exec(line))) {
      assert.match(m[1], NAME, where);
      assert.ok(!families.has(m[1]), `family declared twice, ${where}`);
      assert.ok(!/\\[^\\n]/.test(m[2].replace(/\\\\/g, '')), `HELP escapes only \\\\ and \\n, ${where}`);
      current = { name: m[1], help: m[2], type: null, samples: [] };
      families.set(m[1], current);
      return;
    }
    if ((m = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line))) {
      assert.ok(current && current.name === m[1] && current.type === null && current.samples.length === 0,
        `TYPE right after its HELP, ${where}`);
      current.type = m[2];
      return;
    }
    assert.ok(!line.startsWith('#') && line !== '', `unexpected comment or blank, ${where}`);
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `malformed sample, ${where}`);
    assert.ok(current && current.type, `sample before its family's TYPE, ${where}`);
    const suffixes = current.type === 'histogram' ? ['_bucket', '_sum', '_count'] : [''];
    assert.ok(suffixes.some((s) => m[1] === current.name + s), `sample outside its family ${current.name}, ${where}`);
    const labels = parseLabels(m[2] ?? '', where);
    assert.ok(/^-?\d+(\.\d+)?$/.test(m[3]), `value is a number, ${where}`);
    const key = m[1] + JSON.stringify(labels);
    assert.ok(!seen.has(key), `series written twice, ${where}`);
    seen.add(key);
    current.samples.push({ name: m[1], labels, value: Number(m[3]) });
  });
  return families;
}

function parseLabels(text, where) {
  const labels = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
  let end = 0;
  while (end < text.length) {
    re.lastIndex = end;
    const m = re.exec(text);
    assert.ok(m, `malformed labels, ${where}`);
    assert.ok(!(m[1] in labels), `label twice, ${where}`);
    labels[m[1]] = m[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    end = re.lastIndex;
    assert.ok(m[3] === ',' || end === text.length, `labels separated by commas, ${where}`);
  }
  return labels;
}

/** The value of the sample @name whose labels are exactly @labels, or undefined. */
function value(families, family, name, labels = {}) {
  const f = families.get(family);
  const want = JSON.stringify(Object.entries(labels).sort());
  const s = f?.samples.find((x) => x.name === name && JSON.stringify(Object.entries(x.labels).sort()) === want);
  return s?.value;
}

/** Checks every series of every histogram of @families: buckets in increasing "le", +Inf
 * last, counts never decreasing, _count equal to +Inf, _sum present and not negative. (A
 * family may have no series yet: no request of any route before the first scrape.) */
function assertHistogramsWellFormed(families) {
  for (const f of families.values()) {
    if (f.type !== 'histogram') continue;
    const series = new Map();
    for (const s of f.samples) {
      const { le, ...rest } = s.labels;
      const key = JSON.stringify(Object.entries(rest).sort());
      if (!series.has(key)) series.set(key, { buckets: [], sum: undefined, count: undefined });
      const h = series.get(key);
      if (s.name.endsWith('_bucket')) {
        assert.ok(le !== undefined, `${f.name}: a bucket without "le"`);
        h.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), value: s.value });
      } else {
        assert.equal(le, undefined, `${f.name}: "le" on ${s.name}`);
        h[s.name.endsWith('_sum') ? 'sum' : 'count'] = s.value;
      }
    }
    for (const [key, h] of series) {
      const what = `${f.name}${key}`;
      assert.ok(h.buckets.length >= 2, `${what}: buckets`);
      assert.equal(h.buckets.at(-1).le, Infinity, `${what}: +Inf last`);
      for (let i = 1; i < h.buckets.length; i++) {
        assert.ok(h.buckets[i].le > h.buckets[i - 1].le, `${what}: "le" increasing`);
        assert.ok(h.buckets[i].value >= h.buckets[i - 1].value, `${what}: cumulative counts`);
      }
      assert.equal(h.count, h.buckets.at(-1).value, `${what}: _count equals the +Inf bucket`);
      assert.ok(h.sum >= 0, `${what}: _sum`);
    }
  }
}

async function scrape(stack, headers = {}) {
  const r = await fetch(stack.baseUrl + '/metrics', { headers });
  assert.equal(r.status, 200, 'GET /metrics');
  assert.equal(r.headers.get('content-type'), CONTENT_TYPE);
  const text = await r.text();
  return { text, families: parseExposition(text) };
}

async function counselor(stack) {
  const c = httpClient(stack.baseUrl);
  const html = await (await c.get('/connexion')).text();
  const r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email: 'camille.martin@cej-demo.fr', password: COUNSELOR_PASSWORD });
  assert.equal(r.status, 303, 'login');
  return c;
}

const REQUESTS = 'cej_http_requests_total';
const LATENCY = 'cej_http_request_duration_seconds';

describe('without a token', () => {
  let stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  test('requests are counted by route pattern and status, with cumulative latency histograms', async () => {
    const before = await scrape(stack);
    const get = async (path, status) => {
      const r = await fetch(stack.baseUrl + path, { redirect: 'manual' });
      await r.arrayBuffer();
      assert.equal(r.status, status, path);
    };
    await get('/connexion', 200);
    await get('/connexion', 200);
    await get(`/beneficiaires/${UNKNOWN_ID}`, 303);  // anonymous: to the login page
    await get('/pas-une-page/123456', 404);
    const after = await scrape(stack);

    const delta = (name, labels) => (value(after.families, REQUESTS, name, labels) ?? 0) -
      (value(before.families, REQUESTS, name, labels) ?? 0);
    assert.equal(delta(REQUESTS, { method: 'GET', route: '/connexion', code: '200' }), 2);
    assert.equal(delta(REQUESTS, { method: 'GET', route: '/beneficiaires/{id}', code: '303' }), 1);
    assert.equal(delta(REQUESTS, { method: '(toutes)', route: '(aucune)', code: '404' }), 1);
    assert.equal(delta(REQUESTS, { method: 'GET', route: '/metrics', code: '200' }), 1, 'the first scrape');
    // The paths clients chose are never labels: the series are bounded by the route table.
    assert.ok(!after.text.includes(UNKNOWN_ID) && !after.text.includes('pas-une-page'));

    assertHistogramsWellFormed(after.families);
    const count = (f, labels) => value(f, LATENCY, `${LATENCY}_count`, labels) ?? 0;
    const page = { method: 'GET', route: '/connexion', class: '2xx' };
    assert.equal(count(after.families, page) - count(before.families, page), 2);
    assert.ok(value(after.families, LATENCY, `${LATENCY}_bucket`, { ...page, le: '+Inf' }) >= 2);
    assert.equal(after.families.get(REQUESTS).type, 'counter');
    assert.equal(after.families.get(LATENCY).type, 'histogram');
  });

  test('every family is there: streams, connections, database, jobs and mails, calls to i-milo', async () => {
    const { families } = await scrape(stack);
    for (const [name, type] of [
      ['process_start_time_seconds', 'gauge'], ['cej_http_connections', 'gauge'],
      ['cej_http_connections_max', 'gauge'], ['cej_http_connections_refused_total', 'counter'],
      ['cej_http_requests_cut_total', 'counter'], ['cej_sse_streams', 'gauge'],
      ['cej_sse_streams_max', 'gauge'], ['cej_db_connections', 'gauge'],
      ['cej_db_write_transactions', 'gauge'], ['cej_db_write_lock_wait_seconds', 'histogram'],
      ['cej_db_busy_total', 'counter'], ['cej_db_up', 'gauge'], ['cej_jobs', 'gauge'],
      ['cej_jobs_oldest_waiting_seconds', 'gauge'], ['cej_imilo_calls_total', 'counter'],
      ['cej_imilo_call_duration_seconds', 'histogram'],
    ]) assert.equal(families.get(name)?.type, type, name);
    assert.equal(value(families, 'cej_db_up', 'cej_db_up'), 1);
    assert.equal(value(families, 'cej_sse_streams_max', 'cej_sse_streams_max'), 2000);
    for (const state of ['waiting', 'retrying', 'running', 'dead'])
      assert.ok(value(families, 'cej_jobs', 'cej_jobs', { kind: 'mail', state }) >= 0, `mail ${state}`);
    assert.ok(value(families, 'cej_jobs_oldest_waiting_seconds', 'cej_jobs_oldest_waiting_seconds', { kind: 'mail' }) >= 0);
    for (const outcome of ['ok', 'http_4xx', 'http_5xx', 'timeout', 'network', 'invalid'])
      assert.ok(value(families, 'cej_imilo_calls_total', 'cej_imilo_calls_total', { family: 'dossiers', call: 'D1', outcome }) >= 0);
    assertHistogramsWellFormed(families);
  });

  test('an open event stream is counted', async () => {
    const c = await counselor(stack);
    const streams = async () => value((await scrape(stack)).families, 'cej_sse_streams', 'cej_sse_streams');
    const ac = new AbortController();
    const res = await c.get('/evenements', { signal: ac.signal });
    try {
      assert.equal(res.status, 200);
      await waitFor(async () => (await streams()) >= 1, { what: 'cej_sse_streams ≥ 1' });
    } finally {
      ac.abort();
    }
  });

  test('refused (404) through a proxy, even on the loopback: the client is not local', async () => {
    for (const header of [{ 'X-Forwarded-For': '203.0.113.9' }, { Forwarded: 'for=203.0.113.9' }, { 'X-Real-IP': '203.0.113.9' }]) {
      const r = await fetch(stack.baseUrl + '/metrics', { headers: header });
      const text = await r.text();
      assert.equal(r.status, 404, JSON.stringify(header));
      assert.ok(!text.includes('cej_http_requests_total'));
    }
  });
});

describe('with metrics_token, and a mail transport that fails', () => {
  const token = randomBytes(24).toString('hex');
  let stack;
  // /dev/null is no directory: every mail fails and waits for its retry.
  before(async () => {
    stack = await startStack({ extraEnv: { CEJ_METRICS_TOKEN: token, CEJ_MAIL_TRANSPORT: 'file:/dev/null/outbox' } });
  });
  after(async () => { await stack?.stop(); });

  test('only the bearer of the token reads the metrics, from the loopback too', async () => {
    for (const headers of [{}, { Authorization: 'Bearer ' + token.slice(0, -1) }, { Authorization: 'Bearer ' + token + 'x' },
      { Authorization: 'Basic ' + token }, { Authorization: token }]) {
      const r = await fetch(stack.baseUrl + '/metrics', { headers });
      const text = await r.text();
      assert.equal(r.status, 404, JSON.stringify(headers));
      assert.ok(!text.includes('cej_http_requests_total'));
    }
    await scrape(stack, { Authorization: 'Bearer ' + token });
    // Through a proxy, the token is what counts.
    await scrape(stack, { Authorization: 'bearer ' + token, 'X-Forwarded-For': '203.0.113.9' });
  });

  test('i-milo calls by outcome, and a mail that failed waits for its retry', async () => {
    const auth = { Authorization: 'Bearer ' + token };
    const calls = (f, call, outcome) => value(f, 'cej_imilo_calls_total', 'cej_imilo_calls_total', { family: 'dossiers', call, outcome });
    const mails = (f, state) => value(f, 'cej_jobs', 'cej_jobs', { kind: 'mail', state });
    const before = (await scrape(stack, auth)).families;

    const c = await counselor(stack);
    const csrf = c.csrfFrom(await (await c.get('/portefeuille/ajouter')).text());
    let r = await c.form('/portefeuille/ajouter', { _csrf: csrf, dossier: '99999' });  // unknown to i-milo
    await r.arrayBuffer();
    r = await c.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier: '100001', dispositif: 'CEJ' });
    await r.arrayBuffer();
    assert.equal(r.status, 303, 'account created');

    const after = (await scrape(stack, auth)).families;
    assert.equal(calls(after, 'D1', 'http_4xx') - calls(before, 'D1', 'http_4xx'), 1, 'the unknown dossier');
    assert.ok(calls(after, 'D1', 'ok') - calls(before, 'D1', 'ok') >= 1, 'the dossier read again before the creation');
    assert.equal(calls(after, 'D2', 'ok') - calls(before, 'D2', 'ok'), 1, 'the account declared');
    // The activation mail: its first send fails, it waits 30 s for the next.
    await waitFor(async () => mails((await scrape(stack, auth)).families, 'retrying') >= 1,
      { what: 'cej_jobs{kind="mail",state="retrying"} ≥ 1' });
    const now = (await scrape(stack, auth)).families;
    assert.equal(mails(now, 'dead'), 0);
    assertHistogramsWellFormed(now);
  });
});
