// The authorization code flow driven end to end in a real browser: Debian's
// chromium, controlled by the pinned playwright-core, signs in on Tessera's
// pages, approves or denies on the consent page and lands on a client's
// redirect URI served by a tiny node http server here. The code is exchanged
// with the real oauth4webapi 3.x (PKCE S256, the RFC 9207 iss parameter),
// then refreshed with rotation and reuse detection.
//
// Two node http servers play the other parties, both on 127.0.0.1:
//   app      the client application: its /cb is the redirect target and
//            records every query it receives;
//   attacker another origin (another port) serving the pages that try CSRF
//            and framing. It is also reached as http://localhost:PORT, which
//            is another *site* than 127.0.0.1, not only another origin.
//
// Chromium is required: without it the tests fail, unless
// TESSERA_SKIP_BROWSER=1 is set, which skips them with a message. Another
// binary can be named with TESSERA_CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { startTessera } from './server.mjs';
import Heroku from 'heroku-client';
import { launchChromium, skipBrowser as skip } from './chromium.mjs';

if (!globalThis.crypto) globalThis.crypto = webcrypto;
const oauth = await import('oauth4webapi');

if (skip) console.log(`browser tests skipped: ${skip}`);

const PASSWORD = 'correct horse battery';
const SCOPE = 'read identity';
const REGISTERED_REDIRECT = 'http://127.0.0.1/cb'; // RFC 8252 §7.3: any port matches

let server;
let as;            // processed authorization server metadata
let tessera;       // Tessera's origin
let authorizeUrlBase;
let browser;
let app;           // the client application's server (redirect target)
let attacker;      // another origin
let inspector;     // a confidential client of the same owner, for introspection
let introspectAuth;

// oauth4webapi over plain http.
const http = { [oauth.allowInsecureRequests]: true };

// A tiny http server on 127.0.0.1: `pages` maps a path to the HTML it serves,
// every request is recorded, and any other path answers "Callback received".
async function startSite(name) {
  const pages = new Map();
  const received = [];
  const site = createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') { response.writeHead(404).end(); return; }
    received.push({ method: request.method, path: url.pathname,
                    query: Object.fromEntries(url.searchParams) });
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(pages.get(url.pathname) ??
                 `<!DOCTYPE html><title>${name}</title><h1 id="landed">Callback received</h1>`);
  });
  await new Promise((resolve, reject) => {
    site.once('error', reject);
    site.listen(0, '127.0.0.1', resolve);
  });
  const { port } = site.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    pages,
    received,
    callbacks: () => received.filter((r) => r.path === '/cb'),
    async close() {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    },
  };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function hiddenInputs(fields) {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}

// A public client (auth method none) owned by owner@example.com, registered
// for the port-less loopback redirect URI.
function publicClient(name) {
  return server.admin('clients', 'create', '--email', 'owner@example.com', '--name', name,
                      '--grant-type', 'authorization_code', '--grant-type', 'refresh_token',
                      '--redirect-uri', REGISTERED_REDIRECT, '--scope', 'read', '--scope', 'identity',
                      '--auth-method', 'none', '--refresh-policy', 'rotate');
}

// The sign-in rate limit counts every attempt per account, so each test signs
// in as its own user.
function newUser(local) {
  return server.admin('users', 'create', '--email', `${local}@example.com`, '--password', PASSWORD);
}

// A fresh authorization request: its PKCE verifier, state and URL.
async function authorizationRequest(client, overrides = {}) {
  const verifier = oauth.generateRandomCodeVerifier();
  const params = {
    response_type: 'code',
    client_id: client.id,
    redirect_uri: `${app.origin}/cb`,
    scope: SCOPE,
    state: oauth.generateRandomState(),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...overrides,
  };
  const url = new URL(authorizeUrlBase);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return { verifier, redirectUri: params.redirect_uri, params, state: params.state, url: url.href };
}

const isAuthorize = (method) => (response) =>
  response.url().split('?')[0] === authorizeUrlBase && response.request().method() === method;

// Runs `action` and returns the response to the first request to the
// authorization endpoint with `method` that it causes.
async function responseTo(page, method, action) {
  const [response] = await Promise.all([page.waitForResponse(isAuthorize(method)), action()]);
  return response;
}

const onCallback = (url) => url.origin === app.origin && url.pathname === '/cb';

async function newPage() {
  const context = await browser.newContext();
  context.setDefaultTimeout(5000);
  context.setDefaultNavigationTimeout(5000);
  const page = await context.newPage();
  return { context, page };
}

