// The Cloudflare API v4 surface (spec/cloudflare-oauth-clients.md) driven by
// the real `cloudflare` TypeScript SDK 7.3.0 against `tessera serve`:
//   - every client.iam.oauthClients method and client.iam.oauthScopes.list(),
//     with the returned objects checked against spec §3 and §4.4;
//   - the SDK's error classes for 400, 401, 403, 404 and 409, and that a 409
//     is not retried (every request the SDK sends goes through a recording
//     `fetch`, so the requests are counted as sent);
//   - bearer token, global API key, and both at once (bearer decides);
//   - secret rotation end to end: a confidential client_secret_post client
//     gets a code through the real sign-in and consent pages in Debian's
//     chromium (playwright-core), redeems it at /oauth/token, and both
//     secrets work until the rotated one is deleted.
//
// Chromium is required for the last two tests unless TESSERA_SKIP_BROWSER=1
// (then they are skipped with a message); TESSERA_CHROMIUM names another
// binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startSite } from './site.mjs';
import Cloudflare from 'cloudflare';
import { startTessera } from './server.mjs';
import { launchChromium, skipBrowser } from './chromium.mjs';

if (skipBrowser) console.log(`Cloudflare SDK browser tests skipped: ${skipBrowser}`);

const OWNER = 'cf-owner@example.com';
const PASSWORD = 'correct horse battery';
const HEX32 = /^[0-9a-f]{32}$/;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

// Spec §3: the client object's fields, in their order.
const FIELD_ORDER = [
  'client_id', 'visibility', 'client_name', 'client_uri', 'client_uri_verification', 'logo_uri',
  'policy_uri', 'tos_uri', 'redirect_uris', 'post_logout_redirect_uris', 'allowed_cors_origins',
  'grant_types', 'response_types', 'scopes', 'optional_scopes', 'token_endpoint_auth_method',
  'has_rotated_secret', 'promoted_at', 'created_at', 'updated_at', 'client_secret',
];
const ARRAY_FIELDS = ['redirect_uris', 'post_logout_redirect_uris', 'allowed_cors_origins',
                      'grant_types', 'response_types', 'scopes', 'optional_scopes'];

let server;
let baseURL;
let acme;          // an account owned by OWNER: { id, ... }
let personal;      // OWNER's personal account id
let ownerToken;    // OWNER's API token (a Tessera authorization)
let ownerKey;      // OWNER's global API key
let reader;        // { email, token }: member of acme with "OAuth Client Read"
let writer;        // { email, token }: member of acme with "OAuth Client Write"
let administrator; // { email, token }: member of acme with "Administrator"
let outsider;      // { email, token, account }: a member of no account but their own

// A Cloudflare SDK pointed at Tessera. Credentials from the environment are
// switched off so that only `credentials` count; `sent` records every
// request the SDK hands to fetch (method, URL, headers), retries included.
function sdk(credentials, options = {}) {
  const sent = [];
  const cf = new Cloudflare({
    baseURL,
    apiToken: null,
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    timeout: 15000,
    ...credentials,
    ...options,
    fetch: (url, init = {}) => {
      sent.push({ method: init.method ?? 'GET', url: String(url), headers: new Headers(init.headers) });
      return fetch(url, init);
    },
  });
  return { cf, sent };
}

const asOwner = () => sdk({ apiToken: ownerToken }).cf;

// A valid create body for acme; `overrides` replace fields (undefined drops one).
function clientBody(overrides = {}) {
  const body = {
    account_id: acme.id,
    client_name: 'SDK Test App',
    grant_types: ['authorization_code', 'refresh_token'],
    redirect_uris: ['https://app.example.com/callback'],
    response_types: ['code'],
    scopes: ['account.read'],
    token_endpoint_auth_method: 'client_secret_post',
    ...overrides,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body;
}

// Spec §3: the shape every returned client object has.
function assertClientObject(client, { secret = false } = {}) {
  assert.equal(typeof client, 'object');
  assert.ok(client !== null, 'a client object, not null');
  assert.match(client.client_id, HEX32, 'client_id is 32 lowercase hex');
  assert.ok(['private', 'public'].includes(client.visibility), `visibility ${client.visibility}`);
  assert.equal(typeof client.client_name, 'string');
  for (const field of ARRAY_FIELDS) {
    assert.ok(Array.isArray(client[field]), `${field} is always an array`);
    for (const item of client[field]) assert.equal(typeof item, 'string', `${field} holds strings`);
  }
  assert.ok(['none', 'client_secret_basic', 'client_secret_post'].includes(client.token_endpoint_auth_method));
  assert.equal(typeof client.has_rotated_secret, 'boolean', 'has_rotated_secret is always emitted');
  assert.match(client.created_at, RFC3339_UTC);
  assert.match(client.updated_at, RFC3339_UTC);
  assert.ok(Date.parse(client.updated_at) >= Date.parse(client.created_at), 'updated_at >= created_at');
  for (const [key, value] of Object.entries(client))
    assert.notEqual(value, null, `${key}: unset optional fields are omitted, never null`);
  const keys = Object.keys(client);
  for (const key of keys) assert.ok(FIELD_ORDER.includes(key), `unexpected field ${key}`);
  assert.deepEqual(keys, FIELD_ORDER.filter((k) => keys.includes(k)), 'fields in the order of spec §3');
  assert.equal('client_uri_verification' in client, 'client_uri' in client,
               'client_uri_verification is present iff client_uri is');
  if (client.visibility === 'private') assert.equal(client.promoted_at, undefined, 'no promoted_at while private');
  if (secret) {
    assert.equal(typeof client.client_secret, 'string', 'create returns client_secret');
    assert.ok(client.client_secret.length >= 32, 'a 256-bit secret is at least 32 characters');
  } else {
    assert.equal('client_secret' in client, false, 'no client_secret outside the create response');
  }
}

function withoutSecret(client) {
  const { client_secret: _secret, ...rest } = client;
  return rest;
}

// Spec §1.5 and §7: the SDK error class, the status and the v4 envelope.
function apiError(ErrorClass, status, check) {
  return (err) => {
    assert.ok(err instanceof ErrorClass,
              `expected ${ErrorClass.name}, got ${err?.constructor?.name}: ${err?.message}`);
    assert.equal(err.status, status);
    assert.equal(err.error?.success, false, 'success:false');
    assert.equal(err.error?.result, null, 'result:null');
    assert.deepEqual(err.error?.messages, [], 'messages:[]');
    assert.ok(Array.isArray(err.errors) && err.errors.length >= 1, 'at least one error');
    for (const e of err.errors) {
      assert.ok(Number.isInteger(e.code) && e.code >= 1000, `code ${e.code}`);
      assert.equal(typeof e.message, 'string');
    }
    check?.(err);
    return true;
  };
}

const authenticationError = (err) => {
  assert.equal(err.errors[0].code, 10000);
  assert.equal(err.errors[0].message, 'Authentication error');
};

function rejectsBadRequest(promise, code, pointer, message) {
  return assert.rejects(promise, apiError(Cloudflare.BadRequestError, 400, (err) => {
    const found = err.errors.find((e) => e.source?.pointer === pointer);
    assert.ok(found, `${message}: an error points at ${pointer}; got ${JSON.stringify(err.errors)}`);
    if (code !== undefined) assert.equal(found.code, code, `${message}: code`);
    assert.equal(err.errors[0].source?.pointer, pointer, `${message}: errors[0] points at ${pointer}`);
  }), message);
}

function member(local, role) {
  const email = `${local}@example.com`;
  server.admin('users', 'create', '--email', email, '--password', PASSWORD);
  if (role) server.admin('accounts', 'add-member', acme.id, email, '--role', role);
  const token = server.admin('authorizations', 'create', '--email', email, '--description', 'sdk tests')
    .access_token.token;
  return { email, token };
}

before(async () => {
  server = await startTessera({ email: OWNER, issuer: true });
  baseURL = `${server.issuer}/client/v4`;
  ownerToken = server.token;
  personal = server.user.account_id;
  acme = server.admin('accounts', 'create', 'Acme', '--owner', OWNER);
  ownerKey = server.admin('users', 'api-key', OWNER).api_key;
  reader = member('cf-reader', 'OAuth Client Read');
  writer = member('cf-writer', 'OAuth Client Write');
  administrator = member('cf-admin', 'Administrator');
  outsider = member('cf-outsider');
  outsider.account = server.admin('accounts', 'create', 'Elsewhere', '--owner', outsider.email).id;
});

after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'tessera exits cleanly on SIGTERM');
});

