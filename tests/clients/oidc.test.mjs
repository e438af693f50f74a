// OpenID Connect end to end: a real browser (Debian's chromium driven by the
// pinned playwright-core) signs in and consents to `openid profile email`;
// the code is exchanged by oauth4webapi (OIDC discovery, PKCE, nonce); the
// ID token is verified by an independent JOSE implementation (jose:
// createRemoteJWKSet + jwtVerify, issuer, audience, nonce and at_hash);
// UserInfo is read; then the signing keys are rotated with
// `tessera admin keys rotate` and a token signed before the rotation still
// verifies while new ones are signed by the promoted key; a key line of
// another algorithm (EdDSA) leaves this client on ES256.
//
// Chromium is required unless TESSERA_SKIP_BROWSER=1 (then the tests are
// skipped with a message); TESSERA_CHROMIUM names another binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { startSite } from './site.mjs';
import { startTessera } from './server.mjs';
import { launchChromium, skipBrowser as skip } from './chromium.mjs';

if (!globalThis.crypto) globalThis.crypto = webcrypto;
const oauth = await import('oauth4webapi');
const jose = await import('jose');

if (skip) console.log(`OpenID Connect browser tests skipped: ${skip}`);

const PASSWORD = 'correct horse battery';
const SCOPE = 'openid profile email';
const http = { [oauth.allowInsecureRequests]: true };

let server;
let browser;
let site;      // the relying party's redirect target
let as;        // the processed OpenID Provider metadata
let rp;        // the confidential client: { id, secret }
let user;

// OpenID Connect Core §3.1.3.6: base64url of the left half of the hash of the
// ASCII access token; SHA-256 for ES256/RS256, SHA-512 for EdDSA (Ed25519).
function atHash(accessToken, alg) {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

function client() {
  return { client_id: rp.id, token_endpoint_auth_method: 'client_secret_basic' };
}

// One authorization request with PKCE, state and a fresh nonce.
async function authorizationRequest() {
  const verifier = oauth.generateRandomCodeVerifier();
  const request = {
    verifier,
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    redirectUri: `${site.origin}/cb`,
  };
  const url = new URL(as.authorization_endpoint);
  for (const [k, v] of Object.entries({
    response_type: 'code', client_id: rp.id, redirect_uri: request.redirectUri, scope: SCOPE,
    state: request.state, nonce: request.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  })) url.searchParams.set(k, v);
  request.url = url.href;
  return request;
}

const onCallback = (url) => url.origin === site.origin && url.pathname === '/cb';

// Runs the browser through the flow: sign-in and consent when the page asks
// for them (the first time), otherwise straight back to the callback.
async function browse(page, request) {
  await page.goto(request.url);
  if (!onCallback(new URL(page.url()))) {
    if (await page.getByLabel('Password').count()) {
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    assert.deepEqual(await page.locator('ul.scopes code.scope-id').allTextContents(),
                     ['openid', 'profile', 'email'], 'the consent page lists the OpenID scopes');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(onCallback);
  }
  return new URL(page.url());
}

// The code exchange by oauth4webapi, which checks state, iss, the nonce and
// the ID token's claims (not its signature: that is jose's job below).
async function exchange(callback, request) {
  const params = oauth.validateAuthResponse(as, client(), callback, request.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as, client(), oauth.ClientSecretBasic(rp.secret), params, request.redirectUri, request.verifier, http);
  return oauth.processAuthorizationCodeResponse(as, client(), response,
                                                { expectedNonce: request.nonce, requireIdToken: true });
}

// Verifies with a fresh remote JWKS (no cache from earlier fetches).
async function verify(idToken, nonce) {
  const jwks = jose.createRemoteJWKSet(new URL(as.jwks_uri));
  const { payload, protectedHeader } = await jose.jwtVerify(idToken, jwks, {
    issuer: server.issuer,
    audience: rp.id,
    algorithms: ['ES256', 'RS256', 'EdDSA'],
    requiredClaims: ['iat', 'exp', 'sub', 'auth_time', 'at_hash'],
  });
  if (nonce !== undefined) assert.equal(payload.nonce, nonce, 'nonce');
  return { payload, protectedHeader };
}

async function flow(page) {
  const request = await authorizationRequest();
  const callback = await browse(page, request);
  assert.equal(callback.searchParams.get('iss'), server.issuer);
  const tokens = await exchange(callback, request);
  const { payload, protectedHeader } = await verify(tokens.id_token, request.nonce);
  assert.equal(payload.at_hash, atHash(tokens.access_token, protectedHeader.alg), 'at_hash');
  return { tokens, payload, protectedHeader };
}

async function jwksKids() {
  const response = await fetch(as.jwks_uri);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('cache-control'), /max-age=\d+/);
  const { keys } = await response.json();
  for (const jwk of keys) {
    assert.equal(jwk.d, undefined, 'no private key material');
    await jose.importJWK(jwk, jwk.alg); // every published key is a usable JWK
  }
  return keys.map((k) => k.kid);
}

async function discover() {
  const issuer = new URL(server.issuer);
  return oauth.processDiscoveryResponse(
    issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...http }));
}

