/**
 * Runs the real `sweep` command in a child process, with its own state folder and loopback ports,
 * and finds processes that belong to one test's stack.
 */
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import type { ConnectionOptions } from '@nats-io/nats-core';
import { natsConnectOptions } from '../../connections/nats';
import { readEmbeddedNatsCredentials } from '../../connections/security';

export const SWEEP_BIN = path.resolve(__dirname, '..', '..', 'bin', 'sweep.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A free loopback port, and (for Temporal) the UI port at +1000 free too. */
export async function freePort(alsoFree: number[] = []): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as net.AddressInfo;
        server.close(() => resolve(p));
      });
    });
    if (port + Math.max(0, ...alsoFree) > 65535) continue;
    const extra = await Promise.all(alsoFree.map((offset) => portIsFree(port + offset)));
    if (extra.every(Boolean)) return port;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface TestStack {
  stateDir: string;
  env: NodeJS.ProcessEnv;
  /** How to connect to the stack's nats-server, with the password `dev up` generated. */
  natsOptions(): ConnectionOptions;
  /** Where the stack's metrics exporter listens: http://127.0.0.1:<port>. */
  metricsUrl: string;
  run(args: string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult>;
  /** Deletes the state folder (servers stopped first). */
  remove(): Promise<void>;
}

/**
 * One stack for the tests of a describe block: created before them; after them its servers are
 * stopped and its folder removed. Call inside the describe; use the returned stack in the tests.
 */
export function useTestStack(): TestStack {
  let stack: TestStack | undefined;
  before(async () => {
    stack = await createTestStack();
  });
  after(async () => {
    await stack?.run(['dev', 'down']);
    await stack?.remove();
  });
  return new Proxy({} as TestStack, {
    get(_, key: keyof TestStack) {
      if (stack === undefined) throw new Error('the test stack is used before its describe block started');
      return stack[key];
    },
  });
}

export async function createTestStack(): Promise<TestStack> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'sweep-test-'));
  const temporalPort = await freePort([1000]);
  const natsPort = await freePort();
  const metricsPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWEEP_STATE_DIR: stateDir,
    SWEEP_TEMPORAL_PORT: String(temporalPort),
    SWEEP_NATS_PORT: String(natsPort),
    SWEEP_METRICS_PORT: String(metricsPort),
    SWEEP_LOG_LEVEL: 'warn',
  };
  delete env.TEMPORAL_ADDRESS;
  delete env.NATS_URL;
  return {
    stateDir,
    env,
    natsOptions: () => natsConnectOptions({ natsUrl: `nats://127.0.0.1:${natsPort}`, natsSecurity: () => readEmbeddedNatsCredentials(stateDir) }),
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    run: (args, options = {}) => runCli(args, { ...env, ...options.env }, options.timeoutMs),
    remove: () => rm(stateDir, { recursive: true, force: true }),
  };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 600_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SWEEP_BIN, ...args], { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // execFile's error carries the exit status as a number in `code` (a string for spawn failures).
      const code: unknown = error ? (error as { code?: unknown }).code : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

/** Starts `sweep` without waiting for it (for --detach or long commands). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv) {
  return spawn(process.execPath, [SWEEP_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Live processes whose environment names this state folder: servers, worker and trainers alike. */
export function processesOf(stateDir: string): Array<{ pid: number; cmd: string }> {
  const found: Array<{ pid: number; cmd: string }> = [];
  const marker = `SWEEP_STATE_DIR=${stateDir}\0`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) continue;
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').join(' ').trim();
      const state = readFileSync(`/proc/${entry}/stat`, 'latin1').split(') ')[1]?.[0];
      if (state !== 'Z') found.push({ pid: Number(entry), cmd });
    } catch {
      /* the process ended while we looked */
    }
  }
  return found;
}

/**
 * A tiny sweep on real data, written to `<dir>/<name>.json`: very narrow ResNets on 3,000 training
 * images, random search over the max LR and dropout, 2 trials at a time.
 */
export const TINY_TRAIN_IMAGES = 3000;
export const TINY_BATCH = 64;
export function writeTinySpace(dir: string, name: string, options: { trials: number; epochs: number; seed?: number }): string {
  const file = path.join(dir, `${name}.json`);
  const space = {
    name,
    seed: options.seed ?? 7,
    trials: options.trials,
    parallel: 2,
    searcher: 'random',
    fixed: { epochs: options.epochs, widths: [8, 16, 32], train_subset: TINY_TRAIN_IMAGES, stats_every: 10, log_every: 2, batch_size: TINY_BATCH },
    params: { max_lr: { type: 'loguniform', low: 0.005, high: 0.02 }, dropout: { type: 'uniform', low: 0, high: 0.2 } },
  };
  writeFileSync(file, JSON.stringify(space));
  return file;
}

/** `sweep start FILE --detach --json` on the stack; returns the sweep id. */
export async function startDetached(stack: TestStack, file: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const started = await stack.run(['start', file, '--detach', '--json'], { env });
  if (started.code !== 0) throw new Error(`sweep start ${file} exited ${started.code}: ${started.stderr}`);
  return (JSON.parse(started.stdout) as { sweep: { id: string } }).sweep.id;
}
