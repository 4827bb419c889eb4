import { Construct } from 'constructs';
import { addSynthesisParticipant, brand, hasBrand, type JsonValue } from '@dcos-cdk/core';
import { Environment, usesMarathon15Format, type EndpointPort, type INetworkEndpoint, type MarathonVersion } from '@dcos-cdk/dcos';
import { calicoNetworkOf, Peer, type PortRef } from '@dcos-cdk/calico';
import { checkCommand, checkContainer, checkSecrets } from './checks/container.js';
import { resolveDependencies, resolveMarathonId } from './checks/ids.js';
import { issueText, overlaps, type PropIssue } from './checks/issue.js';
import { fromMarathonIssue } from './checks/marathon.js';
import { checkHealthChecks, checkNetworking, checkPorts, checkReadinessChecks } from './checks/ports.js';
import { checkConstraints, checkScheduling } from './checks/scheduling.js';
import { MarathonAppDns } from './dns.js';
import { applyOverrides, parseOverridePath, type Override } from './overrides.js';
import type { MarathonPort } from './port.js';
import type { MarathonAppProps } from './props/app.js';
import { Networking } from './props/networking.js';
import { MarathonRegistry } from './registry.js';
import { renderAppJson } from './render/app.js';
import { vipLabel, type AppContext } from './render/context.js';
import { validateAppDefinition, type MarathonAppJson } from './validation/index.js';

/** Marathon features DC/OS starts Marathon with; Enterprise adds `secrets`. */
const DCOS_MARATHON_FEATURES = ['vips', 'task_killing', 'external_volumes', 'gpu_resources'];

/**
 * A Marathon app in an environment. Emits one `marathon-app` artifact: the
 * app definition in the JSON of the cluster's Marathon (1.4 for DC/OS 1.9,
 * 1.5+ from DC/OS 1.10), checked at synth with Marathon's own validation
 * rules and reported against the props that caused each problem.
 *
 * On its environment's network (the default networking) the app is an
 * endpoint of that network: it carries the environment's labels and can be
 * allowed traffic with `allowFrom`/`allowTo`. Host and bridge apps are not.
 */
export class MarathonApp extends Construct implements INetworkEndpoint {
  /** True when `x` is a {@link MarathonApp}, even from another copy of this package. */
  public static isMarathonApp(x: unknown): x is MarathonApp {
    return hasBrand(x, 'MarathonApp');
  }

  /** Absolute Marathon app id, e.g. `/frontend` or `/development/frontend`. */
  public readonly marathonId: string;
  /** The environment the app belongs to. */
  public readonly environment: Environment;
  /** Bundle id of the app's artifact. */
  public readonly artifactId: string;
  /**
   * Labels the task carries on the environment's network, the environment's
   * label included (used only when {@link isNetworkEndpoint}).
   */
  public readonly endpointLabels: Readonly<Record<string, string>>;
  /** Ports the app listens on. */
  public readonly ports: readonly MarathonPort[];
  /** How the app is networked. */
  public readonly networking: Networking;
  /** The cluster's Marathon, whose JSON the app is written in. */
  public readonly marathonVersion: MarathonVersion;
  /** The DNS names DC/OS serves for the app; plain strings, usable in other apps' env and args. */
  public readonly dns: MarathonAppDns;

  private readonly ctx: AppContext;
  private readonly overrides: Override[] = [];
  private readonly constructionIssues: PropIssue[] = [];
  private readonly dependencyTargets: ReadonlyArray<() => readonly string[]>;

