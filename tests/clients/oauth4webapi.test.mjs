// Drives the real oauth4webapi 3.x (pinned) against a running Tessera:
// RFC 8414 discovery, the client_credentials grant with client_secret_basic
// and client_secret_post, RFC 7662 introspection and RFC 7009 revocation.
// The authorization code flow needs a browser sign-in, so its oauth4webapi
// coverage (PKCE, the iss response parameter, refresh rotation) lives in
// browser.test.mjs.
// Tessera serves plain HTTP here, so every request passes the library's
// allowInsecureRequests option.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { startTessera } from './server.mjs';

// oauth4webapi expects the WebCrypto global (present from Node 19 on); the
// flows below do not use it, but keep Node 18 working all the same.
if (!globalThis.crypto) globalThis.crypto = webcrypto;
const oauth = await import('oauth4webapi');

let server;
let as;          // processed authorization server metadata
let basic;       // machine client registered with client_secret_basic
let post;        // machine client registered with client_secret_post
const sent = []; // what the library put on the wire, newest last

// Every request goes through here: allows http:// and records the request so
// the tests can check how the library authenticated.
const http = {
  [oauth.allowInsecureRequests]: true,
  [oauth.customFetch]: async (url, init) => {
    sent.push({ url: String(url), method: init.method, headers: new Headers(init.headers),
                body: init.body == null ? null : new URLSearchParams(String(init.body)) });
    return fetch(url, init);
  },
};
const lastSent = () => sent[sent.length - 1];

function createClient(name, authMethod) {
  return server.admin('clients', 'create', '--email', 'owner@example.com', '--name', name,
                      '--grant-type', 'client_credentials', '--scope', 'read', '--scope', 'write',
                      '--auth-method', authMethod);
}

before(async () => {
  server = await startTessera({ issuer: true });
  basic = createClient('machine basic', 'client_secret_basic');
  post = createClient('machine post', 'client_secret_post');
  const issuer = new URL(server.issuer);
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...http });
  as = await oauth.processDiscoveryResponse(issuer, response);
});

after(async () => {
  const code = await server.stop();
  assert.equal(code, 0, 'tessera exits cleanly on SIGTERM');
});

async function getToken(client, auth, parameters = {}) {
  const response = await oauth.clientCredentialsGrantRequest(
    as, { client_id: client.id }, auth, parameters, http);
  return oauth.processClientCredentialsResponse(as, { client_id: client.id }, response);
}

async function introspect(client, auth, token) {
  const response = await oauth.introspectionRequest(as, { client_id: client.id }, auth, token, http);
  return oauth.processIntrospectionResponse(as, { client_id: client.id }, response);
}

test('admin clients create registers machine clients', () => {
  for (const [client, method] of [[basic, 'client_secret_basic'], [post, 'client_secret_post']]) {
    assert.match(client.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(client.secret, /^tcs_/);
    assert.deepEqual(client.grant_types, ['client_credentials']);
    assert.deepEqual(client.scopes, ['read', 'write']);
    assert.deepEqual(client.redirect_uris, []);
    assert.equal(client.token_endpoint_auth_method, method);
    assert.equal(client.account_id, server.user.account_id, 'owned by owner@example.com');
  }
  assert.notEqual(basic.id, post.id);
});

test('discovery (RFC 8414) is accepted and describes the endpoints', () => {
  const base = server.issuer;
  assert.equal(base, `http://127.0.0.1:${server.port}`);
  assert.equal(as.issuer, base);
  assert.equal(as.token_endpoint, `${base}/oauth/token`);
  assert.equal(as.revocation_endpoint, `${base}/oauth/revoke`);
  assert.equal(as.introspection_endpoint, `${base}/oauth/introspect`);
  assert.equal(as.authorization_endpoint, `${base}/oauth/authorize`);
  assert.deepEqual(as.grant_types_supported,
                   ['authorization_code', 'refresh_token', 'client_credentials', 'implicit']);
  assert.deepEqual(as.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'none']);
  // The authorization code flow (driven in a real browser by browser.test.mjs):
  // PKCE with S256 only, and the RFC 9207 iss response parameter. The
  // implicit and hybrid types are listed too, offered per client only
  // (openid_client.test.mjs drives them).
  assert.deepEqual(as.response_types_supported, ['code', 'code id_token', 'code token',
                                                 'code id_token token', 'id_token', 'id_token token',
                                                 'token']);
  assert.deepEqual(as.response_modes_supported, ['query', 'fragment', 'form_post']);
  assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
  assert.equal(as.authorization_response_iss_parameter_supported, true);
  // Public clients may revoke their tokens, but never introspect (RFC 7662 §2.1).
  assert.ok(as.revocation_endpoint_auth_methods_supported.includes('none'));
  assert.ok(!as.introspection_endpoint_auth_methods_supported.includes('none'));
  assert.ok(Array.isArray(as.scopes_supported));
  for (const scope of ['read', 'write']) assert.ok(as.scopes_supported.includes(scope), scope);
  const discovery = sent.find((r) => r.url.endsWith('/.well-known/oauth-authorization-server'));
  assert.ok(discovery, 'the oauth2 algorithm used the RFC 8414 path');
  assert.equal(discovery.url, `${base}/.well-known/oauth-authorization-server`);
});

