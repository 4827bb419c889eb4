/**
 * `dcos-cdk analyze`, for `main.ts` to load on demand: the handler takes the arguments after
 * the command name and returns the exit code.
 */
import { CliError, EXIT } from '../errors.js';
import { ANALYZE_USAGE, runAnalyze } from './analyze.js';

/** A command that parses its own flags. */
export interface AnalyzeCommandEntry {
  /** One line for the command list of `dcos-cdk --help`. */
  readonly summary: string;
  /** Full help (`dcos-cdk analyze --help`). */
  readonly usage: string;
  /** Runs it: arguments after `analyze`, stdout and stderr line writers → exit code. */
  readonly run: (argv: readonly string[], out: (line: string) => void, err: (line: string) => void) => Promise<number>;
}

/** `dcos-cdk analyze`. */
export const analyzeCommand: AnalyzeCommandEntry = {
  summary: 'who can reach whom: the reachability matrix, --explain, --json, --html',
  usage: ANALYZE_USAGE,
  run: async (argv, out, err) => {
    // Errors are turned into exit codes here, inside the module graph that raised them.
    try {
      return await runAnalyze(argv, out, err);
    } catch (e) {
      if (e instanceof CliError) {
        err(`error: ${e.message}`);
        return e.exitCode;
      }
      if ((e as Error)?.name === 'BundleError' || (e as Error)?.name === 'AnalysisLoadError') {
        err(`error: ${(e as Error).message}`);
        return EXIT.invalid;
      }
      throw e;
    }
  },
};

export { ANALYZE_USAGE, analysisJson, parseAnalyzeFlags, parsePeer, runAnalyze } from './analyze.js';
export type { AnalyzeFlags } from './analyze.js';
