/**
 * Placement constraints `[field, OPERATOR(, value)]`.
 * 1.5: `SchedulingValidation.complyWithAppConstraintRules`; 1.4: `AppDefinition.complyWithConstraintRules`
 * (operator and arity were already checked by the 1.4 reader). accord's `.each` reports all
 * violations at "/constraints".
 */
import { Ctx, parsesAsJavaInt } from './context.js';
import type { MarathonAppJson } from './types.js';

/** Operators Marathon 1.4/1.5 know. */
export const CONSTRAINT_OPERATORS = ['UNIQUE', 'CLUSTER', 'GROUP_BY', 'LIKE', 'UNLIKE', 'MAX_PER'] as const;

const PATH = '/constraints';

function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const FIX = {
  unique: 'Drop the value: ["<field>", "UNIQUE"].',
  cluster: 'Give the value to cluster on: ["<field>", "CLUSTER", "<value>"].',
  groupBy: 'Use an integer value (number of groups) or no value: ["<field>", "GROUP_BY", "3"].',
  regex: 'Give a valid (Java) regular expression as value: ["<field>", "LIKE", "<regex>"].',
  regexMissing: 'Give a regular expression as value: ["<field>", "LIKE", "<regex>"].',
  maxPer: 'Give an integer value: ["<field>", "MAX_PER", "2"].',
  operator: 'Use one of UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER (upper case).',
  arity: 'Write the constraint as ["<field>", "<OPERATOR>"] or ["<field>", "<OPERATOR>", "<value>"].',
};

/** Validates every constraint of the app. */
export function checkConstraints(app: MarathonAppJson, ctx: Ctx): void {
  for (const c of app.constraints ?? []) checkOne(c, ctx);
}

function checkOne(c: readonly string[], ctx: Ctx): void {
  if (c.length < 2 || c.length > 3) {
    ctx.add(PATH, 'Each constraint must have either 2 or 3 fields', FIX.arity);
    return;
  }
  const [, op, value] = c as [string, string, string | undefined];
  if (!(CONSTRAINT_OPERATORS as readonly string[]).includes(op)) {
    ctx.add(
      PATH,
      ctx.is14
        ? 'Operator must be one of UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER or UNLIKE'
        : 'Constraint operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER or UNLIKE',
      FIX.operator,
    );
    return;
  }
  // 1.4 validates the protobuf (hasValue / nonEmpty); 1.5 the raw Option[String].
  const defined = value !== undefined;
  const nonEmpty = defined && value.length > 0;
  const isInt = defined && parsesAsJavaInt(value);
  switch (op) {
    case 'UNIQUE':
      if (ctx.is14 ? nonEmpty : defined) ctx.add(PATH, 'Value specified but not used', FIX.unique);
      return;
    case 'CLUSTER':
      if (ctx.is14 ? !nonEmpty : !defined) ctx.add(PATH, 'Missing value', FIX.cluster);
      return;
    case 'GROUP_BY':
      if (defined && !(ctx.is14 ? nonEmpty && isInt : isInt)) {
        ctx.add(PATH, 'Value was specified but is not a number', FIX.groupBy);
      }
      return;
    case 'LIKE':
    case 'UNLIKE':
      if (!defined) ctx.add(PATH, 'A regular expression value must be provided', FIX.regexMissing);
      else if (!isValidRegex(value)) ctx.add(PATH, `'${value}' is not a valid regular expression`, FIX.regex);
      return;
    case 'MAX_PER':
      // 1.4 requires an integer value; 1.5 accepts a missing value but not a non-integer one.
      if (ctx.is14 ? !(nonEmpty && isInt) : defined && !isInt) {
        ctx.add(PATH, 'Value was not specified or is not a number', FIX.maxPer);
      }
      return;
  }
}
