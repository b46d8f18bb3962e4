/**
 * `sweep validate FILE`: checks a space file and starts nothing.
 */
import { loadSpaceOrExit } from './start';

export async function validateCommand(file: string): Promise<void> {
  const space = await loadSpaceOrExit(file);
  const params = Object.keys(space.params);
  process.stdout.write(
    `${file}: valid: "${space.name}", ${space.trials} trials (${space.parallel} at a time) on queue ${space.queue}, ` +
      `${params.length} searched (${params.join(', ') || 'none'}), ${Object.keys(space.fixed).length} fixed\n`,
  );
}
