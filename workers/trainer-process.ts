/**
 * Trainer child processes: config on stdin, protocol events on stdout, logs on stderr.
 *
 * A trainer runs in its own process group so that stopping it also stops anything it started
 * (data-loader workers, compilers). `TrainerChild` is the process; `TrainerProcess` runs one trial
 * (or range test) in a fresh one, as `sweep lr-find` does; the worker's slots keep warm trainers
 * instead (`warm-trainer.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { parseTrainerLine, type TrainerEvent } from '../contracts/trainer-events';
import type { TrainerConfig } from '../contracts/trial-config';

export const TRAINER_SCRIPT = path.resolve(__dirname, '..', 'trainer', 'run_trial.py');

/** How long a trainer gets to stop (write its last event) before SIGKILL. */
export const STOP_GRACE_MS = 15_000;
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

/** One trial on a trainer: how it ended, and how to stop it early. */
export interface TrainerRun {
  /** How the trial ended, as a one-trial process's exit (docs/trainer-protocol.md, "Exit codes"). */
  readonly exited: Promise<TrainerExit>;
  /** Stops the trial after its current step (SIGKILL after the grace period); resolves once it ended. */
  stop(graceMs?: number): Promise<TrainerExit>;
  /** True when the trainer had run a trial before: Python, torch and the data were ready. */
  readonly warm: boolean;
}

/** A trainer process, leader of its own group: lines of stdout, the end of stderr, and its end. */
export class TrainerChild {
  private readonly child: ChildProcess;
  private stderrTail = '';
  readonly closed: Promise<TrainerExit>;

  constructor(python: string, args: readonly string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void) {
    this.child = spawn(python, [TRAINER_SCRIPT, ...args], {
      detached: true, // a new process group, led by the trainer
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...env, PYTHONUNBUFFERED: '1' },
    });
    const closed = once(this.child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    this.child.stdin!.on('error', () => undefined); // a trainer that dies early closes stdin under us
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (line.trim() !== '') onLine(line);
    });
    // `once` rejects when the child emits 'error', which is how a failed spawn shows up.
    this.closed = closed
      .then(([code, signal]) => ({ code, signal, stderrTail: this.stderrTail }))
      .catch((error: Error) => ({ code: null, signal: null, stderrTail: `could not start ${python}: ${error.message}` }));
  }

  /** The end of stderr from now on only: a warm trainer's next trial, not the logs of those before. */
  clearStderr(): void {
    this.stderrTail = '';
  }

  /** What stderr said last (since `clearStderr`). */
  get stderr(): string {
    return this.stderrTail;
  }

  get running(): boolean {
    return this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  write(text: string): void {
    if (this.child.stdin!.writable) this.child.stdin!.write(text);
  }

  endInput(): void {
    this.child.stdin!.end();
  }

  /** Sends `signal` to the whole group (the trainer and whatever it started). */
  signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /** Waits for the end, SIGKILLs the group if it takes longer than `graceMs`, and kills what is left of the group. */
  async reap(graceMs: number): Promise<TrainerExit> {
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    try {
      return await this.closed;
    } finally {
      clearTimeout(timer);
      // The leader is gone; anything left in its group is killed too.
      this.signalGroup('SIGKILL');
    }
  }
}

/** One trial (or range test) in a fresh process; `args` go after `--config -` (e.g. `--lr-find`). */
export class TrainerProcess implements TrainerRun {
  private readonly child: TrainerChild;
  readonly exited: Promise<TrainerExit>;
  readonly warm = false;

  constructor(python: string, config: TrainerConfig, handlers: TrainerHandlers, env: NodeJS.ProcessEnv = process.env, args: readonly string[] = []) {
    this.child = new TrainerChild(python, ['--config', '-', ...args], env, (line) => {
      const parsed = parseTrainerLine(line);
      if (parsed.ok) handlers.onEvent(parsed.event);
      else handlers.onBadLine(parsed.reason);
    });
    this.child.write(JSON.stringify(config));
    this.child.endInput();
    this.exited = this.child.closed;
  }

  /** SIGTERM to the group, SIGKILL after the grace period; resolves when the trainer has exited. */
  async stop(graceMs = STOP_GRACE_MS): Promise<TrainerExit> {
    if (this.child.running) {
      this.child.signalGroup('SIGTERM');
      await this.child.reap(graceMs);
    }
    return this.exited;
  }
}
