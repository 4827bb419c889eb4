/** Exit codes scripts can rely on. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** The stack or bundle is invalid (synthesis errors, tampered bundle). */
  invalid: 1,
  /** Wrong command line. */
  usage: 2,
  /** Anything unexpected: a bug, or the app itself crashed. */
  internal: 3,
} as const;

/** An error the CLI reports as one clear message, with an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    public readonly exitCode: number = EXIT.invalid,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
