/** `dcos-cdk destroy`: removes what the stack owns. */
import { SHARED_FLAGS_USAGE } from '../deploy-setup.js';
import type { DeployIo } from '../deploy-setup.js';
import { runApplyCommand } from './deploy-run.js';
import type { Line } from './deploy-output.js';

/** Help of `dcos-cdk destroy`. */
export const DESTROY_USAGE = `Usage: dcos-cdk destroy [bundle] [options]

Deletes every resource the stack of the bundle owns (label DCOS_CDK_STACK=<stack>), in reverse
dependency order, and nothing else. Always asks for confirmation (or --yes).

${SHARED_FLAGS_USAGE}
Destroy:
  -y, --yes                      do not ask (needed without a terminal)
      --force                    cancel Marathon deployments that hold our apps instead of waiting
      --break-lock               remove the cluster deploy lock left by a run that died

Exit codes: 0 ok, 1 invalid bundle, 2 wrong usage or missing configuration, 4 a change failed
(run again to continue), 5 confirmation needed, 6 another deploy holds the lock, 130 interrupted.`;

/** Runs `dcos-cdk destroy` with `argv` (the arguments after `destroy`); returns the exit code. */
export function destroyCommand(argv: readonly string[], out: Line, err: Line, io?: DeployIo): Promise<number> {
  return runApplyCommand('destroy', DESTROY_USAGE, argv, out, err, io);
}
