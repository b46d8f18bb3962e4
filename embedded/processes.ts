/**
 * Process bookkeeping for the embedded servers: pid files, liveness, detached start, group stop,
 * and port checks. Linux-only by design (reads /proc), like the servers it manages.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a live process, or null; used to tell our server from a recycled pid. */
export function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return null;
  }
}

export async function readPidFile(file: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export const writePidFile = (file: string, pid: number) => writeFile(file, `${pid}\n`);
export const removePidFile = (file: string) => rm(file, { force: true });

/** Starts a server in its own session (it outlives this CLI), output appended to a log file. */
export function spawnDetached(command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv): Promise<number> {
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env });
    return new Promise((resolve, reject) => {
      child.once('error', (error) => reject(new Error(`cannot start ${command}: ${error.message}`)));
      child.once('spawn', () => {
        child.unref();
        resolve(child.pid!);
      });
    });
  } finally {
    closeSync(log);
  }
}

/**
 * Polls until `check` returns a value or the time is up. This waits on other processes (a server
 * coming up, a process going away), which offer no event to wait on.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 500);
  }
}

/** SIGTERM to the process group, SIGKILL after the grace period; true once the leader is gone. */
export async function stopGroup(pid: number, graceMs: number): Promise<boolean> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const gone = await pollUntil(async () => (isAlive(pid) ? undefined : true), graceMs);
  if (gone) return true;
  signal('SIGKILL');
  return (await pollUntil(async () => (isAlive(pid) ? undefined : true), 5_000)) === true;
}

export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
