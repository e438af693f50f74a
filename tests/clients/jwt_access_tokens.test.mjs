// JWT access tokens (RFC 9068) end to end: clients made with `tessera admin
// clients create --access-token-format jwt` get access tokens that an
// independent JOSE implementation (jose: createRemoteJWKSet + jwtVerify with
// typ at+jwt, issuer and audience) verifies against the published JWKS, from
// client_credentials and from a code flow (the Heroku API form: POST
// /oauth/authorizations with `client`, then POST /oauth/tokens, then the
// standard refresh); introspection reports them until they are revoked; the
// real heroku-client uses one as its token; and a token signed before
// `tessera admin keys rotate` (run twice, so its key retires) still verifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Heroku from 'heroku-client';
import * as jose from 'jose';
import { herokuFetch, startTessera } from './server.mjs';

const OWNER = 'jwt-owner@example.com';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server;
let machine;  // client_credentials, access_token_format jwt
let web;      // authorization_code + refresh_token, access_token_format jwt

function basic(client) {
  return `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
}

async function form(path, params, client) {
  const response = await fetch(`${server.issuer}${path}`, {
    method: 'POST',
    headers: { Authorization: basic(client), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function clientCredentials(scope = 'read') {
  const r = await form('/oauth/token', { grant_type: 'client_credentials', scope }, machine);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.access_token;
}

// As a resource server validates a JWT access token (RFC 9068 §4), with a
// fresh remote JWKS each time (no cache from an earlier fetch).
function verify(token) {
  const jwks = jose.createRemoteJWKSet(new URL(`${server.issuer}/.well-known/jwks.json`));
  return jose.jwtVerify(token, jwks, {
    typ: 'at+jwt',
    issuer: server.issuer,
    audience: server.issuer,
    algorithms: ['ES256', 'RS256', 'EdDSA'],
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'],
  });
}

async function introspect(token) {
  const r = await form('/oauth/introspect', { token }, machine);
  assert.equal(r.status, 200);
  return r.body;
}

async function heroku(method, path, { token = server.token, body } = {}) {
  const response = await herokuFetch(server.issuer, token, method, path, body);
  return { status: response.status, body: await response.json().catch(() => null) };
}

before(async () => {
  server = await startTessera({ issuer: true, email: OWNER });
  const create = (...args) => server.admin('clients', 'create', '--email', OWNER,
                                           '--access-token-format', 'jwt', ...args);
  machine = create('--name', 'JWT machine', '--grant-type', 'client_credentials',
                   '--scope', 'read', '--scope', 'write');
  web = create('--name', 'JWT web', '--grant-type', 'authorization_code',
               '--grant-type', 'refresh_token', '--redirect-uri', 'https://rp.example/cb',
               '--refresh-policy', 'stable');
});

after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'tessera exits cleanly on SIGTERM');
});

test('admin clients create records the format', () => {
  assert.equal(machine.access_token_format, 'jwt');
  assert.equal(web.access_token_format, 'jwt');
  const opaque = server.admin('clients', 'create', '--email', OWNER, '--name', 'Opaque',
                              '--grant-type', 'client_credentials', '--scope', 'read');
  assert.equal(opaque.access_token_format, 'opaque');
});

test('client_credentials: a verified at+jwt, active until revoked', async () => {
  const token = await clientCredentials('read write');
  const { payload, protectedHeader } = await verify(token);
  assert.equal(protectedHeader.typ, 'at+jwt');
  assert.equal(protectedHeader.alg, 'ES256');
  assert.equal(payload.sub, machine.id, 'no user: the client is the subject');
  assert.equal(payload.client_id, machine.id);
  assert.equal(payload.scope, 'read write');
  assert.match(payload.jti, uuid);
  assert.equal(payload.exp - payload.iat, 3600);
  assert.equal(payload.auth_time, undefined);
  // Not an ID token: a verifier that expects one refuses it.
  await assert.rejects(jose.jwtVerify(token, jose.createRemoteJWKSet(
    new URL(`${server.issuer}/.well-known/jwks.json`)), { typ: 'JWT' }));

  const active = await introspect(token);
  assert.equal(active.active, true);
  assert.equal(active.client_id, machine.id);
  assert.equal(active.scope, 'read write');
  assert.equal(active.exp, payload.exp);
  const revoked = await form('/oauth/revoke', { token }, machine);
  assert.equal(revoked.status, 200);
  assert.deepEqual(await introspect(token), { active: false });
  // The signature still checks out: only introspection knows of revocation.
  await verify(token);
});

test('a code flow gives the user a JWT the Heroku API accepts as a bearer', async () => {
  const granted = await heroku('POST', '/oauth/authorizations',
                               { body: { client: web.id, scope: ['global'] } });
  assert.equal(granted.status, 201, JSON.stringify(granted.body));
  const exchanged = await heroku('POST', '/oauth/tokens', {
    body: { grant: { type: 'authorization_code', code: granted.body.grant.code },
            client: { secret: web.secret } },
  });
  assert.equal(exchanged.status, 201, JSON.stringify(exchanged.body));
  const token = exchanged.body.access_token.token;
  const { payload } = await verify(token);
  assert.equal(payload.sub, server.user.id);
  assert.equal(payload.client_id, web.id);
  assert.equal(payload.jti, exchanged.body.access_token.id, 'jti is the Heroku token id');
  assert.equal(payload.scope, 'global');

  // heroku-client (proxy mode) with the JWT as its token.
  process.env.HEROKU_HTTP_PROXY_HOST = '127.0.0.1';
  process.env.HEROKU_HTTP_PROXY_PORT = String(server.port);
  const client = new Heroku({ token });
  const listed = await client.get('/oauth/authorizations');
  assert.ok(listed.some((a) => a.id === granted.body.id));

  // The standard refresh grant: a new JWT for the same user.
  const refreshed = await form('/oauth/token', {
    grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token.token,
  }, web);
  assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  const again = await verify(refreshed.body.access_token);
  assert.equal(again.payload.sub, server.user.id);
  assert.notEqual(again.payload.jti, payload.jti);

  // Revoked by its client: heroku-client is refused.
  assert.equal((await form('/oauth/revoke', { token }, web)).status, 200);
  await assert.rejects(client.get('/oauth/authorizations'), (err) => err.statusCode === 401);
});

test('tokens signed before two key rotations still verify', async () => {
  const before = await clientCredentials();
  const { protectedHeader: first } = await verify(before);
  // JWT access tokens are signed by the default (ES256) key line: its first
  // rotation publishes a key, the second promotes it and retires the old one.
  const r1 = server.admin('keys', 'rotate', '--algorithm', 'ES256');
  const r2 = server.admin('keys', 'rotate', '--algorithm', 'ES256');
  // A line of another algorithm starts at once but does not sign them.
  const other = server.admin('keys', 'rotate', '--algorithm', 'EdDSA');
  assert.equal(other.promoted, null);
  assert.equal(r2.promoted, r1.published);
  assert.equal(r2.retired, first.kid, 'the signing key is retired, not gone');
  const { payload } = await verify(before);
  assert.equal(payload.sub, machine.id);
  assert.equal((await introspect(before)).active, true);

  const { protectedHeader } = await verify(await clientCredentials());
  assert.equal(protectedHeader.kid, r2.promoted);
  assert.equal(protectedHeader.alg, 'ES256');
});
