/**
 * The fault suite: real sweeps on the embedded stack (Temporal dev server, nats-server, a worker,
 * the PyTorch trainer on real Fashion-MNIST) while their processes are SIGKILLed at seeded random
 * moments: the worker mid-epoch, the Temporal dev server (restarted on the same db), nats-server
 * (restarted on the same store) and the CLI (reattached with `sweep watch`). After each sweep:
 * it completed, every trial has exactly one result, nothing is lost or duplicated, and a crashed
 * worker cost at most one epoch of the trial's work. The suite ends with the fault matrix.
 *
 * SWEEP_FAULT_SEED replays a schedule (the seed in use is printed).
 */
import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { JsonSummary } from '../cli/summary';
import type { SweepEvent } from '../contracts/sweep-events';
import { pollUntil } from '../embedded/processes';
import { findTorchPython } from '../workers/find-python';
import { createRng } from '../searcher/rng';
import { createTestStack, spawnCli, startDetached, TINY_BATCH, TINY_TRAIN_IMAGES, writeTinySpace, type TestStack } from './support/cli';
import { allSweepEvents, SweepFollower } from './support/events';
import { killComponent } from './support/faults';

const SEED = Number(process.env.SWEEP_FAULT_SEED ?? 20261203);
/** As the trainer counts them (a last batch of one image is skipped). */
const STEPS_PER_EPOCH = Math.floor(TINY_TRAIN_IMAGES / TINY_BATCH) + (TINY_TRAIN_IMAGES % TINY_BATCH >= 2 ? 1 : 0);

interface MatrixRow {
  fault: string;
  injected: number;
  sweeps: number;
  completed: number;
  lost: number;
  duplicated: number;
  /** Worst trainer work a crash cost one trial, in epochs (worker faults only). */
  worstLostEpochs: number | null;
}

const isStep = (e: SweepEvent): e is SweepEvent & { data: { event: 'step'; epoch: number; step: number } } => e.data.event === 'step';

/**
 * The k-th fault's seeded moment: a step 20-80% into a seeded epoch of a trial numbered k or later
 * (trials start in order, so every fault of a schedule has a trial left to land in).
 */
function moment(random: () => number, k: number, epochs = 2): (e: SweepEvent) => boolean {
  const epoch = Math.floor(random() * epochs);
  const step = epoch * STEPS_PER_EPOCH + Math.floor((0.2 + 0.6 * random()) * STEPS_PER_EPOCH);
  return (e) => isStep(e) && e.trial >= k && e.data.epoch === epoch && e.data.step >= step;
}

