/**
 * Checks of the command, container and secrets props that are clearer on
 * the typed props than on the rendered JSON.
 */
import type { AppContext } from '../render/context.js';
import type { PropIssue } from './issue.js';

const R = { command: 'marathon/command', container: 'marathon/container', secrets: 'marathon/secrets' };

/** `cmd` and `args` are exclusive (Marathon: "must either contain one of 'cmd' or 'args'"). */
export function checkCommand(ctx: AppContext): PropIssue[] {
  const p = ctx.props;
  if (p.cmd !== undefined && p.args !== undefined && p.args.length > 0) {
    return [{
      prop: 'cmd',
      rule: R.command,
      message: "cmd and args are both set; Marathon runs either a shell command (cmd) or the image's entrypoint with arguments (args) and rejects both together.",
      fix: 'Keep cmd (a shell command line) or args (arguments to the entrypoint), not both.',
    }];
  }
  return [];
}

/** Container settings by containerizer and Marathon generation. */
export function checkContainer(ctx: AppContext): PropIssue[] {
  const p = ctx.props;
  const c = p.container;
  const out: PropIssue[] = [];
  if (c === undefined) return out;
  if (p.image === undefined && (c.forcePullImage !== undefined || c.privileged !== undefined || (c.parameters ?? []).length > 0 || c.pullConfigSecret !== undefined)) {
    out.push({ prop: 'container', rule: R.container, message: 'image settings are set but the app has no image.', fix: 'Set `image`, or remove forcePullImage, privileged, parameters and pullConfigSecret.' });
  }
  if (ctx.containerType === 'MESOS') {
    const dockerOnly = 'is a Docker containerizer setting; the Mesos containerizer (UCR) has no such option and Marathon rejects or ignores it.';
    if (c.privileged === true) out.push({ prop: 'container.privileged', rule: R.container, message: `privileged ${dockerOnly}`, fix: "Set container.type to 'DOCKER', or drop privileged." });
    if ((c.parameters ?? []).length > 0) out.push({ prop: 'container.parameters', rule: R.container, message: `parameters ${dockerOnly}`, fix: "Set container.type to 'DOCKER', or drop the docker parameters." });
  }
  if (c.pullConfigSecret !== undefined) {
    if (ctx.format === '1.4') {
      out.push({ prop: 'container.pullConfigSecret', rule: R.container, message: `pullConfig needs Marathon 1.5 or later; the cluster runs Marathon ${ctx.marathonVersion}.`, fix: 'Target DC/OS 1.10+ (or set marathonVersion on the Cluster), or drop pullConfigSecret.' });
    } else if (ctx.containerType === 'DOCKER') {
      out.push({ prop: 'container.pullConfigSecret', rule: R.container, message: 'pullConfig only works with the Mesos containerizer.', fix: "Use container.type 'MESOS' to pull with a pullConfig secret." });
    }
  }
  (c.volumes ?? []).forEach((v, i) => {
    const prop = `container.volumes[${i}]`;
    if (v.kind === 'secret' && ctx.format === '1.4') {
      out.push({ prop, rule: R.container, message: `secret volumes need Marathon 1.5 or later; the cluster runs Marathon ${ctx.marathonVersion}.`, fix: 'Read the secret from an environment variable ({ secret: name }) instead, or target DC/OS 1.10+.' });
    }
    if (v.kind === 'persistent' && v.json.containerPath.includes('/')) {
      out.push({ prop: `${prop}.containerPath`, rule: R.container, message: `persistent volume path '${v.json.containerPath}' contains '/'; Marathon mounts local persistent volumes at a single-level path in the sandbox.`, fix: 'Use a plain name such as "data" (the task sees it as $MESOS_SANDBOX/data).' });
    }
    if (v.kind === 'persistent' && !(Number.isInteger(v.json.persistent?.size) && (v.json.persistent?.size ?? 0) > 0)) {
      out.push({ prop: `${prop}.size`, rule: R.container, message: `persistent volume size ${String(v.json.persistent?.size)} is not a positive number of MiB.`, fix: 'Give the size in MiB as a positive integer.' });
    }
  });
  return out;
}

/** Secret references and the Enterprise requirement. */
export function checkSecrets(ctx: AppContext, variant: 'open' | 'enterprise'): PropIssue[] {
  const p = ctx.props;
  const out: PropIssue[] = [];
  const declared = p.secrets ?? {};
  const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(declared, name);
  const refs: Array<[prop: string, name: string]> = [];
  for (const [k, v] of Object.entries(p.env ?? {})) if (typeof v !== 'string') refs.push([`env.${k}`, v.secret]);
  (p.container?.volumes ?? []).forEach((v, i) => v.json.secret !== undefined && refs.push([`container.volumes[${i}]`, v.json.secret]));
  if (p.container?.pullConfigSecret !== undefined) refs.push(['container.pullConfigSecret', p.container.pullConfigSecret]);
  const uses = Object.keys(declared).length > 0 || refs.length > 0;
  if (uses && variant !== 'enterprise') {
    out.push({
      prop: Object.keys(declared).length > 0 ? 'secrets' : refs[0]![0],
      rule: R.secrets,
      message: "secrets need DC/OS Enterprise (its secret store and Marathon's 'secrets' feature); the cluster is DC/OS open source.",
      fix: "Set variant: 'enterprise' on the Cluster if it runs DC/OS Enterprise; otherwise pass the value another way (e.g. a fetched file).",
      covers: ['secrets', 'env', 'container.pullConfigSecret', 'container.volumes'],
    });
  }
  for (const [prop, name] of refs) {
    if (!has(name)) {
      out.push({ prop, rule: R.secrets, message: `refers to secret '${name}', which the app's secrets do not declare (they declare ${Object.keys(declared).map((n) => `'${n}'`).join(', ') || 'none'}).`, fix: `Declare it: secrets: { ${JSON.stringify(name)}: { source: '<path in the secret store>' } }, or fix the name.` });
    }
  }
  for (const [name, s] of Object.entries(declared)) {
    if (name.length === 0) out.push({ prop: 'secrets', rule: R.secrets, message: 'a secret has an empty name.', fix: 'Give every secret a name; env values and volumes refer to it.' });
    if (s.source.length === 0) out.push({ prop: `secrets.${name}.source`, rule: R.secrets, message: 'the secret store path is empty.', fix: 'Set source to the path of the secret in the store, e.g. "database/password".' });
  }
  return out;
}
