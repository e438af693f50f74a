// Drives the real heroku-client 1.11.0 (pinned) against a running Tessera
// through its HTTP proxy mode (client-behaviour.md): plain HTTP with
// absolute-form targets, Range on every request, Next-Range followed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Heroku from 'heroku-client';
import { startTessera } from './server.mjs';

let server;
let heroku;

before(async () => {
  server = await startTessera();
  process.env.HEROKU_HTTP_PROXY_HOST = '127.0.0.1';
  process.env.HEROKU_HTTP_PROXY_PORT = String(server.port);
  heroku = new Heroku({ token: server.token });
});

after(async () => {
  const code = await server.stop();
  assert.equal(code, 0, 'tessera exits cleanly on SIGTERM');
});

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('create, info, update, list and delete a client', async () => {
  const created = await heroku.oauth().clients().create({
    name: 'Amazing', redirect_uri: 'https://example.com/auth/heroku/callback' });
  assert.match(created.id, uuid);
  assert.equal(created.name, 'Amazing');
  assert.equal(created.redirect_uri, 'https://example.com/auth/heroku/callback');
  assert.match(created.secret, /^tcs_/);
  assert.equal(created.ignores_delinquent, null);

  const info = await heroku.oauth().clients(created.id).info();
  assert.equal(info.id, created.id);
  assert.equal(info.secret, undefined, 'the secret is shown once');

  const updated = await heroku.oauth().clients(created.id).update({ name: 'Renamed' });
  assert.equal(updated.name, 'Renamed');
  assert.equal(updated.redirect_uri, created.redirect_uri);

  const listed = await heroku.oauth().clients().list();
  assert.ok(listed.some((c) => c.id === created.id && c.name === 'Renamed'));

  const rotated = await heroku.post(`/oauth/clients/${created.id}/actions/rotate-credentials`);
  assert.match(rotated.secret, /^tcs_/);
  assert.notEqual(rotated.secret, created.secret);

  const deleted = await heroku.oauth().clients(created.id).delete();
  assert.equal(deleted.id, created.id);
  await assert.rejects(heroku.oauth().clients(created.id).info(), (err) => {
    assert.equal(err.statusCode, 404);
    assert.equal(err.body.id, 'not_found');
    assert.equal(err.body.resource, 'client');
    return true;
  });
});

test('errors reach the client as JSON with id and message', async () => {
  await assert.rejects(heroku.oauth().clients().create({ name: 'x', redirect_uri: 'http://example.com/cb' }),
    (err) => {
      assert.equal(err.statusCode, 422);
      assert.equal(err.body.id, 'invalid_params');
      assert.match(err.body.message, /redirect_uri/);
      return true;
    });
  const stranger = new Heroku({ token: 'HRKU-not-a-real-token' });
  await assert.rejects(stranger.oauth().clients().list(), (err) => {
    assert.equal(err.statusCode, 401);
    assert.equal(err.body.id, 'unauthorized');
    return true;
  });
  const before = await heroku.oauth().clients().list();
  assert.equal(before.length, 0, 'failed calls left nothing behind');
});

test('list pages through more than 1000 clients with Next-Range', async () => {
  const total = 1234;
  const ids = new Set();
  for (let i = 0; i < total; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(total, i + 50); j++) {
      batch.push(heroku.oauth().clients().create({ name: `client ${j}`, redirect_uri: 'https://example.com/cb' }));
    }
    for (const c of await Promise.all(batch)) ids.add(c.id);
  }
  assert.equal(ids.size, total);
  const listed = await heroku.oauth().clients().list();
  assert.equal(listed.length, total, 'every client once');
  const listedIds = listed.map((c) => c.id);
  assert.equal(new Set(listedIds).size, total, 'nothing duplicated');
  assert.deepEqual(new Set(listedIds), ids, 'nothing skipped');
  assert.deepEqual(listedIds, [...listedIds].sort(), 'ordered by id');
  assert.ok(listed.every((c) => c.secret === undefined));
  for (const c of listed.slice(0, 300)) await heroku.oauth().clients(c.id).delete();
  const rest = await heroku.oauth().clients().list();
  assert.equal(rest.length, total - 300);
});

test('authorizations: create, list, info, regenerate and delete a personal token', async () => {
  const created = await heroku.oauth().authorizations().create({
    description: 'For CI', scope: ['identity', 'read'], expires_in: 3600 });
  assert.match(created.id, uuid);
  assert.equal(created.description, 'For CI');
  assert.deepEqual(created.scope, ['identity', 'read']);
  assert.match(created.access_token.token, /^HRKU-/);
  assert.equal(created.access_token.expires_in, 3600);
  assert.equal(created.user.email, 'owner@example.com');

  const listed = await heroku.oauth().authorizations().list();
  const mine = listed.find((a) => a.id === created.id);
  assert.ok(mine, 'listed');
  assert.match(mine.access_token.token, /^HRKU-.{4}\*{10}.{4}$/, 'redacted after creation');

  const info = await heroku.oauth().authorizations(created.id).info();
  assert.equal(info.description, 'For CI');

  const regenerated = await heroku.oauth().authorizations(created.id).actions()
    .regenerateTokens().regenerate();
  assert.match(regenerated.access_token.token, /^HRKU-/);
  assert.notEqual(regenerated.access_token.token, created.access_token.token);
  const withOld = new Heroku({ token: created.access_token.token });
  await assert.rejects(withOld.get('/account'), (err) => err.statusCode === 401);
  const withNew = new Heroku({ token: regenerated.access_token.token });
  assert.equal((await withNew.get('/account')).email, 'owner@example.com');

  const deleted = await heroku.oauth().authorizations(created.id).delete();
  assert.equal(deleted.description, 'For CI');
  await assert.rejects(withNew.get('/account'), (err) => err.statusCode === 401);
  await assert.rejects(heroku.oauth().authorizations(created.id).info(), (err) => {
    assert.equal(err.statusCode, 404);
    assert.equal(err.body.resource, 'authorization');
    return true;
  });
});

