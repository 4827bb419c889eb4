import type { MarathonVersion } from '@dcos-cdk/dcos';
import type { MarathonPort } from '../port.js';
import type { MarathonAppProps } from '../props/app.js';
import type { ContainerType } from '../props/container.js';
import type { Networking } from '../props/networking.js';

/** The JSON format generation a Marathon version reads: 1.4, or 1.5 and later. */
export type MarathonFormat = '1.4' | '1.5';

/** Everything the renderers and checks need to know about an app, resolved once. */
export interface AppContext {
  /** Absolute Marathon id. */
  readonly id: string;
  /** The cluster's Marathon. */
  readonly marathonVersion: MarathonVersion;
  /** The JSON generation of that Marathon. */
  readonly format: MarathonFormat;
  /** The props as given. */
  readonly props: MarathonAppProps;
  /** The app's networking (the default resolved). */
  readonly networking: Networking;
  /** Container network joined (container mode only). */
  readonly networkName?: string;
  /** Labels given to the network (container or bridge mode). */
  readonly networkLabels?: Readonly<Record<string, string>>;
  /** Containerizer, or undefined when the app has no container. */
  readonly containerType?: ContainerType;
  /** Declared ports. */
  readonly ports: readonly MarathonPort[];
  /** Marathon `dependencies`, resolved to absolute paths. */
  readonly dependencies: readonly string[];
}

/** True when Marathon 1.4 sees the app's ports as `ipAddress.discovery.ports` (Mesos container on a CNI network). */
export function usesDiscoveryPorts(ctx: AppContext): boolean {
  return ctx.format === '1.4' && ctx.networking.mode === 'container' && ctx.containerType !== 'DOCKER';
}

/** The VIP label value of a port, or undefined. */
export function vipLabel(ctx: AppContext, port: MarathonPort): string | undefined {
  if (port.vip === undefined || port.vip === false) return undefined;
  return port.vip === true ? `${ctx.id}:${port.port}` : port.vip;
}

/** A port's labels with its VIP label added. */
export function portLabels(ctx: AppContext, port: MarathonPort): Record<string, string> | undefined {
  const vip = vipLabel(ctx, port);
  const labels = { ...(port.labels ?? {}), ...(vip === undefined ? {} : { VIP_0: vip }) };
  return Object.keys(labels).length > 0 ? labels : undefined;
}
