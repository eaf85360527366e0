// backup.test.mjs — backups (docs/sauvegarde.md): a counselor's message sent through the web
// UI survives `cej admin sauvegarde` on the live database, then `cej admin restaurer` into a
// new place once the stack is stopped: cej started there with the same key file shows the
// message to the counselor and to the young person. A restore is refused while the server
// holds the database, and both commands refuse a PostgreSQL URL with a French message.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startStack, launchBrowser, counselorPage, addBeneficiary, activateBeneficiary, beneficiaryPage, ENGINE,
} from './harness.mjs';

const bin = path.resolve(process.env.CEJ_BIN || 'build/cej');
const MESSAGE = 'Rendez-vous jeudi à 10 h, pensez à votre CV — message à retrouver après restauration';
// What the operator keeps apart from the live machine: the backups and the key file.
const vault = fs.mkdtempSync(path.join(os.tmpdir(), 'cej-sauvegardes-'));
let browser, first, second;

after(async () => {
  await browser?.close();
  await first?.stop().catch(() => {});
  await second?.stop().catch(() => {});
  fs.rmSync(vault, { recursive: true, force: true });
});

/** Runs `cej ARGS…` with @env; resolves { code, stdout, stderr }. */
function cej(env, ...args) {
  const r = spawnSync(bin, args, { env: { ...process.env, CEJ_QUIET: 'true', ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The live stack's database is the one backed up: a SQLite file (on PostgreSQL a backup is
// pg_dump's, docs/sauvegarde.md; the refusal is tested below on both).
test('a message sent before a live backup is read again on the restored copy',
  { skip: ENGINE !== 'sqlite' && 'SQLite backups only: PostgreSQL uses pg_dump' }, async () => {
  first = await startStack();
  browser = await launchBrowser();
  const counselor = await counselorPage(browser, first, 'camille.martin@cej-demo.fr');
  const who = await addBeneficiary(counselor, first, '100013');
  await activateBeneficiary(browser, first, who);
  await counselor.goto(`${first.baseUrl}/conversations/${who.id}`);
  await counselor.getByLabel('Message').fill(MESSAGE);
  await counselor.getByRole('button', { name: 'Envoyer' }).click();
  await counselor.locator('.cej-bubble--mine', { hasText: MESSAGE }).waitFor();

  // The backup, server running; the counselor keeps working meanwhile.
  const backup = path.join(vault, 'jour', 'cej.db');
  const [saved] = await Promise.all([
    first.cli('admin', 'sauvegarde', backup),
    counselor.goto(`${first.baseUrl}/portefeuille`),
  ]);
  assert.equal(saved.code, 0, first.log());
  assert.match(saved.stdout, new RegExp(`Sauvegarde écrite : ${backup}`));
  assert.match(saved.stdout, /\d+ tables, intégrité vérifiée/);
  const keyFile = path.join(first.tmp, 'cles-messages');
  assert.match(saved.stdout, /la clé des messages n'est PAS dans la sauvegarde/);
  assert.ok(saved.stdout.includes(keyFile), `the reminder says where the key file is:\n${saved.stdout}`);
  assert.equal(fs.statSync(backup).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.dirname(backup)).mode & 0o777, 0o700);
  assert.equal(fs.existsSync(`${backup}.tmp`), false);

  // A second backup under the same name is refused; the first stays.
  const again = cej(first.env, 'admin', 'sauvegarde', backup);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /existe déjà \(--ecraser pour le remplacer\)/);

  // A restore onto the live database is refused while the server holds it.
  const busy = cej(first.env, 'admin', 'restaurer', backup);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /ouverte par un autre processus .*Arrêtez le serveur/);

  // The key file is saved apart, as the reminder says; then the machine is gone.
  fs.copyFileSync(keyFile, path.join(vault, 'cles-messages'));
  await first.stop();
  first = null;

  // A new place: restore there (the server stopped), with the same key file.
  const place = path.join(vault, 'nouvelle-machine');
  const env = { CEJ_DB_PATH: path.join(place, 'cej.db'), CEJ_MESSAGE_KEY_FILE: path.join(vault, 'cles-messages') };
  const restored = cej(env, 'admin', 'restaurer', backup);
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, /Base restaurée : .*intégrité vérifiée/);
  second = await startStack({ extraEnv: env });

  const back = await counselorPage(browser, second, 'camille.martin@cej-demo.fr');
  await back.goto(`${second.baseUrl}/conversations/${who.id}`);
  await back.getByRole('heading', { name: `Discuter avec ${who.first} ${who.last.toUpperCase()}` }).waitFor();
  const bubble = back.locator('.cej-bubble--mine', { hasText: MESSAGE });
  await bubble.waitFor();
  assert.match(await bubble.textContent(), /Vous · \d\dh\d\d/);

  const young = await beneficiaryPage(browser, second, who);
  await young.goto(`${second.baseUrl}/app/messages`);
  await young.locator('.cej-msg--counselor', { hasText: MESSAGE }).waitFor();
  await second.stop();
  second = null;
});

test('a PostgreSQL database is refused with a pointer to pg_dump, and nothing is written', () => {
  const out = path.join(vault, 'pg', 'copie.db');
  for (const url of ['postgres://cej@127.0.0.1/cej', 'postgresql://cej@db.example/cej']) {
    // With PostgreSQL the key file must be named (config_load): a node cannot make its own.
    const r = cej({ CEJ_DATABASE_URL: url, CEJ_MESSAGE_KEY_FILE: path.join(vault, 'cles') }, 'admin', 'sauvegarde', out);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /la base de données est sur PostgreSQL/);
    assert.match(r.stderr, /pg_dump -Fc/);
    assert.match(r.stderr, /docs\/sauvegarde\.md/);
    assert.equal(fs.existsSync(path.dirname(out)), false);
  }
  const r = cej({ CEJ_DATABASE_URL: 'postgres://cej@127.0.0.1/cej', CEJ_MESSAGE_KEY_FILE: path.join(vault, 'cles') },
    'admin', 'restaurer', out);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pg_restore/);
});

