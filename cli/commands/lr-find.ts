/**
 * `sweep lr-find CONFIG`: the learning-rate range test on this machine (no servers needed): the
 * trainer trains CONFIG with an exponentially rising learning rate until the loss blows up; this
 * command smooths the curve, suggests a max LR and a range to bound a space's `max_lr` with
 * (reports/lr-range.ts), and writes the plot as an SVG file.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { readJsonObjectFile, SpaceFileError } from '../../contracts/space-file';
import type { LrFindEvent } from '../../contracts/trainer-events';
import { trainerConfigSchema, type TrainerConfig } from '../../contracts/trial-config';
import { lineChart } from '../../reports/charts';
import { LrFindError, smoothLosses, suggestLrRange, type LrSuggestion } from '../../reports/lr-range';
import { formatNumber } from '../../reports/scales';
import { findTorchPython } from '../../workers/find-python';
import { TrainerProcess } from '../../workers/trainer-process';
import { badInput, failure } from '../errors';
import { orFail } from '../stack-context';

export interface LrFindOptions {
  out?: string;
  start: number;
  end: number;
  steps: number;
  json?: boolean;
}

/** Fields that make no sense for a range test run on this machine. */
const NOT_FOR_LR_FIND = ['checkpoint_dir', 'resume_from', 'evaluate', 'epochs'] as const;

async function readConfig(file: string): Promise<TrainerConfig> {
  let raw: Record<string, unknown>;
  try {
    raw = await readJsonObjectFile(file, { name: 'a trial config', sketch: '{"widths": [8, 16, 32], "batch_size": 128, ...}: the fields of docs/trainer-protocol.md' });
  } catch (error) {
    if (error instanceof SpaceFileError) throw badInput(error.message);
    throw error;
  }
  const problems = NOT_FOR_LR_FIND.filter((k) => k in raw).map((k) => `${file}: ${k}: is not a range-test field (the test runs until the loss diverges, without checkpoints)`);
  const parsed = trainerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
      problems.push(`${file}: ${where}: ${issue.code === 'unrecognized_keys' ? 'unknown field (docs/trainer-protocol.md lists the fields)' : issue.message}`);
    }
  }
  if (problems.length > 0) throw badInput(problems.join('\n'));
  return raw;
}

function plot(event: LrFindEvent, smoothed: number[], s: LrSuggestion): string {
  const raw = event.lrs.flatMap((lr, i) => (event.losses[i] == null ? [] : [[lr, event.losses[i]!] as [number, number]]));
  const marker = (lr: number): Array<[number, number]> => [[lr, Math.min(...smoothed)], [lr, Math.max(...smoothed)]];
  return lineChart({
    id: 'lr-find',
    title: `Learning-rate range test: suggested max_lr ${formatNumber(s.suggested)}, range [${formatNumber(s.range[0])}, ${formatNumber(s.range[1])}]`,
    xLabel: 'learning rate (log scale)',
    yLabel: 'training loss',
    xLog: true,
    legend: true,
    series: [
      { name: 'loss', points: raw, color: '#bbb' },
      { name: 'smoothed loss', points: smoothed.map((v, i) => [event.lrs[i]!, v]), color: '#4e79a7' },
      { name: `range low ${formatNumber(s.range[0])}`, points: marker(s.range[0]), color: '#59a14f' },
      { name: `range high ${formatNumber(s.range[1])}`, points: marker(s.range[1]), color: '#e15759' },
    ],
  });
}

export async function lrFindCommand(file: string, options: LrFindOptions): Promise<void> {
  if (!(options.end > options.start)) throw badInput(`--end (${options.end}) must be above --start (${options.start})`);
  const config = await readConfig(file);
  const python = await orFail(findTorchPython());
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let result: LrFindEvent | undefined;
  let error: string | undefined;
  const trainer = new TrainerProcess(
    python.python,
    config,
    {
      onEvent(event) {
        if (event.event === 'ready') log(`lr-find: ${event.train_size} images on ${event.hardware ?? event.device}, ${options.steps} steps from lr ${options.start} to ${options.end}`);
        if (event.event === 'step') log(`  step ${event.step}: lr ${formatNumber(event.lr ?? NaN)} loss ${event.loss?.toFixed(4) ?? '-'}`);
        if (event.event === 'lr_find') result = event;
        if (event.event === 'error') error = event.message;
      },
      onBadLine: (reason) => log(`lr-find: the trainer wrote a line outside the protocol: ${reason}`),
    },
    process.env,
    ['--lr-find', '--lr-start', String(options.start), '--lr-end', String(options.end), '--lr-steps', String(options.steps)],
  );
  const stopOnInterrupt = () => void trainer.stop();
  process.once('SIGINT', stopOnInterrupt);
  const exit = await trainer.exited.finally(() => process.off('SIGINT', stopOnInterrupt));
  if (exit.code === 2) throw badInput(`${file}: ${error ?? exit.stderrTail.trim()}`);
  if (exit.code !== 0 || result === undefined) throw failure(`the range test failed (exit ${exit.code ?? exit.signal}): ${error ?? exit.stderrTail.trim().split('\n').slice(-3).join(' ')}`);

  let suggestion: LrSuggestion;
  try {
    suggestion = suggestLrRange(result.lrs, result.losses);
  } catch (e) {
    if (e instanceof LrFindError) throw failure(e.message);
    throw e;
  }
  const smoothed = smoothLosses(result.losses);
  const out = path.resolve(options.out ?? 'lr-find.svg');
  await writeFile(out, `${plot(result, smoothed, suggestion)}\n`).catch((e: NodeJS.ErrnoException) => {
    throw failure(`cannot write the plot to ${out}: ${e.message}`);
  });
  const snippet = { max_lr: { type: 'loguniform', low: Number(suggestion.range[0].toPrecision(2)), high: Number(suggestion.range[1].toPrecision(2)) } };
  const shown = (lr: number) => formatNumber(Number(lr.toPrecision(2)));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ lrs: result.lrs, losses: result.losses, smoothed, suggestion, space_param: snippet, plot: out })}\n`);
    return;
  }
  process.stdout.write(
    [
      `${result.lrs.length} steps in ${result.seconds.toFixed(1)} s: the smoothed loss fell fastest at lr ${shown(suggestion.steepest)} and was lowest at lr ${shown(suggestion.minimum)}${result.lrs.length >= options.steps ? ' (it had not diverged by the last step)' : ''}`,
      `suggested max_lr: ${shown(suggestion.suggested)} (the minimum / 10)`,
      `to search from the steepest descent to a third of the minimum, in a space file's "params": ${JSON.stringify(snippet)}`,
      `plot: ${out}`,
    ].join('\n') + '\n',
  );
}
