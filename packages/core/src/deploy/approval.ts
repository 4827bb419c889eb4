/**
 * Approval of changes that may open network flows (`--require-approval`),
 * like aws-cdk's broadening check. The connectivity analysis plugs in
 * through {@link ApprovalCheck}; until it does, every change to a `calico-*`
 * artifact counts as broadening with unknown flows.
 */
import type { LoadedBundle } from '../bundle/reader.js';
import type { PlannedChange } from './driver.js';
import type { DeployPlan } from './plan.js';

/** When a deploy must be approved: never, when it may open flows (default), or on any change. */
export type ApprovalLevel = 'never' | 'broadening' | 'any-change';

/** The approval levels, for command-line validation. */
export const APPROVAL_LEVELS: readonly ApprovalLevel[] = ['never', 'broadening', 'any-change'];

/** Flows a change opens and closes, as readable one-line descriptions. */
export interface FlowReport {
  /** Flows allowed after the change that were not before, e.g. `production/tester → development/database tcp/81`. */
  readonly opened: readonly string[];
  /** Flows allowed before the change that are not after. */
  readonly closed: readonly string[];
}

/**
 * Computes the flows a change opens and closes. `before` is the bundle
 * deployed before (undefined when unknown), `after` the bundle being deployed
 * (for destroy: the same manifest with no artifacts).
 */
export type ApprovalCheck = (before: LoadedBundle | undefined, after: LoadedBundle) => FlowReport | Promise<FlowReport>;

/** Whether a plan needs approval, and why. */
export interface ApprovalDecision {
  /** True when the operator must approve (`--yes` or an interactive answer). */
  readonly required: boolean;
  /** Readable reasons, one per line. */
  readonly reasons: readonly string[];
  /** The flow report, when the check ran. */
  readonly flows?: FlowReport;
}

/** Raised when approval is needed and cannot be asked for (no terminal, no `--yes`), or was refused. */
export class ApprovalRequiredError extends Error {
  /** Why approval was needed. */
  readonly reasons: readonly string[];
  /** True when the operator answered no (as opposed to: nobody could be asked). */
  readonly refused: boolean;

  constructor(reasons: readonly string[], refused: boolean, message?: string) {
    super(
      message ??
        (refused
          ? 'Deploy not approved; nothing was changed.'
          : [
              'This change needs approval and there is no terminal to ask:',
              ...reasons.map((r) => `  - ${r}`),
              'Re-run with --yes to approve it, or with --require-approval never to skip this check.',
            ].join('\n')),
    );
    this.name = 'ApprovalRequiredError';
    this.reasons = reasons;
    this.refused = refused;
  }
}

/** True for artifact kinds whose changes decide network flows. */
export function isNetworkPolicyKind(kind: string): boolean {
  return kind.startsWith('calico-');
}

/** A bundle with the same manifest header and no artifacts: the "after" of a destroy. */
export function emptyBundleLike(bundle: LoadedBundle): LoadedBundle {
  return { dir: bundle.dir, manifest: { ...bundle.manifest, artifacts: [] }, contents: new Map() };
}

function describe(c: PlannedChange): string {
  return `${c.action} ${c.id}`;
}

/**
 * Decides whether a plan needs approval at `level`. `flows` is the result
 * of the approval check when one is configured; without it, `calico-*`
 * changes count as broadening with unknown flows. A destroy with anything
 * to delete always needs approval.
 */
export function decideApproval(plan: DeployPlan, level: ApprovalLevel, flows?: FlowReport): ApprovalDecision {
  const changes = plan.changes;
  if (changes.length === 0) return { required: false, reasons: [] };
  if (plan.mode === 'destroy') {
    return {
      required: true,
      reasons: [`destroy deletes ${changes.length} resource(s) owned by stack '${plan.stack}'`],
      ...(flows ? { flows } : {}),
    };
  }
  if (level === 'never') return { required: false, reasons: [] };
  if (level === 'any-change') {
    return { required: true, reasons: changes.map(describe), ...(flows ? { flows } : {}) };
  }
  if (flows) {
    return { required: flows.opened.length > 0, reasons: flows.opened.map((f) => `opens ${f}`), flows };
  }
  const policy = changes.filter((c) => isNetworkPolicyKind(c.kind));
  return {
    required: policy.length > 0,
    reasons: policy.map((c) => `${describe(c)}: may open flows (the connectivity analysis is not wired into deploy yet)`),
  };
}
