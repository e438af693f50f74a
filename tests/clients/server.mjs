// Starts a real `tessera serve` on 127.0.0.1 and an ephemeral port, on a fresh
// database, with a user and an API token made by the admin commands.
//
// The database is an SQLite file in a fresh temp folder, or with
// TESSERA_TEST_DATABASE=postgres a new database (tessera_test_<16 hex>) on the
// PostgreSQL server TESSERA_TEST_POSTGRES names (a postgres:// URL or libpq
// key=value words; scripts/test.sh starts a throwaway one), made and dropped
// with Debian's `psql`.
//
// `serveFlags` are passed to `tessera serve` as given (e.g. --registration).
//
// With { issuer: true } a free port is picked first (the OS hands one out, it
// is released, then tessera binds it) so `--issuer http://127.0.0.1:PORT`
// matches the real address, as RFC 8414 discovery requires; the small race
// with another process taking the port in between is retried a few times.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.TESSERA_BIN;
if (!bin) throw new Error('TESSERA_BIN must name the tessera binary');

const backend = process.env.TESSERA_TEST_DATABASE || 'sqlite';
if (backend !== 'sqlite' && backend !== 'postgres') {
  throw new Error(`TESSERA_TEST_DATABASE=${backend}: expected sqlite or postgres`);
}
const pgServer = process.env.TESSERA_TEST_POSTGRES;
if (backend === 'postgres' && !pgServer) {
  throw new Error('TESSERA_TEST_DATABASE=postgres needs TESSERA_TEST_POSTGRES=postgres://USER@HOST:PORT/DB '
                  + '(scripts/test.sh starts a throwaway server with scripts/pg-test-server.sh)');
}

// `conninfo` naming database `name` instead: a later dbname wins in a URL's
// query and in key=value words alike.
function withDatabase(conninfo, name) {
  if (!/^postgres(ql)?:\/\//.test(conninfo)) return `${conninfo} dbname=${name}`;
  return `${conninfo}${conninfo.includes('?') ? '&' : '?'}dbname=${name}`;
}

function psql(sql) {
  execFileSync('psql', ['--no-psqlrc', '--quiet', '-v', 'ON_ERROR_STOP=1', '-d', pgServer, '-c', sql],
               { stdio: ['ignore', 'ignore', 'pipe'] });
}

// A fresh database: { url, drop() }.
function freshDatabase(dir) {
  if (backend === 'sqlite') return { url: `sqlite://${join(dir, 'tessera.db')}`, drop() {} };
  const name = `tessera_test_${randomBytes(8).toString('hex')}`;
  psql(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(pgServer, name),
    // WITH (FORCE): an admin command or a server still connected must not keep it.
    drop() { psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Spawns `tessera serve --database DATABASE ...extra` without the access
// log: { child, port (a promise: where it listens), output() (what it has
// printed on stderr so far) }.
export function serve(database, extra) {
  const child = spawn(bin, ['serve', '--database', database, ...extra,
                            '--access-log', 'false'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let seen = '';
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tessera did not start: ${seen}`)), 15000);
    child.stderr.on('data', (chunk) => {
      seen += chunk;
      const m = /listening on https?:\/\/[^\s:]+:(\d+)/.exec(seen);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`tessera exited with ${code}: ${seen}`)); });
  });
  return { child, port, output: () => seen };
}

export async function startTessera({ email = 'owner@example.com', issuer = false,
                                     serveFlags = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-clients-'));
  const fresh = freshDatabase(dir);
  const cleanUp = () => {
    fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  const database = fresh.url;
  const admin = (...args) => JSON.parse(execFileSync(bin, ['admin', ...args, '--database', database]).toString());
  const user = admin('users', 'create', '--email', email, '--password', 'correct horse battery');
  const authorization = admin('authorizations', 'create', '--email', email, '--description', 'tests');
  let child;
  let port;
  let issuerUrl;
  for (let attempt = 1; ; attempt++) {
    let extra = ['--listen', '127.0.0.1:0', ...serveFlags];
    if (issuer) {
      const picked = await freePort();
      issuerUrl = `http://127.0.0.1:${picked}`;
      extra = ['--listen', `127.0.0.1:${picked}`, '--issuer', issuerUrl, ...serveFlags];
    }
    const started = serve(database, extra);
    child = started.child;
    try {
      port = await started.port;
      break;
    } catch (err) {
      child.kill('SIGKILL');
      if (!issuer || attempt >= 3) { cleanUp(); throw err; }
    }
  }
  return {
    port,
    user,
    database,
    issuer: issuerUrl,
    token: authorization.access_token.token,
    admin,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        cleanUp();
        return child.exitCode ?? child.signalCode;
      }
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      const code = await exited;
      cleanUp();
      return code;
    },
  };
}

// A Heroku Platform API call to the server at `base` (its origin) with a
// bearer `token` and an optional JSON `body`: the fetch Response.
export function herokuFetch(base, token, method, path, body) {
  return fetch(`${base}${path}`, {
    method,
    headers: {
      Accept: 'application/vnd.heroku+json; version=3',
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
}
