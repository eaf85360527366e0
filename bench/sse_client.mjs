// sse_client.mjs — the client side of bench/sse.sh, in one Node.js process (node: modules
// only): it holds N live streams of distinct young people (GET /app/evenements-direct, each
// with its own session), and while they are open sends messages from their counselors
// through the web form's route (POST /conversations/{id}, session cookie + CSRF token),
// timing each one from the moment the POST is written to the moment "event: message" for
// that young person arrives on their stream.
//
//   node bench/sse_client.mjs --url http://127.0.0.1:PORT --sessions FILE --pid PID \
//        --steps 1000,5000,10000 --rate 50 --seconds 15 --out results.json \
//        [--send-url http://127.0.0.1:OTHER_NODE]
//
// The steps are cumulative: streams are opened (in batches) up to the first step, measured,
// then more are opened up to the next step, and so on. For each step it records the
// streams held, the server's memory (VmRSS, /proc/PID/status) at rest and after the
// sending, the delivery latencies, what was lost, and the server's CPU during the sending.
// Progress goes to stderr, the results (JSON) to --out. Exit status 1 only when the set-up
// fails (no stream opens, the sessions file is unusable, the server is gone).
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' }, sessions: { type: 'string' }, pid: { type: 'string' },
    steps: { type: 'string', default: '1000,5000,10000' },
    rate: { type: 'string', default: '50' }, seconds: { type: 'string', default: '15' },
    batch: { type: 'string', default: '250' }, out: { type: 'string' },
    'send-url': { type: 'string' },
  },
});
for (const k of ['url', 'sessions', 'pid', 'out']) if (!opt[k]) fail(`--${k} manquant`);
const base = new URL(opt.url);
// Where the counselors send (bench/sse.sh NODES=2: another node than the streams' one, so
// that every message crosses nodes through PostgreSQL's LISTEN/NOTIFY).
const sendBase = new URL(opt['send-url'] ?? opt.url);
const PID = Number(opt.pid);
const STEPS = opt.steps.split(',').map(Number);
const RATE = Number(opt.rate);
const SECONDS = Number(opt.seconds);
const BATCH = Number(opt.batch);
const GRACE_MS = 5000;          // after the last send, how long a late event still counts
const OPEN_TIMEOUT_MS = 30000;  // a batch of streams must have opened by then

function fail(msg) {
  process.stderr.write(`sse_client: ${msg}\n`);
  process.exit(1);
}
const say = (msg) => process.stderr.write(`   ${msg}\n`);
const now = () => performance.now();

// --- the server, seen from /proc -------------------------------------------------------

