/**
 * Exit codes and the errors that carry them. Only cli/main.ts calls process.exit.
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
/** 128 + SIGINT, as a shell reports a command ended by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

export class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ExitError';
  }
}

export const badInput = (message: string) => new ExitError(EXIT_BAD_INPUT, message);
export const failure = (message: string) => new ExitError(EXIT_FAILURE, message);
