/**
 * The leaderboard for people (a terminal table, or Markdown to paste into a forum post) and for
 * programs (JSON). Accuracies as percentages with two decimals, mean ± sample std over the seeds.
 */
import type { LeaderboardEntry, MeanStd } from '../contracts/promotion';
import { ALL_TRAINING_IMAGES } from '../contracts/promotion';
import { formatParams } from './progress';
import { formatTable } from './summary';

export const LEADERBOARD_FORMATS = ['table', 'md', 'json'] as const;
export type LeaderboardFormat = (typeof LEADERBOARD_FORMATS)[number];

const pct = (v: number) => (100 * v).toFixed(2);
export const meanStdText = ({ mean, std }: MeanStd) => (std === null ? `${pct(mean)}%` : `${pct(mean)} ± ${pct(std)}%`);
const trainedOn = (e: LeaderboardEntry) => (e.train_images >= ALL_TRAINING_IMAGES ? 'all 60k' : `${e.train_images} (subset)`);
const minutes = (seconds: number) => (seconds < 120 ? `${seconds.toFixed(0)} s` : `${(seconds / 60).toFixed(1)} min`);

function rows(entries: readonly LeaderboardEntry[]): string[][] {
  const header = ['#', 'test acc', 'flip-TTA acc', 'seeds', 'epochs', 'trained on', 'sweep val acc', 'hardware', 'wall', 'sweep / trial', 'commit'];
  return [
    header,
    ...entries.map((e, i) => [
      String(i + 1),
      meanStdText(e.test_acc),
      meanStdText(e.tta_acc),
      String(e.seeds.length),
      String(e.epochs),
      trainedOn(e),
      e.val_acc === null ? '-' : `${pct(e.val_acc)}%`,
      e.hardware.join('; '),
      minutes(e.wall_seconds),
      `${e.sweep.id} / ${e.trial}`,
      e.commit === null ? '-' : e.commit.replace(/^([0-9a-f]{12})[0-9a-f]*/, '$1'),
    ]),
  ];
}

export function formatLeaderboard(entries: readonly LeaderboardEntry[], format: LeaderboardFormat): string {
  if (format === 'json') return JSON.stringify({ entries });
  if (entries.length === 0) return 'the leaderboard is empty: promote a sweep\'s best config with `npx sweep promote SWEEP_ID`';
  if (format === 'table') {
    const configs = entries.map((e, i) => `${i + 1}. ${formatParams(e.params, [])}`);
    return [formatTable(rows(entries)), '', 'configs:', ...configs].join('\n');
  }
  const [header, ...body] = rows(entries);
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const md = [
    '## Fashion-MNIST leaderboard',
    '',
    'Test accuracy on the 10,000 Fashion-MNIST test images, mean ± sample standard deviation over the seeds; each seed retrained the config from scratch for the stated epochs. Configs were chosen on a validation split held out of the training images; the test images were read only here.',
    '',
    line(header!),
    line(header!.map(() => '---')),
    ...body.map(line),
    '',
    ...entries.flatMap((e, i) => [
      `**#${i + 1}** (${e.id}; trainer ${e.trainer}, torch ${e.torch.join(', ')}; per seed: ${e.seeds.map((s) => `${s.seed}: ${pct(s.test_acc)}% / ${pct(s.tta_acc)}%`).join(', ')})`,
      '',
      '```json',
      JSON.stringify(e.params),
      '```',
      '',
    ]),
  ];
  return md.join('\n').trimEnd();
}