test('client_credentials with client_secret_basic, then introspect and revoke', async () => {
  const auth = oauth.ClientSecretBasic(basic.secret);
  const before = Math.floor(Date.now() / 1000);
  const token = await getToken(basic, auth, { scope: 'read' });
  const request = lastSent();
  assert.equal(request.url, as.token_endpoint);
  // RFC 6749 2.3.1: id and secret are form-urlencoded before base64; the
  // library escapes even '-' and '_' (%2D, %5F), which the server must undo.
  const [scheme, credentials] = request.headers.get('authorization').split(' ');
  assert.equal(scheme, 'Basic');
  const decoded = Buffer.from(credentials, 'base64').toString();
  assert.match(decoded, /%2D/, 'the uuid client_id arrived escaped');
  const [id, secret] = decoded.split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
  assert.equal(id, basic.id);
  assert.equal(secret, basic.secret);
  assert.equal(request.body.get('client_secret'), null, 'secret only in the header');
  assert.equal(request.body.get('grant_type'), 'client_credentials');

  assert.match(token.access_token, /^tat_/);
  assert.equal(token.token_type, 'bearer'); // the library lowercases "Bearer"
  assert.equal(token.expires_in, 3600);
  assert.equal(token.scope, 'read');
  assert.equal(token.refresh_token, undefined, 'no refresh token for client_credentials');

  const active = await introspect(basic, auth, token.access_token);
  assert.equal(lastSent().url, as.introspection_endpoint);
  assert.equal(active.active, true);
  assert.equal(active.scope, 'read');
  assert.equal(active.client_id, basic.id);
  assert.equal(active.token_type, 'Bearer');
  assert.equal(active.iss, server.issuer);
  assert.equal(active.exp - active.iat, 3600);
  assert.ok(active.iat >= before - 5 && active.iat <= Math.floor(Date.now() / 1000) + 5, 'iat is now');

  const revoked = await oauth.revocationRequest(as, { client_id: basic.id }, auth, token.access_token, http);
  assert.equal(lastSent().url, as.revocation_endpoint);
  assert.equal(lastSent().body.get('token'), token.access_token);
  assert.equal(revoked.status, 200);
  assert.equal(await oauth.processRevocationResponse(revoked), undefined);

  const inactive = await introspect(basic, auth, token.access_token);
  assert.deepEqual({ ...inactive }, { active: false });
});

test('client_credentials with client_secret_post and the default scope', async () => {
  const auth = oauth.ClientSecretPost(post.secret);
  const token = await getToken(post, auth);
  const request = lastSent();
  assert.equal(request.headers.get('authorization'), null, 'no Authorization header');
  assert.equal(request.body.get('client_id'), post.id);
  assert.equal(request.body.get('client_secret'), post.secret);
  assert.match(token.access_token, /^tat_/);
  assert.equal(token.token_type, 'bearer');
  assert.equal(token.expires_in, 3600);
  assert.equal(token.scope, 'read write', 'no scope asked: all the client may have');

  const active = await introspect(post, auth, token.access_token);
  assert.equal(active.active, true);
  assert.equal(active.scope, 'read write');
  assert.equal(active.client_id, post.id);
  assert.equal(active.iss, server.issuer);

  const revoked = await oauth.revocationRequest(as, { client_id: post.id }, auth, token.access_token, http);
  await oauth.processRevocationResponse(revoked);
  assert.equal((await introspect(post, auth, token.access_token)).active, false);
});

