/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of moto. The AWS SDK
 * talks to it through AWS_ENDPOINT_URL; it tells KMS, SES and SNS apart by
 * the SigV4 credential scope, counts every attempt, and answers the first
 * `times` attempts of the faulty service with the fault (forwarding the rest
 * to moto untouched):
 *
 * - throttling: the service's own throttling error (HTTP 400/429);
 * - server-error: HTTP 500 with the service's internal-error shape;
 * - reset: the connection is reset (TCP RST) once the request is read;
 * - hang: the request is read and never answered;
 * - lost-response / lost-response-hang: the request is forwarded (moto acts
 *   on it: the message is sent) and then the connection is reset, or never
 *   answered: the caller cannot know the send happened.
 *
 * A rule with `abovePerSecond` is a rate limit instead: an attempt gets the
 * fault only when that many of the service's attempts were forwarded within
 * the last second (SES's sending rate, in a sliding one-second window).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type Service = 'kms' | 'ses' | 'sns';
export type Fault = 'throttling' | 'server-error' | 'reset' | 'hang' | 'lost-response' | 'lost-response-hang';

export interface FaultRule {
  service: Service;
  fault: Fault;
  /** How many attempts, from the first, get the fault (Infinity: all of them). */
  times: number;
  /** Fault only the attempts above this many forwarded in the last second. */
  abovePerSecond?: number;
}

export interface FaultProxy {
  endpoint: string;
  /** Attempts seen per service. */
  attempts: Record<Service, number>;
  /** Attempts passed on to moto per service. */
  forwarded: Record<Service, number>;
  /** The most attempts of one service forwarded within one second. */
  peakPerSecond: Record<Service, number>;
  /** Faults actually injected. */
  injected: number;
  close(): Promise<void>;
}

const THROTTLING: Record<Service, { status: number; type: string; body: string }> = {
  kms: {
    status: 400,
    type: 'application/x-amz-json-1.1',
    body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
  },
  ses: { status: 400, type: 'text/xml', body: queryError('Sender', 'Throttling', 'Maximum sending rate exceeded.') },
  sns: { status: 429, type: 'text/xml', body: queryError('Sender', 'Throttled', 'Rate exceeded') },
};

const SERVER_ERROR: Record<Service, { status: number; type: string; body: string }> = {
  kms: {
    status: 500,
    type: 'application/x-amz-json-1.1',
    body: JSON.stringify({ __type: 'KMSInternalException', message: 'Internal error' }),
  },
  ses: { status: 500, type: 'text/xml', body: queryError('Receiver', 'InternalFailure', 'Internal failure') },
  sns: { status: 500, type: 'text/xml', body: queryError('Receiver', 'InternalError', 'Internal error') },
};

function queryError(type: string, code: string, message: string): string {
  return `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>00000000-fault-proxy</RequestId></ErrorResponse>`;
}

/** The service a signed request is for, from `Credential=…/<date>/<region>/<service>/aws4_request`. */
function serviceOf(request: IncomingMessage): Service | null {
  const match = /\/([a-z0-9-]+)\/aws4_request/.exec(String(request.headers.authorization ?? ''));
  const service = match?.[1];
  return service === 'kms' || service === 'ses' || service === 'sns' ? service : null;
}

/** Starts a proxy to `upstream` (moto) that injects `rules`. */
export async function startFaultProxy(upstream: string, rules: readonly FaultRule[]): Promise<FaultProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  const attempts: Record<Service, number> = { kms: 0, ses: 0, sns: 0 };
  const forwarded: Record<Service, number> = { kms: 0, ses: 0, sns: 0 };
  const peakPerSecond: Record<Service, number> = { kms: 0, ses: 0, sns: 0 };
  /** When each attempt forwarded within the last second was, per service. */
  const lastSecond: Record<Service, number[]> = { kms: [], ses: [], sns: [] };
  const withinRate = (service: Service, limit: number): boolean => {
    const now = performance.now();
    const window = lastSecond[service];
    while (window.length > 0 && (window[0] as number) <= now - 1_000) window.shift();
    return window.length < limit;
  };
  const countForwarded = (service: Service): void => {
    forwarded[service] += 1;
    lastSecond[service].push(performance.now());
    peakPerSecond[service] = Math.max(peakPerSecond[service], lastSecond[service].length);
  };
  const state = { injected: 0 };

  const forward = (
    request: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const service = serviceOf(request);
    let fault: Fault | null = null;
    if (service) {
      attempts[service] += 1;
      const rule = rules.find((r) => r.service === service);
      const limited = rule?.abovePerSecond !== undefined && withinRate(service, rule.abovePerSecond);
      if (rule && !limited && attempts[service] <= rule.times) fault = rule.fault;
      if (!fault || fault === 'lost-response' || fault === 'lost-response-hang') countForwarded(service);
    }
    if (fault) state.injected += 1;
    switch (fault) {
      case 'throttling':
      case 'server-error': {
        const answer = (fault === 'throttling' ? THROTTLING : SERVER_ERROR)[service as Service];
        response.writeHead(answer.status, { 'content-type': answer.type, 'x-amzn-requestid': '00000000-fault-proxy' });
        response.end(answer.body);
        return;
      }
      case 'reset':
        request.socket.resetAndDestroy();
        return;
      case 'hang':
        return;
      case 'lost-response':
      case 'lost-response-hang': {
        await forward(request, body);
        if (fault === 'lost-response') request.socket.resetAndDestroy();
        return;
      }
      default: {
        const answer = await forward(request, body);
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      }
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => request.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fault proxy has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    attempts,
    forwarded,
    peakPerSecond,
    get injected() {
      return state.injected;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