// Tessera's cookies have Path=/oauth.
async function cookie(context, name) {
  return (await context.cookies(authorizeUrlBase)).find((c) => c.name === name);
}

async function heading(page) {
  return (await page.locator('main h1').textContent()).replace(/\s+/g, ' ').trim();
}

// Fills the sign-in form and clicks Sign in; returns the response to the POST.
async function signIn(page, email, password = PASSWORD) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  return responseTo(page, 'POST', () => page.getByRole('button', { name: 'Sign in' }).click());
}

// From the sign-in page to the consent page.
async function signInToConsent(page, email) {
  const response = await signIn(page, email);
  assert.equal(response.status(), 200, 'the consent page follows a good sign-in');
  await page.getByRole('button', { name: 'Allow' }).waitFor();
}

// Approves on the consent page and waits for the browser to land on the
// client's callback; returns the callback URL.
async function approve(page) {
  const response = await responseTo(page, 'POST', () => page.getByRole('button', { name: 'Allow' }).click());
  assert.equal(response.status(), 303, 'a form post answers with 303 See Other');
  await page.waitForURL(onCallback);
  return new URL(page.url());
}

function publicAuth(client) {
  return { client: { client_id: client.id, token_endpoint_auth_method: 'none' }, auth: oauth.None() };
}

async function exchange(client, callback, request) {
  const { client: c, auth } = publicAuth(client);
  const params = oauth.validateAuthResponse(as, c, callback, request.state);
  const response = await oauth.authorizationCodeGrantRequest(as, c, auth, params, request.redirectUri,
                                                            request.verifier, http);
  return oauth.processAuthorizationCodeResponse(as, c, response);
}

async function refresh(client, refreshToken) {
  const { client: c, auth } = publicAuth(client);
  const response = await oauth.refreshTokenGrantRequest(as, c, auth, refreshToken, http);
  return oauth.processRefreshTokenResponse(as, c, response);
}

async function introspect(token) {
  const response = await oauth.introspectionRequest(as, { client_id: inspector.id }, introspectAuth,
                                                    token, http);
  return oauth.processIntrospectionResponse(as, { client_id: inspector.id }, response);
}

async function assertInvalidGrant(promise, message) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof oauth.ResponseBodyError, `${message}: got ${err?.name}: ${err?.message}`);
    assert.equal(err.error, 'invalid_grant', message);
    assert.equal(err.status, 400, message);
    return true;
  }, message);
}

before(async () => {
  if (skip) return;
  // Whatever started is kept, so that `after` stops it even if the rest failed.
  const started = await Promise.allSettled([
    startTessera({ issuer: true }),
    startSite('Client application'),
    startSite('Another site'),
    launchChromium(),
  ]);
  [server, app, attacker, browser] = started.map((s) => s.value);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  tessera = server.issuer;
  const issuer = new URL(server.issuer);
  as = await oauth.processDiscoveryResponse(
    issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...http }));
  authorizeUrlBase = as.authorization_endpoint;
  inspector = server.admin('clients', 'create', '--email', 'owner@example.com', '--name', 'Resource server',
                           '--grant-type', 'client_credentials', '--scope', 'read',
                           '--auth-method', 'client_secret_basic');
  introspectAuth = oauth.ClientSecretBasic(inspector.secret);
});

after(async () => {
  if (skip) return;
  await Promise.allSettled([browser?.close(), app?.close(), attacker?.close()]);
  if (server) assert.equal(await server.stop(), 0, 'tessera exits cleanly on SIGTERM');
});

test('discovery advertises the code flow with PKCE S256 and the iss parameter', { skip }, () => {
  assert.equal(as.authorization_endpoint, `${tessera}/oauth/authorize`);
  assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
  assert.equal(as.authorization_response_iss_parameter_supported, true);
  assert.ok(as.response_types_supported.includes('code'));
  for (const grant of ['authorization_code', 'refresh_token'])
    assert.ok(as.grant_types_supported.includes(grant), grant);
});