test('a client authorization: code for tokens, refresh, replay, sessions', async () => {
  const client = await heroku.oauth().clients().create({
    name: 'Web App', redirect_uri: 'https://example.com/auth/heroku/callback' });
  const authorization = await heroku.oauth().authorizations().create({
    client: client.id, scope: ['global'] });
  assert.match(authorization.id, uuid);
  assert.deepEqual(authorization.client, {
    id: client.id, name: 'Web App', redirect_uri: 'https://example.com/auth/heroku/callback' });
  assert.equal(typeof authorization.grant.code, 'string');
  assert.equal(authorization.grant.expires_in, 60);
  assert.match(authorization.grant.id, uuid);
  assert.equal(authorization.access_token, null);
  assert.equal(authorization.refresh_token, null);
  assert.equal(authorization.session, null);

  // The client proves itself with its secret; built without a token,
  // heroku-client sends `Basic :undefined`, which the server ignores here.
  const anonymous = new Heroku({});
  const token = await anonymous.oauth().tokens().create({
    grant: { type: 'authorization_code', code: authorization.grant.code },
    client: { secret: client.secret } });
  assert.equal(token.id, token.access_token.id);
  assert.equal(token.access_token.expires_in, 28800);
  assert.equal(token.refresh_token.expires_in, null);
  assert.match(token.refresh_token.id, uuid);
  assert.deepEqual(token.authorization, { id: authorization.id });
  assert.equal(token.client, null);
  assert.deepEqual(token.grant, { type: 'authorization_code' });
  assert.match(token.session.id, uuid);
  assert.deepEqual(token.user, { id: authorization.user.id });

  const asApp = new Heroku({ token: token.access_token.token });
  assert.equal((await asApp.get('/account')).email, 'owner@example.com');

  // The authorization now shows its session and both tokens, redacted.
  const info = await heroku.oauth().authorizations(authorization.id).info();
  assert.deepEqual(info.session, token.session);
  assert.match(info.access_token.token, /^.{9}\*{10}.{4}$/);
  assert.match(info.refresh_token.token, /^.{9}\*{10}.{4}$/);
  assert.equal(info.grant, null);

  // A refresh: a new access token, the same (stable) refresh token and session.
  const refreshed = await anonymous.oauth().tokens().create({
    grant: { type: 'refresh_token' },
    refresh_token: { token: token.refresh_token.token },
    client: { secret: client.secret } });
  assert.deepEqual(refreshed.grant, { type: 'refresh_token' });
  assert.notEqual(refreshed.access_token.token, token.access_token.token);
  assert.equal(refreshed.refresh_token.token, token.refresh_token.token);
  assert.deepEqual(refreshed.session, token.session);

  // A wrong secret: one generic 401.
  await assert.rejects(anonymous.oauth().tokens().create({
    grant: { type: 'refresh_token' },
    refresh_token: { token: token.refresh_token.token },
    client: { secret: 'tcs_wrong' } }), (err) => {
    assert.equal(err.statusCode, 401);
    assert.equal(err.body.id, 'unauthorized');
    assert.match(err.body.message, /^Invalid OAuth credentials/);
    return true;
  });

  // Sessions: listed, `~` for the presenting token, and deleted.
  const sessions = await heroku.get('/oauth/sessions');
  const listed = sessions.find((s) => s.id === token.session.id);
  assert.ok(listed, 'the session is listed');
  assert.equal(listed.description, 'Web App');
  assert.equal(listed.expires_in, null);
  assert.equal((await asApp.get('/oauth/sessions/~')).id, token.session.id);
  const deleted = await heroku.delete(`/oauth/sessions/${token.session.id}`);
  assert.equal(deleted.id, token.session.id);
  await assert.rejects(asApp.get('/account'), (err) => err.statusCode === 401);
  await assert.rejects(heroku.get(`/oauth/sessions/${token.session.id}`), (err) => {
    assert.equal(err.statusCode, 404);
    assert.equal(err.body.resource, 'session');
    return true;
  });

  // A code replayed: refused, and the tokens of its first exchange revoked.
  const second = await heroku.oauth().authorizations().create({ client: { id: client.id } });
  const first = await anonymous.oauth().tokens().create({
    grant: { type: 'authorization_code', code: second.grant.code },
    client: { secret: client.secret } });
  const firstUser = new Heroku({ token: first.access_token.token });
  assert.equal((await firstUser.get('/account')).email, 'owner@example.com');
  await assert.rejects(anonymous.oauth().tokens().create({
    grant: { type: 'authorization_code', code: second.grant.code },
    client: { secret: client.secret } }), (err) => err.statusCode === 401);
  await assert.rejects(firstUser.get('/account'), (err) => err.statusCode === 401);
});
