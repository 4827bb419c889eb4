import { Construct } from 'constructs';
import { addSynthesisParticipant } from '@dcos-cdk/core';

/** Where Mesos-DNS takes a task's address from (see Mesos-DNS `IPSources`). */
export type IpSource = 'host' | 'netinfo' | 'mesos' | 'docker';

const IP_SOURCES: readonly IpSource[] = ['host', 'netinfo', 'mesos', 'docker'];

/** Mesos-DNS settings the stack owns. */
export interface MesosDnsSettings {
  /**
   * Ordered preference of address sources for `<app>.marathon.mesos`; the
   * first source that yields addresses wins. `['netinfo', 'host']` makes
   * names resolve to container IPs on a CNI network.
   */
  readonly ipSources: readonly IpSource[];
}

/** Options of {@link MesosDnsConfig}. */
export interface MesosDnsConfigProps extends MesosDnsSettings {
  /** DC/OS variant: the Enterprise edition keeps the file under another name. @default 'open' */
  readonly variant?: 'open' | 'enterprise';
}

/**
 * The keys of the masters' Mesos-DNS configuration that the stack owns.
 * Emits a `mesos-dns-config` artifact: the file to edit on every master,
 * the keys to set (everything else in the file is kept), and the service
 * to restart when the file changes.
 */
export class MesosDnsConfig extends Construct {
  /** Bundle id of the artifact. */
  public readonly artifactId = 'mesos-dns-config:masters';

  constructor(scope: Construct, id: string, props: MesosDnsConfigProps) {
    super(scope, id);
    addSynthesisParticipant(this, {
      validate: (d) => {
        const seen = new Set<string>();
        if (props.ipSources.length === 0) {
          d.error(this, 'dcos/mesos-dns-ip-sources', 'IPSources is empty; Mesos-DNS refuses to start without a source.', "List at least one of 'host', 'netinfo', 'mesos', 'docker'.");
        }
        for (const s of props.ipSources) {
          if (!IP_SOURCES.includes(s)) {
            d.error(this, 'dcos/mesos-dns-ip-sources', `'${s}' is not a Mesos-DNS IP source.`, "Use 'host', 'netinfo', 'mesos' or 'docker'.");
          } else if (seen.has(s)) {
            d.error(this, 'dcos/mesos-dns-ip-sources', `IP source '${s}' is listed twice; Mesos-DNS rejects duplicates.`, `Keep one '${s}'.`);
          }
          seen.add(s);
        }
      },
      emit: (ctx) =>
        ctx.addArtifact(this, {
          id: this.artifactId,
          kind: 'mesos-dns-config',
          file: 'dcos/mesos-dns.json',
          content:
            JSON.stringify(
              {
                nodes: 'masters',
                file: props.variant === 'enterprise' ? '/opt/mesosphere/etc/mesos-dns-enterprise.json' : '/opt/mesosphere/etc/mesos-dns.json',
                set: { IPSources: props.ipSources },
                restart: 'dcos-mesos-dns',
              },
              null,
              2,
            ) + '\n',
        }),
    });
  }
}
