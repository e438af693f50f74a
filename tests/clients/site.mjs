// The client application's side of a browser flow: a small HTTP server on
// 127.0.0.1 and an ephemeral port whose every path (the redirect URI, /cb)
// answers a page with <h1 id="landed">, so a test can wait for the browser
// to arrive there.
import { createServer } from 'node:http';

export async function startSite(title = 'App') {
  const s = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!DOCTYPE html><title>${title}</title><h1 id="landed">Callback received</h1>`);
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