test('fixtures: accounts are 32 hex, the SDK sends its usual headers', async () => {
  assert.match(acme.id, HEX32);
  assert.match(personal, HEX32);
  const { cf, sent } = sdk({ apiToken: ownerToken });
  await cf.iam.oauthClients.list({ account_id: acme.id });
  assert.equal(sent.length, 1);
  assert.equal(sent[0].method, 'GET');
  assert.equal(sent[0].url, `${baseURL}/accounts/${acme.id}/oauth_clients`, 'no page parameters');
  assert.equal(sent[0].headers.get('authorization'), `Bearer ${ownerToken}`);
  assert.equal(sent[0].headers.get('user-agent'), 'Cloudflare/JS 7.3.0');
  assert.match(sent[0].headers.get('api-version'), /^\d{4}-\d{2}-\d{2}$/);
});

test('oauthScopes.list: the catalog of dotted scopes, for any caller', async () => {
  for (const credentials of [{ apiToken: ownerToken }, { apiEmail: OWNER, apiKey: ownerKey },
                             { apiToken: reader.token }, { apiToken: outsider.token }]) {
    const { cf, sent } = sdk(credentials);
    const page = await cf.iam.oauthScopes.list();
    assert.equal(sent.length, 1);
    assert.equal(sent[0].url, `${baseURL}/oauth/scopes`, 'not account-scoped');
    assert.ok(Array.isArray(page.result));
    assert.equal(page.hasNextPage(), false, 'a single page');
    const scopes = [];
    for await (const scope of cf.iam.oauthScopes.list()) scopes.push(scope);
    assert.deepEqual(scopes, page.result);
    assert.ok(scopes.length > 0);
    for (const scope of scopes) {
      assert.equal(typeof scope.id, 'string');
      assert.ok(scope.id.includes('.'), `${scope.id}: Cloudflare-style ids only`);
      assert.equal(typeof scope.name, 'string');
      if ('category' in scope) assert.equal(typeof scope.category, 'string');
      if ('scopes' in scope) assert.ok(Array.isArray(scope.scopes));
    }
    const ids = scopes.map((s) => s.id);
    for (const heroku of ['global', 'identity', 'read', 'write', 'openid', 'offline_access'])
      assert.ok(!ids.includes(heroku), `${heroku} is not listed`);
    assert.ok(ids.includes('account.read'));
    assert.deepEqual(scopes.find((s) => s.id === 'user-details.read'),
                     { id: 'user-details.read', name: 'User Details Read', category: 'account_and_billing',
                       scopes: ['user.details.read'] });
  }
  await assert.rejects(sdk({}).cf.iam.oauthScopes.list(),
                       apiError(Cloudflare.AuthenticationError, 401, authenticationError));
});

