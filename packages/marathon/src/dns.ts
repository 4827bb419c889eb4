/**
 * The DNS names DC/OS serves for a Marathon app, computed the way Marathon,
 * Mesos-DNS and dcos-net derive them (see the Marathon facts, section 5).
 */
import type { MarathonPort } from './port.js';

/** Framework name Marathon registers with Mesos; part of every name. */
const FRAMEWORK = 'marathon';
/** Mesos-DNS domain on DC/OS. */
const MESOS_DOMAIN = 'mesos';

/** Marathon's task name: the id's segments reversed, dot-joined (`/shop/web` -> `web.shop`). */
export function marathonTaskName(appId: string): string {
  return appId.split('/').filter((s) => s.length > 0).reverse().join('.');
}

/**
 * Mesos-DNS `labels.RFC1123`: lower case, `.` and `_` become `-`, other
 * characters dropped, leading dashes trimmed, cut at 63 characters without
 * a trailing dash.
 */
export function mesosDnsLabel(name: string): string {
  // One string built in a loop: an array per character made this a hot spot of large stacks.
  let mapped = '';
  for (const c of name) {
    if (c >= 'A' && c <= 'Z') mapped += c.toLowerCase();
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) mapped += c;
    else if (c === '-' || c === '.' || c === '_') mapped += '-';
  }
  const trim = mapped.replace(/^-+/, '');
  const size = Math.min(trim.length, 63);
  const head = trim.slice(0, size).replace(/-+$/, '');
  if (head.length === size) return head;
  const tail = trim.slice(size).replace(/^-+/, '');
  return head + tail.slice(0, size - head.length);
}

/**
 * dcos-net's label function (`mesos_state:label`): lower case, leading
 * characters up to the first letter or digit dropped, `-`, `_` and `.`
 * become `-`, other characters dropped, at most 63 characters, no trailing dash.
 */
export function dcosNetLabel(name: string): string {
  const allowed = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  let state: 'start' | 'middle' | 'terminate' = 'start';
  let acc = '';
  const chars = [...name.toLowerCase()];
  for (let i = 0; i < chars.length; ) {
    const c = chars[i]!;
    if (state === 'start' && allowed(c)) state = 'middle';
    if (state === 'middle' && acc.length > 62) {
      acc = acc.replace(/-+$/, '');
      state = 'terminate';
    }
    if (state === 'middle' && (c === '-' || c === '_' || c === '.')) acc += '-';
    else if (state === 'terminate' && acc.length === 63) break;
    else if (allowed(c)) acc += c;
    i++;
  }
  return acc.replace(/-+$/, '');
}

/** dcos-net's `domain_frag`: each dot-separated part through {@link dcosNetLabel}. */
export function dcosNetDomainFragment(name: string): string {
  return name.split('.').filter((s) => s.length > 0).map(dcosNetLabel).join('.');
}

/** A layer-4 virtual IP of a port and the name DC/OS serves for it. */
export interface VipAddress {
  /** Name of the app port the VIP forwards to. */
  readonly portName?: string;
  /** The `VIP_0` label value, e.g. `/shop/web:80`. */
  readonly label: string;
  /** DNS name of the VIP (for a named VIP), or its IP address. */
  readonly host: string;
  /** The VIP's port. */
  readonly port: number;
  /** `host:port`, ready for an environment variable. */
  readonly address: string;
}

/**
 * The names DC/OS serves for an app. They are plain strings known when the
 * app is created, so they can go straight into another app's `env` or `args`.
 *
 * @example
 * new MarathonApp(env, 'api', { image: 'api', env: { DB_HOST: database.dns.containerIp } });
 */
export class MarathonAppDns {
  /** Marathon's task name, e.g. `web.shop` for `/shop/web`. */
  public readonly taskName: string;
  /** Mesos-DNS A record, e.g. `web-shop.marathon.mesos` (address per Mesos-DNS `IPSources`). */
  public readonly mesos: string;
  /** Mesos-DNS name from the task's discovery info, e.g. `web.shop.marathon.mesos`. */
  public readonly mesosDiscovery: string;
  /** Mesos-DNS A record of the agents running the tasks, e.g. `web-shop.marathon.slave.mesos`. */
  public readonly mesosAgent: string;
  /** dcos-net: the tasks' container addresses, e.g. `web-shop.marathon.containerip.dcos.thisdcos.directory`. */
  public readonly containerIp: string;
  /** dcos-net: the addresses of the agents running the tasks. */
  public readonly agentIp: string;
  /** dcos-net: the agent address for tasks with host ports, else the container address. */
  public readonly autoIp: string;
  /** Every VIP the app's ports declare. */
  public readonly vips: readonly VipAddress[];

  /** @internal Built by MarathonApp. */
  constructor(appId: string, ports: readonly MarathonPort[], vipLabelOf: (p: MarathonPort) => string | undefined) {
    this.taskName = marathonTaskName(appId);
    const label = mesosDnsLabel(this.taskName);
    const discovery = this.taskName.split('.').map(mesosDnsLabel).filter((s) => s.length > 0).join('.');
    this.mesos = `${label}.${FRAMEWORK}.${MESOS_DOMAIN}`;
    this.mesosDiscovery = `${discovery}.${FRAMEWORK}.${MESOS_DOMAIN}`;
    this.mesosAgent = `${label}.${FRAMEWORK}.slave.${MESOS_DOMAIN}`;
    const net = dcosNetLabel(this.taskName);
    this.containerIp = `${net}.${FRAMEWORK}.containerip.dcos.thisdcos.directory`;
    this.agentIp = `${net}.${FRAMEWORK}.agentip.dcos.thisdcos.directory`;
    this.autoIp = `${net}.${FRAMEWORK}.autoip.dcos.thisdcos.directory`;
    this.vips = ports.flatMap((p) => {
      const value = vipLabelOf(p);
      return value === undefined ? [] : [vipAddress(value, p.name)];
    });
  }

  /** Mesos-DNS SRV name of the app, e.g. `_web-shop._tcp.marathon.mesos`. */
  public srv(protocol: 'tcp' | 'udp' = 'tcp'): string {
    return `_${mesosDnsLabel(this.taskName)}._${protocol}.${FRAMEWORK}.${MESOS_DOMAIN}`;
  }

  /** The VIP of the port named `portName`; throws when that port declares none. */
  public vip(portName: string): VipAddress {
    const v = this.vips.find((x) => x.portName === portName);
    if (v === undefined) {
      throw new Error(`${this.taskName}: port '${portName}' has no VIP; declare one with MarathonPort.tcp('${portName}', <port>, { vip: true }).`);
    }
    return v;
  }
}

/** The VIP a `VIP_<n>` label value declares: `<name>:<port>` or `<ip>:<port>`. */
export function vipAddress(label: string, portName?: string): VipAddress {
  const at = label.lastIndexOf(':');
  const name = label.slice(0, at);
  const port = Number(label.slice(at + 1));
  const isIp = /^[0-9]+(\.[0-9]+){3}$/.test(name);
  const host = isIp ? name : `${dcosNetDomainFragment(name)}.${FRAMEWORK}.l4lb.thisdcos.directory`;
  return { ...(portName === undefined ? {} : { portName }), label, host, port, address: `${host}:${port}` };
}