  constructor(scope: Construct, id: string, props: MarathonAppProps) {
    super(scope, id);
    brand(this, 'MarathonApp');
    this.environment = Environment.of(this);
    const cluster = this.environment.cluster;
    this.marathonVersion = cluster.formats.marathon;
    const format = usesMarathon15Format(this.marathonVersion) ? '1.5' : '1.4';

    const resolved = resolveMarathonId(props.id ?? id, this.environment.marathonGroup, this.marathonVersion);
    this.marathonId = resolved.id;
    if (resolved.issue) this.constructionIssues.push(resolved.issue);
    this.artifactId = `marathon-app:${this.marathonId}`;
    this.ports = props.ports ?? [];
    this.networking = props.networking ?? Networking.container();
    this.endpointLabels = { ...(props.networkLabels ?? { app: id }), ...this.environment.membershipLabel };

    const deps = resolveDependencies(this, props.dependsOn ?? []);
    this.constructionIssues.push(...deps.issues);
    this.dependencyTargets = deps.targets;

    const net = this.networking;
    const containerType =
      props.container?.type ?? (props.image !== undefined || props.container !== undefined || (format === '1.5' && net.mode !== 'host') ? 'MESOS' : undefined);
    this.ctx = {
      id: this.marathonId,
      marathonVersion: this.marathonVersion,
      format,
      props,
      networking: net,
      networkName: net.mode !== 'container' ? undefined : (net.networkName ?? this.environment.network.networkName),
      networkLabels: net.isEnvironmentNetwork ? this.endpointLabels : net.labels,
      containerType,
      ports: this.ports,
      dependencies: deps.marathonIds,
    };
    this.dns = new MarathonAppDns(this.marathonId, this.ports, (p) => vipLabel(this.ctx, p));

    if (this.isNetworkEndpoint) this.environment.addMember(this);
    MarathonRegistry.of(this).add(this);

    let rendered: string | undefined;
    addSynthesisParticipant(this, {
      validate: (d) => {
        const issues = this.checkProps(cluster.variant);
        const errors = issues.filter((i) => i.severity !== 'warning');
        const json = this.toMarathonJson();
        const marathon = validateAppDefinition(json, format, { features: cluster.variant === 'enterprise' ? [...DCOS_MARATHON_FEATURES, 'secrets'] : DCOS_MARATHON_FEATURES })
          .map((i) => fromMarathonIssue(i, this.ctx, this.overrides.map((o) => o.path)))
          .filter((m) => !errors.some((e) => [e.prop, ...(e.covers ?? [])].some((p) => overlaps(p, m.prop))));
        const warnings = issues.filter((i) => i.severity === 'warning' && !marathon.some((m) => overlaps(m.prop, i.prop)));
        for (const issue of [...errors, ...warnings, ...marathon]) {
          if (issue.severity === 'warning') d.warn(this, issue.rule, issueText(issue), issue.fix);
          else d.error(this, issue.rule, issueText(issue), issue.fix);
        }
        if (errors.length === 0 && marathon.length === 0) rendered = JSON.stringify(json, null, 2) + '\n';
      },
      emit: (ctx) => {
        const network = this.isNetworkEndpoint ? this.environment.network.dependencyIdsFor(this) : [];
        const apps = this.dependencyTargets.flatMap((t) => t()).filter((a) => a !== this.artifactId);
        ctx.addArtifact(this, {
          id: this.artifactId,
          kind: 'marathon-app',
          file: `marathon${this.marathonId}.json`,
          content: rendered!,
          dependsOn: [...new Set([...network, ...apps])],
        });
      },
    });
  }

  /** True when the app is an endpoint of its environment's network (container networking on it). */
  public get isNetworkEndpoint(): boolean {
    return this.networking.isEnvironmentNetwork;
  }

  /** Name shown in analysis and errors: the Marathon id. */
  public get endpointName(): string {
    return this.marathonId;
  }

  /** Named ports as the network sees them. */
  public get endpointPorts(): readonly EndpointPort[] {
    return this.ports.flatMap((p) => (p.name === undefined ? [] : [{ name: p.name, port: p.port, protocol: p.protocol }]));
  }

  /**
   * Lets `peer` (an app, an environment, or addresses outside the cluster)
   * open connections to this app's port named `port`. Only that flow is
   * allowed; the peer's own environment lets it out when needed. Both this
   * app and an app peer must be endpoints of the network.
   */
  public allowFrom(peer: Peer | INetworkEndpoint, port: PortRef): void {
    if (this.checkEndpoints('allowFrom', peer, port)) calicoNetworkOf(this).allowIngress(this, Peer.from(peer), port);
  }