test('create: the client object, a secret only for confidential clients', async () => {
  const cf = asOwner();
  const confidential = await cf.iam.oauthClients.create(clientBody({ client_name: 'Confidential' }));
  assertClientObject(confidential, { secret: true });
  assert.equal(confidential.visibility, 'private', 'new clients are private');
  assert.equal(confidential.has_rotated_secret, false);
  assert.equal(confidential.client_name, 'Confidential');
  assert.deepEqual(confidential.redirect_uris, ['https://app.example.com/callback']);
  assert.deepEqual(confidential.grant_types, ['authorization_code', 'refresh_token']);
  assert.deepEqual(confidential.response_types, ['code']);
  assert.deepEqual(confidential.scopes, ['account.read', 'offline_access'], 'offline_access added for refresh_token');
  assert.deepEqual(confidential.optional_scopes, []);
  assert.deepEqual(confidential.post_logout_redirect_uris, []);
  assert.deepEqual(confidential.allowed_cors_origins, []);
  assert.equal(confidential.token_endpoint_auth_method, 'client_secret_post');
  for (const absent of ['client_uri', 'client_uri_verification', 'logo_uri', 'policy_uri', 'tos_uri', 'promoted_at'])
    assert.equal(absent in confidential, false, `${absent} omitted when unset`);

  const basic = await cf.iam.oauthClients.create(clientBody({ token_endpoint_auth_method: 'client_secret_basic' }));
  assertClientObject(basic, { secret: true });
  assert.notEqual(basic.client_secret, confidential.client_secret);
  assert.notEqual(basic.client_id, confidential.client_id);

  const pkce = await cf.iam.oauthClients.create(clientBody({
    client_name: 'Public PKCE', token_endpoint_auth_method: 'none', grant_types: ['authorization_code'],
    scopes: ['account.read', 'offline_access'], redirect_uris: ['http://127.0.0.1:8976/cb', 'com.example.app:/cb'],
  }));
  assertClientObject(pkce);
  assert.equal('client_secret' in pkce, false, 'no secret for token_endpoint_auth_method none');
  assert.equal(pkce.token_endpoint_auth_method, 'none');
  assert.deepEqual(pkce.scopes, ['account.read'], 'offline_access removed without refresh_token');

  // Every optional field, visibility private accepted as a no-op, unknown fields ignored.
  const full = await cf.iam.oauthClients.create(clientBody({
    client_name: '  Full Metadata  ',
    client_uri: 'https://app.example.com/home',
    logo_uri: 'https://app.example.com/logo.png',
    policy_uri: 'https://app.example.com/privacy',
    tos_uri: 'https://app.example.com/terms',
    post_logout_redirect_uris: ['https://app.example.com/bye'],
    allowed_cors_origins: ['https://app.example.com', 'http://localhost:3000'],
    response_types: ['code', 'id_token'],
    scopes: ['offline_access', 'account.read', 'user-details.read', 'account.read'],
    optional_scopes: ['user-details.read'],
    visibility: 'private',
    some_future_field: { nested: true },
  }));
  assertClientObject(full, { secret: true });
  assert.equal(full.visibility, 'private');
  assert.equal(full.client_uri, 'https://app.example.com/home');
  assert.ok(['pending', 'in_progress'].includes(full.client_uri_verification.status),
            `a new verification is pending, got ${full.client_uri_verification.status}`);
  assert.match(full.client_uri_verification.text, /^cloudflare_oauth_client_publisher=[0-9a-f]{32}$/);
  assert.equal(full.logo_uri, 'https://app.example.com/logo.png');
  assert.equal(full.policy_uri, 'https://app.example.com/privacy');
  assert.equal(full.tos_uri, 'https://app.example.com/terms');
  assert.deepEqual(full.post_logout_redirect_uris, ['https://app.example.com/bye']);
  assert.deepEqual(full.allowed_cors_origins, ['https://app.example.com', 'http://localhost:3000']);
  assert.deepEqual(full.response_types, ['code', 'id_token']);
  assert.deepEqual(full.scopes.slice(0, 2), ['account.read', 'user-details.read'], 'duplicates removed, order kept');
  assert.deepEqual(new Set(full.scopes.slice(2)), new Set(['offline_access', 'openid']),
                   'protocol scopes appended last: offline_access (refresh_token), openid (id_token)');
  assert.deepEqual(full.optional_scopes, ['user-details.read']);
  assert.equal('some_future_field' in full, false);

  const oidc = await cf.iam.oauthClients.create(clientBody({
    grant_types: ['authorization_code', 'authorization_code'], response_types: ['code', 'id_token'],
    scopes: ['user-details.read'],
  }));
  assert.deepEqual(oidc.grant_types, ['authorization_code'], 'duplicate grant types removed');
  assert.deepEqual(oidc.scopes, ['user-details.read', 'openid'], 'openid added for id_token');
});

test('list: every client of the account, oldest first, no secrets; get: one client', async () => {
  const cf = asOwner();
  const account = server.admin('accounts', 'create', 'Ordering', '--owner', OWNER).id;
  const empty = await cf.iam.oauthClients.list({ account_id: account });
  assert.deepEqual(empty.result, [], 'a new account has no clients');

  const created = [];
  for (const name of ['first', 'second', 'third', 'fourth'])
    created.push(await cf.iam.oauthClients.create(clientBody({ account_id: account, client_name: name })));
  const page = await cf.iam.oauthClients.list({ account_id: account });
  assert.ok(Array.isArray(page.result));
  assert.equal(page.hasNextPage(), false);
  const byId = (a, b) => a.client_id.localeCompare(b.client_id);
  assert.deepEqual([...page.result].sort(byId), created.map(withoutSecret).sort(byId),
                   'list shows what create returned, minus the secret');
  for (const client of page.result) assertClientObject(client);
  const iterated = [];
  for await (const client of cf.iam.oauthClients.list({ account_id: account })) iterated.push(client.client_id);
  assert.deepEqual(iterated, page.result.map((c) => c.client_id), 'for await yields the same items');

  // Other accounts' clients are not listed.
  const acmeIds = (await cf.iam.oauthClients.list({ account_id: acme.id })).result.map((c) => c.client_id);
  for (const client of created) assert.ok(!acmeIds.includes(client.client_id));

  const got = await cf.iam.oauthClients.get(created[1].client_id, { account_id: account });
  assertClientObject(got);
  assert.deepEqual(got, withoutSecret(created[1]));
  // Uppercase hex in the path is accepted (spec §1.7).
  const upper = await cf.iam.oauthClients.get(created[1].client_id.toUpperCase(), { account_id: account });
  assert.equal(upper.client_id, created[1].client_id);

  // The members with a reading role see the same list.
  const readers = [reader, administrator].map((m) => sdk({ apiToken: m.token }).cf);
  const acmeList = (await cf.iam.oauthClients.list({ account_id: acme.id })).result;
  for (const other of readers)
    assert.deepEqual((await other.iam.oauthClients.list({ account_id: acme.id })).result, acmeList);

  // Spec §2.2: oldest first. The four clients were made one after the other,
  // most likely within the same second.
  assert.deepEqual(page.result.map((c) => c.client_name), ['first', 'second', 'third', 'fourth'], 'oldest first');
});