test('a restore checks the backup first, keeps the old database aside and warns of a missing key file', () => {
  const dir = path.join(vault, 'restauration');
  const env = { CEJ_DB_PATH: path.join(dir, 'cej.db') };
  assert.equal(cej(env, 'migrate').code, 0);
  const good = path.join(dir, 'bonne.db');
  assert.equal(cej(env, 'admin', 'sauvegarde', good).code, 0);
  const live = fs.readFileSync(env.CEJ_DB_PATH);

  // A damaged backup (pages of garbage after the header) is refused; the database is untouched.
  const bad = path.join(dir, 'abimee.db');
  const bytes = fs.readFileSync(good);
  for (let i = 3 * 4096; i < 23 * 4096 && i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
  fs.writeFileSync(bad, bytes);
  let r = cej(env, 'admin', 'restaurer', bad);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /sauvegarde refusée : .*abimee\.db/);
  assert.deepEqual(fs.readFileSync(env.CEJ_DB_PATH), live);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['abimee.db', 'bonne.db', 'cej.db', 'cles-messages']);

  // A good one replaces it; the old database stays beside, and the key file is asked for.
  r = cej({ ...env, CEJ_MESSAGE_KEY_FILE: path.join(dir, 'absente') }, 'admin', 'restaurer', good);
  assert.equal(r.code, 0, r.stderr);
  const aside = /L'ancienne base est gardée sous (\S+) :/.exec(r.stdout)?.[1];
  assert.ok(aside && fs.existsSync(aside), r.stdout);
  assert.deepEqual(fs.readFileSync(aside), live);
  assert.match(r.stdout, /la clé des messages .*absente manque/);
  assert.equal(fs.statSync(env.CEJ_DB_PATH).mode & 0o777, 0o600);
  assert.equal(cej(env, 'migrate').code, 0, 'the restored database opens and migrates');
});