test('tokens are distinct per request and revoking one leaves the other active', async () => {
  const auth = oauth.ClientSecretBasic(basic.secret);
  const a = await getToken(basic, auth, { scope: 'write' });
  const b = await getToken(basic, auth, { scope: 'read write' });
  assert.notEqual(a.access_token, b.access_token);
  assert.equal(a.scope, 'write');
  assert.equal(b.scope, 'read write');
  await oauth.processRevocationResponse(
    await oauth.revocationRequest(as, { client_id: basic.id }, auth, a.access_token, http));
  assert.equal((await introspect(basic, auth, a.access_token)).active, false);
  const still = await introspect(basic, auth, b.access_token);
  assert.equal(still.active, true);
  assert.equal(still.scope, 'read write');
});

// How oauth4webapi v3 reports a bad client secret depends on the status the
// server picks. With client_secret_basic, RFC 6749 5.2 requires 401 plus a
// WWW-Authenticate challenge, and the library checks challenges before the
// body, so it throws WWWAuthenticateChallengeError (body left unread on
// err.response). With client_secret_post Tessera answers 400 without a
// challenge, and the library throws ResponseBodyError with .error.
async function assertBasicChallenge(promise) {
  let err;
  await assert.rejects(promise, (e) => { err = e; return true; });
  assert.ok(err instanceof oauth.WWWAuthenticateChallengeError, `got ${err?.name}: ${err?.message}`);
  assert.equal(err.code, oauth.WWW_AUTHENTICATE_CHALLENGE);
  assert.equal(err.status, 401);
  assert.deepEqual(err.cause.map((c) => c.scheme), ['basic'], 'challenge matches the scheme used');
  assert.equal(err.cause[0].parameters.realm, 'tessera');
  const body = await err.response.json();
  assert.equal(body.error, 'invalid_client');
  assert.equal(typeof body.error_description, 'string');
}

test('a wrong secret with client_secret_basic: 401 challenge, body invalid_client', async () => {
  const wrong = oauth.ClientSecretBasic(`${basic.secret}x`);
  await assertBasicChallenge(getToken(basic, wrong, { scope: 'read' }));
  await assertBasicChallenge(introspect(basic, wrong, 'tat_whatever'));
  await assertBasicChallenge((async () => oauth.processRevocationResponse(
    await oauth.revocationRequest(as, { client_id: basic.id }, wrong, 'tat_whatever', http)))());
});

test('a wrong secret with client_secret_post: ResponseBodyError invalid_client', async () => {
  const wrong = oauth.ClientSecretPost('tcs_wrong');
  for (const attempt of [
    () => getToken(post, wrong),
    () => introspect(post, wrong, 'tat_whatever'),
    async () => oauth.processRevocationResponse(
      await oauth.revocationRequest(as, { client_id: post.id }, wrong, 'tat_whatever', http)),
  ]) {
    await assert.rejects(attempt(), (err) => {
      assert.ok(err instanceof oauth.ResponseBodyError, `got ${err?.name}: ${err?.message}`);
      assert.equal(err.code, oauth.RESPONSE_BODY_ERROR);
      assert.equal(err.error, 'invalid_client');
      assert.equal(err.cause.error, 'invalid_client');
      assert.equal(err.status, 400, 'no Authorization header was used, so 400 (RFC 6749 5.2)');
      assert.equal(typeof err.error_description, 'string');
      return true;
    });
  }
});

test('a scope outside the client\'s registration is invalid_scope', async () => {
  await assert.rejects(getToken(basic, oauth.ClientSecretBasic(basic.secret), { scope: 'global' }),
    (err) => {
      assert.ok(err instanceof oauth.ResponseBodyError, `got ${err?.name}: ${err?.message}`);
      assert.equal(err.error, 'invalid_scope');
      assert.equal(err.status, 400);
      return true;
    });
});

test('introspecting an unknown token is inactive, revoking it is still 200', async () => {
  const auth = oauth.ClientSecretBasic(basic.secret);
  assert.deepEqual({ ...(await introspect(basic, auth, 'tat_not-a-real-token')) }, { active: false });
  const revoked = await oauth.revocationRequest(as, { client_id: basic.id }, auth, 'tat_not-a-real-token', http);
  assert.equal(revoked.status, 200);
  assert.equal(await oauth.processRevocationResponse(revoked), undefined);
});
