/**
 * Output of the deploy commands: progress lines, the JSON summary, and the
 * mapping of errors to messages and exit codes. Every line goes through the
 * connection's redaction, so a token can never be printed.
 */
import { ApprovalRequiredError, BundleError, DeployAbortedError, formatPlan, LockHeldError, MissingDriverError, OwnershipConflictError } from '@dcos-cdk/core';
import type { DeployEvent, DeployResult, DiffResult, PlannedChange } from '@dcos-cdk/core';
import { DcosApiError, DcosConfigError, DcosConnectionConfigError } from '@dcos-cdk/dcos/deploy';
import { CliError } from '../errors.js';
import { DEPLOY_EXIT } from '../deploy-setup.js';

/** A line sink. */
export type Line = (line: string) => void;

/** Keeps secrets out of a line. */
export type Redact = (text: string) => string;

/** Prints engine events: to `out` in text mode, to `err` in JSON mode (stdout holds only the summary). */
export function createReporter(json: boolean, out: Line, err: Line, redact: Redact): (e: DeployEvent) => void {
  const say: Line = (l) => (json ? err : out)(redact(l));
  const warn: Line = (l) => err(redact(`warning: ${l}`));
  return (e) => {
    switch (e.type) {
      case 'plan':
        if (e.replanned) say('Plan after taking the lock:');
        for (const l of formatPlan([...e.plan.changes, ...e.plan.unchanged])) say(l);
        if (e.plan.skipped.length > 0) say(`Skipped (--skip-kinds): ${e.plan.skipped.length} artifact(s) of ${[...new Set(e.plan.skipped.map((a) => a.kind))].join(', ')}.`);
        break;
      case 'warning':
        warn(e.message);
        break;
      case 'approval':
        if (e.approvedBy === 'flag') say(`Approved with --yes: ${e.decision.reasons.join('; ')}`);
        break;
      case 'lock':
        say(e.state === 'acquired' ? 'Took the cluster deploy lock.' : 'Released the cluster deploy lock.');
        break;
      case 'start':
        say(`[${e.index}/${e.total}] ${e.change.action} ${e.change.id} …`);
        break;
      case 'progress':
        say(`      ${e.message}`);
        break;
      case 'done':
        say(`[${e.index}/${e.total}] ${e.change.action} ${e.change.id} done (${(e.ms / 1000).toFixed(1)}s)`);
        break;
      case 'failed':
        err(redact(`error: ${e.change.action} ${e.change.id} failed: ${e.error.message}`));
        break;
    }
  };
}

function changeJson(c: PlannedChange, redact: Redact): Record<string, unknown> {
  return JSON.parse(redact(JSON.stringify({ id: c.id, kind: c.kind, action: c.action, resource: c.resource, fields: c.fields }))) as Record<string, unknown>;
}

function countsOf(changes: readonly PlannedChange[]): Record<string, number> {
  const out: Record<string, number> = { create: 0, update: 0, delete: 0 };
  for (const c of changes) if (c.action !== 'noop') out[c.action] = (out[c.action] ?? 0) + 1;
  return out;
}

/** The `--json` summary of a deploy or destroy. */
export function resultJson(command: string, cluster: string, result: DeployResult, redact: Redact): Record<string, unknown> {
  return {
    ok: result.status === 'applied' || result.status === 'unchanged',
    command,
    stack: result.stack,
    cluster,
    status: result.status,
    planned: result.planned,
    applied: countsOf(result.applied),
    changes: result.plan.changes.map((c) => changeJson(c, redact)),
    skipped: result.plan.skipped.map((a) => a.id),
    warnings: result.plan.warnings,
    requests: { reads: result.requests.reads, writes: result.requests.writes },
    durationMs: result.durationMs,
    ...(result.failure ? { failure: { id: result.failure.change.id, action: result.failure.change.action, message: redact(result.failure.error.message) } } : {}),
  };
}

/** The `--json` form of a diff. */
export function diffResultJson(cluster: string, result: DiffResult, redact: Redact): Record<string, unknown> {
  return {
    ok: true,
    command: 'diff',
    stack: result.plan.stack,
    cluster,
    planned: result.planned,
    changes: result.plan.changes.map((c) => changeJson(c, redact)),
    unchanged: result.plan.unchanged.map((c) => c.id),
    skipped: result.plan.skipped.map((a) => a.id),
    warnings: result.plan.warnings,
    ...(result.lockHolder ? { lockHolder: result.lockHolder } : {}),
    requests: { reads: result.requests.reads, writes: result.requests.writes },
  };
}

/** Closing line of a deploy or destroy. */
export function resultLine(command: string, result: DeployResult): string {
  const applied = countsOf(result.applied);
  const done = `${applied.create} created, ${applied.update} updated, ${applied.delete} deleted`;
  const req = `${result.requests.reads} reads, ${result.requests.writes} writes`;
  switch (result.status) {
    case 'unchanged':
      return `No changes: the cluster already matches stack '${result.stack}' (${req}).`;
    case 'applied':
      return `${command === 'destroy' ? 'Destroyed' : 'Deployed'} stack '${result.stack}': ${done} in ${(result.durationMs / 1000).toFixed(1)}s (${req}).`;
    case 'aborted':
      return `Interrupted after ${done}; run ${command} again to continue (${req}).`;
    case 'failed':
      return `${command} failed after ${done}. Fix the cause and run ${command} again: it continues from where it stopped (${req}).`;
  }
}

/** Exit code and message for an error thrown by a deploy command. */
export function errorOutcome(e: unknown, redact: Redact): { code: number; message: string } {
  const message = redact(e instanceof Error ? e.message : String(e));
  if (e instanceof CliError) return { code: e.exitCode, message };
  if (e instanceof ApprovalRequiredError) return { code: DEPLOY_EXIT.approval, message };
  if (e instanceof LockHeldError) return { code: DEPLOY_EXIT.locked, message };
  if (e instanceof MissingDriverError || e instanceof DcosConnectionConfigError || e instanceof DcosConfigError) return { code: DEPLOY_EXIT.usage, message };
  if (e instanceof BundleError) return { code: DEPLOY_EXIT.invalid, message };
  if (e instanceof OwnershipConflictError) return { code: DEPLOY_EXIT.failed, message: `${message}\nNothing was changed.` };
  if (e instanceof DeployAbortedError || (e instanceof Error && e.message === 'Interrupted.')) return { code: DEPLOY_EXIT.interrupted, message };
  if (e instanceof DcosApiError) return { code: DEPLOY_EXIT.failed, message };
  if (e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError || !(e instanceof Error)) {
    return { code: DEPLOY_EXIT.internal, message: `internal error: ${redact((e as Error)?.stack ?? String(e))}\nPlease report this with the command you ran.` };
  }
  return { code: DEPLOY_EXIT.failed, message };
}

