import type { JsonValue } from '@dcos-cdk/core';
import { usesMarathon15Format, type MarathonVersion } from '@dcos-cdk/dcos';
import type { MarathonPort } from './port.js';

/** What the renderers need of an app, resolved. */
export interface AppModel {
  readonly id: string;
  readonly image: string;
  readonly cmd?: string;
  readonly args?: readonly string[];
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly instances?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly networkName: string;
  readonly networkLabels: Readonly<Record<string, string>>;
  readonly ports: readonly MarathonPort[];
}

/**
 * The app definition in the format of the cluster's Marathon: 1.4 puts a
 * container on a CNI network with `ipAddress` and declares its ports in
 * `ipAddress.discovery.ports`; 1.5 and later use `networks` and
 * `container.portMappings`. Field order follows the walkthrough's files.
 */
export function renderApp(app: AppModel, version: MarathonVersion): { [key: string]: JsonValue | undefined } {
  const container = { type: 'MESOS', docker: { image: app.image } };
  const common = {
    id: app.id,
    instances: app.instances,
    cmd: app.cmd,
    args: app.args,
    cpus: app.cpus,
    mem: app.mem,
    disk: app.disk,
    env: app.env,
    labels: app.labels,
  };
  if (!usesMarathon15Format(version)) {
    return {
      id: common.id,
      container,
      ...without(common, 'id'),
      ipAddress: {
        networkName: app.networkName,
        labels: app.networkLabels,
        discovery: app.ports.length ? { ports: app.ports.map((p) => ({ name: p.name, number: p.port, protocol: p.protocol })) } : undefined,
      },
    };
  }
  return {
    id: common.id,
    container: {
      ...container,
      portMappings: app.ports.length ? app.ports.map((p) => ({ containerPort: p.port, name: p.name, protocol: p.protocol })) : undefined,
    },
    ...without(common, 'id'),
    networks: [{ mode: 'container', name: app.networkName, labels: app.networkLabels }],
  };
}

function without<T extends object, K extends keyof T>(o: T, key: K): Omit<T, K> {
  const copy = { ...o };
  delete copy[key];
  return copy;
}
