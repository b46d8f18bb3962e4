/**
 * Reading a space file from disk: I/O and JSON errors here, schema rules in space.ts.
 */
import { readFile, stat } from 'node:fs/promises';
import { findJsonSyntaxProblem } from './json-syntax';
import { parseSpace, type Space, type SpaceProblem } from './space';

/** A space file larger than this is not a hand-written search space. */
const MAX_SPACE_FILE_BYTES = 1024 * 1024;

export class SpaceFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: SpaceProblem[],
  ) {
    // A problem with the file as a whole (unreadable, not JSON) has an empty path.
    super(problems.map((p) => (p.path ? `${file}: ${p.path}: ${p.message}` : `${file}: ${p.message}`)).join('\n'));
    this.name = 'SpaceFileError';
  }
}

/** Decodes JSON text; a syntax error names its line and column, so a user can find it. */
export function decodeSpaceText(file: string, text: string): unknown {
  const problem = findJsonSyntaxProblem(text);
  if (problem) {
    throw new SpaceFileError(file, [
      { path: '', message: `not valid JSON: line ${problem.line}, column ${problem.column}: ${problem.message}` },
    ]);
  }
  return JSON.parse(text);
}

export async function loadSpaceFile(file: string): Promise<Space> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SpaceFileError(file, [{ path: '', message: code === 'ENOENT' ? 'no such file' : `cannot read: ${code}` }]);
  }
  if (size > MAX_SPACE_FILE_BYTES) {
    throw new SpaceFileError(file, [{ path: '', message: `${size} bytes is too large for a space file (at most ${MAX_SPACE_FILE_BYTES})` }]);
  }
  const text = await readFile(file, 'utf8');
  const result = parseSpace(decodeSpaceText(file, text));
  if (!result.ok) throw new SpaceFileError(file, result.problems);
  return result.space;
}
