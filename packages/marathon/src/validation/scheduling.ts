/**
 * Scheduling rules: resources, upgrade strategy (incl. MARATHON_SINGLE_INSTANCE_APP and resident
 * apps), residency, unreachable strategy, accepted resource roles.
 * 1.4: `state/AppDefinition.scala`, `state/UpgradeStrategy.scala`; 1.5:
 * `api/v2/validation/SchedulingValidation.scala`, `AppValidation.scala` (1.5 range checks of
 * resources and of upgradeStrategy are RAML read checks).
 */
import { Ctx, javaDouble, javaInt } from './context.js';
import { MARATHON_DEFAULTS } from './defaults.js';
import type { MarathonAppJson } from './types.js';

/** Label that marks an app as single-instance. */
export const SINGLE_INSTANCE_LABEL = 'MARATHON_SINGLE_INSTANCE_APP';

const MIN = '/upgradeStrategy/minimumHealthCapacity';
const MAX = '/upgradeStrategy/maximumOverCapacity';

/** True when the app has a local persistent volume. */
export function hasPersistentVolumes(app: MarathonAppJson): boolean {
  return (app.container?.volumes ?? []).some((v) => v.persistent !== undefined);
}

function isSingleInstance(app: MarathonAppJson): boolean {
  return app.labels?.[SINGLE_INSTANCE_LABEL] === 'true';
}

function isResident(app: MarathonAppJson): boolean {
  return app.residency !== undefined || hasPersistentVolumes(app);
}

function mustBeZero(value: number, path: string, why: string, ctx: Ctx): void {
  if (value !== 0) ctx.add(path, `got ${javaDouble(value)}, expected 0.0`, `Set ${path.split('/').pop()} to 0 for ${why}.`);
}

function checkNonNegative(app: MarathonAppJson, ctx: Ctx): void {
  const fix = (f: string): string => `Set ${f} to 0 or more.`;
  if (app.instances !== undefined && app.instances < 0) ctx.add('/instances', `got ${javaInt(app.instances)}, expected 0 or more`, fix('instances'));
  for (const f of ['cpus', 'mem', 'disk'] as const) {
    const v = app[f];
    if (v !== undefined && v < 0) ctx.add(`/${f}`, `got ${javaDouble(v)}, expected 0.0 or more`, fix(f));
  }
  if (app.gpus !== undefined && app.gpus < 0) ctx.add('/gpus', `got ${javaInt(app.gpus)}, expected 0 or more`, fix('gpus'));
}

/** Rules shared by both versions (messages differ where noted). */
function checkCommon(app: MarathonAppJson, ctx: Ctx): void {
  if (isSingleInstance(app) && (app.instances ?? MARATHON_DEFAULTS.instances) > 1) {
    ctx.add('/', 'Single instance app may only have one instance', `Set instances to 0 or 1, or remove the ${SINGLE_INSTANCE_LABEL} label.`);
  }
  if (app.residency !== undefined && !hasPersistentVolumes(app)) {
    ctx.add(
      '/',
      ctx.is14
        ? 'AppDefinition must contain persistent volumes and define residency'
        : 'App must contain persistent volumes and define residency',
      'Remove "residency" or add a local persistent volume to container.volumes.',
    );
  }
  const unreachable = app.unreachableStrategy;
  if (isResident(app) && unreachable !== undefined && !(typeof unreachable === 'string' && unreachable.toLowerCase() === 'disabled')) {
    ctx.add('/', 'unreachableStrategy must be disabled for resident tasks', 'Set "unreachableStrategy": "disabled" for apps with persistent volumes.');
  }
}

/** 1.4 scheduling rules (validate stage). */
export function checkScheduling14(app: MarathonAppJson, ctx: Ctx): void {
  checkNonNegative(app, ctx);
  const defaults = isResident(app) ? MARATHON_DEFAULTS.residentUpgradeStrategy : MARATHON_DEFAULTS.upgradeStrategy;
  const min = app.upgradeStrategy?.minimumHealthCapacity ?? defaults.minimumHealthCapacity;
  const max = app.upgradeStrategy?.maximumOverCapacity ?? defaults.maximumOverCapacity;
  for (const [value, path] of [[min, MIN], [max, MAX]] as const) {
    if (value < 0 || value > 1) {
      ctx.add(path, `got ${javaDouble(value)}, expected between 0.0 and 1.0`, `Use a value between 0 and 1 for ${path.split('/').pop()}.`);
    }
  }
  if (isSingleInstance(app)) {
    mustBeZero(min, MIN, 'single-instance apps', ctx);
    mustBeZero(max, MAX, 'single-instance apps', ctx);
  }
  if (isResident(app)) {
    if (min > 0.5) ctx.add(MIN, `got ${javaDouble(min)}, expected 0.5 or less`, 'Use a minimumHealthCapacity of at most 0.5 for apps with persistent volumes.');
    mustBeZero(max, MAX, 'apps with persistent volumes', ctx);
  }
  checkCommon(app, ctx);
}

/** 1.5 scheduling rules (canonical validation; only an explicit upgradeStrategy is checked). */
export function checkScheduling15(app: MarathonAppJson, ctx: Ctx): void {
  const us = app.upgradeStrategy;
  if (us !== undefined) {
    const min = us.minimumHealthCapacity ?? MARATHON_DEFAULTS.upgradeStrategy.minimumHealthCapacity;
    const max = us.maximumOverCapacity ?? MARATHON_DEFAULTS.upgradeStrategy.maximumOverCapacity;
    if (isSingleInstance(app)) {
      mustBeZero(min, MIN, 'single-instance apps', ctx);
      mustBeZero(max, MAX, 'single-instance apps', ctx);
    }
    if (isResident(app)) mustBeZero(max, MAX, 'apps with persistent volumes', ctx);
  }
  if (app.acceptedResourceRoles !== undefined && app.acceptedResourceRoles.length === 0) {
    ctx.add('/acceptedResourceRoles', 'must not be empty', 'Omit acceptedResourceRoles or list at least one role, e.g. ["*"].');
  }
  checkCommon(app, ctx);
}
