// Drives the real Heroku CLI (npm `heroku` 11.10.0, pinned) against a running
// Tessera, as described in client-behaviour.md ("Heroku CLI"): the binary is run
// as a child process with HEROKU_HOST pointing at Tessera and HEROKU_API_KEY set
// to a token made by the admin commands. Each command's stdout is checked on its
// stable parts (ids, names, secrets, tokens), and the resulting server state is
// checked separately with plain fetch calls to the API, so a CLI that silently
// printed the wrong thing, or a server that answered but did not persist, fails.
//
// Sessions need a client's authorization: the tests start them through the
// API form of the code flow (POST /oauth/authorizations with `client`, then
// POST /oauth/tokens), which the CLI itself never calls.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { herokuFetch, startTessera } from './server.mjs';

// heroku 11.x declares engines.node >= 20; on older Node the whole suite is
// skipped (reported as skipped, not failed).
const nodeMajor = Number(process.versions.node.split('.')[0]);
const skip = nodeMajor < 20 ? `heroku CLI 11.10.0 needs Node >= 20 (running ${process.versions.node})` : false;

const cli = join(dirname(fileURLToPath(import.meta.url)), 'node_modules', '.bin', 'heroku');
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('heroku CLI 11.10.0', { skip }, () => {
  let server;
  let home;
  let particleboard;
  let env;

  before(async () => {
    // issuer:true binds a known port up front; the CLI only sends the token to
    // a host that is exactly `localhost` or `127.0.0.1`.
    server = await startTessera({ issuer: true });
    home = mkdtempSync(join(tmpdir(), 'tessera-heroku-cli-'));

    // `GET /account` (auth:whoami) also fires a delinquency lookup at
    // particleboard.heroku.com, which is not Tessera's surface; unreachable, it
    // is retried with backoff for ~6 s (errors are ignored). A stub that answers
    // `{}` keeps the run fast and off the network.
    particleboard = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
    await new Promise((resolve) => particleboard.listen(0, '127.0.0.1', resolve));

    // A minimal, explicit environment: nothing from the caller leaks in
    // (no proxies, no real HEROKU_* settings, no real ~/.netrc).
    env = {
      PATH: process.env.PATH,
      HOME: home,
      CI: 'true',
      DISABLE_TELEMETRY: 'true',
      HEROKU_HOST: `http://localhost:${server.port}`,
      HEROKU_API_KEY: server.token,
      HEROKU_PARTICLEBOARD_URL: `http://127.0.0.1:${particleboard.address().port}`,
    };
  });

  after(async () => {
    await new Promise((resolve) => particleboard?.close(resolve) ?? resolve());
    if (home) rmSync(home, { recursive: true, force: true });
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'tessera exits cleanly on SIGTERM');
    }
  });

  // Runs `heroku ...args` with no stdin (so any prompt fails fast instead of
  // hanging) and resolves { stdout, stderr }. stderr carries spinners
  // ("Creating ... done"), the HEROKU_API_KEY warning and, on a fresh HOME, a
  // terms-of-service notice; it is only asserted on where noted.
  // A trailing object adds to (or overrides) the environment of that run.
  function heroku(...args) {
    const extra = typeof args.at(-1) === 'object' ? args.pop() : {};
    return new Promise((resolve, reject) => {
      const child = execFile(cli, args, { env: { ...env, ...extra }, timeout: 30000, maxBuffer: 4 << 20 },
        (err, stdout, stderr) => {
          if (err) {
            err.message = `heroku ${args.join(' ')} failed (${err.code ?? err.signal})\n` +
              `stdout:\n${stdout}\nstderr:\n${stderr}`;
            reject(err);
          } else {
            resolve({ stdout, stderr });
          }
        });
      child.stdin?.end();
    });
  }

  // Plain API call, independent of the CLI, to check server state.
  async function api(method, path, { token = server.token, body } = {}) {
    const res = await herokuFetch(`http://127.0.0.1:${server.port}`, token, method, path, body);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  // A session of the owner through the API flow: a client's authorization,
  // then its code exchanged with the client's secret.
  async function startSession(client) {
    const granted = await api('POST', '/oauth/authorizations', { body: { client: client.id } });
    assert.equal(granted.status, 201, JSON.stringify(granted.body));
    const exchanged = await api('POST', '/oauth/tokens', {
      body: { grant: { type: 'authorization_code', code: granted.body.grant.code },
              client: { secret: client.secret } } });
    assert.equal(exchanged.status, 201, JSON.stringify(exchanged.body));
    return { id: exchanged.body.session.id, token: exchanged.body.access_token.token };
  }

  // `key:   value` lines of the CLI's info blocks (clients:info, authorizations:*).
  function field(stdout, name) {
    const m = new RegExp(`^${name}:[ \\t]*(.*?)[ \\t]*$`, 'm').exec(stdout);
    assert.ok(m, `no "${name}:" line in:\n${stdout}`);
    return m[1];
  }

  test('auth:whoami prints the account email', async () => {
    const { stdout } = await heroku('auth:whoami');
    assert.equal(stdout.trim(), 'owner@example.com');
  });

  test('clients: create, list, info, update, rotate, destroy', async () => {
    // create prints shell assignments by default.
    const created = await heroku('clients:create', 'CLI Client', 'https://example.com/cb');
    const id = /^HEROKU_OAUTH_ID=(\S+)$/m.exec(created.stdout)?.[1];
    const secret = /^HEROKU_OAUTH_SECRET=(\S+)$/m.exec(created.stdout)?.[1];
    assert.match(id ?? '', uuid, created.stdout);
    assert.match(secret ?? '', /^tcs_/, created.stdout);
    let onServer = await api('GET', `/oauth/clients/${id}`);
    assert.equal(onServer.status, 200);
    assert.equal(onServer.body.name, 'CLI Client');
    assert.equal(onServer.body.redirect_uri, 'https://example.com/cb');

    // `clients` prints a table: name, id, redirect_uri on one row.
    const table = await heroku('clients');
    assert.match(table.stdout, new RegExp(`^\\s*CLI Client\\s+${id}\\s+https://example\\.com/cb\\s*$`, 'm'));

    const listed = JSON.parse((await heroku('clients', '--json')).stdout);
    assert.ok(Array.isArray(listed));
    const row = listed.find((c) => c.id === id);
    assert.ok(row, 'the new client is listed');
    assert.equal(row.name, 'CLI Client');
    assert.equal(row.secret, undefined, 'list does not reveal the secret');

    // info: a "=== name" header then key: value lines.
    const info = await heroku('clients:info', id);
    assert.match(info.stdout, /^=== CLI Client$/m);
    assert.equal(field(info.stdout, 'id'), id);
    assert.equal(field(info.stdout, 'redirect_uri'), 'https://example.com/cb');
    const infoJson = JSON.parse((await heroku('clients:info', id, '--json')).stdout);
    assert.equal(infoJson.id, id);
    assert.equal(infoJson.name, 'CLI Client');
    assert.equal(infoJson.redirect_uri, 'https://example.com/cb');
    assert.equal(infoJson.secret, undefined, 'the secret is shown once');

    // update sends only the given fields; the redirect URI is untouched.
    await heroku('clients:update', id, '-n', 'Renamed Client');
    onServer = await api('GET', `/oauth/clients/${id}`);
    assert.equal(onServer.body.name, 'Renamed Client');
    assert.equal(onServer.body.redirect_uri, 'https://example.com/cb');

    // rotate prints the info block including the new secret (and --json the object).
    const rotated = await heroku('clients:rotate', id);
    assert.equal(field(rotated.stdout, 'id'), id);
    const secret2 = field(rotated.stdout, 'secret');
    assert.match(secret2, /^tcs_/);
    assert.notEqual(secret2, secret);
    const rotatedJson = JSON.parse((await heroku('clients:rotate', id, '--json')).stdout);
    assert.equal(rotatedJson.id, id);
    assert.match(rotatedJson.secret, /^tcs_/);
    assert.ok(![secret, secret2].includes(rotatedJson.secret), 'each rotation makes a new secret');

    await heroku('clients:destroy', id);
    onServer = await api('GET', `/oauth/clients/${id}`);
    assert.equal(onServer.status, 404);
    assert.equal(onServer.body.id, 'not_found');
  });

  test('authorizations: create, list, info, update, rotate, revoke', async () => {
    // create with flags: the CLI sends expires_in as the string "3600".
    const ci = await heroku('authorizations:create', '-d', 'For CI', '-s', 'read,write', '-e', '3600');
    const ciId = field(ci.stdout, 'ID');
    const ciToken = field(ci.stdout, 'Token');
    assert.match(ciId, uuid);
    assert.match(ciToken, /^HRKU-/);
    assert.equal(field(ci.stdout, 'Description'), 'For CI');
    assert.equal(field(ci.stdout, 'Scope'), 'read,write');
    let onServer = await api('GET', `/oauth/authorizations/${ciId}`);
    assert.equal(onServer.status, 200);
    assert.equal(onServer.body.description, 'For CI');
    assert.deepEqual(onServer.body.scope, ['read', 'write']);
    assert.ok(onServer.body.access_token.expires_in > 3500 && onServer.body.access_token.expires_in <= 3600,
      `expires_in ${onServer.body.access_token.expires_in}`);
    // read,write does not cover /account (identity or global does), but the
    // token is known to the server: 403, not 401.
    assert.equal((await api('GET', '/account', { token: ciToken })).status, 403);

    // --json prints the created object as the server returned it.
    const js = JSON.parse((await heroku('authorizations:create', '-d', 'JSON one', '-s', 'identity',
                                       '-e', '120', '--json')).stdout);
    assert.match(js.id, uuid);
    assert.equal(js.description, 'JSON one');
    assert.deepEqual(js.scope, ['identity']);
    assert.match(js.access_token.token, /^HRKU-/);
    assert.equal(js.access_token.expires_in, 120);
    assert.equal(js.user.email, 'owner@example.com');

    // -S prints only the token; an identity token can read /account.
    const short = (await heroku('authorizations:create', '-S', '-s', 'identity', '-d', 'Short')).stdout;
    assert.match(short, /^HRKU-\S+\n?$/);
    const account = await api('GET', '/account', { token: short.trim() });
    assert.equal(account.status, 200);
    assert.equal(account.body.email, 'owner@example.com');

    // `authorizations` table: description, id, scope per row.
    const table = (await heroku('authorizations')).stdout;
    assert.match(table, new RegExp(`^\\s*For CI\\s+${ciId}\\s+read,write\\s*$`, 'm'));
    assert.match(table, new RegExp(`^\\s*JSON one\\s+${js.id}\\s+identity\\s*$`, 'm'));
    assert.match(table, /^\s*Short\s+\S+\s+identity\s*$/m);

    // --json sorts by description, which must be a string on every row.
    const listed = JSON.parse((await heroku('authorizations', '--json')).stdout);
    assert.ok(Array.isArray(listed));
    for (const a of listed) {
      assert.equal(typeof a.description, 'string', JSON.stringify(a));
      assert.ok(Array.isArray(a.scope), JSON.stringify(a));
    }
    assert.deepEqual(listed.map((a) => a.description).sort(), ['For CI', 'JSON one', 'Short', 'tests']);
    assert.ok(listed.some((a) => a.id === ciId));

    const info = (await heroku('authorizations:info', ciId)).stdout;
    assert.equal(field(info, 'ID'), ciId);
    assert.equal(field(info, 'Description'), 'For CI');
    assert.equal(field(info, 'Scope'), 'read,write');
    assert.equal(field(info, 'Client'), '<none>');

    // update -d sends only the description (no `client` without --client-id).
    const updated = (await heroku('authorizations:update', ciId, '-d', 'Renamed CI')).stdout;
    assert.equal(field(updated, 'Description'), 'Renamed CI');
    onServer = await api('GET', `/oauth/authorizations/${ciId}`);
    assert.equal(onServer.body.description, 'Renamed CI');
    assert.deepEqual(onServer.body.scope, ['read', 'write']);

    // rotate the identity-scoped one so both tokens can be tried on /account.
    const oldToken = js.access_token.token;
    const rotated = (await heroku('authorizations:rotate', js.id)).stdout;
    assert.equal(field(rotated, 'ID'), js.id);
    const newToken = field(rotated, 'Token');
    assert.match(newToken, /^HRKU-/);
    assert.notEqual(newToken, oldToken);
    assert.equal((await api('GET', '/account', { token: newToken })).status, 200);
    const stale = await api('GET', '/account', { token: oldToken });
    assert.equal(stale.status, 401);
    assert.equal(stale.body.id, 'unauthorized');

    // revoke reads the description from the DELETE response for its message.
    const revoked = await heroku('authorizations:revoke', ciId);
    assert.match(revoked.stderr, /revoked authorization from Renamed CI/);
    onServer = await api('GET', `/oauth/authorizations/${ciId}`);
    assert.equal(onServer.status, 404);
    assert.equal(onServer.body.id, 'not_found');
    assert.equal((await api('GET', '/oauth/authorizations', { token: ciToken })).status, 401,
      'a revoked authorization\'s token stops working');

    // The CLI's own credential was never touched.
    assert.equal((await heroku('auth:whoami')).stdout.trim(), 'owner@example.com');
  });

  test('sessions, sessions:destroy and logout', async () => {
    const client = (await api('POST', '/oauth/clients',
      { body: { name: 'Session App', redirect_uri: 'https://example.com/cb' } })).body;
    const first = await startSession(client);
    const second = await startSession(client);

    // `sessions`: a Description / ID table, one row per session.
    const table = (await heroku('sessions')).stdout;
    for (const s of [first, second]) {
      assert.match(table, new RegExp(`^\\s*Session App\\s+${s.id}\\s*$`, 'm'), table);
    }
    const listed = JSON.parse((await heroku('sessions', '--json')).stdout);
    assert.deepEqual(listed.map((s) => s.id).sort(), [first.id, second.id].sort());
    for (const s of listed) {
      assert.equal(s.description, 'Session App');
      assert.equal(s.expires_in, null);
    }

    // sessions:destroy ends that session only.
    await heroku('sessions:destroy', first.id);
    let onServer = await api('GET', `/oauth/sessions/${first.id}`);
    assert.equal(onServer.status, 404);
    assert.equal(onServer.body.resource, 'session');
    assert.equal((await api('GET', '/account', { token: first.token })).status, 401);
    assert.equal((await api('GET', '/account', { token: second.token })).status, 200);

    // logout with a session's token: DELETE /oauth/sessions/~ ends it.
    await heroku('logout', { HEROKU_API_KEY: second.token });
    onServer = await api('GET', `/oauth/sessions/${second.id}`);
    assert.equal(onServer.status, 404);
    assert.equal((await api('GET', '/account', { token: second.token })).status, 401);

    // logout with a direct authorization's token: `~` has no session (404
    // with resource "session", which the CLI accepts); it finds its own
    // authorization by the redacted token in the list and deletes it.
    const login = await api('POST', '/oauth/authorizations',
      { body: { description: 'Heroku CLI login from tests', expires_in: 2592000, scope: ['global'] } });
    assert.equal(login.status, 201);
    await heroku('logout', { HEROKU_API_KEY: login.body.access_token.token });
    onServer = await api('GET', `/oauth/authorizations/${login.body.id}`);
    assert.equal(onServer.status, 404, 'the CLI\'s own authorization is gone');
    assert.equal((await api('GET', '/account', { token: login.body.access_token.token })).status, 401);

    // The suite's own credential was never touched. (Whether the session
    // logout also deleted the client's authorization depends on which of the
    // CLI's two concurrent requests ran first, so it is not asserted.)
    assert.equal((await heroku('auth:whoami')).stdout.trim(), 'owner@example.com');
  });
});
