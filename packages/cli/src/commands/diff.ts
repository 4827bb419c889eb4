/** `dcos-cdk diff`: what deploy would change, field by field. Never writes. */
import { formatPlan, runDiff } from '@dcos-cdk/core';
import type { FlowReport } from '@dcos-cdk/core';
import { buildDeploySetup, DEPLOY_EXIT, DEPLOY_HOOKS, parseDeployFlags, SHARED_FLAGS_USAGE } from '../deploy-setup.js';
import type { DeployIo } from '../deploy-setup.js';
import { createReporter, diffResultJson, errorOutcome } from './deploy-output.js';
import type { Line, Redact } from './deploy-output.js';

/** Help of `dcos-cdk diff`. */
export const DIFF_USAGE = `Usage: dcos-cdk diff [bundle] [options]

Compares the bundle with the live cluster and prints, per artifact, whether deploy would create,
update or delete it, with the fields that differ, then the flows the change would open and close
(connectivity analysis of the live Calico resources against the bundle's). Reads only.

${SHARED_FLAGS_USAGE}
Diff:
      --fail                     exit 7 when there are differences

Exit codes: 0 ok (7 with --fail and differences), 1 invalid bundle, 2 wrong usage or missing
configuration, 4 the cluster could not be read or a resource is owned by someone else.`;

/** Runs `dcos-cdk diff` with `argv` (the arguments after `diff`); returns the exit code. */
export async function diffCommand(argv: readonly string[], out: Line, err: Line, io: DeployIo = {}): Promise<number> {
  let redact: Redact = (t) => t;
  let json = false;
  try {
    const flags = parseDeployFlags(argv, 'diff', io.cwd ?? process.cwd());
    json = flags.json;
    if (flags.help) {
      out(DIFF_USAGE);
      return DEPLOY_EXIT.ok;
    }
    const setup = buildDeploySetup(flags, io);
    redact = (t) => setup.connection.redact(t);
    const result = await runDiff({
      bundle: setup.bundle,
      drivers: setup.drivers,
      skipKinds: flags.skipKinds,
      lock: setup.lock,
      onEvent: createReporter(json, out, err, redact),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    const differs = result.plan.changes.length > 0;
    const check = io.approvalCheck ?? DEPLOY_HOOKS.approvalCheck;
    const flows = differs && check ? await check(undefined, setup.bundle) : undefined;
    if (json) {
      out(JSON.stringify({ ...diffResultJson(setup.connection.url, result, redact), ...(flows ? { flows } : {}) }, null, 2));
    } else {
      out(redact(`Stack '${result.plan.stack}' against ${setup.connection.url}:`));
      for (const l of formatPlan([...result.plan.changes, ...result.plan.unchanged])) out(redact(l));
      if (result.plan.skipped.length > 0) {
        out(`Skipped (--skip-kinds): ${result.plan.skipped.length} artifact(s) of ${[...new Set(result.plan.skipped.map((a) => a.kind))].join(', ')}.`);
      }
      if (result.lockHolder) out(redact(`Note: a ${result.lockHolder.operation} of stack '${result.lockHolder.stack}' by ${result.lockHolder.holder} holds the deploy lock.`));
      if (flows) for (const l of flowLines(flows)) out(redact(l));
    }
    return differs && flags.fail ? DEPLOY_EXIT.changes : DEPLOY_EXIT.ok;
  } catch (e) {
    const { code, message } = errorOutcome(e, redact);
    err(`error: ${message}`);
    if (json) out(JSON.stringify({ ok: false, command: 'diff', exitCode: code, error: message }, null, 2));
    return code;
  }
}

/** The flows a change opens (+) and closes (-), at most 50 of each. */
function flowLines(flows: FlowReport): string[] {
  const part = (sign: string, list: readonly string[]): string[] => [
    ...list.slice(0, 50).map((f) => `  ${sign} ${f}`),
    ...(list.length > 50 ? [`  ... and ${list.length - 50} more`] : []),
  ];
  if (flows.opened.length === 0 && flows.closed.length === 0) return ['Connectivity: the change opens and closes no flow.'];
  return [
    `Connectivity: the change opens ${flows.opened.length} flow(s) and closes ${flows.closed.length}:`,
    ...part('+', flows.opened),
    ...part('-', flows.closed),
  ];
}