test('sign in (wrong then right password), consent, code + PKCE, introspection, refresh rotation and reuse',
  { skip }, async () => {
    const client = publicClient('Browser Test App');
    assert.equal(client.secret, null, 'a public client has no secret');
    const request = await authorizationRequest(client);
    const { context, page } = await newPage();

    // The sign-in page.
    const first = await page.goto(request.url);
    assert.equal(first.status(), 200);
    assert.equal(await heading(page), 'Sign in');
    assert.match(await page.locator('.lead').textContent(), /to continue to Browser Test App/);
    const csrf = await cookie(context, 'tessera_csrf');
    assert.ok(csrf, 'a CSRF cookie is set');
    assert.equal(csrf.httpOnly, true);
    assert.equal(csrf.sameSite, 'Lax');
    assert.equal(await page.evaluate(() => document.cookie), '', 'no cookie is readable by scripts');
    assert.equal(await page.locator('input[name=csrf_token]').count(), 1);

    // A wrong password: an alert, still the sign-in page, nobody signed in.
    const wrong = await signIn(page, 'owner@example.com', 'correct horse battery staple');
    assert.equal(wrong.status(), 401);
    const alert = page.getByRole('alert');
    await alert.waitFor({ state: 'visible' });
    assert.equal((await alert.textContent()).trim(), 'The email or password is not correct.');
    assert.equal(await heading(page), 'Sign in');
    assert.equal(page.url(), authorizeUrlBase);
    assert.equal(await page.getByLabel('Email').inputValue(), 'owner@example.com', 'the email is kept');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is never sent back');
    assert.equal(await page.getByRole('button', { name: 'Allow' }).count(), 0);
    assert.equal(await cookie(context, 'tessera_session'), undefined, 'no session after a wrong password');
    assert.equal(app.callbacks().length, 0);

    // The right one: the consent page names the client and every scope.
    await signInToConsent(page, 'owner@example.com');
    const session = await cookie(context, 'tessera_session');
    assert.ok(session, 'signed in');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    assert.equal(session.path, '/oauth');
    assert.equal(await heading(page), 'Browser Test App wants to access your account');
    assert.match(await page.locator('.account').textContent(), /Signed in as owner@example\.com/);
    assert.deepEqual(await page.locator('ul.scopes code.scope-id').allTextContents(), ['read', 'identity']);
    const items = await page.locator('ul.scopes li').allTextContents();
    assert.match(items[0], /Read access to your apps and resources/);
    assert.match(items[1], /Read-only access to your account information/);
    assert.ok(await page.getByRole('button', { name: 'Deny' }).isVisible());
    assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible());

    // Approve: the browser lands on the callback with code, state and iss.
    const callback = await approve(page);
    assert.match(callback.searchParams.get('code'), /^tac_/);
    assert.equal(callback.searchParams.get('state'), request.state);
    assert.equal(callback.searchParams.get('iss'), tessera);
    assert.equal(callback.port, String(app.port), 'the port of the request, not of the registration');
    assert.equal(await page.locator('#landed').textContent(), 'Callback received');
    assert.equal(app.callbacks().length, 1);
    assert.deepEqual(app.callbacks()[0].query, Object.fromEntries(callback.searchParams));

    // oauth4webapi checks state and iss, then redeems the code with PKCE.
    const tokens = await exchange(client, callback, request);
    assert.match(tokens.access_token, /^tat_/);
    assert.match(tokens.refresh_token, /^trt_/);
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.scope, SCOPE);
    assert.ok(tokens.expires_in > 0);
    assert.equal(tokens.user_id, server.user.id);
    assert.match(tokens.session_nonce, /^[0-9a-f]+$/);

    // A confidential client of the same owner sees the token active.
    const active = await introspect(tokens.access_token);
    assert.equal(active.active, true);
    assert.equal(active.client_id, client.id);
    assert.equal(active.sub, server.user.id);
    assert.equal(active.scope, SCOPE);
    assert.equal(active.iss, tessera);
    assert.equal((await introspect(tokens.refresh_token)).active, true);

    // Rotation: a new refresh token each time, in the same session.
    const second = await refresh(client, tokens.refresh_token);
    assert.match(second.refresh_token, /^trt_/);
    assert.notEqual(second.refresh_token, tokens.refresh_token);
    assert.notEqual(second.access_token, tokens.access_token);
    assert.equal(second.scope, SCOPE);
    assert.equal(second.user_id, server.user.id);
    assert.equal(second.session_nonce, tokens.session_nonce);
    assert.equal((await introspect(tokens.refresh_token)).active, false, 'the first refresh token is spent');

    // Within the grace window and while its successor is unused, the first
    // token may be presented again (a lost response): its successor is
    // replaced by a new one.
    const retried = await refresh(client, tokens.refresh_token);
    assert.notEqual(retried.refresh_token, second.refresh_token);
    assert.equal(retried.session_nonce, tokens.session_nonce);
    await assertInvalidGrant(refresh(client, second.refresh_token), 'the replaced successor is gone');

    const third = await refresh(client, retried.refresh_token);
    assert.notEqual(third.refresh_token, retried.refresh_token);
    for (const token of [tokens.access_token, second.access_token, retried.access_token, third.access_token])
      assert.equal((await introspect(token)).active, true, 'every access token of the session is active');

    // The first token again, now that its successor was used: reuse. The
    // whole session dies.
    await assertInvalidGrant(refresh(client, tokens.refresh_token), 'reuse of a spent refresh token');
    for (const token of [tokens.access_token, second.access_token, retried.access_token, third.access_token,
                         third.refresh_token])
      assert.deepEqual({ ...(await introspect(token)) }, { active: false }, 'the session was revoked');
    await assertInvalidGrant(refresh(client, third.refresh_token), 'the newest refresh token died too');

    // The code was spent on the first exchange.
    await assertInvalidGrant(exchange(client, callback, request), 'a code is redeemed once');
    await context.close();
  });

