import type { IConstruct } from 'constructs';
import type { Environment } from './environment.js';

/** A port an endpoint listens on, by name. */
export interface EndpointPort {
  /** Port name, unique within the endpoint, e.g. `http`. */
  readonly name: string;
  /** Port number inside the container. */
  readonly port: number;
  /** Transport protocol. */
  readonly protocol: 'tcp' | 'udp';
}

/**
 * Something that gets an address on a network and can be allowed traffic:
 * a Marathon app on a CNI network, for instance.
 */
export interface INetworkEndpoint extends IConstruct {
  /** The environment the endpoint belongs to. */
  readonly environment: Environment;
  /** Name shown in analysis and errors (the Marathon app id). */
  readonly endpointName: string;
  /** Labels the network gives the endpoint (the CNI labels of the task). */
  readonly endpointLabels: Readonly<Record<string, string>>;
  /** Ports the endpoint listens on. */
  readonly endpointPorts: readonly EndpointPort[];
}

/**
 * A container network that environments attach their apps to. The network
 * implements isolation between environments and the traffic they allow.
 */
export interface INetwork extends IConstruct {
  /** Name apps use to join (Marathon `ipAddress.networkName` / `networks[].name`). */
  readonly networkName: string;
  /** Called once by each environment that uses the network. */
  attachEnvironment(env: Environment): void;
  /** Lets the environment's endpoints ping each other (ICMP echo). */
  allowPing(env: Environment): void;
  /**
   * Artifact ids `endpoint` must be deployed after: the policies that govern
   * it (packages and profiles come before those). Only its own, not every
   * policy of its environment, so dependencies grow linearly with the stack.
   */
  dependencyIdsFor(endpoint: INetworkEndpoint): readonly string[];
}
