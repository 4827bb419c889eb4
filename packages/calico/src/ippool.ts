import { Construct } from 'constructs';
import { addSynthesisParticipant, brand, hasBrand, toYaml } from '@dcos-cdk/core';
import { Cluster } from '@dcos-cdk/dcos';
import { parseCidr } from './model/cidr.js';
import type { IpipMode, IpPoolResource } from './model/resources.js';
import { validateIpPool } from './model/validate.js';
import { reportProblems } from './report.js';
import { CalicoRegistry } from './registry.js';
import { renderIpPool } from './render/resources.js';
import { rememberDocument } from './rendered-documents.js';

/** Options of a {@link CalicoIpPool}. */
export interface CalicoIpPoolProps {
  /**
   * The pool's network, strictly masked (`10.1.0.0/16`): at least /26 for
   * IPv4 or /122 for IPv6 while enabled, outside the link-local ranges.
   */
  readonly cidr: string;
  /**
   * Name of the pool: its Calico v3 name, and the bundle file name in both
   * versions (a calicoctl v1 pool is named by its CIDR).
   * @default the CIDR with every other character than a letter or digit turned into a dash (`10-1-0-0-16`)
   */
  readonly name?: string;
  /**
   * IP-in-IP encapsulation of traffic between hosts: `always`,
   * `cross-subnet` (only to hosts in another subnet) or `never`. Not
   * available on IPv6 pools.
   * @default 'never'
   */
  readonly ipip?: IpipMode;
  /** Masquerade traffic from the pool's containers to addresses outside every pool. @default false */
  readonly natOutgoing?: boolean;
  /** Allocate no new addresses from the pool (existing ones stay). @default false */
  readonly disabled?: boolean;
  /** Artifact ids that must be applied first. @default [] */
  readonly dependsOn?: readonly string[];
}

/**
 * A Calico IP pool: the addresses Calico IPAM gives containers. Emits one
 * `calico-ippool` artifact: calicoctl v1 `ipPool` (`metadata.cidr`,
 * `spec.ipip`, `spec.nat-outgoing`, `spec.disabled`) or Calico v3 `IPPool`
 * (`metadata.name`, `spec.cidr`, `ipipMode`, `natOutgoing`, `disabled`).
 */
export class CalicoIpPool extends Construct {
  /** True when `x` is a {@link CalicoIpPool}, even from another copy of this package. */
  public static isCalicoIpPool(x: unknown): x is CalicoIpPool {
    return hasBrand(x, 'CalicoIpPool');
  }

  /** Name of the pool (Calico v3 name, bundle file name). */
  public readonly resourceName: string;
  /** The pool's network as given. */
  public readonly cidr: string;
  /**
   * Bundle id: `calico-ippool:<cidr>` for calicoctl v1, which names a pool
   * by its network, `calico-ippool:<name>` for Calico v3.
   */
  public readonly artifactId: string;

  private readonly props: CalicoIpPoolProps;

  constructor(scope: Construct, id: string, props: CalicoIpPoolProps) {
    super(scope, id);
    brand(this, 'CalicoIpPool');
    const cluster = Cluster.of(this);
    this.props = props;
    this.cidr = props.cidr;
    this.resourceName = props.name ?? defaultPoolName(props.cidr);
    const canonical = parseCidr(props.cidr)?.text ?? props.cidr;
    this.artifactId = `calico-ippool:${cluster.formats.calico === 'v1' ? canonical : this.resourceName}`;
    CalicoRegistry.of(this).addIpPool(this);
    let rendered: string | undefined;
    addSynthesisParticipant(this, {
      validate: (d) => {
        const version = cluster.formats.calico;
        const { model, problems } = validateIpPool(this.toResource(), version);
        reportProblems(this, problems, d);
        if (model && problems.length === 0) {
          const document = renderIpPool(model, version);
          rememberDocument(this, document);
          rendered = toYaml(document);
        }
      },
      emit: (ctx) =>
        ctx.addArtifact(this, {
          id: this.artifactId,
          kind: 'calico-ippool',
          file: `calico/ippool/${this.resourceName}.yaml`,
          content: rendered!,
          dependsOn: props.dependsOn,
        }),
    });
  }

  /** The pool in the version-neutral rule model, defaults filled in. */
  public toResource(): IpPoolResource {
    const p = this.props;
    return {
      kind: 'ipPool',
      name: this.resourceName,
      cidr: p.cidr,
      ipipMode: p.ipip ?? 'never',
      natOutgoing: p.natOutgoing ?? false,
      disabled: p.disabled ?? false,
    };
  }
}

/** `10.1.0.0/16` → `10-1-0-0-16`; `fd00::/64` → `fd00---64`. */
function defaultPoolName(cidr: string): string {
  const text = parseCidr(cidr)?.text ?? cidr;
  return text.toLowerCase().replace(/[^a-z0-9]/g, '-').replace(/^-+|-+$/g, '') || 'pool';
}
