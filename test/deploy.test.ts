/**
 * deploy/ checked with the parsers of the tools that will read it, as far as this machine can
 * without a Docker engine or a cluster: the compose file by compose-go (docker compose's own
 * loader), the Kubernetes manifests decoded strictly into their API types (deploy/validate, Go),
 * the systemd units by `systemd-analyze verify`. Each check is also shown to fail on a broken copy.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const DEPLOY = path.join(ROOT, 'deploy');

async function exits(command: string, args: string[], options: { cwd?: string } = {}): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: options.cwd ?? ROOT, timeout: 600_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('deployment files', () => {
  let dir: string;
  let validate: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sweep-deploy-'));
    validate = path.join(dir, 'validate');
    // Modules come from the Go proxy, pinned by deploy/validate/go.sum.
    const built = await exits('go', ['build', '-o', validate, '.'], { cwd: path.join(DEPLOY, 'validate') });
    assert.equal(built.code, 0, built.output);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('has a compose file that docker compose\'s loader accepts, publishing on loopback only, GPUs reserved for GPU workers', async () => {
    const ok = await exits(validate, ['compose', 'deploy/compose/docker-compose.yml']);
    assert.equal(ok.code, 0, ok.output);
    const broken = path.join(DEPLOY, 'compose', `broken-${process.pid}.yml`);
    const text = readFileSync(path.join(DEPLOY, 'compose', 'docker-compose.yml'), 'utf8');
    try {
      writeFileSync(broken, text.replace('stop_grace_period: 60s', 'stop_grace_perod: 60s'));
      const typo = await exits(validate, ['compose', broken]);
      assert.equal(typo.code, 1);
      assert.match(typo.output, /stop_grace_perod/);
      writeFileSync(broken, text.replace('"127.0.0.1:3000:3000"', '"3000:3000"').replace(/ {12}- driver: nvidia\n {14}count: all\n {14}capabilities: \[gpu\]\n/, '            - driver: nvidia\n              count: all\n              capabilities: [compute]\n'));
      const unsafe = await exits(validate, ['compose', broken]);
      assert.equal(unsafe.code, 1);
      assert.match(unsafe.output, /services\.grafana\.ports: port 3000 is published on ""/);
      assert.match(unsafe.output, /services\.worker-gpu: a gpu worker without deploy\.resources\.reservations\.devices/);
    } finally {
      await rm(broken, { force: true });
    }
  });

  it('has Kubernetes manifests that decode strictly into their API types and fit together', async () => {
    const manifests = readdirSync(path.join(DEPLOY, 'kubernetes')).filter((f) => f.endsWith('.yaml')).map((f) => path.join('deploy', 'kubernetes', f));
    assert.ok(manifests.length >= 6, manifests.join(' '));
    const ok = await exits(validate, ['kubernetes', ...manifests]);
    assert.equal(ok.code, 0, ok.output);
    const gpu = readFileSync(path.join(DEPLOY, 'kubernetes', 'worker-gpu.yaml'), 'utf8');
    const broken = path.join(dir, 'worker-gpu.yaml');
    writeFileSync(broken, gpu.replace('envFrom:', 'envForm:').replace('nvidia.com/gpu: "1"}', 'ephemeral-storage: 1Gi}'));
    const bad = await exits(validate, ['kubernetes', broken]);
    assert.equal(bad.code, 1);
    assert.match(bad.output, /unknown field "spec\.template\.spec\.containers\[0\]\.envForm"|unknown field "envForm"/);
    writeFileSync(broken, gpu.replace(/nvidia\.com\/gpu: "1"\}/g, 'ephemeral-storage: 1Gi}'));
    const noGpu = await exits(validate, ['kubernetes', broken, 'deploy/kubernetes/config.yaml', 'deploy/kubernetes/secret.example.yaml']);
    assert.match(noGpu.output, /Deployment sweep-worker-gpu: container worker serves the gpu queue without an nvidia\.com\/gpu limit/);
  });

  it('has systemd units that systemd-analyze verifies, for each queue', async () => {
    const units = [['sweep-worker@.service', 'sweep-worker@cpu.service'], ['sweep-worker@.service', 'sweep-worker@gpu.service'], ['sweep-metrics.service', 'sweep-metrics.service']];
    for (const [from, to] of units) copyFileSync(path.join(DEPLOY, 'systemd', from!), path.join(dir, to!));
    const ok = await exits('systemd-analyze', ['verify', ...units.map(([, to]) => path.join(dir, to!))]);
    assert.equal(ok.code, 0, ok.output);
    assert.equal(ok.output.trim(), '', `warnings: ${ok.output}`);
    const worker = readFileSync(path.join(DEPLOY, 'systemd', 'sweep-worker@.service'), 'utf8');
    assert.match(worker, /^ExecStart=\/usr\/bin\/node \/opt\/sweep\/bin\/sweep\.js worker --queue %i$/m);
    writeFileSync(path.join(dir, 'sweep-worker@bad.service'), worker.replace('KillMode=mixed', 'KillMode=gently'));
    const bad = await exits('systemd-analyze', ['verify', path.join(dir, 'sweep-worker@bad.service')]);
    assert.match(bad.output, /Failed to parse kill mode/);
  });

  it('builds images from files that exist, with the entry point the CLI lives at', () => {
    for (const file of ['worker.Dockerfile', 'gpu-worker.Dockerfile']) {
      const text = readFileSync(path.join(DEPLOY, 'docker', file), 'utf8');
      assert.match(text, /^ENTRYPOINT \["node", "\/opt\/sweep\/bin\/sweep\.js"\]$/m, file);
      for (const m of text.matchAll(/^COPY (?!--from)(\S+) /gm)) {
        for (const source of m[1]!.split(' ')) if (source !== '.') assert.ok(readdirSync(ROOT).includes(source), `${file}: COPY ${source}`);
      }
    }
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8');
    assert.match(ignored, /^node_modules\/$/m);
  });
});