test('update: PATCH semantics, arrays replace, null clears, protocol scopes follow grant and response types', async () => {
  const cf = asOwner();
  const created = await cf.iam.oauthClients.create(clientBody({
    client_name: 'Before', logo_uri: 'https://app.example.com/logo.png',
    scopes: ['account.read', 'user-details.read'], optional_scopes: ['user-details.read'],
  }));
  const id = created.client_id;
  const params = (body) => ({ account_id: acme.id, ...body });
  const same = (a, b, message) => {
    const { updated_at: _a, ...restA } = a;
    const { updated_at: _b, ...restB } = b;
    assert.deepEqual(restA, restB, message);
  };

  const renamed = await cf.iam.oauthClients.update(id, params({ client_name: 'After' }));
  assertClientObject(renamed);
  assert.equal(renamed.client_name, 'After');
  same({ ...withoutSecret(created), client_name: 'After' }, renamed, 'only client_name changed');
  assert.ok(Date.parse(renamed.updated_at) >= Date.parse(created.updated_at));

  const noop = await cf.iam.oauthClients.update(id, params({}));
  same(noop, renamed, 'an empty PATCH changes nothing');
  assert.deepEqual(await cf.iam.oauthClients.get(id, { account_id: acme.id }), noop, 'get agrees');

  const uris = await cf.iam.oauthClients.update(id, params({
    redirect_uris: ['https://app.example.com/a', 'https://app.example.com/b'],
  }));
  assert.deepEqual(uris.redirect_uris, ['https://app.example.com/a', 'https://app.example.com/b'],
                   'arrays replace, they do not merge');

  const cleared = await cf.iam.oauthClients.update(id, params({ logo_uri: null, policy_uri: 'https://app.example.com/p' }));
  assert.equal('logo_uri' in cleared, false, 'null clears an optional string');
  assert.equal(cleared.policy_uri, 'https://app.example.com/p');
  assertClientObject(cleared);

  // Removing refresh_token drops offline_access; adding it back appends it.
  const noRefresh = await cf.iam.oauthClients.update(id, params({ grant_types: ['authorization_code'] }));
  assert.deepEqual(noRefresh.scopes, ['account.read', 'user-details.read']);
  const refresh = await cf.iam.oauthClients.update(id, params({ grant_types: ['authorization_code', 'refresh_token'] }));
  assert.deepEqual(refresh.scopes, ['account.read', 'user-details.read', 'offline_access']);
  const idToken = await cf.iam.oauthClients.update(id, params({ response_types: ['code'], grant_types: ['authorization_code'],
                                                                 scopes: ['account.read', 'user-details.read', 'openid'] }));
  assert.deepEqual(idToken.scopes, ['account.read', 'user-details.read'], 'openid removed without id_token');

  // Changing scopes re-checks optional_scopes against the result.
  await rejectsBadRequest(cf.iam.oauthClients.update(id, params({ scopes: ['account.read'] })),
                          undefined, '/optional_scopes/0', 'an optional scope that is no longer a scope');
  const narrowed = await cf.iam.oauthClients.update(id, params({ scopes: ['account.read'], optional_scopes: [] }));
  assert.deepEqual(narrowed.scopes, ['account.read']);
  assert.deepEqual(narrowed.optional_scopes, []);

  // client_uri: a new path on the same host keeps the verification text, a
  // new host starts a new one, null removes both while private.
  const withUri = await cf.iam.oauthClients.update(id, params({ client_uri: 'https://app.example.com/' }));
  const text = withUri.client_uri_verification.text;
  assert.match(text, /^cloudflare_oauth_client_publisher=[0-9a-f]{32}$/);
  const newPath = await cf.iam.oauthClients.update(id, params({ client_uri: 'https://app.example.com/about' }));
  assert.equal(newPath.client_uri, 'https://app.example.com/about');
  assert.equal(newPath.client_uri_verification.text, text, 'same host, same TXT record');
  const newHost = await cf.iam.oauthClients.update(id, params({ client_uri: 'https://other.example.com/' }));
  assert.notEqual(newHost.client_uri_verification.text, text, 'a new host gets a new token');
  const noUri = await cf.iam.oauthClients.update(id, params({ client_uri: null }));
  assert.equal('client_uri' in noUri, false);
  assert.equal('client_uri_verification' in noUri, false);
  assertClientObject(noUri);

  // Visibility: private cannot be requested, public needs the preconditions.
  await rejectsBadRequest(cf.iam.oauthClients.update(id, params({ visibility: 'private' })),
                          undefined, '/visibility', 'demotion is unsupported');
  await assert.rejects(cf.iam.oauthClients.update(id, params({ visibility: 'public' })),
                       apiError(Cloudflare.BadRequestError, 400, (err) => {
                         assert.ok(err.errors.length >= 2, 'one error per unmet precondition (logo, verified domain)');
                         for (const e of err.errors) assert.equal(e.code, 1005);
                       }));
  const current = await cf.iam.oauthClients.get(id, { account_id: acme.id });
  assert.equal(current.visibility, 'private');
  assert.equal(current.client_name, 'After');

  // The writer role may update; the reader may not.
  const byWriter = await sdk({ apiToken: writer.token }).cf.iam.oauthClients.update(id, params({ client_name: 'By writer' }));
  assert.equal(byWriter.client_name, 'By writer');
  await assert.rejects(sdk({ apiToken: reader.token }).cf.iam.oauthClients.update(id, params({ client_name: 'By reader' })),
                       apiError(Cloudflare.PermissionDeniedError, 403, authenticationError));
});

test('delete: the client is gone; its id comes back', async () => {
  const cf = asOwner();
  const created = await cf.iam.oauthClients.create(clientBody({ client_name: 'Short lived' }));
  const { cf: counted, sent } = sdk({ apiToken: ownerToken });
  const deleted = await counted.iam.oauthClients.delete(created.client_id, { account_id: acme.id });
  assert.deepEqual(deleted, { id: created.client_id });
  assert.equal(sent.length, 1);
  assert.equal(sent[0].method, 'DELETE');
  await assert.rejects(cf.iam.oauthClients.get(created.client_id, { account_id: acme.id }),
                       apiError(Cloudflare.NotFoundError, 404));
  const ids = (await cf.iam.oauthClients.list({ account_id: acme.id })).result.map((c) => c.client_id);
  assert.ok(!ids.includes(created.client_id));
  await assert.rejects(cf.iam.oauthClients.delete(created.client_id, { account_id: acme.id }),
                       apiError(Cloudflare.NotFoundError, 404), 'deleting twice');
});

