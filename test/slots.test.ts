/**
 * A worker's slots: the lowest free one first, GPUs pinned round-robin through
 * CUDA_VISIBLE_DEVICES, threads per slot; and a gpu worker refused where torch sees no GPU.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSlotPool, slotFor, visibleGpus } from '../workers/slots';
import { planWorker, WorkerPlanError } from '../workers/worker';
import { runCli } from './support/cli';

describe('worker slots', () => {
  it('pins each slot of a GPU node to one GPU, round-robin, and hands out the lowest free slot', () => {
    const pool = createSlotPool({ slots: 4, threads: 4, gpus: ['0', '1'] });
    const taken = [pool.acquire(), pool.acquire(), pool.acquire()];
    assert.deepEqual(taken.map((s) => [s.id, s.gpu, s.env.CUDA_VISIBLE_DEVICES, s.device]), [[0, '0', '0', 'cuda'], [1, '1', '1', 'cuda'], [2, '0', '0', 'cuda']]);
    assert.equal(pool.busy, 3);
    pool.release(taken[1]!);
    assert.deepEqual([pool.busy, pool.acquire().gpu], [2, '1'], 'the freed slot, on the freed GPU, comes back first');
  });

  it('gives CPU slots their threads and no GPU', () => {
    assert.deepEqual(slotFor({ slots: 2, threads: 3, gpus: [] }, 1), { id: 1, device: 'cpu', threads: 3, env: {}, gpu: null });
  });

  it('uses the GPUs the worker itself was given', () => {
    assert.deepEqual(visibleGpus(2, { CUDA_VISIBLE_DEVICES: '3, 5' }), ['3', '5']);
    assert.deepEqual(visibleGpus(3, {}), ['0', '1', '2']);
    assert.deepEqual(visibleGpus(2, { CUDA_VISIBLE_DEVICES: '' }), ['0', '1']);
  });

  it('plans a CPU worker here with one slot per core, and refuses a gpu worker without a GPU', async () => {
    const cpu = await planWorker({});
    assert.equal(cpu.queue, 'cpu');
    assert.deepEqual(cpu.gpus, []);
    assert.ok(cpu.slots >= 1 && cpu.threads >= 1);
    await assert.rejects(planWorker({ queue: 'gpu' }), (e: unknown) => e instanceof WorkerPlanError && /--queue gpu, but torch .* sees no CUDA device/.test(e.message));
    const cli = await runCli(['worker', '--queue', 'gpu'], process.env);
    assert.equal(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /^sweep: --queue gpu, but torch/m);
  });
});
