/**
 * The exporter's HTTP face: `GET /metrics` for Prometheus, `POST /alerts` (Alertmanager or Grafana
 * webhook) and `POST /api/v2/alerts` (Prometheus's own alert push) for alert-driven stops, and
 * `GET /healthz`. Alert endpoints take a bearer token when one is configured.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { parseAlerts, type PruneRequest } from './alert-receiver';

/** Alert batches are small; anything bigger is not an alert. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface MetricsHttpOptions {
  exposition(): string;
  onPrune(request: PruneRequest): void;
  logger: Logger;
  /** When set, alert posts must carry `Authorization: Bearer <token>`. */
  alertToken: string | null;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function authorised(req: IncomingMessage, token: string | null): boolean {
  if (token === null) return true;
  const given = Buffer.from(req.headers.authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function reply(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

export function createMetricsServer(options: MetricsHttpOptions): Server {
  const { logger } = options;
  const receiveAlerts = async (req: IncomingMessage, res: ServerResponse) => {
    if (!authorised(req, options.alertToken)) return reply(res, 401, JSON.stringify({ error: 'missing or wrong bearer token' }));
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      const message = error instanceof BodyTooLarge ? `body over ${MAX_BODY_BYTES} bytes` : 'body is not JSON';
      logger.warn({ path: req.url }, `rejected an alert post: ${message}`);
      return reply(res, error instanceof BodyTooLarge ? 413 : 400, JSON.stringify({ error: message }));
    }
    const parsed = parseAlerts(body, Date.now());
    if (!parsed.ok) {
      logger.warn({ path: req.url }, `rejected an alert post: ${parsed.error}`);
      return reply(res, 400, JSON.stringify({ error: parsed.error }));
    }
    for (const request of parsed.requests) options.onPrune(request);
    return reply(res, 200, JSON.stringify({ pruned: parsed.requests.length, ignored: parsed.ignored }));
  };

  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/metrics') return reply(res, 200, options.exposition(), 'text/plain; version=0.0.4; charset=utf-8');
    if (req.method === 'GET' && url.pathname === '/healthz') return reply(res, 200, 'ok\n', 'text/plain');
    if (req.method === 'POST' && (url.pathname === '/alerts' || url.pathname === '/api/v2/alerts')) {
      receiveAlerts(req, res).catch((error: unknown) => {
        logger.error({ err: error }, 'alert post failed');
        if (!res.headersSent) reply(res, 500, JSON.stringify({ error: 'internal error' }));
      });
      return;
    }
    reply(res, 404, JSON.stringify({ error: `no ${req.method} ${url.pathname}; try GET /metrics` }));
  });
}
