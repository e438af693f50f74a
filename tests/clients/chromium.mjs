// Debian's chromium driven by playwright-core, for the browser tests. They
// fail when /usr/bin/chromium is missing (scripts/install-deps.sh --test
// installs it) unless TESSERA_SKIP_BROWSER=1 says to skip them;
// TESSERA_CHROMIUM names another binary.
import { existsSync } from 'node:fs';

const chromiumPath = process.env.TESSERA_CHROMIUM || '/usr/bin/chromium';
const missing = !existsSync(chromiumPath);

// Why the browser tests are skipped, or false when they run.
export const skipBrowser = missing && process.env.TESSERA_SKIP_BROWSER === '1'
  ? `chromium is not installed at ${chromiumPath} (TESSERA_SKIP_BROWSER=1)`
  : false;

// A headless chromium; throws, saying how to install it, when it is missing.
export async function launchChromium() {
  if (missing) {
    throw new Error(`chromium is not installed at ${chromiumPath}: run scripts/install-deps.sh --test `
                    + '(or set TESSERA_SKIP_BROWSER=1 to skip the browser tests)');
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
