/**
 * One trainer child process: config on stdin, protocol events on stdout, logs on stderr.
 *
 * The trainer runs in its own process group so that stopping it also stops anything it started
 * (data-loader workers, compilers); `stop()` returns only once the whole group is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { parseTrainerLine, type TrainerEvent } from '../contracts/trainer-events';
import type { TrainerConfig } from '../contracts/trial-config';

export const TRAINER_SCRIPT = path.resolve(__dirname, '..', 'trainer', 'run_trial.py');

/** How long a trainer gets after SIGTERM to write its last event before SIGKILL. */
const STOP_GRACE_MS = 15_000;
/** Keep the end of stderr: a crash's reason is in its last lines. */
const STDERR_TAIL_CHARS = 4_000;

export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
}

export interface TrainerHandlers {
  onEvent(event: TrainerEvent): void;
  onBadLine(reason: string): void;
}

export class TrainerProcess {
  private readonly child: ChildProcess;
  private stderrTail = '';
  readonly exited: Promise<TrainerExit>;

  /** `args` go after `--config -` (e.g. `--lr-find`). */
  constructor(python: string, config: TrainerConfig, handlers: TrainerHandlers, env: NodeJS.ProcessEnv = process.env, args: readonly string[] = []) {
    this.child = spawn(python, [TRAINER_SCRIPT, '--config', '-', ...args], {
      detached: true, // a new process group, led by the trainer
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...env, PYTHONUNBUFFERED: '1' },
    });
    const closed = once(this.child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    this.child.stdin!.on('error', () => undefined); // a trainer that dies early closes stdin under us
    this.child.stdin!.end(JSON.stringify(config));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    const lines = createInterface({ input: this.child.stdout! });
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      const parsed = parseTrainerLine(line);
      if (parsed.ok) handlers.onEvent(parsed.event);
      else handlers.onBadLine(parsed.reason);
    });
    // `once` rejects when the child emits 'error', which is how a failed spawn shows up.
    this.exited = closed
      .then(([code, signal]) => ({ code, signal, stderrTail: this.stderrTail }))
      .catch((error: Error) => ({ code: null, signal: null, stderrTail: `could not start ${python}: ${error.message}` }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM to the group, SIGKILL after the grace period; resolves when the trainer has exited. */
  async stop(graceMs = STOP_GRACE_MS): Promise<TrainerExit> {
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      try {
        await this.exited;
      } finally {
        clearTimeout(timer);
      }
      // The leader is gone; anything left in its group is killed too.
      signalGroup(pid, 'SIGKILL');
    }
    return this.exited;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
