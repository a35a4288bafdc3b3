/**
 * The live preview server behind `npm start`: Node's own `http`, bound to
 * loopback. It renders the gallery from `templates/` on disk, watches the
 * folder and renders again on every change; pages learn of a new render
 * through Server-Sent Events and reload. A template that cannot be loaded is
 * shown on the page (beside the last good render); the server keeps running.
 */
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../../cli/usage-error.js';
import { loadPack } from '../pack-source.js';
import { buildGallery, type Gallery } from './gallery.js';
import { hasLoopbackHost } from './loopback-request.js';
import { CLIENT_SCRIPT, defaultView, type PageOptions, parseView, renderPage } from './page.js';

export interface PreviewServerOptions {
  templatesDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Watch `templatesDir` and render again on change (default true). */
  watch?: boolean;
  /** Called after every render, first one included. */
  onRender?: (state: PreviewState) => void;
}

export interface PreviewState {
  /** Starts at 1; bumped on every render, good or bad. */
  version: number;
  /** The current render, or the last good one when `error` is set. */
  gallery: Gallery | null;
  error: string | null;
}

export interface PreviewServer {
  url: string;
  state(): PreviewState;
  /** Renders again now (the watcher calls this after a change settles). */
  reload(): PreviewState;
  close(): Promise<void>;
}

/** The preview's port is taken: one sentence for the command line, never a stack trace. */
export class PortInUseError extends UsageError {
  override name = 'PortInUseError';
}

// Editors save in bursts (write, rename, chmod): render once the burst is over.
const SETTLE_MS = 80;
const HEARTBEAT_MS = 20_000;

// The email inside the sandboxed srcdoc iframe inherits this policy: its inline
// styles and https images load, nothing in it runs.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'unsafe-inline'",
  // 'self': the brands' logo files, which the server answers from the brand folders.
  "img-src 'self' https: data:",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Renders the gallery from disk; never throws, so a broken template cannot stop the server. */
