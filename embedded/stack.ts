/**
 * The embedded local stack: a Temporal dev server, nats-server with JetStream, the metrics exporter
 * and one local worker, each a detached process with a pid file and a log under the state folder, all on loopback.
 * `up` starts what is missing and reuses what runs; `down` stops them in reverse order.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ConnectionConfig } from '../connections/config';
import { ensureEmbeddedNatsCredentials } from '../connections/security';
import type { QueueKind } from '../contracts/space';
import { CONTROL_TASK_QUEUE, trialTaskQueue } from '../workers/task-queues';
import { commandLine, isAlive, isPortFree, readPidFile, removePidFile, spawnDetached, stopGroup, writePidFile } from './processes';
import { findNatsServer, findTemporalCli } from './binaries';
import { httpReady, natsReady, temporalReady, workerReady, setRetention } from './readiness';

export const LOOPBACK = '127.0.0.1';
/** Finished sweeps stay readable in Temporal for this long. */
export const RETENTION_DAYS = 30;
const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 30_000;

export type ComponentName = 'temporal' | 'nats' | 'metrics' | 'worker';
export interface ComponentStatus {
  name: ComponentName;
  pid: number | null;
  running: boolean;
  endpoint: string;
  log: string;
}

export class StackError extends Error {
  override name = 'StackError';
}

interface Component {
  name: ComponentName;
  endpoint: string;
  /** A word of the process's command line, to tell our server from a recycled pid. */
  signature: string;
  /** Ports it will listen on (loopback), checked free before anything starts. */
  ports: number[];
  portEnv: string | null;
  start(): Promise<{ command: string; args: string[] }>;
  ready(pid: number): Promise<boolean>;
}

function hostPort(address: string): { host: string; port: number } {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  return { host: url.hostname, port: Number(url.port) };
}

/**
 * The embedded nats-server's config: loopback, JetStream on disk, and a password every client must
 * give. In a file readable by its owner only, so the password is in no command line.
 */