  /**
   * Lets this app open connections to `peer` on `port` (a port name of the
   * peer app, or a number and protocol).
   */
  public allowTo(peer: Peer | INetworkEndpoint, port: PortRef): void {
    if (this.checkEndpoints('allowTo', peer, port)) calicoNetworkOf(this).allowEgress(this, Peer.from(peer), port);
  }

  /**
   * Sets a field of the rendered app JSON that the typed props do not model,
   * e.g. `addOverride('container.docker.parameters', [...])`. The path is
   * dot-separated (`\.` for a dot inside a key; numbers index arrays) and
   * applies to the JSON of the cluster's Marathon ({@link marathonVersion}).
   * The result is still checked with Marathon's validation at synth.
   */
  public addOverride(path: string, value: JsonValue): void {
    this.recordOverride(path, value);
  }

  /** Removes a field of the rendered app JSON (see {@link addOverride}). */
  public addDeletionOverride(path: string): void {
    this.recordOverride(path, undefined);
  }

  /**
   * The app definition as it will be written, overrides applied, without
   * validation (synthesis validates).
   */
  public toMarathonJson(): MarathonAppJson {
    const json = renderAppJson(this.ctx);
    // renderAppJson returns a fresh tree; only overrides need the deep copy applyOverrides makes.
    return (this.overrides.length > 0 ? applyOverrides(json, this.overrides) : json) as unknown as MarathonAppJson;
  }

  private recordOverride(path: string, value: JsonValue | undefined): void {
    const keys = parseOverridePath(path);
    if (keys.some((k) => k.length === 0)) {
      this.constructionIssues.push({ prop: '', rule: 'marathon/override', message: `addOverride path '${path}' has an empty segment.`, fix: "Write the path as dot-separated JSON keys, e.g. 'container.docker.forcePullImage'." });
      return;
    }
    if (keys[0] === 'id') {
      this.constructionIssues.push({ prop: 'id', rule: 'marathon/override', message: 'the app id cannot be overridden: the artifact, the manifest and duplicate detection use it.', fix: 'Set the `id` prop instead.' });
      return;
    }
    this.overrides.push({ path: keys, value });
  }

  private checkEndpoints(call: 'allowFrom' | 'allowTo', peer: Peer | INetworkEndpoint, port: PortRef): boolean {
    const describe = `${call}(${MarathonApp.isMarathonApp(peer) ? `app ${peer.marathonId}` : 'peer'}, ${JSON.stringify(port)})`;
    const notEndpoint = (app: MarathonApp): PropIssue => ({
      prop: '',
      rule: 'marathon/not-a-network-endpoint',
      message: `${describe}: ${app.marathonId} uses ${app.networking.mode === 'container' ? `CNI network '${app.ctx.networkName}'` : `${app.networking.mode} networking`}, so it is not an endpoint of network '${this.environment.network.networkName}': its traffic does not carry the environment's labels and no Calico policy can select it.`,
      fix: 'Put the app on its environment network (networking: Networking.container(), the default), or allow its traffic by address with Peer.cidr(...) on the other side.',
    });
    if (!this.isNetworkEndpoint) {
      this.constructionIssues.push(notEndpoint(this));
      return false;
    }
    if (MarathonApp.isMarathonApp(peer) && !peer.isNetworkEndpoint) {
      this.constructionIssues.push(notEndpoint(peer));
      return false;
    }
    return true;
  }

  private checkProps(variant: 'open' | 'enterprise'): PropIssue[] {
    const c = this.ctx;
    return [
      ...this.constructionIssues,
      ...checkCommand(c),
      ...checkContainer(c),
      ...checkSecrets(c, variant),
      ...checkNetworking(c, this.environment.labelKey),
      ...checkPorts(c),
      ...checkHealthChecks(c),
      ...checkReadinessChecks(c),
      ...checkConstraints(c),
      ...checkScheduling(c),
    ];
  }
}
