/**
 * Fault injection for the fault suite: SIGKILL of a process of the embedded stack by its pid file.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isAlive, pollUntil } from '../../embedded/processes';

/** SIGKILLs one process of the embedded stack (by its pid file) and waits until it is gone. */
export async function killComponent(stateDir: string, name: 'worker' | 'temporal' | 'nats'): Promise<number> {
  const pid = Number(readFileSync(path.join(stateDir, `${name}.pid`), 'utf8').trim());
  process.kill(pid, 'SIGKILL');
  const gone = await pollUntil(async () => (isAlive(pid) ? undefined : true), 10_000);
  if (!gone) throw new Error(`${name} (pid ${pid}) still alive after SIGKILL`);
  return pid;
}
