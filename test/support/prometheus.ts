/**
 * A real Prometheus (Debian's) for one test: its own config, rules and storage in a temp folder,
 * on a free loopback port, scraping every second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pollUntil } from '../../embedded/processes';
import { freePort } from './cli';

const PROMETHEUS = '/usr/bin/prometheus';
const RULES = path.resolve(__dirname, '..', '..', 'deploy', 'prometheus', 'rules', 'sweep-alerts.yml');

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface TestPrometheus {
  url: string;
  query(expr: string): Promise<PromSample[]>;
  /** Resolves with the first non-empty result of `expr`, or [] at the deadline. */
  waitFor(expr: string, timeoutMs: number): Promise<PromSample[]>;
  stop(): Promise<void>;
}

export function prometheusInstalled(): boolean {
  return existsSync(PROMETHEUS);
}

/** Scrapes `target` (host:port) every second; evaluates our alert rules every second with `for: 0s`, sending alerts to `alertmanager` (host:port). */
export async function startPrometheus(target: string, alertmanager: string): Promise<TestPrometheus> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sweep-prom-'));
  const rules = (await readFile(RULES, 'utf8')).replace(/^(\s*)for: 1m$/gm, '$1for: 0s');
  await writeFile(path.join(dir, 'rules.yml'), rules);
  await writeFile(
    path.join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'rule_files: [rules.yml]',
      'alerting:',
      '  alertmanagers:',
      '    - api_version: v2',
      `      static_configs: [{ targets: ["${alertmanager}"] }]`,
      'scrape_configs:',
      '  - job_name: sweep',
      `    static_configs: [{ targets: ["${target}"] }]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = once(child, 'exit');

  const query = async (expr: string): Promise<PromSample[]> => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSample[] } };
    if (body.status !== 'success') throw new Error(`Prometheus rejected ${expr}: ${body.error}`);
    return body.data!.resultType === 'vector' ? body.data!.result : [];
  };
  const ready = await pollUntil(async () => {
    if (child.exitCode !== null) return false;
    try {
      return (await fetch(`${url}/-/ready`)).ok ? true : undefined;
    } catch {
      return undefined;
    }
  }, 30_000);
  if (ready !== true) {
    child.kill('SIGKILL');
    throw new Error(`Prometheus did not start: ${stderr}`);
  }
  return {
    url,
    query,
    waitFor: async (expr, timeoutMs) => (await pollUntil(async () => ((await query(expr)).length > 0 ? query(expr) : undefined), timeoutMs)) ?? [],
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