test('Deny sends error=access_denied to the callback and records no consent', { skip }, async () => {
  newUser('deny');
  const client = publicClient('Deny Test App');
  const request = await authorizationRequest(client);
  const { context, page } = await newPage();
  await page.goto(request.url);
  await signInToConsent(page, 'deny@example.com');

  const denied = await responseTo(page, 'POST', () => page.getByRole('button', { name: 'Deny' }).click());
  assert.equal(denied.status(), 303);
  await page.waitForURL(onCallback);
  const callback = new URL(page.url());
  assert.equal(callback.searchParams.get('error'), 'access_denied');
  assert.equal(callback.searchParams.get('state'), request.state);
  assert.equal(callback.searchParams.get('iss'), tessera);
  assert.equal(callback.searchParams.get('code'), null);
  assert.deepEqual(app.callbacks().at(-1).query, Object.fromEntries(callback.searchParams));
  assert.throws(() => oauth.validateAuthResponse(as, publicAuth(client).client, callback, request.state),
    (err) => {
      assert.ok(err instanceof oauth.AuthorizationResponseError, `got ${err?.name}`);
      assert.equal(err.error, 'access_denied');
      return true;
    });

  // Nothing was granted: the same request shows the consent page again.
  const again = await page.goto(request.url);
  assert.equal(again.status(), 200);
  assert.equal(again.url(), request.url, 'no redirect');
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  await context.close();
});

test('a second authorization for granted scopes redirects at once, without a page', { skip }, async () => {
  const user = newUser('again');
  const client = publicClient('Returning App');
  const { context, page } = await newPage();
  const first = await authorizationRequest(client);
  await page.goto(first.url);
  await signInToConsent(page, 'again@example.com');
  const firstCode = (await approve(page)).searchParams.get('code');

  const tesseraPages = [];
  page.on('response', (response) => {
    if (response.url().startsWith(tessera) && /text\/html/.test(response.headers()['content-type'] ?? ''))
      tesseraPages.push(response.url());
  });
  for (const scope of [SCOPE, 'read']) { // the same scopes, then fewer
    const before = app.callbacks().length;
    const request = await authorizationRequest(client, { scope });
    const landed = await page.goto(request.url);
    assert.ok(onCallback(new URL(landed.url())), `landed on the callback (${scope})`);
    const hop = landed.request().redirectedFrom();
    assert.ok(hop, 'through a redirect');
    assert.equal(hop.url(), request.url);
    assert.equal((await hop.response()).status(), 302, 'a GET is answered with 302');
    assert.equal(hop.redirectedFrom(), null, 'a single hop');
    assert.deepEqual(tesseraPages, [], 'no sign-in or consent page was shown');
    assert.equal(app.callbacks().length, before + 1);

    const callback = new URL(page.url());
    assert.notEqual(callback.searchParams.get('code'), firstCode, 'a new code');
    const tokens = await exchange(client, callback, request);
    assert.equal(tokens.scope, scope);
    assert.equal(tokens.user_id, user.id);
  }

  // prompt=consent asks again even though the scopes were granted.
  const asked = await authorizationRequest(client, { prompt: 'consent' });
  const response = await page.goto(asked.url);
  assert.equal(response.status(), 200);
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  await context.close();
});