function memMb(field) {
  const status = fs.readFileSync(`/proc/${PID}/status`, 'utf8');
  const m = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return m ? Number(m[1]) / 1024 : NaN;
}
// User + system CPU time of the server (every thread), in clock ticks (USER_HZ = 100 on Linux).
function cpuTicks() {
  const stat = fs.readFileSync(`/proc/${PID}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}
const HZ = 100;

// --- sessions --------------------------------------------------------------------------

const young = [];           // { id, counselor, token }
const counselors = new Map(); // id -> { token, csrf }
for (const line of fs.readFileSync(opt.sessions, 'utf8').split('\n')) {
  if (!line) continue;
  const [kind, id, counselor, token, csrf] = line.split('\t');
  if (kind === 'beneficiaire') young.push({ id, counselor, token });
  else if (kind === 'conseiller') counselors.set(id, { token, csrf });
}
const MAX = STEPS[STEPS.length - 1];
if (young.length < MAX) fail(`${young.length} sessions de jeunes pour ${MAX} flux`);

// --- the streams -----------------------------------------------------------------------

// One open stream: a raw socket, an HTTP/1.1 response read by hand (status line, headers,
// then chunked transfer coding), and the Server-Sent Events frames inside.
class Stream {
  constructor(who) {
    this.who = who;
    this.raw = '';          // bytes not parsed yet (latin1: one char per byte)
    this.inBody = false;
    this.chunkLeft = -1;    // bytes left in the current chunk; -1: a size line is next
    this.sse = '';          // decoded body not yet split into frames
    this.open = false;      // 200 and the first frame ("retry") received
    this.closed = false;
  }

  connect(onOpen, onGone) {
    this.onOpen = onOpen;
    this.onGone = onGone;
    const s = net.connect({ host: base.hostname, port: Number(base.port) });
    this.sock = s;
    s.setNoDelay(true);
    s.setEncoding('latin1');
    s.on('connect', () => s.write(
      `GET /app/evenements-direct HTTP/1.1\r\nHost: ${base.host}\r\n` +
      `Accept: text/event-stream\r\nCookie: cej_session=${this.who.token}\r\n\r\n`));
    s.on('data', (d) => this.feed(d));
    s.on('error', () => {});
    s.on('close', () => this.gone());
  }

  gone() {
    if (this.closed) return;
    this.closed = true;
    this.onGone(this);
  }

  feed(d) {
    this.raw += d;
    if (!this.inBody) {
      const end = this.raw.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = Number(this.raw.slice(9, 12));
      if (status !== 200 || !/transfer-encoding: chunked/i.test(this.raw.slice(0, end))) {
        this.status = status;
        this.sock.destroy();
        return;
      }
      this.inBody = true;
      this.raw = this.raw.slice(end + 4);
    }
    for (;;) {
      if (this.chunkLeft < 0) {
        const eol = this.raw.indexOf('\r\n');
        if (eol < 0) break;
        this.chunkLeft = parseInt(this.raw.slice(0, eol), 16);
        this.raw = this.raw.slice(eol + 2);
        if (this.chunkLeft === 0) {  // the last chunk: the server ended the stream
          this.sock.destroy();
          return;
        }
      }
      if (this.raw.length < this.chunkLeft + 2) break;
      this.sse += this.raw.slice(0, this.chunkLeft);
      this.raw = this.raw.slice(this.chunkLeft + 2);
      this.chunkLeft = -1;
    }
    let sep;
    while ((sep = this.sse.indexOf('\n\n')) >= 0) {
      this.frame(this.sse.slice(0, sep));
      this.sse = this.sse.slice(sep + 2);
    }
  }

  frame(text) {
    let event = null, data = null;
    for (const line of text.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data = line.slice(6);
      else if (line.startsWith('retry: ') && !this.open) {
        this.open = true;
        this.onOpen(this);
      } else if (line.startsWith(':')) counts.pings++;
    }
    if (event === 'message') delivered(this, data);
    else if (event) counts.other[event] = (counts.other[event] || 0) + 1;
  }
}

const counts = { pings: 0, other: {}, dropped: 0, refused: {} };
const held = [];            // open streams

// Opens @n more streams, @BATCH at a time; resolves to how many opened.
async function openStreams(n) {
  let opened = 0;
  while (opened < n) {
    const k = Math.min(BATCH, n - opened);
    const batch = [];
    for (let i = 0; i < k; i++) {
      const who = young[held.length + batch.length];
      const st = new Stream(who);
      batch.push(new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), OPEN_TIMEOUT_MS);
        st.connect(() => { clearTimeout(timer); held.push(st); resolve(true); },
          (s) => {
            clearTimeout(timer);
            if (s.open) { counts.dropped++; const i = held.indexOf(s); if (i >= 0) held.splice(i, 1); }
            else {
              const why = s.status ? `statut ${s.status}` : 'connexion fermée';
              counts.refused[why] = (counts.refused[why] || 0) + 1;
            }
            resolve(false);
          });
      }));
    }
    const ok = (await Promise.all(batch)).filter(Boolean).length;
    opened += ok;
    if (ok < k) {
      say(`${k - ok} flux refusés ou sans réponse : ${JSON.stringify(counts.refused)}`);
      break;
    }
  }
  return opened;
}

// --- sending ----------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const pending = new Map();  // young person's id -> instant the POST was written
const answered = new Map(); // … -> instant its 303 was read, while the event is still awaited
// Delivery latencies; POST latencies; how long after the 303 the event came (0 when it came
// first): what the hub and the stream add to the sending itself.
let lat = [], postLat = [], afterLat = [];
let sent = 0, postErrors = 0, lateOrUnknown = 0;

function delivered(st, data) {
  const t0 = pending.get(st.who.id);
  if (t0 === undefined || data !== st.who.id) {
    lateOrUnknown++;
    return;
  }
  pending.delete(st.who.id);
  const t = now();
  lat.push(t - t0);
  const tr = answered.get(st.who.id);
  afterLat.push(tr === undefined ? 0 : t - tr);
  answered.delete(st.who.id);
}

function post(st, n) {
  const c = counselors.get(st.who.counselor);
  const body = new URLSearchParams({ _csrf: c.csrf, message: `Message de banc d'essai n° ${n}` }).toString();
  const t0 = now();
  pending.set(st.who.id, t0);
  sent++;
  const req = http.request({
    host: sendBase.hostname, port: sendBase.port, method: 'POST', path: `/conversations/${st.who.id}`,
    agent, headers: {
      'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body),
      Cookie: `cej_session=${c.token}`,
    },
  }, (res) => {
    res.resume();
    res.on('end', () => {
      postLat.push(now() - t0);
      if (res.statusCode !== 303) { postErrors++; pending.delete(st.who.id); }
      else if (pending.get(st.who.id) === t0) answered.set(st.who.id, now());
    });
  });
  req.on('error', () => { postErrors++; pending.delete(st.who.id); });
  req.end(body);
}

// RATE messages a second for SECONDS, each to a random open stream with nothing pending.
async function sendPhase() {
  const total = RATE * SECONDS;
  const start = now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    let st;
    for (let tries = 0; tries < 20; tries++) {
      const cand = held[Math.floor(Math.random() * held.length)];
      if (cand && !pending.has(cand.who.id)) { st = cand; break; }
    }
    if (st) post(st, i);
  }
  const deadline = now() + GRACE_MS;
  while (pending.size && now() < deadline) await sleep(50);
  return (now() - start) / 1000;
}

