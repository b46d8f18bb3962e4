/**
 * `sweep validate FILE`: checks a space file and starts nothing.
 */
import { loadSpaceOrExit } from './start';

export async function validateCommand(file: string): Promise<void> {
  const space = await loadSpaceOrExit(file);
  const params = Object.keys(space.params);
  const health = Object.entries(space.health).filter(([, rule]) => rule !== false).map(([name]) => name);
  process.stdout.write(
    `${file}: valid: "${space.name}", ${space.trials} trials (${space.parallel} at a time) on queue ${space.queue}, ` +
      `${params.length} searched (${params.join(', ') || 'none'}), ${Object.keys(space.fixed).length} fixed; ` +
      `pruner ${space.pruner.type}, health rules: nan_loss${health.map((h) => `, ${h}`).join('')}\n`,
  );
}
