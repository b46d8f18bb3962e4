/**
 * `sweep workers`: the live worker nodes from the worker registry: queue, GPUs or threads per
 * slot, slots, busy slots, when
 * each last announced itself, and whether it is quarantined. A node silent for 30 s is gone.
 */
import { connectNats } from '../../connections/nats';
import { openWorkerRegistry } from '../../connections/worker-registry';
import { connectionConfig, orFail, requireStack, type GlobalOptions } from '../stack-context';
import { formatTable } from '../summary';

export async function workersCommand(options: GlobalOptions & { json?: boolean }): Promise<void> {
  const config = connectionConfig(options);
  await requireStack(config);
  const nc = await orFail(connectNats(config, 'sweep-cli workers'));
  try {
    const workers = await (await openWorkerRegistry(nc)).list();
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ workers })}\n`);
      return;
    }
    if (workers.length === 0) {
      process.stdout.write('no worker has announced itself in the last 30 s (start one with `npx sweep worker`)\n');
      return;
    }
    const rows = [['node', 'host', 'queue', 'hardware', 'slots', 'busy', 'last seen', 'state']];
    for (const w of workers) {
      const ago = Math.max(0, Math.round((Date.now() - w.ts) / 1000));
      const hardware = w.gpus ? `${w.gpus} GPU${w.gpus === 1 ? '' : 's'}` : w.threads ? `${w.threads} thread${w.threads === 1 ? '' : 's'}/slot` : '-';
      rows.push([w.node, w.host, w.queue, hardware, String(w.slots), String(w.busy), `${ago} s ago`, w.quarantined ? `quarantined: ${w.quarantined}` : 'serving']);
    }
    process.stdout.write(`${formatTable(rows)}\n`);
  } finally {
    await nc.close();
  }
}
