/**
 * `sweep dev up|down|status`: the embedded local stack by hand.
 */
import { stackDown, stackStatus } from '../../embedded/stack';
import { badInput } from '../errors';
import { connectionConfig, ensureStack, orFail, type GlobalOptions } from '../stack-context';

const report = (line: string) => process.stdout.write(`${line}\n`);

export async function devCommand(action: string, options: GlobalOptions & { json?: boolean }): Promise<void> {
  const config = connectionConfig(options);
  if (config.mode !== 'embedded') {
    throw badInput('TEMPORAL_ADDRESS and NATS_URL are set: `sweep dev` manages only the embedded local stack');
  }
  switch (action) {
    case 'up':
      await ensureStack(config, report);
      return;
    case 'down':
      await orFail(stackDown(config, report));
      return;
    case 'status': {
      const statuses = await stackStatus(config);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ stateDir: config.stateDir, components: statuses })}\n`);
        return;
      }
      process.stdout.write(`embedded stack under ${config.stateDir}\n`);
      for (const s of statuses) {
        process.stdout.write(`  ${s.name.padEnd(8)} ${s.running ? `running (pid ${s.pid})` : 'stopped'}  ${s.endpoint}  log ${s.log}\n`);
      }
      return;
    }
    default:
      throw badInput(`unknown action "${action}": use up, down or status`);
  }
}
