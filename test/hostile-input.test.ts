/**
 * The hostile-input corpus (test/fixtures/hostile: malformed JSON, bad encodings, wrong types,
 * impossible bounds, ...; expected.json holds the message each must get). Each file is refused by
 * `sweep start` with exit 2 and a message naming the file and what is wrong, and nothing starts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSpaceFile, SpaceFileError } from '../contracts/space-file';
import { createTestStack, processesOf, type TestStack } from './support/cli';

const CORPUS = path.join(__dirname, 'fixtures', 'hostile');
const expected = JSON.parse(readFileSync(path.join(CORPUS, 'expected.json'), 'utf8')) as Record<string, string>;

/** Runs `work` over `items`, `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += limit) await Promise.all(items.slice(i, i + limit).map(work));
}

describe('hostile space files', () => {
  let stack: TestStack;
  const files = Object.keys(expected);

  before(async () => {
    stack = await createTestStack();
  });
  after(() => stack.remove());

  it('has at least 30 files, each with its expected message', () => {
    assert.ok(files.length >= 30, `${files.length} files`);
    assert.deepEqual(readdirSync(CORPUS).filter((f) => f !== 'expected.json').sort(), [...files].sort());
  });

  it('refuses each one with the expected message when loading', async () => {
    for (const file of files) {
      const full = path.join(CORPUS, file);
      await assert.rejects(loadSpaceFile(full), (error: unknown) => {
        assert.ok(error instanceof SpaceFileError, `${file}: ${String(error)}`);
        assert.match(error.message, new RegExp(`^${full.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*${expected[file]}`, 'm'), file);
        return true;
      });
    }
  });

  it('exits 2 for each from `sweep start`, naming the file, and starts nothing', async () => {
    const big = path.join(stack.stateDir, 'ten-megabytes.json');
    await writeFile(big, `{"name":"h","trials":4,"params":{},"description":"${'x'.repeat(10 * 1024 * 1024)}"}`);
    const cases: Array<[string, string]> = [...files.map((f): [string, string] => [path.join(CORPUS, f), expected[f]!]), [big, 'bytes is too large for a space file']];
    await inBatches(cases, 4, async ([file, pattern]) => {
      const result = await stack.run(['start', file]);
      assert.equal(result.code, 2, `${file}: exit ${result.code}\n${result.stderr}`);
      assert.match(result.stderr, new RegExp(`^sweep: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*${pattern}`, 'm'), file);
      assert.doesNotMatch(result.stderr, /\n\s+at /, `${file}: a stack trace`);
    });
    assert.deepEqual(readdirSync(stack.stateDir).filter((f) => f.endsWith('.pid')), []);
    assert.deepEqual(processesOf(stack.stateDir), []);
  });
});