test('keyboard only: type, Tab and Enter to sign in, Tab and Space to approve', { skip }, async () => {
  newUser('keys');
  const client = publicClient('Keyboard App');
  const request = await authorizationRequest(client);
  const { context, page } = await newPage();
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    return e ? (e.id || e.textContent.trim() || e.tagName) : null;
  });
  await page.goto(request.url);
  await page.waitForFunction(() => document.activeElement?.id === 'email'); // autofocus

  // A wrong password first, from the keyboard: the error, and the focus
  // waits in the password field (the email is kept).
  await page.keyboard.type('keys@example.com');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'password');
  await page.keyboard.type('not the password');
  const wrong = await responseTo(page, 'POST', () => page.keyboard.press('Enter'));
  assert.equal(wrong.status(), 401);
  await page.getByRole('alert').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'password');
  assert.equal(await page.getByLabel('Email').inputValue(), 'keys@example.com');

  await page.keyboard.type(PASSWORD);
  const signedIn = await responseTo(page, 'POST', () => page.keyboard.press('Enter'));
  assert.equal(signedIn.status(), 200);
  await page.getByRole('button', { name: 'Allow' }).waitFor();

  // Tab through the consent page: Allow comes before Deny and Sign out.
  const order = [];
  for (let i = 0; i < 10 && order.at(-1) !== 'Allow'; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  assert.equal(order.at(-1), 'Allow', `tab order: ${order.join(', ')}`);
  assert.ok(!order.includes('Deny') && !order.includes('Sign out'), `tab order: ${order.join(', ')}`);
  const approved = await responseTo(page, 'POST', () => page.keyboard.press('Space'));
  assert.equal(approved.status(), 303);
  await page.waitForURL(onCallback);
  const callback = new URL(page.url());
  assert.equal(callback.searchParams.get('state'), request.state);
  const tokens = await exchange(client, callback, request);
  assert.match(tokens.access_token, /^tat_/);
  await context.close();
});

test('a confidential client (client_secret_basic, stable refresh) redeems its code', { skip }, async () => {
  const user = newUser('confidential');
  const registered = server.admin('clients', 'create', '--email', 'owner@example.com', '--name', 'Web App',
                                  '--grant-type', 'authorization_code', '--grant-type', 'refresh_token',
                                  '--redirect-uri', REGISTERED_REDIRECT, '--scope', 'read', '--scope', 'identity',
                                  '--auth-method', 'client_secret_basic', '--refresh-policy', 'stable');
  assert.match(registered.secret, /^tcs_/);
  assert.equal(registered.refresh_policy, 'stable');
  const client = { client_id: registered.id, token_endpoint_auth_method: 'client_secret_basic' };
  const auth = oauth.ClientSecretBasic(registered.secret);
  const request = await authorizationRequest(registered, { scope: 'identity' });
  const { context, page } = await newPage();
  await page.goto(request.url);
  await signInToConsent(page, 'confidential@example.com');
  assert.deepEqual(await page.locator('ul.scopes code.scope-id').allTextContents(), ['identity']);
  const callback = await approve(page);
  await context.close();

  const params = oauth.validateAuthResponse(as, client, callback, request.state);
  // Without the secret, the code is not redeemed (and stays unspent).
  await assert.rejects(
    (async () => oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(
      as, client, oauth.ClientSecretBasic('tcs_wrong'), params, request.redirectUri, request.verifier, http)))(),
    (err) => err instanceof oauth.WWWAuthenticateChallengeError && err.status === 401);
  // A wrong PKCE verifier fails as well.
  await assertInvalidGrant(
    (async () => oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(
      as, client, auth, params, request.redirectUri, oauth.generateRandomCodeVerifier(), http)))(),
    'a wrong code_verifier');
  const tokens = await oauth.processAuthorizationCodeResponse(as, client,
    await oauth.authorizationCodeGrantRequest(as, client, auth, params, request.redirectUri, request.verifier, http));
  assert.equal(tokens.scope, 'identity');
  assert.equal(tokens.user_id, user.id);

  // Stable: the same refresh token comes back, and keeps working.
  for (let i = 0; i < 2; i++) {
    const refreshed = await oauth.processRefreshTokenResponse(as, client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token, http));
    assert.equal(refreshed.refresh_token, tokens.refresh_token);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(refreshed.session_nonce, tokens.session_nonce);
  }
  assert.equal((await introspect(tokens.access_token)).active, true);
});