before(async () => {
  if (skip) return;
  const started = await Promise.allSettled([
    startTessera({ issuer: true, email: 'rp-owner@example.com' }),
    startSite('RP'),
    launchChromium(),
  ]);
  [server, site, browser] = started.map((s) => s.value);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  as = await discover();
  rp = server.admin('clients', 'create', '--email', 'rp-owner@example.com', '--name', 'OIDC RP',
                    '--grant-type', 'authorization_code', '--grant-type', 'refresh_token',
                    '--redirect-uri', 'http://127.0.0.1/cb', '--auth-method', 'client_secret_basic');
  user = server.admin('users', 'create', '--email', 'grace@example.com', '--password', PASSWORD,
                      '--name', 'Grace Hopper');
});

after(async () => {
  if (skip) return;
  await Promise.allSettled([browser?.close(), site?.close()]);
  if (server) assert.equal(await server.stop(), 0, 'tessera exits cleanly on SIGTERM');
});

test('discovery describes an OpenID Provider for the code flow', { skip }, () => {
  assert.equal(as.issuer, server.issuer);
  assert.equal(as.jwks_uri, `${server.issuer}/.well-known/jwks.json`);
  assert.equal(as.userinfo_endpoint, `${server.issuer}/userinfo`);
  assert.deepEqual(as.response_types_supported, ['code', 'code id_token', 'code token',
                                                 'code id_token token', 'id_token', 'id_token token',
                                                 'token']);
  assert.deepEqual(as.subject_types_supported, ['public']);
  assert.deepEqual(as.id_token_signing_alg_values_supported, ['ES256']);
  for (const scope of ['openid', 'profile', 'email']) assert.ok(as.scopes_supported.includes(scope), scope);
  for (const claim of ['sub', 'nonce', 'at_hash', 'email']) assert.ok(as.claims_supported.includes(claim), claim);
});

test('code flow with openid: a verified ID token, UserInfo, and key rotation that breaks nothing',
  { skip }, async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(5000);
    const page = await context.newPage();
    try {
      // The first flow: signed by the one key there is.
      const [k1] = await jwksKids();
      const first = await flow(page);
      assert.equal(first.protectedHeader.kid, k1);
      assert.equal(first.protectedHeader.alg, 'ES256');
      assert.equal(first.payload.sub, user.id);
      assert.equal(first.payload.name, 'Grace Hopper');
      assert.equal(first.payload.email, 'grace@example.com');
      assert.equal(first.payload.email_verified, false);
      assert.ok(first.payload.auth_time <= first.payload.iat);

      // UserInfo with the access token (oauth4webapi checks sub matches).
      const info = await oauth.processUserInfoResponse(
        as, client(), first.payload.sub,
        await oauth.userInfoRequest(as, client(), first.tokens.access_token, http));
      assert.deepEqual(info, { sub: user.id, name: 'Grace Hopper', email: 'grace@example.com',
                               email_verified: false });

      // Rotation 1: a new ES256 key is published as next; k1 still signs.
      const r1 = server.admin('keys', 'rotate', '--algorithm', 'ES256');
      assert.equal(r1.promoted, null);
      const k2 = r1.published;
      assert.deepEqual(await jwksKids(), [k1, k2], 'the next key is published before it signs');
      const between = await flow(page);
      assert.equal(between.protectedHeader.kid, k1, 'a next key does not sign');

      // Rotation 2: k2 signs, k1 is retired but stays published; k3 is next.
      const r2 = server.admin('keys', 'rotate', '--algorithm', 'ES256');
      assert.equal(r2.promoted, k2);
      assert.equal(r2.retired, k1);
      const k3 = r2.published;
      assert.deepEqual(await jwksKids(), [k2, k3, k1]);

      // Tokens signed before the rotations still verify against the JWKS.
      await verify(first.tokens.id_token, first.payload.nonce);
      await verify(between.tokens.id_token, between.payload.nonce);

      // New tokens are signed by the promoted key.
      const after = await flow(page);
      assert.equal(after.protectedHeader.kid, k2);
      assert.equal(after.protectedHeader.alg, 'ES256');

      // Another algorithm is a line of its own: an EdDSA key signs for
      // clients that ask for EdDSA at once, and nothing changes for this one.
      const eddsa = server.admin('keys', 'rotate', '--algorithm', 'EdDSA');
      assert.equal(eddsa.promoted, null);
      // Current keys first (newest first; keys of one second tie), then next, then retired.
      const kids = await jwksKids();
      assert.deepEqual(kids.slice(0, 2).sort(), [eddsa.published, k2].sort());
      assert.deepEqual(kids.slice(2), [k3, k1]);
      as = await discover();
      assert.deepEqual([...as.id_token_signing_alg_values_supported].sort(), ['ES256', 'EdDSA']);
      assert.equal((await flow(page)).protectedHeader.kid, k2);

      // A refreshed session gets an ID token from the current key too.
      const response = await oauth.refreshTokenGrantRequest(
        as, client(), oauth.ClientSecretBasic(rp.secret), after.tokens.refresh_token, http);
      const refreshed = await oauth.processRefreshTokenResponse(as, client(), response);
      const jwks = jose.createRemoteJWKSet(new URL(as.jwks_uri));
      const { payload, protectedHeader } = await jose.jwtVerify(refreshed.id_token, jwks, {
        issuer: server.issuer, audience: rp.id,
      });
      assert.equal(protectedHeader.kid, k2);
      assert.equal(payload.sub, user.id);
      assert.equal(payload.at_hash, atHash(refreshed.access_token, 'ES256'));
    } finally {
      await context.close();
    }
  });