test('rotateSecret and deleteRotatedSecret: has_rotated_secret transitions, 409 not retried, 404 and 400', async () => {
  const cf = asOwner();
  const created = await cf.iam.oauthClients.create(clientBody({ client_name: 'Rotating' }));
  const id = created.client_id;
  const account = { account_id: acme.id };

  const { cf: counted, sent } = sdk({ apiToken: ownerToken }); // default maxRetries (2)
  const rotated = await counted.iam.oauthClients.rotateSecret(id, account);
  assert.deepEqual(Object.keys(rotated), ['client_secret']);
  assert.equal(typeof rotated.client_secret, 'string');
  assert.ok(rotated.client_secret.length >= 32);
  assert.notEqual(rotated.client_secret, created.client_secret);
  assert.equal(sent[0].method, 'POST');
  assert.equal(sent[0].url, `${baseURL}/accounts/${acme.id}/oauth_clients/${id}/rotate_secret`);
  const during = await cf.iam.oauthClients.get(id, account);
  assert.equal(during.has_rotated_secret, true, 'true after a rotation');
  assertClientObject(during);
  assert.equal((await cf.iam.oauthClients.list(account)).result.find((c) => c.client_id === id).has_rotated_secret,
               true, 'list agrees');

  // Rotating again: 409, code 1409, x-should-retry: false, one request only.
  const sentBefore = sent.length;
  await assert.rejects(counted.iam.oauthClients.rotateSecret(id, account),
                       apiError(Cloudflare.ConflictError, 409, (err) => {
                         assert.equal(err.errors[0].code, 1409);
                         assert.equal(err.headers.get('x-should-retry'), 'false');
                       }));
  assert.equal(sent.length - sentBefore, 1, 'the SDK sent the conflicting rotation once, no retries');
  assert.equal(sent.at(-1).headers.get('x-stainless-retry-count'), '0');

  const dropped = await counted.iam.oauthClients.deleteRotatedSecret(id, account);
  assert.deepEqual(dropped, { id });
  assert.equal(sent.at(-1).method, 'DELETE');
  assert.equal(sent.at(-1).url, `${baseURL}/accounts/${acme.id}/oauth_clients/${id}/rotate_secret`);
  assert.equal((await cf.iam.oauthClients.get(id, account)).has_rotated_secret, false, 'false after the delete');

  await assert.rejects(cf.iam.oauthClients.deleteRotatedSecret(id, account),
                       apiError(Cloudflare.NotFoundError, 404, (err) => assert.equal(err.errors[0].code, 1404)),
                       'no rotated secret to delete');

  // Rotating is possible again once the old secret is gone.
  const again = await cf.iam.oauthClients.rotateSecret(id, account);
  assert.notEqual(again.client_secret, rotated.client_secret);
  assert.equal((await cf.iam.oauthClients.get(id, account)).has_rotated_secret, true);

  // A client without secrets has nothing to rotate.
  const pkce = await cf.iam.oauthClients.create(clientBody({ token_endpoint_auth_method: 'none' }));
  await assert.rejects(cf.iam.oauthClients.rotateSecret(pkce.client_id, account),
                       apiError(Cloudflare.BadRequestError, 400, (err) => assert.equal(err.errors[0].code, 1400)));
  assert.equal((await cf.iam.oauthClients.get(pkce.client_id, account)).has_rotated_secret, false);

  // Reading members may not rotate.
  await assert.rejects(sdk({ apiToken: reader.token }).cf.iam.oauthClients.rotateSecret(id, account),
                       apiError(Cloudflare.PermissionDeniedError, 403));
  await assert.rejects(sdk({ apiToken: reader.token }).cf.iam.oauthClients.deleteRotatedSecret(id, account),
                       apiError(Cloudflare.PermissionDeniedError, 403));
});

test('AuthenticationError: no or bad credentials, checked before the path ids', async () => {
  const unknownAccount = randomBytes(16).toString('hex');
  const cases = [
    ['no credentials', {}],
    ['an unknown bearer token', { apiToken: 'HRKU-not-a-real-token-at-all' }],
    ['a wrong API key', { apiEmail: OWNER, apiKey: `${ownerKey.slice(0, -4)}AAAA` }],
    ['the right API key with another email', { apiEmail: reader.email, apiKey: ownerKey }],
    ['an unknown email', { apiEmail: 'nobody@example.com', apiKey: ownerKey }],
  ];
  for (const [name, credentials] of cases) {
    const { cf, sent } = sdk(credentials);
    for (const account of [acme.id, unknownAccount, 'not-an-account']) {
      await assert.rejects(cf.iam.oauthClients.list({ account_id: account }),
                           apiError(Cloudflare.AuthenticationError, 401, authenticationError), `${name}: ${account}`);
    }
    await assert.rejects(cf.iam.oauthClients.create(clientBody()),
                         apiError(Cloudflare.AuthenticationError, 401, authenticationError), `${name}: create`);
    if (name === 'no credentials') {
      for (const h of ['authorization', 'x-auth-email', 'x-auth-key'])
        assert.equal(sent[0].headers.get(h), null, `the SDK sent no ${h}`);
    }
  }
  // A user service key is refused (spec §1.3).
  await assert.rejects(sdk({ userServiceKey: 'v1.0-service-key' }).cf.iam.oauthClients.list({ account_id: acme.id }),
                       apiError(Cloudflare.PermissionDeniedError, 403, authenticationError));
});

test('PermissionDeniedError: a read-only member cannot write; writers and administrators can', async () => {
  const cf = asOwner();
  const count = async () => (await cf.iam.oauthClients.list({ account_id: acme.id })).result.length;
  const clientsBefore = await count();
  const readerSdk = sdk({ apiToken: reader.token }).cf;
  await assert.rejects(readerSdk.iam.oauthClients.create(clientBody({ client_name: 'By reader' })),
                       apiError(Cloudflare.PermissionDeniedError, 403, authenticationError));
  assert.equal(await count(), clientsBefore, 'nothing was created');
  const existing = await cf.iam.oauthClients.create(clientBody({ client_name: 'Target' }));
  await assert.rejects(readerSdk.iam.oauthClients.delete(existing.client_id, { account_id: acme.id }),
                       apiError(Cloudflare.PermissionDeniedError, 403));
  // The reader may read.
  assert.deepEqual(await readerSdk.iam.oauthClients.get(existing.client_id, { account_id: acme.id }),
                   withoutSecret(existing));

  for (const who of [writer, administrator]) {
    const other = sdk({ apiToken: who.token }).cf;
    const made = await other.iam.oauthClients.create(clientBody({ client_name: `By ${who.email}` }));
    assertClientObject(made, { secret: true });
    assert.deepEqual(await other.iam.oauthClients.delete(made.client_id, { account_id: acme.id }), { id: made.client_id });
  }
});

