/**
 * Finds where JSON text first goes wrong, with a line and column, because V8's JSON.parse names
 * a position for some errors only. A strict RFC 8259 scanner; it builds nothing. It also rejects
 * what JSON allows but a space file must not have: duplicate keys (readers disagree on which one
 * wins), numbers beyond a double's range, and nesting deep enough to exhaust a stack; and it names
 * the usual near-JSON (comments, single quotes, trailing commas, NaN) for what it is.
 */

/** No space file nests this deep; a file that does is hostile or broken. */
const MAX_DEPTH = 64;

/** Near-JSON that people write, and what to write instead. */
const NOT_JSON: ReadonlyArray<[prefix: string, message: string]> = [
  ['NaN', 'NaN is not JSON: use a finite number'],
  ['Infinity', 'Infinity is not JSON: use a finite number'],
  ['-Infinity', '-Infinity is not JSON: use a finite number'],
  ['undefined', 'undefined is not JSON: leave the key out, or use null'],
  ["'", 'single-quoted strings are not JSON: use double quotes'],
  ['//', 'comments are not JSON: remove them'],
  ['/*', 'comments are not JSON: remove them'],
];
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  message: string;
}

class Scanner {
  i = 0;
  depth = 0;
  constructor(readonly text: string) {}

  /** Fails with the near-JSON message when the text here starts like one. */
  notJson(): void {
    for (const [prefix, message] of NOT_JSON) if (this.text.startsWith(prefix, this.i)) this.fail(message);
  }
  enter(): void {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
  }

  fail(message: string): never {
    throw Object.assign(new Error(message), { offset: this.i });
  }
  ws(): void {
    while (/[ \t\n\r]/.test(this.text[this.i] ?? '')) this.i++;
  }
  peek(): string | undefined {
    return this.text[this.i];
  }
  describe(): string {
    const c = this.peek();
    return c === undefined ? 'the end of the file' : `${JSON.stringify(c)}`;
  }
  expect(c: string, what: string): void {
    if (this.peek() !== c) this.fail(`expected ${what}, found ${this.describe()}`);
    this.i++;
  }
  value(): void {
    this.ws();
    const c = this.peek();
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    this.notJson();
    if (c !== undefined && /[-0-9]/.test(c)) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    this.fail(`expected a value, found ${this.describe()}`);
  }
  object(): void {
    this.enter();
    this.i++;
    this.ws();
    if (this.peek() === '}') {
      this.depth -= 1;
      return void this.i++;
    }
    const keys = new Set<string>();
    for (;;) {
      this.ws();
      if (this.peek() === '}') this.fail('trailing comma before "}": remove it');
      this.notJson();
      if (this.peek() !== '"') this.fail(`expected a double-quoted key, found ${this.describe()}`);
      const start = this.i;
      this.string();
      const key = JSON.parse(this.text.slice(start, this.i)) as string;
      if (keys.has(key)) {
        this.i = start;
        this.fail(`duplicate key ${JSON.stringify(key)}: each key may appear once in an object`);
      }
      keys.add(key);
      this.ws();
      this.expect(':', '":" after the key');
      this.value();
      this.ws();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      this.expect('}', '"," or "}"');
      this.depth -= 1;
      return;
    }
  }
  array(): void {
    this.enter();
    this.i++;
    this.ws();
    if (this.peek() === ']') {
      this.depth -= 1;
      return void this.i++;
    }
    for (;;) {
      this.ws();
      if (this.peek() === ']') this.fail('trailing comma before "]": remove it');
      this.value();
      this.ws();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      this.expect(']', '"," or "]"');
      this.depth -= 1;
      return;
    }
  }
  string(): void {
    this.i++;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('unterminated string');
      if (c === '"') return void this.i++;
      if (c < ' ') this.fail('control character in a string (escape it)');
      if (c === '\\') {
        this.i++;
        const e = this.peek();
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 1, this.i + 5))) this.fail('bad \\u escape');
          this.i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.fail(`bad escape \\${e ?? ''}`);
        }
      }
      this.i++;
    }
  }
  number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (!match) this.fail('malformed number');
    if (!Number.isFinite(Number(match[0]))) this.fail(`${match[0]} is beyond the range of a number (about 1.8e308)`);
    this.i += match[0].length;
  }
}

export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  const scanner = new Scanner(text);
  try {
    scanner.value();
    scanner.ws();
    if (scanner.i < text.length) {
      scanner.notJson();
      scanner.fail(`unexpected ${scanner.describe()} after the JSON value`);
    }
    return null;
  } catch (error) {
    const offset = (error as { offset?: number }).offset ?? 0;
    const before = text.slice(0, offset);
    return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n'), message: (error as Error).message };
  }
}
