import type { JsonValue } from '@dcos-cdk/core';
import { usesMarathon15Format, type MarathonVersion } from '@dcos-cdk/dcos';
import type { MarathonPort } from '../port.js';
import { Networking } from '../props/networking.js';
import { renderAppJson } from './app.js';

/**
 * What {@link renderApp} needs of an app, resolved.
 * @deprecated Use `MarathonApp.toMarathonJson()`, which renders every prop.
 */
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
 * A Mesos-container app on a CNI network, in the format of `version`.
 * @deprecated Use `MarathonApp.toMarathonJson()`, which renders every prop.
 */
export function renderApp(app: AppModel, version: MarathonVersion): { [key: string]: JsonValue | undefined } {
  const { id, networkName, networkLabels, ...props } = app;
  return renderAppJson({
    id,
    marathonVersion: version,
    format: usesMarathon15Format(version) ? '1.5' : '1.4',
    props,
    networking: Networking.container(),
    networkName,
    networkLabels,
    containerType: 'MESOS',
    ports: app.ports,
    dependencies: [],
  });
}