test('NotFoundError: other accounts, unknown clients, no hint that an account exists', async () => {
  const cf = asOwner();
  const client = await cf.iam.oauthClients.create(clientBody({ client_name: 'Acme only' }));
  const unknownClient = randomBytes(16).toString('hex');
  const unknownAccount = randomBytes(16).toString('hex');
  const notFound = apiError(Cloudflare.NotFoundError, 404, (err) => assert.equal(err.errors[0].code, 7003));

  // Acme's client through another account of the same caller.
  await assert.rejects(cf.iam.oauthClients.get(client.client_id, { account_id: personal }), notFound);
  await assert.rejects(cf.iam.oauthClients.update(client.client_id, { account_id: personal, client_name: 'x' }), notFound);
  await assert.rejects(cf.iam.oauthClients.delete(client.client_id, { account_id: personal }), notFound);
  await assert.rejects(cf.iam.oauthClients.rotateSecret(client.client_id, { account_id: personal }), notFound);
  await assert.rejects(cf.iam.oauthClients.deleteRotatedSecret(client.client_id, { account_id: personal }), notFound);
  // Unknown or malformed client ids in acme.
  for (const id of [unknownClient, 'not-a-client-id']) {
    await assert.rejects(cf.iam.oauthClients.get(id, { account_id: acme.id }), notFound, id);
    await assert.rejects(cf.iam.oauthClients.update(id, { account_id: acme.id, client_name: 'x' }), notFound, id);
    await assert.rejects(cf.iam.oauthClients.delete(id, { account_id: acme.id }), notFound, id);
    await assert.rejects(cf.iam.oauthClients.rotateSecret(id, { account_id: acme.id }), notFound, id);
  }
  await assert.rejects(cf.iam.oauthClients.list({ account_id: unknownAccount }), notFound);

  // An outsider: acme looks exactly like an account that does not exist.
  const outsiderSdk = sdk({ apiToken: outsider.token }).cf;
  const bodies = [];
  for (const account of [acme.id, unknownAccount]) {
    await assert.rejects(outsiderSdk.iam.oauthClients.list({ account_id: account }), (err) => {
      notFound(err);
      bodies.push(JSON.stringify(err.error).replaceAll(account, '<account>'));
      return true;
    });
  }
  assert.equal(bodies[0], bodies[1], 'the same answer for a foreign and a missing account');
  await assert.rejects(outsiderSdk.iam.oauthClients.get(client.client_id, { account_id: acme.id }), notFound);
  await assert.rejects(outsiderSdk.iam.oauthClients.create(clientBody()), notFound);
  await assert.rejects(outsiderSdk.iam.oauthClients.get(client.client_id, { account_id: outsider.account }), notFound,
                       'acme\'s client through the outsider\'s own account');
  // The client is untouched.
  assert.deepEqual(await cf.iam.oauthClients.get(client.client_id, { account_id: acme.id }), withoutSecret(client));
});

test('BadRequestError: invalid metadata, with codes and source pointers', async () => {
  const cf = asOwner();
  const count = async () => (await cf.iam.oauthClients.list({ account_id: acme.id })).result.length;
  const clientsBefore = await count();
  const create = (overrides) => cf.iam.oauthClients.create(clientBody(overrides));

  await rejectsBadRequest(create({ redirect_uris: ['http://app.example.com/cb'] }), 1003, '/redirect_uris/0',
                          'http for a non-loopback host');
  await rejectsBadRequest(create({ redirect_uris: ['https://app.example.com/ok', 'https://app.example.com/cb#frag'] }),
                          1003, '/redirect_uris/1', 'a fragment');
  await rejectsBadRequest(create({ redirect_uris: ['/relative'] }), 1003, '/redirect_uris/0', 'a relative URI');
  await rejectsBadRequest(create({ client_name: undefined }), 1001, '/client_name', 'client_name missing');
  await rejectsBadRequest(create({ client_name: 42 }), 1002, '/client_name', 'client_name not a string');
  await rejectsBadRequest(create({ token_endpoint_auth_method: 'private_key_jwt' }), 1002,
                          '/token_endpoint_auth_method', 'an unknown auth method');
  await rejectsBadRequest(create({ scopes: ['account:read'] }), 1004, '/scopes/0', 'a scope with a colon');
  await rejectsBadRequest(create({ scopes: ['account.read', 'nope.read'] }), 1004, '/scopes/1', 'an unknown dotted scope');
  await rejectsBadRequest(create({ scopes: ['account.read', 'global'] }), 1004, '/scopes/1',
                          'an undotted scope that is not an identity scope');
  await rejectsBadRequest(create({ logo_uri: 'http://app.example.com/logo.png' }), 1003, '/logo_uri', 'an http logo');
  await rejectsBadRequest(create({ allowed_cors_origins: ['https://app.example.com/path'] }), 1003,
                          '/allowed_cors_origins/0', 'an origin with a path');
  await rejectsBadRequest(create({ optional_scopes: ['offline_access'] }), undefined, '/optional_scopes/0',
                          'offline_access is never optional');
  await rejectsBadRequest(create({ optional_scopes: ['user-details.read'] }), undefined, '/optional_scopes/0',
                          'an optional scope that is not a scope');
  await rejectsBadRequest(create({ visibility: 'public' }), undefined, '/visibility', 'a new client cannot be public');
  await assert.rejects(create({ grant_types: ['refresh_token'] }), apiError(Cloudflare.BadRequestError, 400, (err) => {
    assert.match(err.errors[0].source?.pointer ?? '', /^\/grant_types/, 'authorization_code is required');
  }));
  await assert.rejects(create({ grant_types: ['authorization_code'], scopes: ['offline_access'] }),
                       apiError(Cloudflare.BadRequestError, 400, (err) => {
                         assert.match(err.errors[0].source?.pointer ?? '', /^\/scopes/, 'empty after normalisation');
                       }));

  // Several problems: one error each.
  await assert.rejects(create({ redirect_uris: ['http://app.example.com/cb'], scopes: ['bad:scope'],
                                allowed_cors_origins: ['https://app.example.com/path'] }),
                       apiError(Cloudflare.BadRequestError, 400, (err) => {
                         const pointers = err.errors.map((e) => e.source?.pointer);
                         for (const p of ['/redirect_uris/0', '/scopes/0', '/allowed_cors_origins/0'])
                           assert.ok(pointers.includes(p), `${p} in ${JSON.stringify(err.errors)}`);
                       }));
  assert.equal(await count(), clientsBefore, 'no invalid client was created');

  // PATCH: the same rules on the fields present; null for a required array.
  const client = await create({ client_name: 'Patch target' });
  const update = (body) => cf.iam.oauthClients.update(client.client_id, { account_id: acme.id, ...body });
  await rejectsBadRequest(update({ redirect_uris: ['ftp://app.example.com/cb'] }), 1003, '/redirect_uris/0', 'PATCH redirect');
  await rejectsBadRequest(update({ scopes: null }), undefined, '/scopes', 'null for a required array');
  await rejectsBadRequest(update({ client_name: 7 }), 1002, '/client_name', 'PATCH wrong type');
  const unchanged = await cf.iam.oauthClients.get(client.client_id, { account_id: acme.id });
  assert.deepEqual(unchanged, withoutSecret(client), 'failed updates change nothing');
});

