import { Construct, type IConstruct } from 'constructs';
import { Stack, addSynthesisParticipant, hasBrand, brand } from '@dcos-cdk/core';
import type { IAgentSelection } from './agents.js';
import { MesosDnsConfig, type MesosDnsSettings } from './mesos-dns.js';
import { DcosPackage } from './package.js';
import { isDcosVersion, resolveTargets, DCOS_VERSIONS, type CalicoVersion, type DcosVersion, type MarathonVersion, type Targets } from './versions.js';

/** Options of a {@link Cluster}. */
export interface ClusterProps {
  /** DC/OS release of the cluster; decides the output formats. */
  readonly dcosVersion: DcosVersion;
  /** Marathon release, when it differs from the one DC/OS ships. @default the DC/OS release's Marathon */
  readonly marathonVersion?: MarathonVersion;
  /** Calico API generation. @default 'v1' before DC/OS 2.1, 'v3' from 2.1 */
  readonly calicoVersion?: CalicoVersion;
  /** DC/OS variant. @default 'open' */
  readonly variant?: 'open' | 'enterprise';
  /** How to find the private agents. @default none: nothing is changed on agents */
  readonly privateAgents?: IAgentSelection;
  /** Mesos-DNS settings the stack owns. @default Mesos-DNS is left as it is */
  readonly mesosDns?: MesosDnsSettings;
  /** Name the stack is deployed (and owns resources) under. @default the construct id */
  readonly stackName?: string;
}

/** Package versions of the Universe, by name. */
export interface PackageRequest {
  readonly packageVersion?: string;
  readonly options?: Readonly<Record<string, unknown>>;
  /** Package names that must be installed first. */
  readonly after?: readonly string[];
}

/**
 * A DC/OS cluster: the stack everything else lives in. Its version decides
 * the formats of every artifact.
 */
export class Cluster extends Stack {
  /** True when `x` is a {@link Cluster}, even from another copy of this package. */
  public static isCluster(x: unknown): x is Cluster {
    return hasBrand(x, 'Cluster');
  }

  /** The cluster `scope` belongs to; throws a clear error outside one. */
  public static of(scope: IConstruct): Cluster {
    const scopes = scope.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const s = scopes[i];
      if (Cluster.isCluster(s)) return s;
    }
    throw new Error(`${scope.node.path || '<root>'}: must be created inside a Cluster (new Cluster(app, ...)); pass the cluster or one of its constructs as scope.`);
  }

  /** DC/OS release. */
  public readonly dcosVersion: DcosVersion;
  /** Formats the stack is synthesized in. */
  public readonly formats: Targets;
  /** DC/OS variant. */
  public readonly variant: 'open' | 'enterprise';
  /** The private agents, when a selection was given. */
  public readonly privateAgents?: IAgentSelection;

  private readonly packages = new Map<string, DcosPackage>();
  private readonly packageRequests = new Map<string, PackageRequest>();

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id, props.stackName);
    brand(this, 'Cluster');
    if (!isDcosVersion(props.dcosVersion)) {
      throw new Error(`${this.node.path}: dcosVersion '${String(props.dcosVersion)}' is not supported; use one of ${DCOS_VERSIONS.join(', ')}.`);
    }
    this.dcosVersion = props.dcosVersion;
    this.variant = props.variant ?? 'open';
    this.formats = resolveTargets(props.dcosVersion, { marathon: props.marathonVersion, calico: props.calicoVersion });
    this.privateAgents = props.privateAgents;
    if (props.mesosDns) new MesosDnsConfig(this, 'MesosDns', { ...props.mesosDns, variant: this.variant });
    addSynthesisParticipant(this, {
      validate: (d) => {
        for (const [name, req] of this.packageRequests) {
          for (const after of req.after ?? []) {
            if (!this.packages.has(after)) {
              d.error(this.packages.get(name)!, 'dcos/package-dependency', `Package '${name}' needs package '${after}', which the stack does not install.`, `Call cluster.requirePackage('${after}').`);
            }
          }
        }
      },
    });
  }

  /** Output format versions, written to the manifest. */
  public get targets(): Readonly<Record<string, string>> {
    return { dcos: this.formats.dcos, marathon: this.formats.marathon, calico: this.formats.calico };
  }

  /**
   * Declares that the stack needs a Universe package. Asking twice returns the
   * same package; asking for two different versions is an error.
   */
  public requirePackage(packageName: string, request: PackageRequest = {}): DcosPackage {
    const existing = this.packages.get(packageName);
    if (existing) {
      const prev = this.packageRequests.get(packageName)!;
      if (request.packageVersion && prev.packageVersion && request.packageVersion !== prev.packageVersion) {
        throw new Error(`${this.node.path}: package '${packageName}' is required at versions ${prev.packageVersion} and ${request.packageVersion}; require one version.`);
      }
      return existing;
    }
    const dependsOn = (request.after ?? []).map((n) => this.packages.get(n)).filter((p): p is DcosPackage => p !== undefined);
    const pkg = new DcosPackage(this, `Package-${packageName}`, { packageName, packageVersion: request.packageVersion, options: request.options, dependsOn });
    this.packages.set(packageName, pkg);
    this.packageRequests.set(packageName, request);
    return pkg;
  }

  /** The package required under that name, if any. */
  public tryGetPackage(packageName: string): DcosPackage | undefined {
    return this.packages.get(packageName);
  }
}
