/**
 * The cluster commands, for `main.ts` to dispatch: each handler takes the
 * arguments after the command name and returns the exit code.
 *
 * @example
 * const cmd = deployCommands[command];
 * if (cmd) return cmd.run(rest, out, err);
 */
import type { DeployIo } from '../deploy-setup.js';
import { deployCommand, DEPLOY_USAGE } from './deploy.js';
import { destroyCommand, DESTROY_USAGE } from './destroy.js';
import { diffCommand, DIFF_USAGE } from './diff.js';
import { sandboxCommand, SANDBOX_USAGE } from './sandbox.js';
import type { Line } from './deploy-output.js';

/** A command handler: arguments after the command name → exit code. */
export type DeployCommandHandler = (argv: readonly string[], out: Line, err: Line, io?: DeployIo) => Promise<number>;

/** One cluster command. */
export interface DeployCommandEntry {
  /** One line for the command list of `dcos-cdk --help`. */
  readonly summary: string;
  /** Full help (`dcos-cdk <command> --help`). */
  readonly usage: string;
  /** Runs it. */
  readonly run: DeployCommandHandler;
}

/** `diff`, `deploy`, `destroy` and `sandbox`. Pass them every argument after the command name (main's own flags are not parsed for them). */
export const deployCommands: Readonly<Record<'diff' | 'deploy' | 'destroy' | 'sandbox', DeployCommandEntry>> = {
  diff: { summary: 'show what deploy would change, field by field', usage: DIFF_USAGE, run: diffCommand },
  deploy: { summary: 'converge the cluster on the bundle', usage: DEPLOY_USAGE, run: deployCommand },
  destroy: { summary: 'delete everything the stack owns', usage: DESTROY_USAGE, run: destroyCommand },
  sandbox: { summary: 'run a local Marathon + Cosmos emulator (and etcd) to deploy to', usage: SANDBOX_USAGE, run: sandboxCommand },
};

export { DEPLOY_EXIT, DEPLOY_HOOKS, DRIVER_FACTORIES, buildDeploySetup, parseDeployFlags, missingDriverError } from '../deploy-setup.js';
export type { DeployIo, DeployTuning, DeployFlags, DriverFactory, DriverFactoryContext, DeploySetup } from '../deploy-setup.js';