test('both credentials at once: the SDK sends them all, the bearer token decides', async () => {
  const both = sdk({ apiToken: ownerToken, apiEmail: OWNER, apiKey: ownerKey });
  const created = await both.cf.iam.oauthClients.create(clientBody({ client_name: 'Both credentials' }));
  assertClientObject(created, { secret: true });
  assert.equal(both.sent[0].headers.get('authorization'), `Bearer ${ownerToken}`);
  assert.equal(both.sent[0].headers.get('x-auth-email'), OWNER);
  assert.equal(both.sent[0].headers.get('x-auth-key'), ownerKey);

  // A good bearer with a bad key works; a bad bearer with a good key does not.
  const goodBearer = sdk({ apiToken: ownerToken, apiEmail: OWNER, apiKey: 'tak_wrong' }).cf;
  assert.equal((await goodBearer.iam.oauthClients.get(created.client_id, { account_id: acme.id })).client_id,
               created.client_id);
  const badBearer = sdk({ apiToken: 'HRKU-wrong', apiEmail: OWNER, apiKey: ownerKey }).cf;
  await assert.rejects(badBearer.iam.oauthClients.get(created.client_id, { account_id: acme.id }),
                       apiError(Cloudflare.AuthenticationError, 401, authenticationError));
  // The bearer's user is the caller: the reader's token with the owner's key is the reader.
  const readerBearer = sdk({ apiToken: reader.token, apiEmail: OWNER, apiKey: ownerKey }).cf;
  await assert.rejects(readerBearer.iam.oauthClients.create(clientBody()),
                       apiError(Cloudflare.PermissionDeniedError, 403));

  // The global API key alone.
  const keyOnly = sdk({ apiEmail: OWNER, apiKey: ownerKey });
  const viaKey = await keyOnly.cf.iam.oauthClients.create(clientBody({ client_name: 'Via API key' }));
  assertClientObject(viaKey, { secret: true });
  assert.equal(keyOnly.sent[0].headers.get('authorization'), null);
  const ids = (await keyOnly.cf.iam.oauthClients.list({ account_id: acme.id })).result.map((c) => c.client_id);
  assert.ok(ids.includes(viaKey.client_id) && ids.includes(created.client_id));
  assert.deepEqual(await keyOnly.cf.iam.oauthClients.delete(viaKey.client_id, { account_id: acme.id }), { id: viaKey.client_id });
});

// ---------------------------------------------------------------------------
// The browser half: sign-in, consent, code, /oauth/token.

let browser;
let site;       // the client application: /cb is the redirect target
let discovery;  // /.well-known/openid-configuration

// Chromium, the callback site and discovery, started by the first browser test.
async function browserReady() {
  if (browser) return;
  site = await startSite();
  browser = await launchChromium();
  const response = await fetch(`${server.issuer}/.well-known/openid-configuration`);
  assert.equal(response.status, 200);
  discovery = await response.json();
  assert.ok(discovery.token_endpoint_auth_methods_supported.includes('client_secret_post'));
}

after(async () => {
  await Promise.allSettled([browser?.close(), site?.close()]);
});

async function newPage() {
  const context = await browser.newContext();
  context.setDefaultTimeout(5000);
  context.setDefaultNavigationTimeout(5000);
  return { context, page: await context.newPage() };
}

const base64url = (buffer) => buffer.toString('base64url');

