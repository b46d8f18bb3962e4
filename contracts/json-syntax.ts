/**
 * Finds where JSON text first goes wrong, with a line and column, because V8's JSON.parse names
 * a position for some errors only. A strict RFC 8259 scanner; it builds nothing.
 */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  message: string;
}

class Scanner {
  i = 0;
  constructor(readonly text: string) {}

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
    this.i++;
    this.ws();
    if (this.peek() === '}') return void this.i++;
    for (;;) {
      this.ws();
      if (this.peek() !== '"') this.fail(`expected a double-quoted key, found ${this.describe()}`);
      this.string();
      this.ws();
      this.expect(':', '":" after the key');
      this.value();
      this.ws();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      this.expect('}', '"," or "}"');
      return;
    }
  }
  array(): void {
    this.i++;
    this.ws();
    if (this.peek() === ']') return void this.i++;
    for (;;) {
      this.value();
      this.ws();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      this.expect(']', '"," or "]"');
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
    this.i += match[0].length;
  }
}

export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  const scanner = new Scanner(text);
  try {
    scanner.value();
    scanner.ws();
    if (scanner.i < text.length) scanner.fail(`unexpected ${scanner.describe()} after the JSON value`);
    return null;
  } catch (error) {
    const offset = (error as { offset?: number }).offset ?? 0;
    const before = text.slice(0, offset);
    return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n'), message: (error as Error).message };
  }
}
