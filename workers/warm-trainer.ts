/**
 * A warm trainer: one `run_trial.py --serve` process that runs a slot's trials one after another,
 * so Python's start, torch's import, the data's reading and checksum and CUDA's start-up are paid
 * once per slot, not once per trial (docs/trainer-protocol.md, "Warm trainer").
 *
 * Each trial ends with the trainer's `done` line, which carries the exit code a one-trial process
 * would have had, so a warm trial's outcome maps exactly as a cold one's (trainer-outcome.ts). A
 * trainer that dies, says it is not reusable, or does not stop in time is never given another trial.
 */
import { parseServeLine } from '../contracts/trainer-events';
import type { TrainerConfig } from '../contracts/trial-config';
import { STOP_GRACE_MS, TrainerChild, type TrainerExit, type TrainerHandlers, type TrainerRun } from './trainer-process';

interface CurrentRun {
  id: string;
  handlers: TrainerHandlers;
  end(exit: TrainerExit): void;
}

export class WarmTrainer {
  private readonly child: TrainerChild;
  private current: CurrentRun | null = null;
  private trials = 0;
  /** Set once the process must take no more trials: it ended, will end, or was killed. */
  private retired = false;

  constructor(python: string, env: NodeJS.ProcessEnv) {
    this.child = new TrainerChild(python, ['--serve'], env, (line) => this.onLine(line));
    void this.child.closed.then((exit) => {
      this.retired = true;
      // A trial in progress ends with the process: a crash, an OOM kill, a SIGKILL.
      this.finish(exit);
    });
  }

  /** True when the process is alive and free for the next trial. */
  get idle(): boolean {
    return !this.retired && this.current === null && this.child.running;
  }

  run(config: TrainerConfig, handlers: TrainerHandlers): TrainerRun {
    if (!this.idle) throw new Error('a warm trainer runs one trial at a time, and none once retired');
    this.trials += 1;
    const id = String(this.trials);
    let end!: (exit: TrainerExit) => void;
    const exited = new Promise<TrainerExit>((resolve) => (end = resolve));
    this.current = { id, handlers, end };
    // A crash's reason is in this trial's stderr, not in the logs of the trials before it.
    this.child.clearStderr();
    this.child.write(`${JSON.stringify({ run: id, config })}\n`);
    return { exited, warm: this.trials > 1, stop: (graceMs = STOP_GRACE_MS) => this.stopRun(id, exited, graceMs) };
  }

  /** Ends stdin (the trainer's goodbye) and waits for the process to exit, SIGKILL after `graceMs`. */
  async close(graceMs = STOP_GRACE_MS): Promise<void> {
    this.retired = true;
    this.child.endInput();
    await this.child.reap(graceMs);
  }

  private async stopRun(id: string, exited: Promise<TrainerExit>, graceMs: number): Promise<TrainerExit> {
    if (this.current?.id !== id) return exited;
    this.child.write(`${JSON.stringify({ stop: id })}\n`);
    const timer = setTimeout(() => {
      // It did not stop in time: it takes no more trials, and the trial ends as killed.
      this.retired = true;
      this.child.signalGroup('SIGKILL');
    }, graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private onLine(line: string): void {
    const run = this.current;
    const parsed = parseServeLine(line);
    if (!parsed.ok) {
      run?.handlers.onBadLine(parsed.reason);
      return;
    }
    if ('done' in parsed) {
      if (run?.id !== parsed.done.run) return;
      if (!parsed.done.reusable) this.retired = true;
      this.finish({ code: parsed.done.exit_code, signal: null, stderrTail: this.child.stderr });
      return;
    }
    run?.handlers.onEvent(parsed.event);
  }

  private finish(exit: TrainerExit): void {
    const run = this.current;
    if (run === null) return;
    this.current = null;
    run.end(exit);
  }
}