// The fields of a forged approval for `request`, as another site would post.
function forgedApproval(request, extra = {}) {
  return `<!DOCTYPE html><title>Win a prize</title>
<form id="forged" method="post" action="${escapeHtml(authorizeUrlBase)}">
${hiddenInputs({ ...request.params, action: 'approve', ...extra })}
</form>
<script>document.getElementById('forged').submit();</script>`;
}

test('CSRF: an approval posted by another origin or site is refused with 403', { skip }, async () => {
  newUser('csrf');
  const client = publicClient('CSRF Target App');
  const request = await authorizationRequest(client);
  const { context, page: victim } = await newPage();
  await victim.goto(request.url);
  await signInToConsent(victim, 'csrf@example.com'); // signed in, consent not given

  const attacks = [
    ['same site, another port', attacker.origin, {}],
    ['same site, a guessed token', attacker.origin, { csrf_token: 'A'.repeat(43) }],
    ['another site (localhost)', `http://localhost:${attacker.port}`, {}],
  ];
  for (const [name, origin, extra] of attacks) {
    const path = `/csrf-${attacks.findIndex((a) => a[0] === name)}`;
    attacker.pages.set(path, forgedApproval(request, extra));
    const callbacksBefore = app.callbacks().length;
    const page = await context.newPage();
    const posted = page.waitForResponse(isAuthorize('POST'));
    await page.goto(`${origin}${path}`);
    const response = await posted;
    assert.equal(response.status(), 403, name);
    assert.equal(response.headers().location, undefined, `${name}: no redirect`);
    await page.locator('.message').waitFor();
    assert.match(await page.locator('.message').textContent(), /sent from another site/, name);
    assert.equal(page.url(), authorizeUrlBase, `${name}: the browser stays on Tessera`);
    assert.equal(app.callbacks().length, callbacksBefore, `${name}: the callback received nothing`);
    assert.ok(attacker.received.some((r) => r.path === path), `${name}: the attack page was served`);
    await page.close();
  }

  // Still no consent: the real request shows the consent page, and the user
  // is still signed in.
  const again = await victim.goto(request.url);
  assert.equal(again.status(), 200);
  await victim.getByRole('button', { name: 'Allow' }).waitFor();
  assert.equal(app.callbacks().filter((c) => c.query.state === request.state).length, 0);
  await context.close();
});

// Cookie tossing: a page on the same site (here another port of 127.0.0.1;
// in production a sibling subdomain) plants its own tessera_csrf cookie,
// whose matching token it fetched from Tessera. The token is bound to the
// victim's sign-in cookie as well, which the page cannot know, and the post
// is same-site rather than same-origin: refused.
test('CSRF: a tossed tessera_csrf cookie with its own token is refused', { skip }, async () => {
  newUser('tossed');
  const client = publicClient('Cookie Tossing Target');
  const request = await authorizationRequest(client);
  const { context, page: victim } = await newPage();
  await victim.goto(request.url);
  await signInToConsent(victim, 'tossed@example.com');

  // The attacker gets a valid cookie and token pair of its own.
  const own = await fetch(request.url);
  const planted = /tessera_csrf=([^;]+)/.exec(own.headers.get('set-cookie'))[1];
  const token = /name="csrf_token" value="([^"]+)"/.exec(await own.text())[1];
  attacker.pages.set('/toss', `<!DOCTYPE html><title>Win a prize</title>
<script>document.cookie = 'tessera_csrf=${planted}; path=/oauth/authorize';</script>
${forgedApproval(request, { csrf_token: token }).replace(/^<!DOCTYPE html><title>Win a prize<\/title>/, '')}`);

  const callbacksBefore = app.callbacks().length;
  const page = await context.newPage();
  const posted = page.waitForResponse(isAuthorize('POST'));
  await page.goto(`${attacker.origin}/toss`);
  const response = await posted;
  try {
    assert.equal(response.status(), 403, `the forged approval got ${response.status()} ` +
                                         `Location: ${response.headers().location}`);
    assert.equal(app.callbacks().length, callbacksBefore, 'the callback received nothing');
  } finally {
    await context.close();
  }
});

