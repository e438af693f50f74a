// Dynamic client registration end to end against `tessera serve
// --registration token`: an initial access token from `tessera admin
// registration-tokens create`, RFC 7591 registration and RFC 7592
// management with plain fetch (oauth4webapi has no registration helper),
// then the registered public client runs the code flow in a real browser
// (Debian's chromium driven by playwright-core) and oauth4webapi exchanges
// the code with PKCE and rotates the refresh token.
//
// Chromium is required unless TESSERA_SKIP_BROWSER=1 (then the browser test
// is skipped with a message); TESSERA_CHROMIUM names another binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { startSite } from './site.mjs';
import { startTessera } from './server.mjs';
import { launchChromium, skipBrowser } from './chromium.mjs';

if (!globalThis.crypto) globalThis.crypto = webcrypto;
const oauth = await import('oauth4webapi');

if (skipBrowser) console.log(`registration browser test skipped: ${skipBrowser}`);

const OWNER = 'dcr-owner@example.com';
const PASSWORD = 'correct horse battery';
const http = { [oauth.allowInsecureRequests]: true };

let server;
let site;
let as;

function register(body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(as.registration_endpoint, { method: 'POST', headers, body: JSON.stringify(body) });
}

function manage(method, registered, body, token = registered.registration_access_token) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body) headers['Content-Type'] = 'application/json';
  return fetch(registered.registration_client_uri,
               { method, headers, body: body ? JSON.stringify(body) : undefined });
}

before(async () => {
  const started = await Promise.allSettled([
    startTessera({ issuer: true, email: OWNER,
                   serveFlags: ['--registration', 'token', '--registration-owner', OWNER] }),
    startSite(),
  ]);
  [server, site] = started.map((s) => s.value);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  const issuer = new URL(server.issuer);
  as = await oauth.processDiscoveryResponse(
    issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...http }));
});

after(async () => {
  await site?.close();
  if (server) assert.equal(await server.stop(), 0, 'tessera exits cleanly on SIGTERM');
});

test('discovery names the registration endpoint', () => {
  assert.equal(as.registration_endpoint, `${server.issuer}/oauth/register`);
});

test('registration needs an initial access token, single use by default', async () => {
  const app = { client_name: 'Gated', redirect_uris: [`${site.origin}/cb`] };
  const refused = await register(app);
  assert.equal(refused.status, 401);
  assert.match(refused.headers.get('www-authenticate'), /^Bearer /);
  assert.deepEqual(await refused.json(), {
    error: 'invalid_token', error_description: 'the initial access token is invalid or expired' });

  const issued = server.admin('registration-tokens', 'create', '--expires-in', '600');
  assert.match(issued.token, /^tia_/);
  assert.equal(issued.max_uses, 1);
  assert.ok(issued.expires_at);
  const created = await register(app, issued.token);
  assert.equal(created.status, 201);
  assert.equal((await register(app, issued.token)).status, 401, 'the token is spent');

  const multi = server.admin('registration-tokens', 'create', '--max-uses', '0');
  assert.equal(multi.max_uses, null);
  assert.equal(multi.expires_at, null);
  for (let i = 0; i < 3; i++) assert.equal((await register(app, multi.token)).status, 201);
});

test('read, update and delete with the registration access token (RFC 7592)', async () => {
  const { token } = server.admin('registration-tokens', 'create');
  const response = await register({
    client_name: 'Managed', redirect_uris: [`${site.origin}/cb`],
    grant_types: ['authorization_code', 'refresh_token'], scope: 'read',
    logo_uri: 'https://ignored.example/logo.png',
  }, token);
  assert.equal(response.status, 201);
  const registered = await response.json();
  assert.match(registered.client_secret, /^tcs_/);
  assert.equal(registered.client_secret_expires_at, 0);
  assert.equal(registered.registration_client_uri,
               `${server.issuer}/oauth/register/${registered.client_id}`);
  assert.equal(registered.logo_uri, undefined, 'unsupported metadata is ignored');

  const read = await manage('GET', registered);
  assert.equal(read.status, 200);
  const info = await read.json();
  assert.equal(info.client_secret, undefined, 'the secret is shown once');
  assert.equal(info.client_name, 'Managed');

  const updated = await manage('PUT', registered, {
    client_id: registered.client_id, client_secret: registered.client_secret,
    client_name: 'Renamed', redirect_uris: [`${site.origin}/other`], scope: 'read write',
  });
  assert.equal(updated.status, 200);
  const now = await updated.json();
  assert.equal(now.client_name, 'Renamed');
  assert.deepEqual(now.redirect_uris, [`${site.origin}/other`]);
  assert.equal(now.scope, 'read write');

  assert.equal((await manage('GET', registered, undefined, 'tra_wrong')).status, 401);
  assert.equal((await manage('DELETE', registered)).status, 204);
  assert.equal((await manage('GET', registered)).status, 401);
});

test('a registered public client completes the code flow in a browser and rotates',
  { skip: skipBrowser }, async () => {
    const { token } = server.admin('registration-tokens', 'create');
    const redirectUri = `${site.origin}/cb`;
    const response = await register({
      client_name: 'Registered CLI', redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'],
      scope: 'read',
    }, token);
    assert.equal(response.status, 201);
    const registered = await response.json();
    assert.equal(registered.client_secret, undefined, 'a public client has no secret');
    const client = { client_id: registered.client_id, token_endpoint_auth_method: 'none' };

    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint);
    for (const [k, v] of Object.entries({
      response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri, scope: 'read',
      state, code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })) url.searchParams.set(k, v);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(5000);
      await page.goto(url.href);
      await page.getByLabel('Email').fill(OWNER);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Allow' }).waitFor();
      assert.match(await page.content(), /Registered CLI/);
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL((u) => u.origin === site.origin && u.pathname === '/cb');
      const callback = new URL(page.url());

      const params = oauth.validateAuthResponse(as, client, callback, state);
      const exchanged = await oauth.processAuthorizationCodeResponse(as, client,
        await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri,
                                                  verifier, http));
      assert.equal(exchanged.scope, 'read');
      assert.ok(exchanged.refresh_token);
      const refreshed = await oauth.processRefreshTokenResponse(as, client,
        await oauth.refreshTokenGrantRequest(as, client, oauth.None(), exchanged.refresh_token, http));
      assert.notEqual(refreshed.refresh_token, exchanged.refresh_token,
                      'registered clients rotate refresh tokens');
    } finally {
      await browser.close();
    }
  });
