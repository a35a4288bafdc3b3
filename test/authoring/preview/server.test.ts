import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PortInUseError, type PreviewServer, startPreviewServer } from '../../../src/authoring/preview/server.js';
import { UsageError } from '../../../src/cli/usage-error.js';
import { copyTemplates } from '../../support/temp-templates.js';
import { COMBINATIONS } from '../../support/template-set.js';

interface Summary {
  version: number;
  error: string | null;
  combinations: number;
  failing: number;
  entries: Array<{ id: string; status: string; problems: Array<{ check: string; details: string[] }> }>;
}

let server: PreviewServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function summary(base: string): Promise<Summary> {
  return (await (await fetch(new URL('api/gallery', base))).json()) as Summary;
}

/** Polls until the server has rendered a version after `after` (the watcher settles in well under a second). */
async function nextRender(base: string, after: number): Promise<Summary> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const current = await summary(base);
    if (current.version > after) return current;
    if (Date.now() > deadline) throw new Error(`no render after version ${after}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function rawStatus(url: string, options: { host?: string; method?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the preview server', () => {
  it('serves the page, the script and the API on loopback', async () => {
    server = await startPreviewServer({ templatesDir: copyTemplates(), watch: false });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const page = await fetch(new URL('?mode=sender&source=SignUp&locale=ar&brand=northwind', server.url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<option value="northwind" selected>');
    expect(html).toContain('id="sender.email.SignUp.ar.northwind"');

    const script = await fetch(new URL('preview.js', server.url));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("new EventSource('events')");

    const gallery = await summary(server.url);
    expect(gallery).toMatchObject({ version: 1, error: null, combinations: COMBINATIONS, failing: 0 });

    const one = await fetch(new URL('api/combination?id=message.sms.SignUp.en.default', server.url));
    expect(await one.json()).toMatchObject({ sms: { text: 'Acme: {####} is your code to confirm your account.' } });
    expect((await fetch(new URL('api/combination?id=nope', server.url))).status).toBe(404);
    expect((await fetch(new URL('nothing-here', server.url))).status).toBe(404);
  });

  it('answers only loopback host names and GET', async () => {
    server = await startPreviewServer({ templatesDir: copyTemplates(), watch: false });
    const port = new URL(server.url).port;
    expect(await rawStatus(server.url, { host: `localhost:${port}` })).toBe(200);
    expect(await rawStatus(server.url, { host: `attacker.example:${port}` })).toBe(421);
    expect(await rawStatus(server.url, { method: 'POST' })).toBe(405);
    expect(await rawStatus(server.url, { method: 'HEAD' })).toBe(200);
  });

  it('tells open pages the current version over Server-Sent Events', async () => {
    server = await startPreviewServer({ templatesDir: copyTemplates(), watch: false });
    const controller = new AbortController();
    const events = await fetch(new URL('events', server.url), { signal: controller.signal });
    expect(events.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    let received = '';
    while (!received.includes('data: 1\n\n')) received += new TextDecoder().decode((await reader.read()).value);
    server.reload();
    while (!received.includes('data: 2\n\n')) received += new TextDecoder().decode((await reader.read()).value);
    expect(received).toContain('event: version\ndata: 2\n\n');
    controller.abort();
  });

  it('shows a template edit without a restart, shows a broken file on the page, and recovers', async () => {
    const dir = copyTemplates();
    server = await startPreviewServer({ templatesDir: dir, port: 0 });
    const base = server.url;
    const smsUrl = new URL('api/combination?id=message.sms.SignUp.en.default', base);

    writeFileSync(join(dir, 'base/signUp.sms.hbs'), '{{brand.productName}} edited: {{code}} confirms your account.');
    let current = await nextRender(base, 1);
    expect(current.error).toBeNull();
    expect(await (await fetch(smsUrl)).json()).toMatchObject({
      sms: { text: 'Acme edited: {####} confirms your account.' },
    });

    const catalog = join(dir, 'locales/de/messages.json');
    const good = readFileSync(catalog, 'utf8');
    writeFileSync(catalog, `${good.slice(0, -10)} oops`);
    current = await nextRender(base, current.version);
    expect(current.error).toContain('locales/de/messages.json');
    const page = await (await fetch(base)).text();
    expect(page).toContain('The templates could not be loaded');
    expect(page).toContain('Showing the last good render.');
    // The last good render stays browsable while the file is broken.
    expect(current.combinations).toBe(COMBINATIONS);

    writeFileSync(catalog, good);
    current = await nextRender(base, current.version);
    expect(current.error).toBeNull();
    expect(await (await fetch(base)).text()).not.toContain('The templates could not be loaded');
  });

  it('starts with broken templates and shows only the error', async () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'brands/northwind/brand.json'), '{"productName": 1}');
    server = await startPreviewServer({ templatesDir: dir, watch: false });
    const page = await (await fetch(server.url)).text();
    // The field at fault, at its line and column in the folder's own file.
    expect(page).toContain(`${join(dir, 'brands/northwind/brand.json')}:1:17: productName:`);
    expect(page).not.toContain('id="picker"');
    expect(await summary(server.url)).toMatchObject({ combinations: 0, error: expect.stringContaining('brand.json') });
  });

  it('serves each brand’s logo files under the names the emails use, and no other file', async () => {
    server = await startPreviewServer({ templatesDir: copyTemplates(), watch: false });
    const name = server.state().gallery?.assets.keys().next().value ?? '';
    expect(name).toMatch(/^default-logo-[0-9a-f]{10}\.png$/);
    const logo = await fetch(new URL(name, server.url));
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await logo.arrayBuffer())).toEqual(readFileSync('templates/brands/default/logo.png'));
    const page = await (await fetch(new URL('?mode=sender&source=SignUp&locale=en&brand=default', server.url))).text();
    expect(page).toContain(`src=&quot;./${name}&quot;`);
    for (const path of ['brands/default/logo.png', 'default-logo-0000000000.png', '..%2Fbrand.json']) {
      expect((await fetch(new URL(path, server.url))).status).toBe(404);
    }
  });

  it('says in one sentence that a busy port is busy, instead of an EADDRINUSE stack', async () => {
    server = await startPreviewServer({ templatesDir: copyTemplates(), watch: false });
    const port = Number(new URL(server.url).port);
    const second = startPreviewServer({ templatesDir: copyTemplates(), watch: false, port });
    await expect(second).rejects.toThrow(
      new PortInUseError(
        `Port ${port} on 127.0.0.1 is already in use (another preview?); stop that process, or pick another port with --port N or PORT=N (0 picks a free one).`,
      ),
    );
    await expect(second).rejects.toBeInstanceOf(UsageError);
  });
});
