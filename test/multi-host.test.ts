/**
 * Several hosts on one machine (Linux network namespaces, test/support/netns.ts): Temporal and NATS
 * on one, a worker on each of two others. A sweep uses both workers; `sweep workers` shows both
 * hosts; cutting one worker host's link mid-trial makes its trial resume, from its last checkpoint,
 * on the other host, and the silent host drops off the worker list. Every trial ends with exactly
 * one result.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonSummary } from '../cli/summary';
import { resolveConnectionConfig } from '../connections/config';
import { natsConnectOptions } from '../connections/nats';
import type { SweepEvent, WorkerAnnouncement } from '../contracts/sweep-events';
import { findNatsServer, findTemporalCli } from '../embedded/binaries';
import { pollUntil } from '../embedded/processes';
import { natsReady, temporalReady } from '../embedded/readiness';
import { runCli, SWEEP_BIN, writeTinySpace } from './support/cli';
import { allSweepEvents, SweepFollower } from './support/events';
import { createTestNetwork, type Host, type TestNetwork } from './support/netns';

const BUDGET = 4;

describe('several hosts: a server host and two worker hosts', { concurrency: false }, () => {
  let dir: string;
  let network: TestNetwork;
  let server: Host;
  let hosts: Host[];
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[]) => runCli(args, env);
  const workers = async (): Promise<WorkerAnnouncement[]> => {
    const listed = await cli(['workers', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    return (JSON.parse(listed.stdout) as { workers: WorkerAnnouncement[] }).workers;
  };

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sweep-hosts-'));
    network = createTestNetwork(['sweep-server', 'sweep-host-1', 'sweep-host-2']);
    [server, ...hosts] = network.hosts as [Host, Host, Host];
    const password = randomBytes(18).toString('base64url');
    const natsConf = path.join(dir, 'nats.conf');
    writeFileSync(natsConf, `listen: "${server!.address}:4222"\njetstream { store_dir: "${dir}/nats" }\nauthorization { user: sweep, password: "${password}" }\n`, { mode: 0o600 });
    const plain = { PATH: process.env.PATH, HOME: process.env.HOME };
    server!.spawn(await findNatsServer(), ['-c', natsConf], plain, path.join(dir, 'nats.log'));
    // All of the server host's addresses: the dev server's own services reach each other on its loopback.
    server!.spawn(await findTemporalCli(), ['server', 'start-dev', '--ip', '0.0.0.0', '--port', '7233', '--headless', '--db-filename', path.join(dir, 'temporal.db'), '--log-level', 'warn'], plain, path.join(dir, 'temporal.log'));
    env = {
      ...process.env,
      TEMPORAL_ADDRESS: `${server!.address}:7233`,
      NATS_URL: `nats://${server!.address}:4222`,
      NATS_USER: 'sweep',
      NATS_PASSWORD: password,
      SWEEP_LOG_LEVEL: 'warn',
    };
    const config = resolveConnectionConfig(env);
    assert.ok(await temporalReady(config, 90_000), 'Temporal did not come up on the server host');
    assert.ok(await natsReady(config, 30_000), 'NATS did not come up on the server host');
    for (const host of hosts) {
      host.spawn(process.execPath, [SWEEP_BIN, 'worker', '--queue', 'cpu', '--slots', '1'], { ...env, SWEEP_STATE_DIR: path.join(dir, host.name) }, path.join(dir, `${host.name}.log`));
    }
    const both = await pollUntil(async () => ((await workers()).length === 2 ? true : undefined), 120_000);
    assert.ok(both, 'both workers announced themselves');
  });

  after(() => {
    network?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('spreads a sweep over both worker hosts, and resumes the trial of a host whose link is cut on the other', async () => {
    const file = writeTinySpace(dir, 'hosts', { trials: BUDGET, epochs: 3 });
    const started = await cli(['start', file, '--detach', '--json']);
    assert.equal(started.code, 0, started.stderr);
    const sweepId = (JSON.parse(started.stdout) as { sweep: { id: string } }).sweep.id;
    const listed = await workers();
    assert.deepEqual(listed.map((w) => w.host).sort(), ['sweep-host-1', 'sweep-host-2']);
    assert.ok(listed.every((w) => w.queue === 'sweep-cpu' && w.slots === 1 && !w.quarantined));

    const follower = new SweepFollower(() => natsConnectOptions(resolveConnectionConfig(env)), sweepId, BUDGET);
    await follower.start();
    const onHost = (e: SweepEvent, host: Host) => e.node.startsWith(`${host.name}:`);
    let cutTrial: number;
    try {
      // A trial on host 1 past its first checkpoint: what it loses to the cut is at most one epoch.
      const training = await follower.next((e) => onHost(e, hosts[0]!) && e.data.event === 'step' && e.data.epoch >= 1);
      assert.ok(training, 'host 1 trained into a second epoch');
      cutTrial = training.trial;
      hosts[0]!.cut();
      // Temporal notices the missing heartbeats and gives the trial to host 2, which resumes it.
      const resumed = await follower.next((e) => e.trial === cutTrial && onHost(e, hosts[1]!) && e.data.event === 'ready');
      assert.ok(resumed && resumed.data.event === 'ready' && resumed.data.start_epoch >= 1, `trial ${cutTrial} resumed on host 2 from epoch ${resumed?.data.event === 'ready' ? resumed.data.start_epoch : '?'}`);
    } finally {
      await follower.stop();
    }

    const watched = await cli(['watch', sweepId, '--json']);
    assert.equal(watched.code, 0, watched.stderr);
    const summary = JSON.parse(watched.stdout) as JsonSummary;
    assert.equal(summary.sweep.state, 'completed');
    assert.deepEqual(summary.trials.map((t) => [t.trial, t.state]), [...Array(BUDGET).keys()].map((n) => [n, 'completed']));

    // Exactly one final result per trial; trials started on both hosts.
    const events = await allSweepEvents(natsConnectOptions(resolveConnectionConfig(env)), sweepId);
    for (let t = 0; t < BUDGET; t++) {
      const finals = events.filter((e) => e.trial === t && e.data.event === 'trial_ended' && e.data.final);
      assert.equal(finals.length, 1, `trial ${t}: ${finals.length} final results`);
      assert.equal(finals[0]!.data.event === 'trial_ended' && finals[0]!.data.state, 'completed');
    }
    const startedOn = new Set(events.filter((e) => e.data.event === 'trial_started').map((e) => e.node.split(':')[0]));
    assert.deepEqual([...startedOn].sort(), ['sweep-host-1', 'sweep-host-2']);
    const cutResult = events.find((e) => e.trial === cutTrial && e.data.event === 'trial_ended' && e.data.final)!;
    assert.ok(onHost(cutResult, hosts[1]!), `trial ${cutTrial}'s result came from ${cutResult.node}`);

    // The silent host drops off the worker list.
    const left = await pollUntil(async () => {
      const now = await workers();
      return now.length === 1 ? now : undefined;
    }, 60_000);
    assert.deepEqual(left?.map((w) => w.host), ['sweep-host-2']);
  });
});
