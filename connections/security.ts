/**
 * Credentials and TLS for NATS and Temporal, from the environment (external servers) or from the
 * embedded stack's state folder (a generated password, readable by its owner only).
 *
 * Secrets live in the objects built here and nowhere else: never in a log line, an error message
 * or a command line (the embedded nats-server reads its password from a 0600 config file).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';

export class SecurityConfigError extends Error {
  override name = 'SecurityConfigError';
}

export interface NatsSecurity {
  user?: string;
  pass?: string;
  token?: string;
  /** A .creds file (JWT and nkey seed), for NATS accounts. */
  credsFile?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

export interface TemporalSecurity {
  tls?: { caFile?: string; certFile?: string; keyFile?: string; serverName?: string };
  apiKey?: string;
}

function file(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (!value) return undefined;
  if (!existsSync(value)) throw new SecurityConfigError(`${name}=${value}: no such file`);
  return value;
}

/** NATS settings of external servers: NATS_USER + NATS_PASSWORD, NATS_TOKEN or NATS_CREDS; NATS_TLS_CA / _CERT / _KEY. */
export function natsSecurityFromEnv(env: NodeJS.ProcessEnv): NatsSecurity {
  const security: NatsSecurity = {};
  if (env.NATS_USER || env.NATS_PASSWORD) {
    if (!env.NATS_USER || !env.NATS_PASSWORD) throw new SecurityConfigError('set both NATS_USER and NATS_PASSWORD, or neither');
    Object.assign(security, { user: env.NATS_USER, pass: env.NATS_PASSWORD });
  }
  if (env.NATS_TOKEN) security.token = env.NATS_TOKEN;
  const creds = file(env, 'NATS_CREDS');
  if (creds) security.credsFile = creds;
  const chosen = [security.user, security.token, security.credsFile].filter(Boolean).length;
  if (chosen > 1) throw new SecurityConfigError('set one of NATS_USER/NATS_PASSWORD, NATS_TOKEN and NATS_CREDS');
  const tls = { caFile: file(env, 'NATS_TLS_CA'), certFile: file(env, 'NATS_TLS_CERT'), keyFile: file(env, 'NATS_TLS_KEY') };
  if (!!tls.certFile !== !!tls.keyFile) throw new SecurityConfigError('set both NATS_TLS_CERT and NATS_TLS_KEY (a client certificate and its key), or neither');
  if (tls.caFile || tls.certFile) security.tls = tls;
  return security;
}

/** Temporal settings of an external server: TEMPORAL_TLS_CA / _CERT / _KEY / _SERVER_NAME, TEMPORAL_API_KEY. */
export function temporalSecurityFromEnv(env: NodeJS.ProcessEnv): TemporalSecurity {
  const security: TemporalSecurity = {};
  const tls = { caFile: file(env, 'TEMPORAL_TLS_CA'), certFile: file(env, 'TEMPORAL_TLS_CERT'), keyFile: file(env, 'TEMPORAL_TLS_KEY'), serverName: env.TEMPORAL_TLS_SERVER_NAME || undefined };
  if (!!tls.certFile !== !!tls.keyFile) throw new SecurityConfigError('set both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (a client certificate and its key), or neither');
  if (tls.caFile || tls.certFile || tls.serverName) security.tls = tls;
  if (env.TEMPORAL_API_KEY) security.apiKey = env.TEMPORAL_API_KEY;
  return security;
}

/** The embedded nats-server's generated user, kept beside its config in the state folder. */
const EMBEDDED_USER = 'sweep';
const credentialsSchema = z.object({ user: z.string().min(1), pass: z.string().min(16) });
export const embeddedCredentialsFile = (stateDir: string) => path.join(stateDir, 'nats-credentials.json');

/** The embedded stack's NATS credentials; read at connect time, since `dev up` may create them after config resolves. */
export function readEmbeddedNatsCredentials(stateDir: string): NatsSecurity {
  const credentials = embeddedCredentialsFile(stateDir);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(credentials, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SecurityConfigError(
      code === 'ENOENT'
        ? `no ${credentials}: the embedded stack is not running, or an older sweep started it; run \`sweep dev down\`, then \`sweep dev up\``
        : `cannot read ${credentials}: ${code ?? 'not JSON'}`,
    );
  }
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) throw new SecurityConfigError(`${credentials} is not a sweep credentials file; delete it and run \`sweep dev down && sweep dev up\``);
  return parsed.data;
}

/** Creates the embedded NATS password once (owner-only file) and returns it. */
export async function ensureEmbeddedNatsCredentials(stateDir: string): Promise<{ user: string; pass: string }> {
  const credentials = embeddedCredentialsFile(stateDir);
  if (existsSync(credentials)) {
    const { user, pass } = readEmbeddedNatsCredentials(stateDir);
    return { user: user!, pass: pass! };
  }
  await mkdir(stateDir, { recursive: true });
  const created = { user: EMBEDDED_USER, pass: randomBytes(24).toString('hex') };
  await writeFile(credentials, `${JSON.stringify(created)}\n`, { mode: 0o600 });
  await chmod(credentials, 0o600);
  return created;
}
