/**
 * Our TPE against Optuna's TPESampler and random search, side by side: median final regret with
 * quartiles per function, budget and mode (sequential, 8 workers), then the suggestion latency of
 * both TPEs at 1000 completed trials. Usage: bench/searcher/run [--seeds 20] [--budgets 50,100]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Space } from '../../contracts/space';
import { HEALTH_DEFAULTS } from '../../contracts/pruning';
import { createRandomSearcher } from '../../searcher/random';
import type { Observation, Searcher } from '../../searcher/searcher';
import { createTpeSearcher } from '../../searcher/tpe';
import { FUNCTIONS, type BenchFunction } from './functions';
import { mannWhitney } from './rank-test';
import { simulate } from './simulate';

const WORKER_MODES = [1, 8];
/** The latency check: one TPE suggestion, in each mode, with this many completed trials. */
const LATENCY = { fn: 'mixed4', observations: 1000, repeats: 25 };
const PYTHON = join(__dirname, '..', '.venv', 'bin', 'python');

/** Median milliseconds of one suggestion, per TPE mode. */
type LatencyMs = Record<'independent' | 'multivariate', number>;

interface Run {
  method: string;
  fn: string;
  workers: number;
  seed: number;
  values: number[];
}

function space(fn: BenchFunction, seed: number, searcher: Space['searcher'], multivariate = false): Space {
  const tpe = searcher === 'tpe' ? { tpe: { multivariate, constant_liar: true, n_startup_trials: 10, n_ei_candidates: 24 } } : {};
  const noPruning = { pruner: { type: 'none' as const }, health: HEALTH_DEFAULTS };
  return { name: 'bench', seed, trials: 10_000, parallel: 1, searcher, queue: 'cpu', fixed: {}, params: fn.params, ...noPruning, ...tpe };
}

/** Starts the Optuna runner; resolves with its runs once it exits. */
function runOptuna(request: object, onLine: (line: unknown) => void): Promise<void> {
  if (!existsSync(PYTHON)) throw new Error(`no ${PYTHON}: run bench/searcher/setup first`);
  const child = spawn(PYTHON, [join(__dirname, 'optuna_runner.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(JSON.stringify(request));
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) if (line.trim()) onLine(JSON.parse(line));
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`optuna_runner.py exited with ${code}`)))),
  );
}

