// Starts a real `tessera serve` on 127.0.0.1 and an ephemeral port, on a fresh
// SQLite file, with a user and an API token made by the admin commands.
//
// `serveFlags` are passed to `tessera serve` as given (e.g. --registration).
//
// With { issuer: true } a free port is picked first (the OS hands one out, it
// is released, then tessera binds it) so `--issuer http://127.0.0.1:PORT`
// matches the real address, as RFC 8414 discovery requires; the small race
// with another process taking the port in between is retried a few times.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.TESSERA_BIN;
if (!bin) throw new Error('TESSERA_BIN must name the tessera binary');

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

function serve(database, extra) {
  const child = spawn(bin, ['serve', '--database', database, ...extra,
                            '--access-log', 'false'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`tessera did not start: ${seen}`)), 10000);
    child.stderr.on('data', (chunk) => {
      seen += chunk;
      const m = /listening on https?:\/\/[^\s:]+:(\d+)/.exec(seen);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`tessera exited with ${code}: ${seen}`)); });
  });
  return { child, port };
}

export async function startTessera({ email = 'owner@example.com', issuer = false,
                                     serveFlags = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-clients-'));
  const database = `sqlite://${join(dir, 'tessera.db')}`;
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
      if (!issuer || attempt >= 3) { rmSync(dir, { recursive: true, force: true }); throw err; }
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
        rmSync(dir, { recursive: true, force: true });
        return child.exitCode ?? child.signalCode;
      }
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
