/**
 * The body shared by `dcos-cdk deploy` and `dcos-cdk destroy`: flags →
 * setup → engine run with progress, approval prompt and Ctrl-C handling
 * (the first Ctrl-C stops after the current request and releases the lock,
 * a second one exits at once) → summary and exit code.
 */
import { createInterface } from 'node:readline';
import { runDeploy, runDestroy } from '@dcos-cdk/core';
import type { ApprovalDecision, DeployPlan, RunOptions } from '@dcos-cdk/core';
import { buildDeploySetup, DEPLOY_EXIT, DEPLOY_HOOKS, parseDeployFlags } from '../deploy-setup.js';
import type { DeployIo } from '../deploy-setup.js';
import { createReporter, errorOutcome, resultJson, resultLine } from './deploy-output.js';
import type { Line, Redact } from './deploy-output.js';

/** Asks on the terminal (prompt on stderr, so stdout stays clean for --json). */
export function terminalPrompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.on('SIGINT', () => {
      rl.close();
      resolve('');
    });
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}

/** Runs deploy or destroy; returns the exit code. */
export async function runApplyCommand(command: 'deploy' | 'destroy', usage: string, argv: readonly string[], out: Line, err: Line, io: DeployIo = {}): Promise<number> {
  let redact: Redact = (t) => t;
  let json = false;
  const cleanup: Array<() => void> = [];
  try {
    const flags = parseDeployFlags(argv, command, io.cwd ?? process.cwd());
    json = flags.json;
    if (flags.help) {
      out(usage);
      return DEPLOY_EXIT.ok;
    }
    const setup = buildDeploySetup(flags, io);
    redact = (t) => setup.connection.redact(t);
    const say: Line = (l) => (json ? err : out)(redact(l));
    const stack = setup.bundle.manifest.stack;
    say(`${command === 'deploy' ? 'Deploying' : 'Destroying'} stack '${stack}' on ${setup.connection.url} (${setup.connection.source}).`);

    const controller = new AbortController();
    if (io.signal) {
      if (io.signal.aborted) controller.abort();
      else io.signal.addEventListener('abort', () => controller.abort(), { once: true });
    }
    const onSigint = (): void => {
      if (controller.signal.aborted) process.exit(DEPLOY_EXIT.interrupted);
      err('Interrupted: stopping after the current request and releasing the deploy lock (Ctrl-C again to quit at once).');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    cleanup.push(() => process.off('SIGINT', onSigint));

    const interactive = io.interactive ?? (process.stdin.isTTY === true && process.stdout.isTTY === true);
    const ask = io.prompt ?? terminalPrompt;
    const confirm = interactive
      ? async (decision: ApprovalDecision, plan: DeployPlan): Promise<boolean> => {
          err(redact(`This ${plan.mode} needs approval:`));
          for (const r of decision.reasons) err(redact(`  - ${r}`));
          const answer = await ask(command === 'destroy' ? `Destroy these ${plan.changes.length} resource(s)? (y/N) ` : 'Apply these changes? (y/N) ');
          return /^y(es)?$/i.test(answer.trim());
        }
      : undefined;

    const options: RunOptions = {
      bundle: setup.bundle,
      drivers: setup.drivers,
      skipKinds: flags.skipKinds,
      force: flags.force,
      lock: setup.lock,
      breakLock: flags.breakLock,
      requireApproval: flags.requireApproval,
      approve: flags.yes,
      onEvent: createReporter(json, out, err, redact),
      signal: controller.signal,
      ...(confirm ? { confirm } : {}),
      ...(io.approvalCheck ?? DEPLOY_HOOKS.approvalCheck ? { approvalCheck: (io.approvalCheck ?? DEPLOY_HOOKS.approvalCheck)! } : {}),
      ...(command === 'deploy' && DEPLOY_HOOKS.orderChanges ? { orderChanges: DEPLOY_HOOKS.orderChanges } : {}),
    };
    const result = await (command === 'deploy' ? runDeploy : runDestroy)(options);
    if (json) out(JSON.stringify(resultJson(command, setup.connection.url, result, redact), null, 2));
    else out(redact(resultLine(command, result)));
    if (result.status === 'failed') return DEPLOY_EXIT.failed;
    if (result.status === 'aborted') return DEPLOY_EXIT.interrupted;
    return DEPLOY_EXIT.ok;
  } catch (e) {
    const { code, message } = errorOutcome(e, redact);
    err(`error: ${message}`);
    if (json) out(JSON.stringify({ ok: false, command, exitCode: code, error: message }, null, 2));
    return code;
  } finally {
    for (const c of cleanup) c();
  }
}
