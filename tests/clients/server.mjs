// Starts a real `tessera serve` on 127.0.0.1 and an ephemeral port, on a fresh
// SQLite file, with a user and an API token made by the admin commands.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.TESSERA_BIN;
if (!bin) throw new Error('TESSERA_BIN must name the tessera binary');

export async function startTessera({ email = 'owner@example.com' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-clients-'));
  const database = `sqlite://${join(dir, 'tessera.db')}`;
  const admin = (...args) => JSON.parse(execFileSync(bin, ['admin', ...args, '--database', database]).toString());
  const user = admin('users', 'create', '--email', email, '--password', 'correct horse battery');
  const authorization = admin('authorizations', 'create', '--email', email, '--description', 'tests');
  const child = spawn(bin, ['serve', '--database', database, '--listen', '127.0.0.1:0',
                            '--access-log', 'false'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`tessera did not start: ${seen}`)), 10000);
    child.stderr.on('data', (chunk) => {
      seen += chunk;
      const m = /listening on https?:\/\/[^\s:]+:(\d+)/.exec(seen);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => reject(new Error(`tessera exited with ${code}: ${seen}`)));
  });
  return {
    port,
    user,
    token: authorization.access_token.token,
    admin,
    async stop() {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
