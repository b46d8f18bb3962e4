/**
 * `sweep schema`: prints the space file's JSON Schema.
 */
import { spaceJsonSchema } from '../../contracts/space';

export function schemaCommand(): void {
  process.stdout.write(`${JSON.stringify(spaceJsonSchema(), null, 2)}\n`);
}