// An authorization request for `client` with PKCE S256 and a state.
function authorizationRequest(client, scope) {
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const redirectUri = `${site.origin}/cb`;
  const url = new URL(discovery.authorization_endpoint);
  for (const [key, value] of Object.entries({
    response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri, scope, state,
    code_challenge: base64url(createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256',
  })) url.searchParams.set(key, value);
  return { url: url.href, verifier, state, redirectUri };
}

const onCallback = (url) => url.origin === site.origin && url.pathname === '/cb';

// Signs in as `email` when asked, approves when asked, and returns the
// callback URL the browser landed on.
async function browse(page, request, email) {
  await page.goto(request.url);
  if (!onCallback(new URL(page.url()))) {
    if (await page.getByLabel('Password').count()) {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(onCallback);
  }
  const callback = new URL(page.url());
  assert.equal(callback.searchParams.get('state'), request.state, 'state comes back');
  assert.equal(callback.searchParams.get('error'), null, `no error: ${callback.searchParams.get('error_description')}`);
  assert.ok(callback.searchParams.get('code'), 'a code');
  return callback.searchParams.get('code');
}

// POST /oauth/token with form parameters; `basic` adds HTTP Basic credentials.
async function token(params, basic) {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  if (basic) {
    const [id, secret] = basic;
    headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  }
  const response = await fetch(discovery.token_endpoint, { method: 'POST', headers, body: new URLSearchParams(params) });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

function assertTokens(result, message) {
  assert.equal(result.status, 200, `${message}: ${JSON.stringify(result.body)}`);
  assert.equal(typeof result.body.access_token, 'string', message);
  assert.equal(result.body.token_type.toLowerCase(), 'bearer', message);
  assert.equal(typeof result.body.refresh_token, 'string', `${message}: a refresh token (offline_access)`);
  return result.body;
}

// RFC 6749 §5.2 as Tessera reads it (spec/heroku-oauth.md §6): invalid_client
// is 400 for form-parameter authentication, 401 with a Basic challenge when
// the client tried HTTP Basic.
function assertInvalidClient(result, message, { basic = false } = {}) {
  assert.equal(result.status, basic ? 401 : 400, `${message}: ${JSON.stringify(result.body)}`);
  assert.equal(result.body.error, 'invalid_client', message);
  assert.equal(result.body.access_token, undefined, message);
  if (basic) assert.match(result.headers.get('www-authenticate') ?? '', /^Basic/, `${message}: a Basic challenge`);
}

test('secret rotation end to end: code flow in a browser, both secrets during rotation, old one refused after',
  { skip: skipBrowser }, async () => {
    await browserReady();
    const cf = asOwner();
    const account = { account_id: acme.id };
    const client = await cf.iam.oauthClients.create(clientBody({
      client_name: 'Rotation E2E', token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [`${site.origin}/cb`],
      scopes: ['account.read'],
    }));
    assert.deepEqual(client.scopes, ['account.read', 'offline_access']);
    const id = client.client_id;
    const oldSecret = client.client_secret;
    const post = (secret, params) => token({ ...params, client_id: id, client_secret: secret });
    const refresh = (secret, refreshToken) => post(secret, { grant_type: 'refresh_token', refresh_token: refreshToken });
    const redeem = (secret, request, code) => post(secret, {
      grant_type: 'authorization_code', code, redirect_uri: request.redirectUri, code_verifier: request.verifier,
    });

    // The account's owner signs in and consents; the code is redeemed with the secret.
    const { context, page } = await newPage();
    const first = authorizationRequest(client, 'account.read offline_access');
    const code = await browse(page, first, OWNER);
    let tokens = assertTokens(await redeem(oldSecret, first, code), 'code redeemed with the original secret');
    assert.ok(tokens.scope.split(' ').includes('account.read'), `granted scope ${tokens.scope}`);

    // Client authentication is really checked: a wrong secret is refused,
    // and the refused attempt does not spend the refresh token.
    assertInvalidClient(await refresh(`${oldSecret}x`, tokens.refresh_token), 'a wrong secret');
    tokens = assertTokens(await refresh(oldSecret, tokens.refresh_token), 'refresh with the original secret');

    // Rotate: both secrets authenticate.
    const { client_secret: newSecret } = await cf.iam.oauthClients.rotateSecret(id, account);
    assert.notEqual(newSecret, oldSecret);
    assert.equal((await cf.iam.oauthClients.get(id, account)).has_rotated_secret, true);
    tokens = assertTokens(await refresh(oldSecret, tokens.refresh_token), 'refresh with the old secret during rotation');
    tokens = assertTokens(await refresh(newSecret, tokens.refresh_token), 'refresh with the new secret during rotation');
    tokens = assertTokens(await refresh(oldSecret, tokens.refresh_token), 'the old secret again during rotation');
    const during = authorizationRequest(client, 'account.read offline_access');
    const duringCode = await browse(page, during, OWNER);
    const second = assertTokens(await redeem(oldSecret, during, duringCode), 'a new code with the old secret during rotation');
    assertTokens(await refresh(newSecret, second.refresh_token), 'that session refreshed with the new secret');

    // Delete the rotated secret: the old one is refused, the new one works.
    assert.deepEqual(await cf.iam.oauthClients.deleteRotatedSecret(id, account), { id });
    assert.equal((await cf.iam.oauthClients.get(id, account)).has_rotated_secret, false);
    assertInvalidClient(await refresh(oldSecret, tokens.refresh_token), 'the old secret after deleteRotatedSecret');
    tokens = assertTokens(await refresh(newSecret, tokens.refresh_token), 'the new secret after deleteRotatedSecret');
    const afterDelete = authorizationRequest(client, 'account.read offline_access');
    const oldCode = await browse(page, afterDelete, OWNER);
    assertInvalidClient(await redeem(oldSecret, afterDelete, oldCode), 'a code with the old secret');
    const last = authorizationRequest(client, 'account.read offline_access');
    assertTokens(await redeem(newSecret, last, await browse(page, last, OWNER)), 'a code with the new secret');

    // Deleting the client ends it all (spec §2.5).
    await cf.iam.oauthClients.delete(id, account);
    const gone = await refresh(newSecret, tokens.refresh_token);
    assert.ok([400, 401].includes(gone.status), `a deleted client's refresh token is refused: ${JSON.stringify(gone.body)}`);
    assert.equal(gone.body.access_token, undefined);
    await context.close();
  });

test('the token endpoint accepts only the registered client authentication method (spec §4.8)',
  { skip: skipBrowser }, async () => {
    await browserReady();
    const cf = asOwner();
    const { context, page } = await newPage();
    for (const method of ['client_secret_post', 'client_secret_basic']) {
      const client = await cf.iam.oauthClients.create(clientBody({
        client_name: `Method ${method}`, token_endpoint_auth_method: method, redirect_uris: [`${site.origin}/cb`],
      }));
      const id = client.client_id;
      const secret = client.client_secret;
      const viaPost = (params) => token({ ...params, client_id: id, client_secret: secret });
      const viaBasic = (params) => token(params, [id, secret]);
      const [right, wrong] = method === 'client_secret_post' ? [viaPost, viaBasic] : [viaBasic, viaPost];
      const request = authorizationRequest(client, 'account.read offline_access');
      const code = await browse(page, request, OWNER);
      let tokens = assertTokens(await right({
        grant_type: 'authorization_code', code, redirect_uri: request.redirectUri, code_verifier: request.verifier,
      }), `${method}: the code with the registered method`);
      assertInvalidClient(await wrong({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
                          `${method}: the right secret with the other method`,
                          { basic: method === 'client_secret_post' });
      tokens = assertTokens(await right({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
                            `${method}: the registered method still works`);
    }
    await context.close();
  });

test('a private client cannot be authorized by a user outside its account', { skip: skipBrowser }, async () => {
  await browserReady();
  const cf = asOwner();
  const client = await cf.iam.oauthClients.create(clientBody({
    client_name: 'Private E2E', redirect_uris: [`${site.origin}/cb`],
  }));
  assert.equal(client.visibility, 'private');
  const { context, page } = await newPage();
  const request = authorizationRequest(client, 'account.read offline_access');
  await page.goto(request.url);
  await page.getByLabel('Email').fill(outsider.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([
    page.waitForResponse((r) => r.url().startsWith(discovery.authorization_endpoint) && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await page.waitForLoadState();
  const url = new URL(page.url());
  if (onCallback(url)) {
    assert.equal(url.searchParams.get('code'), null, 'no code for a non-member');
  } else {
    assert.equal(await page.getByRole('button', { name: 'Allow' }).count(), 0,
                 `${outsider.email} (not a member of the owning account) is offered consent for a private client`);
  }
  await context.close();
});

test('consent: the user unticks an optional scope in the browser; the token leaves it out', { skip: skipBrowser }, async () => {
  await browserReady();
  const cf = asOwner();
  const client = await cf.iam.oauthClients.create(clientBody({
    client_name: 'Optional E2E', token_endpoint_auth_method: 'client_secret_post',
    redirect_uris: [`${site.origin}/cb`], scopes: ['account.read', 'apps.read'],
    optional_scopes: ['apps.read'],
  }));
  assert.deepEqual(client.optional_scopes, ['apps.read']);
  const { context, page } = await newPage();
  const request = authorizationRequest(client, 'account.read apps.read');
  await page.goto(request.url);
  await page.getByLabel('Email').fill(OWNER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The optional scope is a ticked box; the required one is not a box at all.
  const box = page.getByRole('checkbox', { name: /apps\.read/ });
  assert.equal(await box.isChecked(), true);
  assert.equal(await page.getByRole('checkbox').count(), 1);
  await box.uncheck();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(onCallback);
  const callback = new URL(page.url());
  assert.equal(callback.searchParams.get('state'), request.state);
  const result = await token({
    grant_type: 'authorization_code', code: callback.searchParams.get('code'),
    redirect_uri: request.redirectUri, code_verifier: request.verifier,
    client_id: client.client_id, client_secret: client.client_secret,
  });
  assert.equal(result.status, 200, JSON.stringify(result.body));
  assert.equal(result.body.scope, 'account.read', 'apps.read was declined');
  await context.close();
});