export function renderFromDisk(templatesDir: string, previous: PreviewState | null): Omit<PreviewState, 'version'> {
  try {
    return { gallery: buildGallery(loadPack(templatesDir)), error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { gallery: previous?.gallery ?? null, error: message };
  }
}

/** Starts the preview and resolves once it listens. */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const host = options.host ?? '127.0.0.1';
  let state: PreviewState = { version: 0, gallery: null, error: null };
  const listeners = new Set<ServerResponse>();

  const reload = (): PreviewState => {
    const { gallery, error } = renderFromDisk(options.templatesDir, state);
    state = { version: state.version + 1, gallery, error };
    for (const response of listeners) sendVersion(response, state.version);
    options.onRender?.(state);
    return state;
  };
  reload();

  let port = 0;
  const server = createServer((request, response) => {
    try {
      if (isEventStream(request)) openEvents(response);
      else {
        const reply = route(request);
        send(response, reply);
      }
    } catch (error) {
      send(response, text(500, `preview error: ${error instanceof Error ? error.message : String(error)}\n`));
    }
  });

  const isEventStream = (request: IncomingMessage): boolean =>
    request.method === 'GET' && hostAllowed(request) && request.url === '/events';

  // Only loopback names: a page on another site cannot reach this server by rebinding its DNS name to 127.0.0.1.
  const hostAllowed = (request: IncomingMessage): boolean => hasLoopbackHost(request, port);

  const route = (request: IncomingMessage): Reply => {
    if (!hostAllowed(request)) return text(421, 'unknown Host\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'use GET\n');
    const url = new URL(request.url ?? '/', 'http://preview.invalid');
    switch (url.pathname) {
      case '/':
        return { status: 200, contentType: 'text/html; charset=utf-8', body: page(url.searchParams) };
      case '/preview.js':
        return { status: 200, contentType: 'text/javascript; charset=utf-8', body: CLIENT_SCRIPT };
      case '/api/gallery':
        return json(200, gallerySummary(state));
      case '/favicon.ico':
        return { status: 204, contentType: 'image/x-icon', body: '' };
      case '/api/combination': {
        const found = state.gallery?.entries.find((entry) => entry.id === url.searchParams.get('id'));
        return found ? json(200, found) : json(404, { error: 'no such combination' });
      }
      default:
        return logo(url.pathname) ?? text(404, 'not found\n');
    }
  };

  // Only names the gallery lists (`northwind-logo-<hash>.png`): a request cannot name any other file.
  const logo = (pathname: string): Reply | null => {
    const file = state.gallery?.assets.get(pathname.slice(1));
    if (file === undefined) return null;
    try {
      return { status: 200, contentType: 'image/png', body: readFileSync(file) };
    } catch {
      return null;
    }
  };

  const page = (query: URLSearchParams): string => {
    const { gallery } = state;
    const view = gallery ? parseView(gallery, query) : null;
    const options: PageOptions = {
      href: (target) => `?${new URLSearchParams({ ...target }).toString()}`,
      pickerPattern: '?mode={mode}&source={source}&locale={locale}&brand={brand}',
      live: true,
      version: state.version,
      error: state.error,
      stale: state.error !== null && gallery !== null,
    };
    return renderPage(gallery, view ?? (gallery ? defaultView(gallery) : null), options);
  };

  const openEvents = (response: ServerResponse): void => {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    response.write('retry: 1000\n\n');
    listeners.add(response);
    response.on('close', () => listeners.delete(response));
    // The page compares this with the version it was rendered from, so an edit between the two is not missed.
    sendVersion(response, state.version);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, options.port ?? 0)));
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  const heartbeat = setInterval(() => {
    for (const response of listeners) response.write(': still here\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  let watcher: FSWatcher | null = null;
  let settle: NodeJS.Timeout | undefined;
  if (options.watch ?? true) {
    watcher = watch(options.templatesDir, { recursive: true }, () => {
      clearTimeout(settle);
      settle = setTimeout(reload, SETTLE_MS);
    });
    // A watcher error (the folder was removed, say) must not stop the server; the next render shows the problem.
    watcher.on('error', () => reload());
  }

  return {
    url: `http://${host}:${port}/`,
    state: () => state,
    reload,
    close: async () => {
      clearInterval(heartbeat);
      clearTimeout(settle);
      watcher?.close();
      for (const response of listeners) response.end();
      listeners.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function sendVersion(response: ServerResponse, version: number): void {
  response.write(`event: version\ndata: ${version}\n\n`);
}

interface Reply {
  status: number;
  contentType: string;
  body: string | Buffer;
}

/** What a failed listen means for the person who ran the preview. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') {
    return new PortInUseError(
      `Port ${port} on ${host} is already in use (another preview?); stop that process, or pick another port with --port N or PORT=N (0 picks a free one).`,
    );
  }
  if (error.code === 'EACCES') {
    return new PortInUseError(`Port ${port} on ${host} needs privileges this user lacks; pick a port above 1023.`);
  }
  return error;
}

function text(status: number, body: string): Reply {
  return { status, contentType: 'text/plain; charset=utf-8', body };
}

function json(status: number, value: unknown): Reply {
  return { status, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(value)}\n` };
}

function send(response: ServerResponse, { status, contentType, body }: Reply): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'referrer-policy': 'no-referrer',
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** The overview as JSON: every combination's status and failing reasons, without the rendered bodies. */
function gallerySummary(state: PreviewState) {
  const { gallery } = state;
  return {
    version: state.version,
    error: state.error,
    renderMs: gallery?.renderMs ?? null,
    combinations: gallery?.entries.length ?? 0,
    failing: gallery?.entries.filter((entry) => entry.status === 'fail').length ?? 0,
    entries:
      gallery?.entries.map(({ id, mode, channel, source, triggerSource, locale, brand, status, checks }) => ({
        id,
        mode,
        channel,
        source,
        triggerSource,
        locale,
        brand,
        status,
        problems: checks
          .filter((check) => check.status !== 'pass')
          .map((check) => ({ check: check.name, status: check.status, details: check.details })),
      })) ?? [],
  };
}
