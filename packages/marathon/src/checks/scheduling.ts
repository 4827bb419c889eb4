/**
 * Checks of placement and scheduling props: constraints (with the index of
 * the offending one, which Marathon's own report leaves out), upgrade and
 * unreachable strategies, and fields one Marathon generation lacks.
 */
import { CONSTRAINT_OPERATORS } from '../validation/index.js';
import type { AppContext } from '../render/context.js';
import type { PropIssue } from './issue.js';

const R = { constraint: 'marathon/constraint', scheduling: 'marathon/scheduling', version: 'marathon/version' };

function isJavaInt(s: string | undefined): boolean {
  return s !== undefined && /^[+-]?[0-9]+$/.test(s) && Math.abs(Number(s)) <= 2147483647;
}

function isRegex(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

/** Operators, arity and values of each constraint. */
export function checkConstraints(ctx: AppContext): PropIssue[] {
  const out: PropIssue[] = [];
  (ctx.props.constraints ?? []).forEach((c, i) => {
    const prop = `constraints[${i}]`;
    const add = (message: string, fix: string): void => void out.push({ prop, rule: R.constraint, message: `${JSON.stringify(c.toJson())}: ${message}`, fix });
    if (c.field.length === 0) add('the field is empty.', "Name an agent attribute or 'hostname'.");
    if (!(CONSTRAINT_OPERATORS as readonly string[]).includes(c.operator)) {
      add(`'${c.operator}' is not a Marathon constraint operator.`, `Use one of ${CONSTRAINT_OPERATORS.join(', ')} (upper case), or the typed builders (Constraint.unique(...), ...).`);
      return;
    }
    const v = c.value;
    switch (c.operator) {
      case 'UNIQUE':
        if (ctx.format === '1.4' ? (v ?? '') !== '' : v !== undefined) add(`UNIQUE takes no value${ctx.format === '1.4' ? '' : ' (Marathon 1.5 rejects even an empty one)'}.`, "Use Constraint.unique(field): ['hostname', 'UNIQUE'].");
        break;
      case 'CLUSTER':
        if (v === undefined || v.length === 0) add('CLUSTER needs the value to run on.', "Use Constraint.cluster(field, value), e.g. cluster('rack', 'rack-1').");
        break;
      case 'GROUP_BY':
        if (v !== undefined && !isJavaInt(v)) add(`GROUP_BY takes a whole number of groups, not '${v}'.`, 'Use Constraint.groupBy(field) or groupBy(field, 3).');
        break;
      case 'LIKE':
      case 'UNLIKE':
        if (v === undefined) add(`${c.operator} needs a regular expression.`, `Use Constraint.${c.operator === 'LIKE' ? 'like' : 'unlike'}(field, regex).`);
        else if (!isRegex(v)) add(`'${v}' is not a valid regular expression.`, 'Fix the regular expression (Marathon matches it as a Java regex against the whole value).');
        break;
      case 'MAX_PER':
        if (!isJavaInt(v)) add(`MAX_PER needs a whole number of tasks, not ${v === undefined ? 'nothing' : `'${v}'`}.`, 'Use Constraint.maxPer(field, 2).');
        break;
    }
  });
  return out;
}

/** Upgrade strategy bounds, unreachable strategy ordering, generation-only fields. */
export function checkScheduling(ctx: AppContext): PropIssue[] {
  const p = ctx.props;
  const out: PropIssue[] = [];
  for (const f of ['minimumHealthCapacity', 'maximumOverCapacity'] as const) {
    const v = p.upgradeStrategy?.[f];
    if (v !== undefined && !(v >= 0 && v <= 1)) {
      out.push({ prop: `upgradeStrategy.${f}`, rule: R.scheduling, message: `${v} is outside [0, 1]; it is a share of the instances.`, fix: `Use a number between 0 and 1 for ${f}, e.g. 0.5.` });
    }
  }
  const u = p.unreachableStrategy;
  if (u !== undefined && typeof u === 'object' && (u.inactiveAfterSeconds ?? 300) > (u.expungeAfterSeconds ?? 600)) {
    out.push({ prop: 'unreachableStrategy', rule: R.scheduling, message: `inactiveAfterSeconds (${u.inactiveAfterSeconds ?? 300}) must not exceed expungeAfterSeconds (${u.expungeAfterSeconds ?? 600}).`, fix: 'Expunge a task only after a replacement was started: expungeAfterSeconds >= inactiveAfterSeconds.' });
  }
  if (p.tty !== undefined && ctx.format === '1.4') {
    out.push({ prop: 'tty', rule: R.version, message: `tty needs Marathon 1.5 or later; the cluster runs Marathon ${ctx.marathonVersion}.`, fix: 'Drop tty, or target DC/OS 1.10+ (or set marathonVersion on the Cluster).' });
  }
  return out;
}
