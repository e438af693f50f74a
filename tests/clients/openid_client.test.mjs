// OpenID Connect with a real relying-party library: openid-client (pinned in
// package.json) registers its clients dynamically, discovers the provider,
// runs the code flow with PKCE and a nonce in Debian's chromium (driven by
// the pinned playwright-core), reads UserInfo and logs out (RP-Initiated
// Logout, with an id_token_hint, and without one through the "Sign out of
// Tessera?" page). A client that asked for RS256 gets RS256 ID tokens, which
// jose verifies against the JWKS; a hybrid `code id_token` client gets its
// code and ID token in the fragment, and both openid-client and this test
// check the c_hash; response_mode=form_post posts the answer through the
// CSP-hashed script, or the Continue button when script is off.
//
// Chromium is required unless TESSERA_SKIP_BROWSER=1 (then the tests are
// skipped with a message); TESSERA_CHROMIUM names another binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { createServer } from 'node:http';
import { startTessera } from './server.mjs';
import { launchChromium, skipBrowser as skip } from './chromium.mjs';

if (!globalThis.crypto) globalThis.crypto = webcrypto;
const client = await import('openid-client');
const jose = await import('jose');

if (skip) console.log(`openid-client browser tests skipped: ${skip}`);

const OWNER = 'rp-owner@example.com';
const PASSWORD = 'correct horse battery';
const SCOPE = 'openid profile email';

let server;
let browser;
let site;  // the relying party's redirect target
let user;
const posts = [];  // form bodies the relying party received (response_mode=form_post)

async function startSite() {
  const s = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      if (request.method === 'POST') posts.push(new URLSearchParams(body));
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end('<!DOCTYPE html><title>RP</title><h1 id="landed">Relying party</h1>');
    });
  });
  await new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', resolve);
  });
  return {
    origin: `http://127.0.0.1:${s.address().port}`,
    async close() {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    },
  };
}