// A refused POST that arrived without the CSRF cookie (any cross-site form:
// SameSite=Lax keeps the cookies back) must not replace the user's cookie,
// or the consent page the user has open would fail.
test('a refused cross-site post leaves the user\'s open consent page working', { skip }, async () => {
  newUser('nuisance');
  const client = publicClient('Nuisance Target');
  const request = await authorizationRequest(client);
  const { context, page: victim } = await newPage();
  await victim.goto(request.url);
  await signInToConsent(victim, 'nuisance@example.com');
  const csrfBefore = (await cookie(context, 'tessera_csrf')).value;

  attacker.pages.set('/nuisance', forgedApproval(request));
  const page = await context.newPage();
  const posted = page.waitForResponse(isAuthorize('POST'));
  await page.goto(`http://localhost:${attacker.port}/nuisance`);
  assert.equal((await posted).status(), 403);
  await page.close();
  try {
    assert.equal((await cookie(context, 'tessera_csrf')).value, csrfBefore, 'the CSRF cookie was replaced');
    const response = await responseTo(victim, 'POST', () => victim.getByRole('button', { name: 'Allow' }).click());
    assert.equal(response.status(), 303, 'the user\'s own approval still works');
  } finally {
    await context.close();
  }
});

// Heroku spec §6 and §4.2: a client registered on the Heroku API, a code from
// the browser flow (no PKCE, the single registered redirect URI), and the
// real heroku-client 1.11 exchanging it with tokens().create.
test('heroku-client exchanges a code from the browser flow with oauth().tokens().create',
  { skip }, async () => {
    newUser('herokuflow');
    // heroku-client 1.11 reaches another host through its proxy variables
    // (client-behaviour.md); they concern heroku-client only.
    process.env.HEROKU_HTTP_PROXY_HOST = '127.0.0.1';
    process.env.HEROKU_HTTP_PROXY_PORT = String(server.port);
    const heroku = new Heroku({ token: server.token });
    const registered = await heroku.oauth().clients().create({
      name: 'Heroku Flow App', redirect_uri: `${app.origin}/cb` });
    const { context, page } = await newPage();
    const url = new URL(authorizeUrlBase);
    const state = oauth.generateRandomState();
    for (const [key, value] of Object.entries({
      client_id: registered.id, response_type: 'code', scope: 'identity read', state }))
      url.searchParams.set(key, value);
    await page.goto(url.href);
    await signInToConsent(page, 'herokuflow@example.com');
    const callback = await approve(page);
    assert.equal(callback.searchParams.get('state'), state);
    const code = callback.searchParams.get('code');

    // heroku-client built without a token, as an integration's backend would.
    const anonymous = new Heroku({});
    const token = await anonymous.oauth().tokens().create({
      grant: { type: 'authorization_code', code },
      client: { secret: registered.secret },
    });
    assert.match(token.access_token.token, /^tat_/);
    assert.match(token.refresh_token.token, /^trt_/);
    assert.equal(token.access_token.expires_in, 28800);
    assert.equal(token.id, token.access_token.id);
    assert.ok(token.session.id);
    assert.deepEqual(token.grant, { type: 'authorization_code' });
    assert.equal(token.client, null, 'a secret is never echoed');

    // The token works on the API as the user who signed in.
    const asUser = new Heroku({ token: token.access_token.token });
    const account = await asUser.get('/account');
    assert.equal(account.email, 'herokuflow@example.com');

    // A second exchange of the code fails, generically, and revokes the first.
    await assert.rejects(anonymous.oauth().tokens().create({
      grant: { type: 'authorization_code', code }, client: { secret: registered.secret } }),
    (err) => err.statusCode === 401);
    await assert.rejects(asUser.get('/account'), (err) => err.statusCode === 401);
    await context.close();
  });

test('an unregistered redirect_uri or unknown client gets an error page, never a redirect', { skip }, async () => {
  const client = publicClient('Redirect Check App');
  const { context, page } = await newPage();
  const cases = [
    ['another path', { redirect_uri: `${app.origin}/elsewhere` },
     /redirect_uri does not match any redirect URI registered/],
    ['another host', { redirect_uri: 'https://attacker.example/cb' },
     /redirect_uri does not match any redirect URI registered/],
    ['localhost instead of 127.0.0.1', { redirect_uri: `http://localhost:${app.port}/cb` },
     /redirect_uri does not match any redirect URI registered/],
    ['an unknown client', { client_id: randomUUID() }, /not a known client/],
  ];
  for (const [name, overrides, message] of cases) {
    const request = await authorizationRequest(client, overrides);
    const received = app.received.length;
    const response = await page.goto(request.url);
    assert.equal(response.status(), 400, name);
    assert.equal(response.request().redirectedFrom(), null, `${name}: not a redirect`);
    assert.equal(response.headers().location, undefined, name);
    assert.equal(page.url(), request.url, `${name}: still on Tessera`);
    assert.equal(await heading(page), 'This sign-in link is not valid', name);
    assert.match(await page.locator('.message').textContent(), message, name);
    assert.equal(await page.locator('form').count(), 0, `${name}: no form`);
    assert.equal(app.received.length, received, `${name}: the client application received nothing`);
  }
  await context.close();
});

