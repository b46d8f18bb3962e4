/**
 * bench/pruning: for each seed, the same space with and without early stopping (ASHA and the health
 * rules), run as real sweeps on the embedded stack in one run. It prints, per seed and as medians,
 * the trainer-seconds each arm used (from the exporter's sweep_trainer_seconds_total: every attempt,
 * start-up included) and the best validation accuracy each found.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import type { JsonSummary } from '../../cli/summary';
import { ARMS, benchSpace, SEARCHERS, type Arm, type BenchSearcher } from './space';

const SWEEP_BIN = path.resolve(__dirname, '..', '..', 'bin', 'sweep.js');

interface ArmResult {
  seed: number;
  arm: Arm['name'];
  summary: JsonSummary;
  trainerSeconds: number;
  bestValAcc: number | null;
  pruned: number;
  wallSeconds: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function sweep(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [SWEEP_BIN, ...args], { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`sweep ${args.join(' ')} failed: ${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

/** The exporter's count of trainer seconds for one sweep, summed over queues and nodes. */
async function trainerSeconds(metricsUrl: string, sweepId: string): Promise<number> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('sweep_trainer_seconds_total{') && line.includes(`sweep="${sweepId}"`)) total += Number(line.split(' ').pop());
  }
  return total;
}

/** Spearman's rank correlation (average ranks for ties). */
function spearman(xs: readonly number[], ys: readonly number[]): number {
  const ranks = (v: readonly number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
      for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const [rx, ry] = [ranks(xs), ranks(ys)];
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [mx, my] = [mean(rx), mean(ry)];
  let num = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < rx.length; i++) {
    num += (rx[i]! - mx) * (ry[i]! - my);
    dx += (rx[i]! - mx) ** 2;
    dy += (ry[i]! - my) ** 2;
  }
  return num / Math.sqrt(dx * dy);
}

/**
 * How well a trial's accuracy after epoch k predicts its final accuracy, over the unpruned arms'
 * trials: what any epoch-boundary pruner can hope for.
 */
function earlyVersusFinal(results: readonly ArmResult[]): string[] {
  const trials = results.filter((r) => r.arm === 'unpruned').flatMap((r) => r.summary.trials).filter((t) => t.state === 'completed');
  const epochs = Math.min(...trials.map((t) => t.values.length));
  const lines: string[] = [];
  for (let k = 0; k < epochs - 1; k++) {
    const usable = trials.filter((t) => t.values[k] != null && t.metrics?.val_acc != null);
    const rho = spearman(usable.map((t) => t.values[k]!), usable.map((t) => t.metrics!.val_acc!));
    lines.push(`  after epoch ${k + 1}: Spearman ${rho.toFixed(2)} over ${usable.length} unpruned trials`);
  }
  return lines;
}

/**
 * What the pruned sweep did with the unpruned sweep's best trial, where it ran the same config
 * (always with the random searcher; with TPE only among the shared startup trials).
 */