function quantile(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

const fmt = (x: number) => (x === 0 ? '0' : x < 1e-3 || x >= 1e3 ? x.toExponential(2) : x.toPrecision(3));

function latency(multivariate: boolean): number {
  const fn = FUNCTIONS.find((f) => f.name === LATENCY.fn)!;
  const random = createRandomSearcher(space(fn, 0, 'random'));
  const history: Observation[] = [];
  for (let t = 0; t < LATENCY.observations; t++) {
    const params = random.suggest(t, history);
    history.push({ trial: t, params, state: 'completed', value: -fn.f(params) });
  }
  const tpe = createTpeSearcher(space(fn, 0, 'tpe', multivariate));
  const times: number[] = [];
  for (let t = LATENCY.observations; t < LATENCY.observations + LATENCY.repeats; t++) {
    const start = process.hrtime.bigint();
    tpe.suggest(t, history);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return quantile([...times].sort((a, b) => a - b), 0.5);
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { seeds: { type: 'string', default: '20' }, budgets: { type: 'string', default: '50,100' } } });
  const seeds = Array.from({ length: Number(args.seeds) }, (_, i) => i);
  const budgets = args.budgets!.split(',').map(Number);
  const budget = Math.max(...budgets);
  const runs: Run[] = [];
  let optunaVersion = '?';
  let optunaMs: LatencyMs = { independent: Number.NaN, multivariate: Number.NaN };

  // Optuna runs in its own process on the other core while ours run here.
  const request = { functions: FUNCTIONS.map((f) => f.name), seeds, budget, workers: WORKER_MODES, latency: LATENCY };
  const optuna = runOptuna(request, (line) => {
    const record = line as { probe?: Record<string, number>; optuna?: string; latency_ms?: LatencyMs; multivariate: boolean } & Omit<Run, 'method'>;
    if (record.latency_ms !== undefined) {
      optunaMs = record.latency_ms;
      return;
    }
    if (record.probe) {
      optunaVersion = record.optuna ?? '?';
      for (const fn of FUNCTIONS) {
        const ours = fn.f(fn.probe);
        if (Math.abs(ours - record.probe[fn.name]!) > 1e-9) throw new Error(`${fn.name}: TypeScript ${ours} != Python ${record.probe[fn.name]}`);
      }
      return;
    }
    const mode = record.multivariate ? 'multivariate' : 'independent';
    runs.push({ method: `optuna ${optunaVersion} TPE ${mode}`, fn: record.fn, workers: record.workers, seed: record.seed, values: record.values });
  });

  const ours: [string, (fn: BenchFunction, seed: number) => Searcher][] = [
    ['ours TPE independent', (fn, seed) => createTpeSearcher(space(fn, seed, 'tpe'))],
    ['ours TPE multivariate', (fn, seed) => createTpeSearcher(space(fn, seed, 'tpe', true))],
    ['random', (fn, seed) => createRandomSearcher(space(fn, seed, 'random'))],
  ];
  for (const fn of FUNCTIONS) {
    for (const workers of WORKER_MODES) {
      for (const seed of seeds) {
        for (const [method, make] of ours) {
          runs.push({ method, fn: fn.name, workers, seed, values: simulate(make(fn, seed), fn.f, budget, workers) });
        }
      }
    }
  }
  const ms = { independent: latency(false), multivariate: latency(true) };
  await optuna;

  const methods = [...new Set(runs.map((r) => r.method))].sort();
  const regrets = (method: string, fn: BenchFunction, b: number, workers: number) =>
    runs
      .filter((r) => r.method === method && r.fn === fn.name && r.workers === workers)
      .map((r) => Math.min(...r.values.slice(0, b)) - fn.minimum)
      .sort((x, y) => x - y);
  console.log(`final regret (best value found - known minimum): median [q1, q3] over ${seeds.length} seeds`);
  console.log(['function', 'budget', 'workers', ...methods].join(' | '));
  for (const fn of FUNCTIONS) {
    for (const b of budgets) {
      for (const workers of WORKER_MODES) {
        const cells = methods.map((method) => {
          const r = regrets(method, fn, b, workers);
          return `${fmt(quantile(r, 0.5))} [${fmt(quantile(r, 0.25))}, ${fmt(quantile(r, 0.75))}]`;
        });
        console.log([fn.name, b, workers, ...cells].join(' | '));
      }
    }
  }

  // Ours against Optuna in the same mode: the ratio of median regrets (< 1: ours lower), how often
  // a run of ours beats a run of Optuna's, and whether the seeds' spread explains the gap.
  console.log(`\nours vs Optuna, same mode: median ratio, P(ours < optuna), Mann-Whitney p (two-sided)`);
  console.log(['function', 'budget', 'workers', 'independent', 'multivariate'].join(' | '));
  for (const fn of FUNCTIONS) {
    for (const b of budgets) {
      for (const workers of WORKER_MODES) {
        const cells = ['independent', 'multivariate'].map((mode) => {
          const ours = regrets(`ours TPE ${mode}`, fn, b, workers);
          const theirs = regrets(`optuna ${optunaVersion} TPE ${mode}`, fn, b, workers);
          const test = mannWhitney(ours, theirs);
          return `${(quantile(ours, 0.5) / quantile(theirs, 0.5)).toFixed(2)}x, ${test.pBelow.toFixed(2)}, p=${test.p.toFixed(2)}`;
        });
        console.log([fn.name, b, workers, ...cells].join(' | '));
      }
    }
  }
  const at = `${LATENCY.observations} completed trials (${LATENCY.fn}, median of ${LATENCY.repeats})`;
  console.log(`\nsuggestion latency at ${at}:`);
  for (const mode of ['independent', 'multivariate'] as const) {
    console.log(`  ${mode}: ours ${ms[mode].toFixed(1)} ms, optuna ${optunaMs[mode].toFixed(1)} ms`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
