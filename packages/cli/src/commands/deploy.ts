/** `dcos-cdk deploy`: converges the cluster on the bundle. */
import { SHARED_FLAGS_USAGE } from '../deploy-setup.js';
import type { DeployIo } from '../deploy-setup.js';
import { runApplyCommand } from './deploy-run.js';
import type { Line } from './deploy-output.js';

/** Help of `dcos-cdk deploy`. */
export const DEPLOY_USAGE = `Usage: dcos-cdk deploy [bundle] [options]

Reads the bundle (never the TypeScript), compares it with the live cluster and converges the
cluster on it: creates, updates and deletes (only what the stack owns), in dependency order,
waiting for each change. Safe to re-run after any failure; an unchanged bundle makes no writes.

${SHARED_FLAGS_USAGE}
Deploy:
      --require-approval <l>     never | broadening (default) | any-change
  -y, --yes                      approve without asking (needed without a terminal)
      --force                    cancel Marathon deployments that hold our apps instead of waiting
      --break-lock               remove the cluster deploy lock left by a run that died

Exit codes: 0 ok, 1 invalid bundle, 2 wrong usage or missing configuration, 4 a change failed
(run again to continue), 5 approval needed, 6 another deploy holds the lock, 130 interrupted.`;

/** Runs `dcos-cdk deploy` with `argv` (the arguments after `deploy`); returns the exit code. */
export function deployCommand(argv: readonly string[], out: Line, err: Line, io?: DeployIo): Promise<number> {
  return runApplyCommand('deploy', DEPLOY_USAGE, argv, out, err, io);
}