describe('fault injection: SIGKILL at seeded moments, and nothing lost', { concurrency: false }, () => {
  let stack: TestStack;
  const matrix: MatrixRow[] = [];
  const random = createRng(SEED);

  before(async () => {
    stack = await createTestStack();
    const up = await stack.run(['dev', 'up']);
    assert.equal(up.code, 0, up.stderr);
    process.stdout.write(`# fault seed ${SEED} (set SWEEP_FAULT_SEED to replay)\n`);
  });

  after(async () => {
    process.stdout.write(`${formatMatrix(matrix)}\n`);
    await stack.run(['dev', 'down']);
    await stack.remove();
  });

  async function restartStack(): Promise<void> {
    const up = await stack.run(['dev', 'up']);
    assert.equal(up.code, 0, up.stderr);
  }

  /** Waits for the sweep to end (it survives everything the suite does) and returns its summary. */
  async function finished(sweepId: string): Promise<JsonSummary> {
    const done = await pollUntil(async () => {
      const r = await stack.run(['status', sweepId, '--json']);
      if (r.code !== 0) return undefined;
      const s = JSON.parse(r.stdout) as JsonSummary;
      return s.sweep.state === 'completed' || s.sweep.state === 'stopped' ? s : undefined;
    }, 900_000);
    assert.ok(done, `sweep ${sweepId} did not finish`);
    return done;
  }

  /** Exactly one completed result per trial, in Temporal and in the results store, and in the events. */
  async function audit(summary: JsonSummary, budget: number): Promise<{ lost: number; duplicated: number; events: SweepEvent[] }> {
    const numbers = summary.trials.map((t) => t.trial);
    const distinct = new Set(numbers);
    const completed = new Set(summary.trials.filter((t) => t.state === 'completed' && t.metrics?.val_acc != null).map((t) => t.trial));
    const events = await allSweepEvents(stack.natsOptions(), summary.sweep.id);
    const finals = new Map<number, number>();
    for (const e of events) if (e.data.event === 'trial_ended' && e.data.final) finals.set(e.trial, (finals.get(e.trial) ?? 0) + 1);
    const lost = budget - completed.size;
    const duplicated = numbers.length - distinct.size + [...finals.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
    if (duplicated > 0 || lost > 0) {
      // Say which, for the report: trials listed twice, and final trial_ended events by attempt.
      const endings = events.filter((e) => e.data.event === 'trial_ended').map((e) => `${e.trial}/${e.attempt}:${JSON.stringify(e.data)}`);
      process.stdout.write(`# ${summary.sweep.id}: lost ${lost}, duplicated ${duplicated}\n# ${endings.join('\n# ')}\n`);
    }
    return { lost, duplicated, events };
  }

  function record(fault: string, injected: number, summary: JsonSummary, audit: { lost: number; duplicated: number }, worstLostEpochs: number | null = null) {
    matrix.push({ fault, injected, sweeps: 1, completed: summary.sweep.state === 'completed' ? 1 : 0, lost: audit.lost, duplicated: audit.duplicated, worstLostEpochs });
  }

  it('a worker SIGKILLed mid-epoch: its trials resume from their last checkpoint on the restarted worker', async () => {
    const kills = 6;
    const budget = 10;
    const sweepId = await startDetached(stack, writeTinySpace(stack.stateDir, 'fault-worker', { trials: budget, epochs: 2 }));
    const follower = new SweepFollower(() => stack.natsOptions(), sweepId, budget);
    await follower.start();
    const hits = new Map<number, number>(); // trial -> times a kill hit it while it ran
    let injected = 0;
    const killed: Array<{ trial: number; attempt: number; lastStep: number }> = [];
    try {
      for (let k = 0; k < kills; k++) {
        const at = moment(random, 0);
        // Kill only while every running trial has been hit at most once, so none runs out of attempts.
        const trigger = await follower.next((e) => at(e) && runningTrials(follower.events).every((r) => (hits.get(r.trial) ?? 0) <= 1));
        if (trigger === null) break;
        injected += 1;
        const victims = runningTrials(follower.events);
        await killComponent(stack.stateDir, 'worker');
        for (const v of victims) {
          hits.set(v.trial, (hits.get(v.trial) ?? 0) + 1);
          killed.push({ trial: v.trial, attempt: v.attempt, lastStep: lastStepOf(follower.events, v.trial, v.attempt) });
        }
        assert.ok(victims.some((v) => v.trial === trigger.trial));
        await restartStack();
      }
    } finally {
      await follower.stop();
    }
    const summary = await finished(sweepId);
    const result = await audit(summary, budget);
    // Work lost per crash: steps the killed attempt had done beyond the checkpoint the next attempt started from.
    let worst = 0;
    for (const k of killed) {
      // The next attempt that trained (one killed again while starting up never said `ready`).
      const ready = result.events.find((e) => e.trial === k.trial && e.attempt > k.attempt && e.data.event === 'ready');
      assert.ok(ready && ready.data.event === 'ready', `trial ${k.trial} never trained again after attempt ${k.attempt}`);
      const lostEpochs = Math.max(0, k.lastStep - ready.data.start_epoch * STEPS_PER_EPOCH) / STEPS_PER_EPOCH;
      worst = Math.max(worst, lostEpochs);
    }
    record('worker SIGKILL mid-epoch', injected, summary, result, worst);
    assert.equal(injected, kills, 'the sweep ended before every fault of the schedule was injected');
    assert.equal(summary.sweep.state, 'completed');
    assert.deepEqual({ lost: result.lost, duplicated: result.duplicated }, { lost: 0, duplicated: 0 });
    assert.ok(killed.some((k) => k.lastStep >= STEPS_PER_EPOCH), 'no kill landed after a checkpoint: the schedule tested no resume');
    assert.ok(worst <= 1, `a crash cost ${worst.toFixed(2)} epochs of work`);
    await sameResultAsUninterrupted(summary, killed);
  });

  /** A resumed trial ends with the result of an uninterrupted run: the trainer alone, same config. */
  async function sameResultAsUninterrupted(summary: JsonSummary, killed: Array<{ trial: number; lastStep: number }>): Promise<void> {
    const resumed = killed.find((k) => k.lastStep >= STEPS_PER_EPOCH);
    const trial = summary.trials.find((t) => t.trial === resumed!.trial)!;
    // The worker gives each of its 2 slots one thread here; the same thread count gives the same sums.
    const config = JSON.stringify({ ...trial.params, threads: 1, device: 'cpu' });
    const { python } = await findTorchPython();
    const out = execFileSync(python, ['trainer/run_trial.py', '--config', '-'], { input: config, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const result = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; val_acc?: number; val_loss?: number })
      .find((e) => e.event === 'result');
    assert.equal(result?.val_acc, trial.metrics?.val_acc, `trial ${trial.trial}: resumed ${trial.metrics?.val_acc}, uninterrupted ${result?.val_acc}`);
    assert.equal(result?.val_loss, trial.metrics?.val_loss);
  }

  /**
   * A 10-trial sweep with `kills` faults, each at the seeded moment of a later trial; `inject` does
   * one fault. Then the sweep must complete with one result per trial, nothing lost or duplicated.
   */
  async function sweepThroughFaults(
    fault: string,
    name: string,
    inject: (at: { follower: SweepFollower; sweepId: string }) => Promise<void>,
    start: (file: string) => Promise<string> = (file) => startDetached(stack, file),
  ): Promise<{ summary: JsonSummary; events: SweepEvent[] }> {
    const kills = 5;
    const budget = 10;
    const sweepId = await start(writeTinySpace(stack.stateDir, name, { trials: budget, epochs: 2 }));
    const follower = new SweepFollower(() => stack.natsOptions(), sweepId, budget);
    await follower.start();
    let injected = 0;
    try {
      for (let k = 0; k < kills; k++) {
        if ((await follower.next(moment(random, k))) === null) break;
        await inject({ follower, sweepId });
        injected += 1;
      }
    } finally {
      await follower.stop();
    }
    const summary = await finished(sweepId);
    const result = await audit(summary, budget);
    record(fault, injected, summary, result);
    assert.equal(injected, kills, 'the sweep ended before every fault of the schedule was injected');
    assert.equal(summary.sweep.state, 'completed');
    assert.deepEqual({ lost: result.lost, duplicated: result.duplicated }, { lost: 0, duplicated: 0 });
    return { summary, events: result.events };
  }

  it('the Temporal dev server SIGKILLed and restarted on the same db: the sweep goes on', async () => {
    await sweepThroughFaults('Temporal SIGKILL + restart', 'fault-temporal', async () => {
      await killComponent(stack.stateDir, 'temporal');
      await restartStack();
    });
  });

  it('nats-server SIGKILLed and restarted on the same store: the sweep goes on and its events are kept', async () => {
    const { events } = await sweepThroughFaults('nats-server SIGKILL + restart', 'fault-nats', async ({ follower }) => {
      await killComponent(stack.stateDir, 'nats');
      await restartStack();
      await follower.reconnect();
    });
    // The stream outlived the restarts: each trial's start is stored.
    for (let t = 0; t < 10; t++) assert.ok(events.some((e) => e.trial === t && e.data.event === 'trial_started'), `trial ${t} has no trial_started`);
  });

  it('the CLI SIGKILLed while it follows the sweep, then reattached with `sweep watch`', async () => {
    let cli: ChildProcess | undefined;
    let closed: Promise<number | null> = Promise.resolve(null);
    let stdout = '';
    const follow = (args: string[]): ChildProcess => {
      stdout = '';
      const child = spawnCli(args, stack.env);
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      // 'close', not 'exit': by then stdout has been read to its end.
      closed = new Promise((resolve) => child.once('close', resolve));
      cli = child;
      return child;
    };
    const startFollowing = (file: string) =>
      new Promise<string>((resolve, reject) => {
        const child = follow(['start', file, '--json']);
        let text = '';
        child.stderr!.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const m = /sweep (\S+) started/.exec(text);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`sweep start exited ${code}: ${text}`)));
      });
    const { summary } = await sweepThroughFaults(
      'CLI SIGKILL + sweep watch',
      'fault-cli',
      async ({ sweepId }) => {
        cli!.kill('SIGKILL');
        await closed;
        follow(['watch', sweepId, '--json']);
      },
      startFollowing,
    );
    // The last `watch` followed the sweep to its end and printed the same summary as `status`.
    assert.equal(await closed, 0);
    assert.deepEqual(JSON.parse(stdout) as JsonSummary, summary);
  });

  it('injected at least 20 faults in all, with zero results lost or duplicated', () => {
    const total = matrix.reduce((n, r) => n + r.injected, 0);
    assert.ok(total >= 20, `${total} faults injected`);
    assert.equal(matrix.reduce((n, r) => n + r.lost + r.duplicated, 0), 0);
  });
});

