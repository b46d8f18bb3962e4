/**
 * Reading a space file (or another hand-written JSON config) from disk: I/O, encoding and JSON
 * errors here, schema rules in space.ts.
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

const fileProblem = (file: string, message: string) => new SpaceFileError(file, [{ path: '', message }]);

/** What kind of file is read, for the message when it is not one JSON object. */
export interface JsonFileKind {
  /** "a space file" */
  name: string;
  /** A sketch of its object: `{"name": ..., "trials": ..., "params": {...}}`. */
  sketch: string;
}
const SPACE_FILE: JsonFileKind = { name: 'a space file', sketch: '{"name": ..., "trials": ..., "params": {...}}' };

/** Decodes JSON text; a syntax error names its line and column, so a user can find it. */
export function decodeSpaceText(file: string, text: string, kind: JsonFileKind = SPACE_FILE): Record<string, unknown> {
  const problem = findJsonSyntaxProblem(text);
  if (problem) throw fileProblem(file, `not valid JSON: line ${problem.line}, column ${problem.column}: ${problem.message}`);
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw fileProblem(file, `${kind.name} holds one JSON object (${kind.sketch}), not ${what}`);
  }
  return value as Record<string, unknown>;
}

/** The offset of the first byte that is not part of valid UTF-8, or null. */
function firstInvalidUtf8(bytes: Uint8Array): number | null {
  const strict = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    try {
      strict.decode(bytes.subarray(i, i + length)); // catches overlong forms and surrogates too
    } catch {
      return i;
    }
    i += length;
  }
  return null;
}

/** Bytes to text, refusing what would otherwise turn into silent replacement characters. */
function decodeUtf8(file: string, bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw fileProblem(file, 'starts with a byte-order mark (BOM): save it as UTF-8 without a BOM');
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw fileProblem(file, 'is UTF-16 text: save it as UTF-8');
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad !== null) {
    const line = bytes.subarray(0, bad).toString('latin1').split('\n').length;
    throw fileProblem(file, `is not valid UTF-8: byte ${bad} (line ${line}) is 0x${bytes[bad]!.toString(16).padStart(2, '0')}`);
  }
  return bytes.toString('utf8');
}

function readProblem(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return `cannot read: ${code ?? 'unknown error'}`;
  }
}

/** The one JSON object in `file`; SpaceFileError (naming the file) for anything else. */
export async function readJsonObjectFile(file: string, kind: JsonFileKind = SPACE_FILE): Promise<Record<string, unknown>> {
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (info.size > MAX_SPACE_FILE_BYTES) {
      throw fileProblem(file, `${info.size} bytes is too large for ${kind.name} (at most ${MAX_SPACE_FILE_BYTES})`);
    }
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof SpaceFileError) throw error;
    throw fileProblem(file, readProblem((error as NodeJS.ErrnoException).code));
  }
  return decodeSpaceText(file, decodeUtf8(file, bytes), kind);
}

export async function loadSpaceFile(file: string): Promise<Space> {
  const result = parseSpace(await readJsonObjectFile(file));
  if (!result.ok) throw new SpaceFileError(file, result.problems);
  return result.space;
}
