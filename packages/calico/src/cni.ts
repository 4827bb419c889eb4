import { Construct } from 'constructs';
import { addSynthesisParticipant } from '@dcos-cdk/core';
import { Cluster } from '@dcos-cdk/dcos';

/** Options of {@link CniNetworkConfig}. */
export interface CniNetworkConfigProps {
  /** CNI network name. */
  readonly networkName: string;
  /** etcd the Calico plugin talks to. @default the calico package's local etcd proxy (v1) or the masters' etcd (v3) */
  readonly etcdEndpoints?: string;
  /** MTU of container interfaces (Calico v3 only). @default 1420 */
  readonly mtu?: number;
  /**
   * Calico v3 only: the IP pools (CIDRs) calico-ipam allocates this
   * network's addresses from (`ipam.ipv4_pools` / `ipv6_pools`). The CNI
   * plugin of the calicoctl v1 era cannot pin pools.
   * @default any enabled pool
   */
  readonly ipPools?: readonly string[];
  /** Artifact ids that must be applied first. @default [] */
  readonly dependsOn?: readonly string[];
}

const NETWORK_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * The CNI configuration file of an extra Calico network, as every agent
 * needs it under `/opt/mesosphere/etc/dcos/network/cni/` (DC/OS learns
 * networks at agent start). Emits a `cni-network` artifact whose content is
 * the file itself, in the shape the DC/OS `calico` package writes (calicoctl
 * v1 clusters) or DC/OS 2.1+ writes for its built-in Calico.
 */
export class CniNetworkConfig extends Construct {
  /** Bundle id of the artifact. */
  public readonly artifactId: string;
  /** File name on the agents. */
  public readonly fileName: string;

  constructor(scope: Construct, id: string, props: CniNetworkConfigProps) {
    super(scope, id);
    const cluster = Cluster.of(this);
    const v3 = cluster.formats.calico === 'v3';
    this.artifactId = `cni-network:${props.networkName}`;
    this.fileName = `${props.networkName}.${v3 ? 'conf' : 'cni'}`;
    addSynthesisParticipant(this, {
      validate: (d) => {
        if (!NETWORK_NAME.test(props.networkName)) {
          d.error(this, 'calico/network-name', `CNI network name '${props.networkName}' is not valid.`, 'Use lower-case letters, digits and inner dashes.');
        }
      },
      emit: (ctx) => {
        const calico = {
          name: props.networkName,
          type: 'calico',
          etcd_endpoints: props.etcdEndpoints ?? (v3 ? 'http://master.dcos.thisdcos.directory:2379' : 'http://localhost:2379'),
          ipam: { type: 'calico-ipam', ...(v3 ? pools(props.ipPools ?? []) : {}) },
        };
        const config = v3
          ? {
              name: props.networkName,
              type: 'mesos-cni-port-mapper',
              excludeDevices: ['cali+'],
              chain: 'M-CALICO',
              delegate: { cniVersion: '0.1.0', ...calico, mtu: props.mtu ?? 1420 },
            }
          : calico;
        ctx.addArtifact(this, {
          id: this.artifactId,
          kind: 'cni-network',
          file: `cni/${this.fileName}`,
          content: JSON.stringify(config, null, 2) + '\n',
          dependsOn: props.dependsOn,
        });
      },
    });
  }
}

/** `ipv4_pools` / `ipv6_pools` of the calico-ipam configuration, when pools are pinned. */
function pools(cidrs: readonly string[]): Record<string, string[]> {
  const v4 = cidrs.filter((c) => !c.includes(':'));
  const v6 = cidrs.filter((c) => c.includes(':'));
  return { ...(v4.length ? { ipv4_pools: v4 } : {}), ...(v6.length ? { ipv6_pools: v6 } : {}) };
}
