// `tessera login --browser` end to end in a real browser: the CLI (built
// tessera binary) listens on a loopback port and hands the sign-in URL to
// $BROWSER, here a script that passes it to this test; Debian's chromium,
// driven by playwright-core, signs in and consents on Tessera's pages and is
// redirected to the CLI's http://127.0.0.1:PORT/callback, which shows the
// "sign-in is complete" page; the CLI exchanges the code with PKCE and keeps
// a login token that `tessera whoami` then uses. A denial on the consent
// page ends the CLI with access_denied and keeps nothing.
//
// Chromium is required unless TESSERA_SKIP_BROWSER=1 (then these tests are
// skipped with a message); TESSERA_CHROMIUM names another binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTessera } from './server.mjs';
import { launchChromium, skipBrowser as skip } from './chromium.mjs';

if (skip) console.log(`CLI browser login tests skipped: ${skip}`);

const OWNER = 'cli-owner@example.com';
const PASSWORD = 'correct horse battery';
const bin = process.env.TESSERA_BIN;

let server;
let clientId;
let home;
let browser;

before(async () => {
  server = await startTessera({ issuer: true, email: OWNER });
  // The public client an administrator registers for the CLI (README).
  clientId = server.admin('clients', 'create', '--email', OWNER, '--name', 'Tessera CLI',
                          '--auth-method', 'none', '--redirect-uri', 'http://127.0.0.1/callback',
                          '--grant-type', 'authorization_code', '--grant-type', 'refresh_token',
                          '--scope', 'global').id;
  home = mkdtempSync(join(tmpdir(), 'tessera-cli-login-'));
  // $BROWSER: writes the URL it is given where the test looks for it.
  writeFileSync(join(home, 'browser.sh'),
                `#!/bin/sh\nprintf '%s\\n' "$1" > '${home}/opened.tmp' && mv '${home}/opened.tmp' '${home}/opened'\n`);
  chmodSync(join(home, 'browser.sh'), 0o755);
  if (!skip) {
    browser = await launchChromium();
  }
});

after(async () => {
  await browser?.close();
  if (home) rmSync(home, { recursive: true, force: true });
  if (server) assert.equal(await server.stop(), 0, 'tessera exits cleanly on SIGTERM');
});

const env = () => ({ HOME: home, PATH: process.env.PATH, BROWSER: join(home, 'browser.sh'),
                     TESSERA_API_URL: server.issuer });

// Starts `tessera login --browser`; resolves with its exit code and output.
function login(client = clientId) {
  const child = spawn(bin, ['login', '--browser', '--client-id', client, '--timeout', '30'],
                      { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  child.stderr.on('data', (chunk) => { err += chunk; });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

// The URL the CLI handed to $BROWSER.
async function openedUrl() {
  const file = join(home, 'opened');
  for (let i = 0; i < 500 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
  const url = readFileSync(file, 'utf8').trim();
  rmSync(file);
  return url;
}

test('tessera login --browser signs in through chromium and keeps a login token',
  { skip }, async () => {
    const done = login();
    const url = new URL(await openedUrl());
    assert.equal(url.origin + url.pathname, `${server.issuer}/oauth/authorize`);
    assert.equal(url.searchParams.get('client_id'), clientId);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('scope'), 'global');
    const redirect = new URL(url.searchParams.get('redirect_uri'));
    assert.equal(redirect.hostname, '127.0.0.1');
    assert.equal(redirect.pathname, '/callback');
    assert.notEqual(redirect.port, '');

    const page = await browser.newPage();
    page.setDefaultTimeout(5000);
    await page.goto(url.href);
    await page.getByLabel('Email').fill(OWNER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    assert.match(await page.content(), /Tessera CLI/);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((u) => u.origin === redirect.origin && u.pathname === '/callback');
    assert.match(await page.textContent('body'), /The sign-in is complete/);

    const result = await done;
    assert.equal(result.code, 0, result.err);
    assert.equal(result.out, `Logged in as ${OWNER} at ${server.issuer}.\n`);
    assert.equal(execFileSync(bin, ['whoami'], { env: env() }).toString(), `${OWNER}\n`);
    // The listener served one redirect and closed.
    await assert.rejects(fetch(redirect.href));
    await page.close();
  });

test('a denial in the browser ends the CLI with access_denied and keeps nothing',
  { skip }, async () => {
    execFileSync(bin, ['logout'], { env: env() });
    // Another client, so the consent page is shown (the first was approved).
    const other = server.admin('clients', 'create', '--email', OWNER, '--name', 'Other CLI',
                               '--auth-method', 'none', '--redirect-uri',
                               'http://127.0.0.1/callback', '--scope', 'global').id;
    const done = login(other);
    const page = await browser.newPage();
    page.setDefaultTimeout(5000);
    await page.goto(await openedUrl());
    await page.getByLabel('Email').fill(OWNER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((u) => u.hostname === '127.0.0.1' && u.pathname === '/callback');
    assert.match(await page.textContent('body'), /The sign-in was not completed/);
    const result = await done;
    assert.equal(result.code, 1, result.err);
    assert.match(result.err, /\(access_denied\)/);
    assert.equal(existsSync(join(home, '.config', 'tessera', 'credentials')), false);
    await page.close();
  });
