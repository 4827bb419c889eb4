/**
 * Container rules. 1.5: `AppValidation.scala` (`validOldContainerAPI`, `validContainer`,
 * docker/mesos engine validators); 1.4: `state/Container.scala` validators plus the MESOS
 * restrictions listed in the facts sheet.
 */
import { Ctx, child } from './context.js';
import type { MarathonAppJson, MarathonContainerJson } from './types.js';

const P = {
  container: '/container',
  docker: '/container/docker',
  image: '/container/docker/image',
  pullConfig: '/container/docker/pullConfig',
};

/** Message of Marathon's `featureEnabled` validator. */
export function featureMessage(feature: string): string {
  return `Feature ${feature} is not enabled. Enable with --enable_features ${feature})`;
}

/** Effective container type (Marathon defaults a container without `type` to DOCKER). */
export function containerType(c: MarathonContainerJson | undefined): 'MESOS' | 'DOCKER' | undefined {
  if (c === undefined) return undefined;
  return (c.type ?? 'DOCKER').toUpperCase() === 'MESOS' ? 'MESOS' : 'DOCKER';
}

/** True when the container carries an image Marathon can run without cmd/args. */
function hasRunnableImage(c: MarathonContainerJson | undefined): boolean {
  const t = containerType(c);
  if (c === undefined || t === undefined) return false;
  if (c.docker !== undefined && c.appc === undefined) return true;
  return c.docker === undefined && c.appc !== undefined && t === 'MESOS';
}

/** cmd/args/container rule (both versions). */
export function checkCommand(app: MarathonAppJson, ctx: Ctx): void {
  const cmd = app.cmd !== undefined;
  const args = (app.args ?? []).length > 0;
  if (!((cmd !== args) || (!(cmd && args) && hasRunnableImage(app.container)))) {
    ctx.add(
      '/',
      "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.",
      cmd && args
        ? 'Set either "cmd" or "args", not both.'
        : 'Set "cmd" or "args", or give the app a container with an image.',
    );
  }
  if (!ctx.is14 && app.cmd !== undefined && app.cmd.length <= 1) {
    // AppValidation: isTrue("must not be an empty string")(_.cmd.forall(_.length > 1))
    ctx.add('/', 'must not be an empty string', 'Use a command longer than one character.');
  }
}

/**
 * 1.5 `validOldContainerAPI` (runs before normalization): `credential` is rejected for both
 * containerizers; the Mesos containerizer also rejects `network`, `parameters` and `portMappings`.
 */
export function checkOldContainerApi15(c: MarathonContainerJson | undefined, ctx: Ctx): void {
  if (c?.docker === undefined || c.appc !== undefined) return;
  const d = c.docker;
  if (d.credential !== undefined) {
    ctx.add(child(P.docker, 'credential'), 'must be empty', 'Remove docker.credential; use docker.pullConfig with a secret instead.');
  }
  if (containerType(c) === 'MESOS') checkMesosDockerRestrictions(c, ctx, false);
}

function checkMesosDockerRestrictions(c: MarathonContainerJson, ctx: Ctx, is14: boolean): void {
  const d = c.docker;
  if (d === undefined) return;
  const fix = (what: string): string => `Remove docker.${what}: it only applies to the Docker containerizer (type DOCKER).`;
  if (d.network !== undefined) {
    ctx.add(child(P.docker, 'network'), 'must be empty', is14 ? 'Remove docker.network; use ipAddress for IP-per-task with MESOS.' : fix('network'));
  }
  if ((d.parameters ?? []).length > 0) ctx.add(child(P.docker, 'parameters'), 'must be empty', fix('parameters'));
  if (d.portMappings !== undefined && (!is14 || d.portMappings.length > 0)) {
    ctx.add(child(P.docker, 'portMappings'), 'must be empty', is14 ? fix('portMappings') : 'Move the port mappings to container.portMappings.');
  }
}