// OpenID Connect Core §3.1.3.6, §3.3.2.11: the left half of SHA-256 of the
// ASCII value, base64url (ES256 and RS256).
function leftHalfSha256(value) {
  const digest = createHash('sha256').update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

// Dynamic registration (RFC 7591) by openid-client: the configuration of
// the registered client.
async function register(metadata, execute = []) {
  return client.dynamicClientRegistration(new URL(server.issuer), {
    client_name: 'openid-client RP',
    redirect_uris: [`${site.origin}/cb`],
    post_logout_redirect_uris: [`${site.origin}/bye`],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...metadata,
  }, client.ClientSecretBasic(), { execute: [client.allowInsecureRequests, ...execute] });
}

const at = (path) => (url) => url.origin === site.origin && url.pathname === path;

// Signs in and consents when the pages ask (the first time for a client),
// then waits for the redirect to the callback; its URL, fragment included.
async function browse(page, url) {
  await page.goto(url.href);
  if (!at('/cb')(new URL(page.url()))) {
    if (await page.getByLabel('Password').count()) {
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    // Consent given before for this client: straight back after the sign-in.
    const allow = page.getByRole('button', { name: 'Allow' });
    await Promise.race([page.waitForURL(at('/cb')), allow.waitFor()]);
    if (!at('/cb')(new URL(page.url()))) {
      await allow.click();
      await page.waitForURL(at('/cb'));
    }
  }
  return new URL(page.url());
}

// The code flow with PKCE, state and nonce, as openid-client runs it.
async function codeFlow(config, page) {
  const verifier = client.randomPKCECodeVerifier();
  const checks = { pkceCodeVerifier: verifier, expectedState: client.randomState(),
                   expectedNonce: client.randomNonce() };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: `${site.origin}/cb`, scope: SCOPE, state: checks.expectedState,
    nonce: checks.expectedNonce, code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const callback = await browse(page, url);
  const tokens = await client.authorizationCodeGrant(config, callback, checks);
  return { tokens, callback, checks };
}

async function newPage() {
  const context = await browser.newContext();
  context.setDefaultTimeout(5000);
  return { context, page: await context.newPage() };
}

before(async () => {
  if (skip) return;
  const started = await Promise.allSettled([
    startTessera({ issuer: true, email: OWNER,
                   serveFlags: ['--registration', 'open', '--registration-owner', OWNER] }),
    startSite(),
    launchChromium(),
  ]);
  [server, site, browser] = started.map((s) => s.value);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  user = server.admin('users', 'create', '--email', 'grace@example.com', '--password', PASSWORD,
                      '--name', 'Grace Hopper');
});

after(async () => {
  if (skip) return;
  await Promise.allSettled([browser?.close(), site?.close()]);
  if (server) assert.equal(await server.stop(), 0, 'tessera exits cleanly on SIGTERM');
});

test('openid-client: discovery, code flow, UserInfo and RP-initiated logout', { skip }, async () => {
  const config = await register({});
  const as = config.serverMetadata();
  assert.equal(as.issuer, server.issuer);
  assert.equal(as.end_session_endpoint, `${server.issuer}/oauth/logout`);
  assert.ok(as.response_types_supported.includes('code id_token'));
  assert.deepEqual(as.response_modes_supported, ['query', 'fragment', 'form_post']);
  assert.ok(as.claims_supported.includes('c_hash'));

  const { context, page } = await newPage();
  try {
    const { tokens, checks } = await codeFlow(config, page);
    const claims = tokens.claims();
    assert.equal(claims.sub, user.id);
    assert.equal(claims.nonce, checks.expectedNonce);
    assert.equal(claims.name, 'Grace Hopper');
    assert.equal(claims.at_hash, leftHalfSha256(tokens.access_token));

    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.deepEqual(info, { sub: user.id, name: 'Grace Hopper', email: 'grace@example.com',
                             email_verified: false });

    // RP-Initiated Logout with the ID token as hint: straight back to the RP.
    const logout = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token, post_logout_redirect_uri: `${site.origin}/bye`,
      state: 'bye-1' });
    await page.goto(logout.href);
    await page.waitForURL(at('/bye'));
    assert.equal(new URL(page.url()).searchParams.get('state'), 'bye-1');
    // Signed out: the next authorization asks for the password again.
    await page.goto(client.buildAuthorizationUrl(config, {
      redirect_uri: `${site.origin}/cb`, scope: 'openid', code_challenge_method: 'S256',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    }).href);
    await page.getByLabel('Password').waitFor();

    // Without a hint the user is asked, on Tessera's page, and decides.
    await codeFlow(config, page);
    await page.goto(client.buildEndSessionUrl(config, {
      post_logout_redirect_uri: `${site.origin}/bye`, state: 'bye-2' }).href);
    await page.getByRole('heading', { name: 'Sign out of Tessera?' }).waitFor();
    assert.match(await page.locator('p.message').textContent(), /grace@example\.com/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(at('/bye'));
    assert.equal(new URL(page.url()).searchParams.get('state'), 'bye-2');
  } finally {
    await context.close();
  }
});

test('a client that registered RS256 gets RS256 ID tokens that jose verifies', { skip }, async () => {
  // The RS256 key line must exist before a client may ask for it.
  const refused = await register({ id_token_signed_response_alg: 'RS256' }).catch((err) => err);
  assert.ok(refused instanceof Error);
  assert.equal(refused.error, 'invalid_client_metadata');
  const rotation = server.admin('keys', 'rotate', '--algorithm', 'RS256');
  assert.equal(rotation.promoted, null);

  const config = await register({ id_token_signed_response_alg: 'RS256' });
  assert.equal(config.clientMetadata().id_token_signed_response_alg, 'RS256');
  assert.deepEqual([...config.serverMetadata().id_token_signing_alg_values_supported].sort(),
                   ['ES256', 'RS256']);
  const { context, page } = await newPage();
  try {
    const { tokens, checks } = await codeFlow(config, page);
    const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
    const { payload, protectedHeader } = await jose.jwtVerify(tokens.id_token, jwks, {
      issuer: server.issuer, audience: config.clientMetadata().client_id, algorithms: ['RS256'],
      requiredClaims: ['iat', 'exp', 'sub', 'auth_time', 'at_hash', 'nonce'],
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(protectedHeader.kid, rotation.published);
    assert.equal(payload.nonce, checks.expectedNonce);
    assert.equal(payload.at_hash, leftHalfSha256(tokens.access_token));

    // The refresh grant keeps the client's algorithm.
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    const again = await jose.jwtVerify(refreshed.id_token, jwks, {
      issuer: server.issuer, audience: config.clientMetadata().client_id, algorithms: ['RS256'] });
    assert.equal(again.protectedHeader.kid, rotation.published);
  } finally {
    await context.close();
  }
});

test('hybrid code id_token: code and ID token in the fragment, c_hash checked', { skip }, async () => {
  const config = await register({
    grant_types: ['authorization_code', 'implicit'],
    response_types: ['code id_token'],
  }, [client.useCodeIdTokenResponseType]);
  assert.deepEqual(config.clientMetadata().response_types, ['code id_token']);
  const { context, page } = await newPage();
  try {
    const verifier = client.randomPKCECodeVerifier();
    const checks = { pkceCodeVerifier: verifier, expectedState: client.randomState(),
                     expectedNonce: client.randomNonce() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: `${site.origin}/cb`, scope: SCOPE, state: checks.expectedState,
      nonce: checks.expectedNonce, code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    assert.equal(url.searchParams.get('response_type'), 'code id_token');
    const callback = await browse(page, url);
    assert.equal(callback.search, '', 'nothing travels in the query');
    const fragment = new URLSearchParams(callback.hash.slice(1));
    const code = fragment.get('code');
    const frontIdToken = fragment.get('id_token');
    assert.ok(code && frontIdToken);
    assert.equal(fragment.get('iss'), server.issuer);

    // Our own check of the front-channel ID token: signature and c_hash.
    const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
    const front = await jose.jwtVerify(frontIdToken, jwks, {
      issuer: server.issuer, audience: config.clientMetadata().client_id,
      requiredClaims: ['c_hash', 'nonce', 'auth_time'] });
    assert.equal(front.payload.c_hash, leftHalfSha256(code));
    assert.equal(front.payload.nonce, checks.expectedNonce);

    // openid-client validates the hybrid response (its ID token's
    // signature, nonce and c_hash) and then redeems the code.
    const tokens = await client.authorizationCodeGrant(config, callback, checks);
    assert.equal(tokens.claims().sub, user.id);
    assert.equal(tokens.claims().nonce, checks.expectedNonce);

    // A tampered code fails openid-client's c_hash check before any redemption.
    const tampered = new URL(callback);
    const params = new URLSearchParams(tampered.hash.slice(1));
    params.set('code', `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`);
    tampered.hash = params.toString();
    await assert.rejects(client.authorizationCodeGrant(config, tampered, checks), (err) => {
      assert.equal(err.cause?.cause?.claim, 'c_hash', err.message);
      return true;
    });
  } finally {
    await context.close();
  }
});

// Form Post Response Mode in a real browser: the page's one inline script
// runs (its hash is in the page's CSP) and posts the answer; with script
// off, the Continue button does.
test('form_post: the answer is POSTed to the redirect URI, with and without script', { skip },
  async () => {
    const config = await register({});
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ javaScriptEnabled });
      context.setDefaultTimeout(5000);
      const page = await context.newPage();
      const blocked = [];
      page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) blocked.push(m.text()); });
      try {
        const verifier = client.randomPKCECodeVerifier();
        const state = client.randomState();
        const url = client.buildAuthorizationUrl(config, {
          redirect_uri: `${site.origin}/cb`, scope: 'openid', state, response_mode: 'form_post',
          code_challenge: await client.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
        });
        const before = posts.length;
        await page.goto(url.href);
        await page.getByLabel('Email').fill(user.email);
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        // The first time the consent page comes first; the second time
        // (consent remembered) the form_post page follows the sign-in.
        if (javaScriptEnabled) await page.getByRole('button', { name: 'Allow' }).click();
        else await page.getByRole('heading', { name: 'Returning to the application' }).waitFor();
        if (!javaScriptEnabled) await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(at('/cb'));
        assert.equal(new URL(page.url()).search, '', 'nothing in the query');
        assert.equal(posts.length, before + 1);
        const answer = posts.at(-1);
        assert.equal(answer.get('state'), state);
        assert.equal(answer.get('iss'), server.issuer);
        assert.match(answer.get('code'), /^tac_/);
        assert.deepEqual(blocked, [], 'the CSP blocked nothing');

        // openid-client takes the POSTed answer as a Request and redeems it.
        const request = new Request(`${site.origin}/cb`, {
          method: 'POST', body: answer,
          headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        const tokens = await client.authorizationCodeGrant(config, request, {
          pkceCodeVerifier: verifier, expectedState: state });
        assert.equal(tokens.claims().sub, user.id);
      } finally {
        await context.close();
      }
    }
  });
