/**
 * Checks of networking, ports, health and readiness checks on the typed
 * props: what a port name refers to, and what a networking mode can express
 * in the cluster's Marathon generation.
 */
import { usesDiscoveryPorts, type AppContext } from '../render/context.js';
import type { PropIssue } from './issue.js';

const R = { networking: 'marathon/networking', ports: 'marathon/ports', health: 'marathon/health-check', readiness: 'marathon/readiness-check' };

/** Port names the official JSON schemas accept (stricter than the servers). */
const SCHEMA_PORT_NAME = /^[a-z][a-z0-9-]*$/;
const VIP_LABEL = /^[^:\s]+:[0-9]{1,5}$/;

function isPortNumber(n: number | undefined): boolean {
  return n === undefined || (Number.isInteger(n) && n >= 0 && n <= 65535);
}

function known(ctx: AppContext): string {
  const names = ctx.ports.flatMap((p) => (p.name === undefined ? [] : [p.name]));
  return names.length > 0 ? `its ports: ${names.join(', ')}` : 'it declares no named ports';
}

/** Networking modes the containerizer and Marathon generation can express. */
export function checkNetworking(ctx: AppContext, envLabelKey: string): PropIssue[] {
  const out: PropIssue[] = [];
  const mode = ctx.networking.mode;
  if (mode === 'bridge' && ctx.props.image === undefined) {
    out.push({ prop: 'networking', rule: R.networking, message: 'bridge networking needs a container image.', fix: 'Set `image`, or use Networking.host().' });
  } else if (mode === 'bridge' && ctx.format === '1.4' && ctx.containerType !== 'DOCKER') {
    out.push({
      prop: 'networking',
      rule: R.networking,
      message: `bridge networking with the Mesos containerizer needs Marathon 1.5 or later (the mesos-bridge network); the cluster runs Marathon ${ctx.marathonVersion}.`,
      fix: "Use container.type 'DOCKER' for a Docker bridge, use Networking.container(), or target DC/OS 1.10+.",
    });
  }
  if (ctx.props.networkLabels !== undefined && !ctx.networking.isEnvironmentNetwork) {
    out.push({ prop: 'networkLabels', rule: R.networking, message: `networkLabels only apply on the environment's network; this app uses ${mode === 'container' ? `network '${ctx.networkName}'` : `${mode} networking`}.`, fix: 'Drop networkLabels, or pass labels to Networking.cni(name, { labels }) / Networking.bridge({ labels }).' });
  }
  if (ctx.props.networkLabels !== undefined && envLabelKey in ctx.props.networkLabels) {
    out.push({ prop: 'networkLabels', rule: 'marathon/environment-label', message: `networkLabels sets '${envLabelKey}', the label the environment uses to mark its apps; the app would leave its environment's isolation.`, fix: `Remove '${envLabelKey}' from networkLabels; the environment sets it.` });
  }
  return out;
}

/** Port numbers, names, VIPs, and what each networking mode can carry. */
export function checkPorts(ctx: AppContext): PropIssue[] {
  const out: PropIssue[] = [];
  const seen = new Map<string, number>();
  const mode = ctx.networking.mode;
  ctx.ports.forEach((p, i) => {
    const prop = `ports[${i}]`;
    for (const [field, value] of [['port', p.port], ['hostPort', p.hostPort], ['servicePort', p.servicePort]] as const) {
      if (!isPortNumber(value)) out.push({ prop: `${prop}.${field}`, rule: R.ports, message: `${String(value)} is not a port number.`, fix: 'Use an integer between 0 and 65535 (0 lets Marathon or Mesos pick one).' });
    }
    if (p.name !== undefined) {
      const first = seen.get(p.name);
      if (first !== undefined) out.push({ prop: `${prop}.name`, rule: R.ports, message: `port name '${p.name}' is also used by ports[${first}]; Marathon rejects duplicate port names.`, fix: 'Give every port a distinct name.' });
      else seen.set(p.name, i);
      if (!SCHEMA_PORT_NAME.test(p.name)) {
        out.push({ prop: `${prop}.name`, rule: R.ports, severity: 'warning', message: `port name '${p.name}' does not match ${SCHEMA_PORT_NAME.source}, the pattern of Marathon's published JSON schema (tools that check the schema reject it).`, fix: 'Start port names with a letter; use lowercase letters, digits and dashes.' });
      }
    } else if (usesDiscoveryPorts(ctx)) {
      out.push({ prop: `${prop}.name`, rule: R.ports, message: 'Marathon 1.4 declares the ports of a Mesos container on a CNI network as ipAddress.discovery.ports, which need a name.', fix: "Name the port, e.g. MarathonPort.tcp('http', 80)." });
    }
    if (mode === 'host' && p.hostPort !== undefined) {
      out.push({ prop: `${prop}.hostPort`, rule: R.ports, message: 'with host networking the port number already is the host port; hostPort has no meaning.', fix: 'Drop hostPort and put the host port in `port` (0 lets Mesos pick one).' });
    }
    if (usesDiscoveryPorts(ctx) && (p.hostPort !== undefined || p.servicePort !== undefined)) {
      out.push({ prop: `${prop}.${p.hostPort !== undefined ? 'hostPort' : 'servicePort'}`, rule: R.ports, message: `Marathon ${ctx.marathonVersion} cannot map host or service ports for a Mesos container on a CNI network (ipAddress.discovery.ports has neither).`, fix: "Use container.type 'DOCKER' (port mappings on the USER network), drop hostPort/servicePort, or target DC/OS 1.10+." });
    }
    if (p.vip === true && p.port === 0) {
      out.push({ prop: `${prop}.vip`, rule: R.ports, message: 'vip: true names the VIP after the port number, but the port is 0 (dynamic).', fix: "Give the VIP explicitly, e.g. vip: 'my-service:80'." });
    }
    if (typeof p.vip === 'string' && !VIP_LABEL.test(p.vip)) {
      out.push({ prop: `${prop}.vip`, rule: R.ports, message: `VIP '${p.vip}' is not of the form <name>:<port> or <ip>:<port>.`, fix: "Write the VIP as 'my-service:80' or '10.0.0.10:80'." });
    }
  });
  return out;
}

