/**
 * Promotion end to end on the embedded stack: a tiny sweep on real data, `sweep promote` of its
 * best trial (2 seeds, a 3,000-image subset for speed) through Temporal and real trainers, the
 * leaderboard in Markdown and JSON across a restart, the proof that only promotion reads the test
 * images, and `sweep report` rendered in headless Chromium.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { JsonSummary } from '../cli/summary';
import type { LeaderboardEntry } from '../contracts/promotion';
import type { ReadyEvent, ResultEvent } from '../contracts/trainer-events';
import { launchChromium } from './support/browser';
import { useTestStack } from './support/cli';
import { allSweepEvents } from './support/events';

const SCREENSHOT = path.resolve(__dirname, '..', 'test-results', 'sweep-report.png');

describe('promotion, the leaderboard and the report', () => {
  const stack = useTestStack();
  let sweep: JsonSummary;
  let entry: LeaderboardEntry;

  before(async () => {
    const started = await stack.run(['start', 'test/fixtures/tiny.json', '--json']);
    assert.equal(started.code, 0, started.stderr);
    sweep = JSON.parse(started.stdout) as JsonSummary;
    assert.ok(sweep.best, 'the sweep has a best trial');
  });

  it('promotes the best trial: every seed trained again and scored on the test set, plain and with flip TTA', async () => {
    const promoted = await stack.run(['promote', sweep.sweep.id, '--seeds', '2', '--train-subset', '3000', '--json']);
    assert.equal(promoted.code, 0, promoted.stderr);
    entry = (JSON.parse(promoted.stdout) as { entry: LeaderboardEntry }).entry;
    const { seed: _seed, train_subset: _subset, ...config } = sweep.best!.params;
    assert.deepEqual(entry.params, config);
    assert.deepEqual([entry.trial, entry.val_acc, entry.sweep.id], [sweep.best!.trial, sweep.best!.val_acc, sweep.sweep.id]);
    assert.deepEqual(entry.seeds.map((s) => s.seed), [0, 1]);
    for (const s of entry.seeds) {
      assert.ok(s.test_acc > 0.5 && s.test_acc <= 1 && s.tta_acc > 0.5 && s.tta_acc <= 1, JSON.stringify(s));
      assert.match(s.hardware, /thread/);
    }
    assert.ok(Math.abs(entry.test_acc.mean - (entry.seeds[0]!.test_acc + entry.seeds[1]!.test_acc) / 2) < 1e-12);
    assert.deepEqual([entry.epochs, entry.train_images, entry.test_images], [2, 3000, 10_000]);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    assert.ok(entry.commit?.startsWith(head), `commit ${entry.commit} is not HEAD ${head}`);
    assert.match(promoted.stderr, /\[seed 0\] test_acc=0\.\d{4} tta_acc=0\.\d{4}/);
  });

  it('read the test images in promotion runs only', async () => {
    const trialEvents = await allSweepEvents(stack.natsOptions(), sweep.sweep.id);
    const promotionEvents = await allSweepEvents(stack.natsOptions(), entry.id);
    const ready = (events: typeof trialEvents) => events.map((e) => e.data).filter((d): d is ReadyEvent => d.event === 'ready');
    const results = (events: typeof trialEvents) => events.map((e) => e.data).filter((d): d is ResultEvent => d.event === 'result');
    assert.equal(ready(trialEvents).length, sweep.trials.length);
    for (const r of ready(trialEvents)) assert.deepEqual([r.evaluate, r.test_size, r.val_size], ['validation', 0, 10_000]);
    for (const r of results(trialEvents)) assert.deepEqual([r.test_acc, r.tta_acc], [null, null]);
    assert.equal(ready(promotionEvents).length, 2);
    for (const r of ready(promotionEvents)) assert.deepEqual([r.evaluate, r.test_size, r.val_size, r.train_size], ['test', 10_000, 0, 3000]);
  });

  it('prints the entry as Markdown and keeps it when the stack restarts', async () => {
    const md = await stack.run(['leaderboard', '--format', 'md']);
    assert.equal(md.code, 0, md.stderr);
    const pct = (v: number) => (100 * v).toFixed(2);
    assert.match(md.stdout, new RegExp(`\\| 1 \\| ${pct(entry.test_acc.mean)} ± ${pct(entry.test_acc.std!)}% \\| ${pct(entry.tta_acc.mean)} ± ${pct(entry.tta_acc.std!)}% \\| 2 \\| 2 \\| 3000 \\(subset\\) \\|`));
    assert.match(md.stdout, new RegExp(entry.id));
    assert.equal((await stack.run(['dev', 'down'])).code, 0);
    assert.equal((await stack.run(['dev', 'up'])).code, 0);
    const json = await stack.run(['leaderboard', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual((JSON.parse(json.stdout) as { entries: LeaderboardEntry[] }).entries, [entry]);
  });

  it('refuses a trial that is not there, or not completed, with exit 2 and the trials it could take', async () => {
    const missing = await stack.run(['promote', sweep.sweep.id, '--trial', '99']);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, new RegExp(`--trial 99: sweep ${sweep.sweep.id} has no trial 99 \\(completed trials: \\d`));
    const unknown = await stack.run(['promote', 'no-such-sweep']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no sweep with id "no-such-sweep"/);
  });

  it("says a promotion's id is not a sweep's in the commands that take a sweep", async () => {
    for (const command of ['status', 'watch', 'report', 'resume']) {
      const result = await stack.run([command, entry.id]);
      assert.equal(result.code, 1, `${command}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`^sweep: "${entry.id}" is not a sweep: for a promotion, \`npx sweep leaderboard\` shows its entry`, 'm'), command);
    }
  });

  it('writes a self-contained report whose every chart renders in Chromium, without console errors', async () => {
    const file = path.join(stack.stateDir, 'report.html');
    const written = await stack.run(['report', sweep.sweep.id, '--out', file, '--trials', '0,1']);
    assert.equal(written.code, 0, written.stderr);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && problems.push(`fetched ${r.url()}`));
      await page.goto(`file://${file}`);
      const charts = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const marks = svg.querySelectorAll('path.series, circle.dot, g.bar rect, image.heat').length;
          return { name: svg.getAttribute('data-chart'), width: box.width, height: box.height, marks };
        }),
      );
      const layers = 3; // widths [8, 16, 32]: three residual blocks
      const names = charts.map((c) => c.name);
      assert.deepEqual(names.slice(0, 5), ['history', 'parallel', 'importance', 'curves-val-acc', 'curves-train-loss']);
      for (const trial of [0, 1]) {
        assert.ok(names.includes(`dead-${trial}`), `dead-ratio chart of trial ${trial}`);
        for (let b = 0; b < layers; b++) assert.ok(names.includes(`colorful-${trial}-block${b}`), `heatmap of trial ${trial} block${b}`);
      }
      for (const c of charts) assert.ok(c.width > 100 && c.height > 100 && c.marks > 0, `chart ${c.name} did not render: ${JSON.stringify(c)}`);
      // Every heatmap's image decodes, at one pixel per stats window and bin.
      const images = await page.$$eval('image.heat', (els) =>
        Promise.all(els.map(async (el) => {
          // The page's HTMLImageElement (this code runs in Chromium; the tests compile without DOM types).
          const PageImage = (globalThis as unknown as { Image: new () => { src: string; decode(): Promise<void>; naturalWidth: number; naturalHeight: number } }).Image;
          const img = new PageImage();
          img.src = el.getAttribute('href')!;
          await img.decode();
          return [img.naturalWidth, img.naturalHeight];
        })),
      );
      assert.equal(images.length, 2 * layers);
      for (const [w, h] of images) assert.ok(w! >= 2 && h === 40, `heatmap image ${w}x${h}`);
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
    assert.ok(existsSync(SCREENSHOT));
  });
});
