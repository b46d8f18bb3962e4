/**
 * `sweep leaderboard`: every promotion's entry, best mean test accuracy first, as a table,
 * Markdown (ready to paste into a forum post) or JSON.
 */
import { StoredRecordError } from '../../connections/kv-records';
import { openLeaderboardStore } from '../../connections/leaderboard-store';
import { connectNats } from '../../connections/nats';
import { failure } from '../errors';
import { formatLeaderboard, type LeaderboardFormat } from '../leaderboard-format';
import { connectionConfig, orFail, requireStack, type GlobalOptions } from '../stack-context';

export async function leaderboardCommand(options: GlobalOptions & { format: LeaderboardFormat }): Promise<void> {
  const config = connectionConfig(options);
  await requireStack(config);
  const nc = await orFail(connectNats(config, 'sweep-cli leaderboard'));
  try {
    const entries = await (await openLeaderboardStore(nc)).list();
    process.stdout.write(`${formatLeaderboard(entries, options.format)}\n`);
  } catch (error) {
    if (error instanceof StoredRecordError) throw failure(error.message);
    throw error;
  } finally {
    await nc.close();
  }
}