async function writeNatsConfig(dir: string, port: number): Promise<string> {
  const { user, pass } = await ensureEmbeddedNatsCredentials(dir);
  const file = path.join(dir, 'nats.conf');
  const text = [
    `listen: "${LOOPBACK}:${port}"`,
    `jetstream { store_dir: ${JSON.stringify(path.join(dir, 'nats'))} }`,
    `authorization { user: ${JSON.stringify(user)}, password: ${JSON.stringify(pass)} }`,
    '',
  ].join('\n');
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

function components(config: ConnectionConfig, workerQueue: QueueKind | null): Component[] {
  const temporal = hostPort(config.temporalAddress);
  const nats = hostPort(config.natsUrl);
  const dir = config.stateDir;
  return [
    {
      name: 'temporal',
      endpoint: `${config.temporalAddress} (UI http://${LOOPBACK}:${temporal.port + 1000})`,
      signature: 'start-dev',
      ports: [temporal.port, temporal.port + 1000],
      portEnv: 'SWEEP_TEMPORAL_PORT',
      start: async () => ({
        command: await findTemporalCli(),
        args: [
          'server', 'start-dev',
          '--db-filename', path.join(dir, 'temporal.db'),
          '--ip', LOOPBACK,
          '--port', String(temporal.port),
          '--ui-port', String(temporal.port + 1000),
          '--log-level', 'warn',
        ],
      }),
      ready: async () => {
        if (!(await temporalReady(config, START_TIMEOUT_MS))) return false;
        await setRetention(config, RETENTION_DAYS);
        return true;
      },
    },
    {
      name: 'nats',
      endpoint: config.natsUrl,
      signature: 'nats-server',
      ports: [nats.port],
      portEnv: 'SWEEP_NATS_PORT',
      start: async () => ({
        command: await findNatsServer(),
        args: ['-c', await writeNatsConfig(dir, nats.port)],
      }),
      ready: () => natsReady(config, START_TIMEOUT_MS),
    },
    {
      name: 'metrics',
      endpoint: `http://${LOOPBACK}:${config.metricsPort}/metrics`,
      signature: 'metrics',
      ports: [config.metricsPort],
      portEnv: 'SWEEP_METRICS_PORT',
      start: async () => ({
        command: process.execPath,
        args: [path.resolve(__dirname, '..', 'bin', 'sweep.js'), 'metrics', '--state-dir', dir, '--host', LOOPBACK, '--port', String(config.metricsPort)],
      }),
      ready: (pid) => httpReady(`http://${LOOPBACK}:${config.metricsPort}/healthz`, () => isAlive(pid), START_TIMEOUT_MS),
    },
    {
      name: 'worker',
      endpoint: `task queues ${CONTROL_TASK_QUEUE}${workerQueue ? ` and ${trialTaskQueue(workerQueue)}` : ''}`,
      signature: 'worker',
      ports: [],
      portEnv: null,
      start: async () => ({
        command: process.execPath,
        args: [path.resolve(__dirname, '..', 'bin', 'sweep.js'), 'worker', '--state-dir', dir, ...(workerQueue ? ['--queue', workerQueue] : [])],
      }),
      ready: (pid) => workerReady(config, () => isAlive(pid), START_TIMEOUT_MS),
    },
  ];
}

const pidFile = (config: ConnectionConfig, name: ComponentName) => path.join(config.stateDir, `${name}.pid`);
const logFile = (config: ConnectionConfig, name: ComponentName) => path.join(config.stateDir, `${name}.log`);

/** The pid of our live process for this component; removes a stale pid file on the way. */
async function livePid(config: ConnectionConfig, c: Component, report: (line: string) => void): Promise<number | null> {
  const file = pidFile(config, c.name);
  const pid = await readPidFile(file);
  if (pid === null) return null;
  if (isAlive(pid) && commandLine(pid)?.includes(c.signature)) return pid;
  report(`${c.name}: removed stale pid file ${file} (process ${pid} is not running)`);
  await removePidFile(file);
  return null;
}

export async function stackStatus(config: ConnectionConfig): Promise<ComponentStatus[]> {
  const statuses: ComponentStatus[] = [];
  for (const c of components(config, null)) {
    const file = pidFile(config, c.name);
    const pid = await readPidFile(file);
    const running = pid !== null && isAlive(pid) && !!commandLine(pid)?.includes(c.signature);
    statuses.push({ name: c.name, pid, running, endpoint: c.endpoint, log: logFile(config, c.name) });
  }
  return statuses;
}

export interface UpOptions {
  /** The trial queue the local worker serves, or false for no worker. */
  worker: { queue: QueueKind } | false;
  report: (line: string) => void;
}

export async function stackUp(config: ConnectionConfig, options: UpOptions): Promise<void> {
  if (config.mode !== 'embedded') {
    throw new StackError('TEMPORAL_ADDRESS and NATS_URL point at your own servers; the embedded stack is not used');
  }
  await mkdir(config.stateDir, { recursive: true });
  const all = components(config, options.worker ? options.worker.queue : null);
  const wanted = options.worker ? all : all.filter((c) => c.name !== 'worker');
  // Decide everything before starting anything, so a port conflict leaves nothing half started.
  const toStart: Component[] = [];
  for (const c of wanted) {
    const running = await livePid(config, c, options.report);
    if (running !== null) {
      options.report(`${c.name}: running (pid ${running}) at ${c.endpoint}`);
      continue;
    }
    for (const port of c.ports) {
      if (await isPortFree(LOOPBACK, port)) continue;
      throw new StackError(
        `${c.name}: port ${port} on ${LOOPBACK} is in use by another program (not a sweep server of ${config.stateDir}); ` +
          `stop it, or set ${c.portEnv} to a free port`,
      );
    }
    toStart.push(c);
  }
  for (const c of toStart) {
    const { command, args } = await c.start();
    const log = logFile(config, c.name);
    const pid = await spawnDetached(command, args, log, process.env);
    await writePidFile(pidFile(config, c.name), pid);
    if (!(await c.ready(pid))) {
      const died = !isAlive(pid);
      await stopGroup(pid, STOP_GRACE_MS);
      await removePidFile(pidFile(config, c.name));
      // The log's last lines usually say why (a port taken, a bad config), so they come along.
      const tail = await readFile(log, 'utf8').then((text) => text.trimEnd().split('\n').slice(-5).join('\n'), () => '');
      const what = died ? `${c.name} exited while starting` : `${c.name} did not become ready within ${START_TIMEOUT_MS / 1000} s`;
      throw new StackError(`${what}; see ${log}${tail ? `, which ends:\n${tail}` : ''}`);
    }
    options.report(`${c.name}: started (pid ${pid}) at ${c.endpoint}`);
  }
}

export async function stackDown(config: ConnectionConfig, report: (line: string) => void): Promise<void> {
  // Reverse order of start-up: the worker finishes its trials before the servers go.
  for (const c of components(config, null).reverse()) {
    const pid = await livePid(config, c, report);
    if (pid === null) {
      report(`${c.name}: not running`);
      continue;
    }
    const stopped = await stopGroup(pid, STOP_GRACE_MS);
    if (!stopped) throw new StackError(`${c.name} (pid ${pid}) did not stop, even after SIGKILL`);
    await removePidFile(pidFile(config, c.name));
    report(`${c.name}: stopped (pid ${pid})`);
  }
}