function winnersFate(results: readonly ArmResult[], seed: number): string {
  const arm = (name: Arm['name']) => results.find((r) => r.seed === seed && r.arm === name)!.summary;
  const unpruned = arm('unpruned');
  const best = unpruned.best;
  if (!best) return `  seed ${seed}: the unpruned sweep completed no trial`;
  const twin = arm('pruned').trials.find((t) => t.trial === best.trial && isDeepStrictEqual(t.params, best.params));
  if (!twin) return `  seed ${seed}: trial ${best.trial} (${best.val_acc?.toFixed(4)}) ran another config there`;
  const fate = twin.state === 'pruned' ? `pruned (${twin.rule}: ${twin.reason})` : `${twin.state}, ${twin.metrics?.val_acc?.toFixed(4) ?? '-'}`;
  return `  seed ${seed}: trial ${best.trial} (${best.val_acc?.toFixed(4)} unpruned): ${fate}`;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seeds: { type: 'string', default: '3' }, trials: { type: 'string', default: '16' }, parallel: { type: 'string', default: '2' }, searcher: { type: 'string', default: 'tpe' } } });
  const searcher = values.searcher as BenchSearcher;
  if (!SEARCHERS.includes(searcher)) throw new Error(`--searcher: one of ${SEARCHERS.join(', ')}, got ${values.searcher}`);
  const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);
  const trials = Number(values.trials);
  const parallel = Number(values.parallel);
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'sweep-bench-pruning-'));
  const [temporal, nats, metrics] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = { ...process.env, SWEEP_STATE_DIR: stateDir, SWEEP_TEMPORAL_PORT: String(temporal), SWEEP_NATS_PORT: String(nats), SWEEP_METRICS_PORT: String(metrics), SWEEP_LOG_LEVEL: 'warn' };
  delete env.TEMPORAL_ADDRESS;
  delete env.NATS_URL;
  const metricsUrl = `http://127.0.0.1:${metrics}`;
  const results: ArmResult[] = [];
  try {
    await sweep(['dev', 'up'], env);
    for (const seed of seeds) {
      // Alternate which arm goes first, so neither always runs on a warmer (or busier) machine.
      const arms = seed % 2 === 1 ? ARMS : [...ARMS].reverse();
      for (const arm of arms) {
        const file = path.join(stateDir, `${arm.name}-${seed}.json`);
        await writeFile(file, JSON.stringify(benchSpace(arm, seed, trials, parallel, searcher)));
        const started = Date.now();
        const summary = JSON.parse(await sweep(['start', file, '--json'], env)) as JsonSummary;
        const result: ArmResult = {
          seed,
          arm: arm.name,
          summary,
          trainerSeconds: await trainerSeconds(metricsUrl, summary.sweep.id),
          bestValAcc: summary.best?.val_acc ?? null,
          pruned: summary.trials.filter((t) => t.state === 'pruned').length,
          wallSeconds: (Date.now() - started) / 1000,
        };
        results.push(result);
        const { summary: _, ...shown } = result;
        process.stderr.write(`seed ${seed} ${arm.name}: ${JSON.stringify(shown)}\n`);
      }
    }
  } finally {
    await sweep(['dev', 'down'], env).catch((error: Error) => process.stderr.write(`${error.message}\n`));
    await rm(stateDir, { recursive: true, force: true });
  }

  const rows = [['seed', 'arm', 'trainer s', 'wall s', 'pruned', 'best val_acc']];
  for (const r of results) rows.push([String(r.seed), r.arm, r.trainerSeconds.toFixed(0), r.wallSeconds.toFixed(0), String(r.pruned), r.bestValAcc?.toFixed(4) ?? '-']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  console.log(rows.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n'));
  const saved: number[] = [];
  const accDiff: number[] = [];
  for (const seed of seeds) {
    const u = results.find((r) => r.seed === seed && r.arm === 'unpruned')!;
    const p = results.find((r) => r.seed === seed && r.arm === 'pruned')!;
    saved.push(1 - p.trainerSeconds / u.trainerSeconds);
    accDiff.push(100 * ((p.bestValAcc ?? 0) - (u.bestValAcc ?? 0)));
  }
  console.log(`\ntrainer time saved by pruning: median ${(100 * median(saved)).toFixed(1)}% (per seed: ${saved.map((s) => `${(100 * s).toFixed(1)}%`).join(', ')})`);
  console.log(`best val_acc, pruned minus unpruned: median ${median(accDiff).toFixed(2)} points (per seed: ${accDiff.map((d) => d.toFixed(2)).join(', ')})`);
  console.log(`searcher ${searcher}, trials ${trials}, parallel ${parallel}, seeds ${seeds.join(',')}`);
  console.log(`the unpruned sweep's best trial in the pruned sweep:\n${seeds.map((seed) => winnersFate(results, seed)).join('\n')}`);
  console.log(`rank correlation of validation accuracy after each epoch with the final one:\n${earlyVersusFinal(results).join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
