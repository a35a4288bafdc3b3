/**
 * The rules every local development server of the pack applies (the preview,
 * the local stack's Lambda endpoint). They listen on 127.0.0.1 only, but a web
 * page in the developer's browser can still reach them: by rebinding its own
 * DNS name to 127.0.0.1 (the request then carries that name as Host), or by a
 * cross-site form or `text/plain` POST (which carries the page's Origin).
 */
import type { IncomingMessage } from 'node:http';

/** Whether the request's Host is a loopback name with this server's port. */
export function hasLoopbackHost(request: IncomingMessage, port: number): boolean {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(request.headers.host ?? '');
}

/**
 * Whether a browser sent the request on behalf of another site. SDKs and
 * command-line tools send neither header; a browser's cross-origin request
 * always carries Origin, and modern browsers also say `Sec-Fetch-Site`.
 */
export function isCrossSiteBrowserRequest(request: IncomingMessage, port: number): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  return ![`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`].includes(origin);
}