/** 1.5 `validContainer` (canonical form) for the engine/image rules. */
export function checkContainer15(c: MarathonContainerJson | undefined, app: MarathonAppJson, ctx: Ctx): void {
  if (c === undefined) return;
  const t = containerType(c);
  if (t === 'DOCKER') {
    if (c.docker === undefined) {
      ctx.add(P.docker, 'not defined', 'Add container.docker with an image, or set container.type to MESOS.');
      return;
    }
    if (c.docker.image.length === 0) ctx.add(P.image, 'must not be empty', 'Set container.docker.image.');
    if (c.docker.pullConfig !== undefined) {
      ctx.add(P.pullConfig, 'pullConfig is not supported with Docker containerizer', 'Use container.type MESOS to pull with a pullConfig secret.');
    }
    return;
  }
  if (c.docker !== undefined && c.appc !== undefined) {
    ctx.add(P.container, 'mesos containers should specify, at most, a single image type', 'Give either container.docker or container.appc, not both.');
    return;
  }
  if (c.docker !== undefined) {
    if (c.docker.image.length === 0) ctx.add(P.image, 'must not be empty', 'Set container.docker.image.');
    const pull = c.docker.pullConfig;
    if (pull !== undefined) {
      if (!ctx.hasFeature('secrets')) {
        ctx.add(P.pullConfig, 'must be empty', 'Remove pullConfig or start Marathon with --enable_features secrets.');
        ctx.add(P.pullConfig, featureMessage('secrets'), 'Start Marathon with --enable_features secrets, or remove pullConfig.');
      }
      if (!Object.prototype.hasOwnProperty.call(app.secrets ?? {}, pull.secret)) {
        ctx.add(P.pullConfig, 'pullConfig.secret must refer to an existing secret', `Declare a secret named "${pull.secret}" in "secrets".`);
      }
    }
  }
  if (c.appc !== undefined) {
    const id = c.appc.id;
    if (id !== undefined && !id.startsWith('sha512-')) {
      ctx.add(child(child(P.container, 'appc'), 'id'), "id must begin with 'sha512-',", 'Use an AppC image id of the form "sha512-<digest>".');
    } else if (id !== undefined && id.length <= 'sha512-'.length) {
      ctx.add(child(child(P.container, 'appc'), 'id'), "id must contain non-empty digest after 'sha512-'.", 'Append the digest after "sha512-".');
    }
  }
}

/** 1.4 container rules. */
export function checkContainer14(c: MarathonContainerJson | undefined, ctx: Ctx): void {
  if (c === undefined) return;
  const t = containerType(c);
  if (t === 'DOCKER') {
    if (c.docker === undefined) {
      ctx.add(P.docker, 'not defined', 'Add container.docker with an image, or set container.type to MESOS.');
      return;
    }
    if (c.docker.image.length === 0) ctx.add(P.image, 'must not be empty', 'Set container.docker.image.');
    return;
  }
  if (c.docker !== undefined) {
    if (c.docker.image.length === 0) ctx.add(P.image, 'must not be empty', 'Set container.docker.image.');
    checkMesosDockerRestrictions(c, ctx, true);
  }
  if (c.appc !== undefined && c.appc.image.length === 0) {
    ctx.add(child(child(P.container, 'appc'), 'image'), 'must not be empty', 'Set container.appc.image.');
  }
}

/** GPU rules (both versions): Mesos containerizer only, feature gpu_resources. */
export function checkGpus(app: MarathonAppJson, ctx: Ctx): void {
  if ((app.gpus ?? 0) <= 0) return;
  if (containerType(app.container) === 'DOCKER') {
    ctx.add('/', 'GPU resources only work with the Mesos containerizer', 'Use container.type MESOS (UCR) for apps that request GPUs.');
  }
  if (!ctx.hasFeature('gpu_resources')) {
    ctx.add('/', featureMessage('gpu_resources'), 'Start Marathon with --enable_features gpu_resources, or request 0 GPUs.');
  }
}