/** Reports a health check naming a port the app does not declare. */
function healthPort(ctx: AppContext, i: number, port: string, out: PropIssue[]): void {
  if (!ctx.ports.some((p) => p.name === port)) {
    out.push({ prop: `healthChecks[${i}].port`, rule: R.health, message: `the app has no port named '${port}' (${known(ctx)}).`, fix: "Name one of the app's ports, or declare the port in `ports`." });
  }
}

/** Health checks: the port they address exists, in this networking mode and generation. */
export function checkHealthChecks(ctx: AppContext): PropIssue[] {
  const out: PropIssue[] = [];
  const defaultHostPort = ctx.networking.mode === 'host' && ctx.props.ports === undefined;
  (ctx.props.healthChecks ?? []).forEach((hc, i) => {
    const o = hc.options;
    const prop = `healthChecks[${i}]`;
    const given = [o.port, o.portIndex, o.fixedPort].filter((x) => x !== undefined).length;
    if (!hc.usesPort) return;
    if (given > 1) {
      out.push({ prop, rule: R.health, message: 'sets more than one of port, portIndex and fixedPort.', fix: 'Keep one: a port name (port), an index (portIndex) or a fixed number (fixedPort).' });
      return;
    }
    if (o.port !== undefined) healthPort(ctx, i, o.port, out);
    else if (o.portIndex !== undefined) {
      const count = defaultHostPort ? 1 : ctx.ports.length;
      if (!(Number.isInteger(o.portIndex) && o.portIndex >= 0 && o.portIndex < count)) {
        out.push({
          prop: `${prop}.portIndex`,
          rule: R.health,
          message: `portIndex ${o.portIndex} does not address one of the app's ${count} port${count === 1 ? '' : 's'}; Marathon rejects the app ("Health check port indices must address an element of the ports array or container port mappings").`,
          fix: count === 0 ? 'Declare the port in `ports`, or use fixedPort.' : `Use a port name (port: '...') or an index between 0 and ${count - 1}.`,
        });
      }
    } else if (o.fixedPort !== undefined) {
      if (!isPortNumber(o.fixedPort)) out.push({ prop: `${prop}.fixedPort`, rule: R.health, message: `${o.fixedPort} is not a port number.`, fix: 'Use an integer between 0 and 65535.' });
    } else if (ctx.ports.length === 0 && !defaultHostPort) {
      out.push({ prop: `${prop}.port`, rule: R.health, message: `a ${hc.protocol} check connects to the app's first port, but the app declares no ports.`, fix: 'Declare the port in `ports`, give the check a fixedPort, or use HealthCheck.command(...).' });
    }
  });
  return out;
}

/** Readiness checks: the port exists, timeout below interval. */
export function checkReadinessChecks(ctx: AppContext): PropIssue[] {
  const out: PropIssue[] = [];
  (ctx.props.readinessChecks ?? []).forEach((rc, i) => {
    if (!ctx.ports.some((p) => p.name === rc.port)) {
      out.push({ prop: `readinessChecks[${i}].port`, rule: R.readiness, message: `the app has no port named '${rc.port}' (${known(ctx)}).`, fix: "Name one of the app's ports." });
    }
    const interval = rc.intervalSeconds ?? 30;
    const timeout = rc.timeoutSeconds ?? 10;
    if (timeout >= interval) {
      out.push({ prop: `readinessChecks[${i}].timeoutSeconds`, rule: R.readiness, message: `timeoutSeconds (${timeout}) must be lower than intervalSeconds (${interval}).`, fix: 'Lower timeoutSeconds or raise intervalSeconds.' });
    }
  });
  return out;
}
