/**
 * Bad input and missing servers: a clear message, the right exit code, and nothing started.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestStack, processesOf, type TestStack } from './support/cli';

describe('sweep start with bad input', () => {
  let stack: TestStack;
  before(async () => {
    stack = await createTestStack();
  });
  after(() => stack.remove());

  it('exits 2 naming the file and field, and starts nothing', async () => {
    const file = path.join(stack.stateDir, 'bad.json');
    await writeFile(file, JSON.stringify({ name: 'bad', trials: 4, params: { max_lr: { type: 'loguniform', low: -1, high: 0.1 } } }));
    const result = await stack.run(['start', file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`${file}: params\\.max_lr\\.low: loguniform bounds must be > 0, got -1`));
    assert.equal(existsSync(path.join(stack.stateDir, 'temporal.pid')), false);
    assert.deepEqual(processesOf(stack.stateDir), []);
  });

  it('exits 2 for a missing file, malformed JSON and an unknown option', async () => {
    const missing = await stack.run(['start', path.join(stack.stateDir, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json: no such file/);
    const file = path.join(stack.stateDir, 'broken.json');
    await writeFile(file, '{"name": "x", "trials": }');
    const broken = await stack.run(['validate', file]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json: not valid JSON: line 1, column 25/);
    const option = await stack.run(['start', 'examples/quick.json', '--paralel', '3']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /unknown option '--paralel'/);
  });

  it('exits 2 when only one of TEMPORAL_ADDRESS and NATS_URL is set', async () => {
    const result = await stack.run(['start', 'examples/quick.json'], { env: { TEMPORAL_ADDRESS: '127.0.0.1:7233' } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /TEMPORAL_ADDRESS is set but NATS_URL is not/);
  });

  it('exits 1 with the address when the configured servers cannot be reached', async () => {
    const result = await stack.run(['start', 'examples/quick.json'], {
      env: { TEMPORAL_ADDRESS: '127.0.0.1:1', NATS_URL: 'nats://127.0.0.1:1' },
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot reach Temporal at 127\.0\.0\.1:1/);
    assert.deepEqual(processesOf(stack.stateDir), []);
  });

  it('reports a port in use and a stale pid file, and starts nothing', async () => {
    const blocker = net.createServer();
    const natsPort = Number(stack.env.SWEEP_NATS_PORT);
    await new Promise<void>((resolve) => blocker.listen(natsPort, '127.0.0.1', resolve));
    try {
      await writeFile(path.join(stack.stateDir, 'temporal.pid'), '999999\n');
      const result = await stack.run(['dev', 'up']);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /temporal: removed stale pid file .*temporal\.pid \(process 999999 is not running\)/);
      assert.match(result.stderr, new RegExp(`nats: port ${natsPort} on 127\\.0\\.0\\.1 is in use by another program.*SWEEP_NATS_PORT`));
      assert.equal(existsSync(path.join(stack.stateDir, 'temporal.pid')), false);
      assert.deepEqual(processesOf(stack.stateDir), []);
    } finally {
      blocker.close();
    }
  });
});