test('framing: the sign-in and consent pages refuse to render in another origin\'s frame', { skip }, async () => {
  newUser('framed');
  const client = publicClient('Framed App');
  const request = await authorizationRequest(client);
  const { context, page } = await newPage();
  attacker.pages.set('/frame', `<!DOCTYPE html><title>Click here</title>
<iframe id="target" src="${escapeHtml(request.url)}" width="600" height="400"></iframe>
<iframe id="control" src="${escapeHtml(app.origin)}/framed" width="200" height="100"></iframe>
<script>
for (const frame of document.querySelectorAll('iframe'))
  frame.addEventListener('load', () => { frame.dataset.loaded = 'yes'; });
</script>`);

  async function framedAuthorize() {
    const seen = [];
    const listener = (response) => { if (isAuthorize('GET')(response)) seen.push(response); };
    page.on('response', listener);
    await page.goto(`${attacker.origin}/frame`);
    await page.locator('#target[data-loaded=yes]').waitFor({ state: 'attached' });
    await page.locator('#control[data-loaded=yes]').waitFor({ state: 'attached' });
    page.off('response', listener);

    // Tessera answered with the page and the headers that forbid framing...
    assert.equal(seen.length, 1, 'the frame requested the authorization endpoint');
    const response = seen[0];
    assert.equal(response.status(), 200);
    const headers = await response.allHeaders();
    assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
    assert.equal(headers['x-frame-options'], 'DENY');

    // ...and chromium did not render it.
    const target = await (await page.$('#target')).contentFrame();
    assert.ok(target, 'the frame exists');
    assert.doesNotMatch(target.url(), /oauth\/authorize/, `the frame shows ${target.url()}`);
    assert.equal(await target.locator('input, button, form').count(), 0, 'no form in the frame');
    assert.doesNotMatch(await target.locator('body').innerText().catch(() => ''), /Sign in|Allow/);

    // The control frame proves frames on that page do render.
    const control = await (await page.$('#control')).contentFrame();
    assert.equal(await control.locator('#landed').textContent(), 'Callback received');
  }

  await framedAuthorize(); // the sign-in page
  // Signed in, the frame would show the consent page: blocked as well.
  const direct = await context.newPage();
  await direct.goto(request.url);
  await signInToConsent(direct, 'framed@example.com');
  await direct.close();
  await framedAuthorize(); // the consent page
  assert.equal(app.callbacks().filter((c) => c.query.state === request.state).length, 0);
  await context.close();
});

test('Sign out on the consent page ends the session and returns to sign-in', { skip }, async () => {
  newUser('signout');
  const client = publicClient('Sign Out App');
  const request = await authorizationRequest(client);
  const { context, page } = await newPage();
  await page.goto(request.url);
  await signInToConsent(page, 'signout@example.com');
  const session = await cookie(context, 'tessera_session');
  assert.ok(session);

  const [signedOut] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${tessera}/oauth/sign-out` && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign out' }).click(),
  ]);
  assert.equal(signedOut.status(), 303);
  assert.match(signedOut.headers().location, /^\/oauth\/authorize\?/);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(await heading(page), 'Sign in');
  assert.match(await page.locator('.lead').textContent(), /Sign Out App/);
  assert.equal(new URL(page.url()).searchParams.get('state'), request.state, 'the request is kept');
  assert.equal(await cookie(context, 'tessera_session'), undefined, 'the session cookie is cleared');

  // The old cookie, replayed, no longer signs anyone in.
  await context.addCookies([session]);
  const replayed = await page.goto(request.url);
  assert.equal(replayed.status(), 200);
  assert.equal(await heading(page), 'Sign in');
  assert.equal(await page.getByRole('button', { name: 'Allow' }).count(), 0);

  // Signing in again continues the same authorization request.
  await signInToConsent(page, 'signout@example.com');
  const callback = await approve(page);
  assert.equal(callback.searchParams.get('state'), request.state);
  assert.match(callback.searchParams.get('code'), /^tac_/);
  await context.close();
});