// --- the run ----------------------------------------------------------------------------

function pct(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const r2 = (x) => (x === null || Number.isNaN(x) ? null : Math.round(x * 100) / 100);

const results = { idle_rss_mb: r2(memMb('VmRSS')), steps: [] };
for (const target of STEPS) {
  const t0 = now();
  const more = target - held.length;
  const opened = await openStreams(more);
  const openS = (now() - t0) / 1000;
  say(`${held.length} flux ouverts (+${opened} en ${openS.toFixed(1)} s)`);
  if (!held.length) fail('aucun flux ne s\'est ouvert');
  await sleep(2000);  // let the last batch settle before the memory is read
  const rssRest = memMb('VmRSS');
  lat = []; postLat = []; afterLat = []; sent = 0; postErrors = 0; lateOrUnknown = 0;
  const pingsBefore = counts.pings, droppedBefore = counts.dropped;
  const ticks0 = cpuTicks();
  // The client's own stalls (its event loop busy, its garbage collector) delay what it
  // reads: measured so that a slow client is not taken for a slow server.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const sendS = await sendPhase();
  loop.disable();
  const cpuPct = ((cpuTicks() - ticks0) / HZ / sendS) * 100;
  const lost = pending.size;
  pending.clear();
  answered.clear();
  const sorted = lat.slice().sort((a, b) => a - b);
  const psorted = postLat.slice().sort((a, b) => a - b);
  const asorted = afterLat.slice().sort((a, b) => a - b);
  const step = {
    target, held: held.length, open_seconds: r2(openS),
    rss_rest_mb: r2(rssRest), rss_after_mb: r2(memMb('VmRSS')), hwm_mb: r2(memMb('VmHWM')),
    sent, delivered: lat.length, lost, post_errors: postErrors, late_or_unknown: lateOrUnknown,
    p50_ms: r2(pct(sorted, 50)), p99_ms: r2(pct(sorted, 99)), max_ms: r2(sorted.at(-1) ?? null),
    post_p50_ms: r2(pct(psorted, 50)), post_p99_ms: r2(pct(psorted, 99)),
    after_303_p99_ms: r2(pct(asorted, 99)), after_303_max_ms: r2(asorted.at(-1) ?? null),
    server_cpu_pct: r2(cpuPct), send_seconds: r2(sendS),
    client_loop_p99_ms: r2(loop.percentile(99) / 1e6), client_loop_max_ms: r2(loop.max / 1e6),
    pings: counts.pings - pingsBefore, dropped: counts.dropped - droppedBefore,
  };
  results.steps.push(step);
  say(`${target} flux : ${step.delivered}/${sent} livrés, p50 ${step.p50_ms} ms, p99 ${step.p99_ms} ms, ` +
      `max ${step.max_ms} ms ; RSS ${step.rss_rest_mb} MB ; CPU du serveur ${step.server_cpu_pct} % ; ` +
      `boucle du client : retard max ${step.client_loop_max_ms} ms`);
  if (held.length < target) break;
}
results.refused = counts.refused;
results.other_events = counts.other;
fs.writeFileSync(opt.out, JSON.stringify(results, null, 1));
for (const st of held) st.sock.destroy();
agent.destroy();
process.exit(0);