/** Trials with a trial_started and no trial_ended of their latest attempt yet. */
function runningTrials(events: SweepEvent[]): Array<{ trial: number; attempt: number }> {
  const latest = new Map<number, { attempt: number; ended: boolean }>();
  for (const e of events) {
    const seen = latest.get(e.trial);
    if (seen && e.attempt < seen.attempt) continue;
    if (e.data.event === 'trial_started') latest.set(e.trial, { attempt: e.attempt, ended: false });
    else if (e.data.event === 'trial_ended' && seen) seen.ended = true;
  }
  return [...latest].filter(([, s]) => !s.ended).map(([trial, s]) => ({ trial, attempt: s.attempt }));
}

function lastStepOf(events: SweepEvent[], trial: number, attempt: number): number {
  let step = 0;
  for (const e of events) if (e.trial === trial && e.attempt === attempt && isStep(e)) step = Math.max(step, e.data.step);
  return step;
}

function formatMatrix(rows: MatrixRow[]): string {
  const header = ['fault', 'injected', 'sweeps', 'completed', 'results lost', 'duplicated', 'worst work lost'];
  const body = rows.map((r) => [r.fault, r.injected, r.sweeps, r.completed, r.lost, r.duplicated, r.worstLostEpochs === null ? '-' : `${r.worstLostEpochs.toFixed(2)} epoch`].map(String));
  const total = ['total', ...[1, 2, 3, 4, 5].map((i) => String(body.reduce((n, row) => n + Number(row[i]), 0))), body.find((b) => b[6] !== '-')?.[6] ?? '-'];
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return ['# fault matrix', ...all.map((row) => `# ${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`)].join('\n');
}
