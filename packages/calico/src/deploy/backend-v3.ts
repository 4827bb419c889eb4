import type { DesiredArtifact } from '@dcos-cdk/core';
import type { Json } from './json-diff.js';
import { compact, FieldReader, kindLabel, parseArtifact, type CalicoArtifactKind, type DatastoreResource, type JsonObject } from './resource.js';

/** Prefix of every Calico v3 resource key in etcd v3. */
export const V3_ROOT = '/calico/resources/v3/projectcalico.org';

/** Annotation that records the owning stack on a v3 resource. */
export const OWNER_ANNOTATION = 'dcos-cdk.io/stack';

interface KindInfo {
  readonly plural: string;
  readonly namespaced: boolean;
  readonly policy: boolean;
  readonly artifactKind: CalicoArtifactKind;
}

const KINDS: Readonly<Record<string, KindInfo>> = {
  GlobalNetworkPolicy: { plural: 'globalnetworkpolicies', namespaced: false, policy: true, artifactKind: 'calico-policy' },
  NetworkPolicy: { plural: 'networkpolicies', namespaced: true, policy: true, artifactKind: 'calico-policy' },
  Profile: { plural: 'profiles', namespaced: false, policy: false, artifactKind: 'calico-profile' },
  IPPool: { plural: 'ippools', namespaced: false, policy: false, artifactKind: 'calico-ippool' },
};

/** Plurals of the kinds the driver owns, i.e. the key prefixes it lists. */
export const V3_PLURALS: readonly string[] = [...new Set(Object.values(KINDS).map((k) => k.plural))];

/** Options of the v3 conversion. */
export interface V3Layout {
  /**
   * Store policy names as `default.<name>` (libcalico-go v3.0 to v3.28);
   * from v3.29 policies are stored under their own name.
   */
  readonly prefixPolicyNames: boolean;
}

/** True when a Calico release (`v3.14`, `3.29.1`) stores policies as `default.<name>`. */
export function prefixesPolicyNames(release: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(release);
  if (!m) throw new Error(`calicoRelease '${release}' is not a version such as 'v3.14'.`);
  return Number(m[1]) === 3 && Number(m[2]) < 29;
}

/** Key of a v3 resource: `/calico/resources/v3/projectcalico.org/<plural>/[<ns>/]<stored name>`. */
export function v3Key(plural: string, storedName: string, namespace?: string): string {
  return `${V3_ROOT}/${plural}/${namespace ? `${namespace}/` : ''}${storedName}`;
}

/**
 * Converts a Calico v3 artifact to its etcd v3 key and the JSON the
 * libcalico-go v3 client stores: the whole resource, policy names prefixed
 * as the release does, `uid`/`creationTimestamp` left to
 * {@link withServerFields}, the owner annotation added, and the defaults the
 * client fills in applied, so an unchanged resource compares equal.
 */
export function v3Resource(artifact: DesiredArtifact, kind: CalicoArtifactKind, stack: string, layout: V3Layout): DatastoreResource {
  const doc = parseArtifact(artifact);
  const r = new FieldReader(artifact.id);
  const info = typeof doc.kind === 'string' ? KINDS[doc.kind] : undefined;
  if (doc.apiVersion !== 'projectcalico.org/v3' || !info || info.artifactKind !== kind) {
    throw r.error('kind', `expected a projectcalico.org/v3 ${kind === 'calico-policy' ? 'GlobalNetworkPolicy or NetworkPolicy' : kind === 'calico-profile' ? 'Profile' : 'IPPool'} for a Calico v3 cluster, got ${String(doc.apiVersion)} ${String(doc.kind)}. Synthesize the bundle for the cluster's Calico version.`);
  }
  const metadata = r.object(doc.metadata, 'metadata') ?? {};
  const name = r.string(metadata.name, 'metadata.name');
  if (!name) throw r.error('metadata.name', 'is required.');
  const namespace = info.namespaced ? (r.string(metadata.namespace, 'metadata.namespace') ?? 'default') : undefined;
  const stored = info.policy && layout.prefixPolicyNames && !name.startsWith('knp.') ? `default.${name}` : name;
  const spec = defaults(doc.kind as string, r.object(doc.spec, 'spec') ?? {});
  const value: JsonObject = {
    kind: doc.kind as string,
    apiVersion: 'projectcalico.org/v3',
    metadata: compact({
      name: stored,
      namespace,
      labels: r.object(metadata.labels, 'metadata.labels'),
      annotations: { ...(r.object(metadata.annotations, 'metadata.annotations') ?? {}), [OWNER_ANNOTATION]: stack, [ARTIFACT_ANNOTATION]: artifact.id },
    }),
    spec: ordered(spec, SPEC_ORDER),
  };
  const label = `${kindLabel(kind)} ${namespace ? `${namespace}/` : ''}${name}`;
  return { artifactId: artifact.id, kind, name, label, entries: [{ key: v3Key(info.plural, stored, namespace), value }] };
}

/** Metadata fields the server manages; they never count as a difference. */
const SERVER_FIELDS = ['uid', 'creationTimestamp', 'resourceVersion', 'generation', 'selfLink'];

/** The part of a stored v3 value that deploy compares: everything but server-managed metadata. */
export function comparable(value: Json): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const meta = value.metadata;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return value;
  const kept: JsonObject = {};
  for (const [k, v] of Object.entries(meta)) if (!SERVER_FIELDS.includes(k)) kept[k] = v;
  return { ...value, metadata: kept };
}

/**
 * The value to write: the desired one with the live resource's `uid` and
 * `creationTimestamp` kept (as the client does on update), or new ones on create.
 */
export function withServerFields(desired: Json, live: Json | undefined, newUid: () => string, now: Date): Json {
  const d = desired as JsonObject;
  const liveMeta = typeof live === 'object' && live !== null && !Array.isArray(live) && typeof live.metadata === 'object' ? (live.metadata as JsonObject) : {};
  const meta = d.metadata as JsonObject;
  const uid = typeof liveMeta.uid === 'string' ? liveMeta.uid : newUid();
  const created = typeof liveMeta.creationTimestamp === 'string' ? liveMeta.creationTimestamp : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { name, namespace, ...rest } = meta;
  return { ...d, metadata: compact({ name, namespace, uid, creationTimestamp: created, ...rest }) };
}

/** Annotation recording the bundle id of the artifact that wrote a v3 resource. */
export const ARTIFACT_ANNOTATION = 'dcos-cdk.io/artifact';

/** An annotation of a stored v3 value (or of a resource as calicoctl prints it), if set. */
export function annotationOf(value: Json, name: string): string | undefined {
  const meta = typeof value === 'object' && value !== null && !Array.isArray(value) ? value.metadata : undefined;
  const a = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta.annotations : undefined;
  const v = typeof a === 'object' && a !== null && !Array.isArray(a) ? a[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** The owning stack recorded on a stored v3 value, if any. */
export function ownerOf(value: Json): string | undefined {
  return annotationOf(value, OWNER_ANNOTATION);
}

/** Defaults the libcalico-go v3 client writes when a field is empty (v3.14: IPPool modes, block size, node selector; policy types). */
function defaults(kind: string, given: JsonObject): JsonObject {
  // Go drops these `omitempty` booleans when false; so must we, or a calicoctl-written resource would never compare equal.
  const spec: JsonObject = {};
  for (const [k, v] of Object.entries(given)) if (!(v === false && OMIT_FALSE.includes(k))) spec[k] = v;
  if (kind === 'IPPool') {
    const v6 = typeof spec.cidr === 'string' && spec.cidr.includes(':');
    return { ...spec, ipipMode: spec.ipipMode ?? 'Never', vxlanMode: spec.vxlanMode ?? 'Never', blockSize: spec.blockSize ?? (v6 ? 122 : 26), nodeSelector: spec.nodeSelector ?? 'all()' };
  }
  if ((kind === 'GlobalNetworkPolicy' || kind === 'NetworkPolicy') && !Array.isArray(spec.types)) {
    const hasEgress = Array.isArray(spec.egress) && spec.egress.length > 0;
    const hasIngress = Array.isArray(spec.ingress) && spec.ingress.length > 0;
    return { ...spec, types: !hasEgress ? ['Ingress'] : !hasIngress ? ['Egress'] : ['Ingress', 'Egress'] };
  }
  return spec;
}

const OMIT_FALSE = ['natOutgoing', 'disabled', 'doNotTrack', 'preDNAT', 'applyOnForward'];

/** Field order of the Go structs (GlobalNetworkPolicySpec, ProfileSpec, IPPoolSpec), so stored JSON reads like the client's. */
const SPEC_ORDER = ['tier', 'order', 'ingress', 'egress', 'labelsToApply', 'selector', 'types', 'doNotTrack', 'preDNAT', 'applyOnForward', 'serviceAccountSelector', 'namespaceSelector', 'cidr', 'vxlanMode', 'ipipMode', 'natOutgoing', 'disabled', 'blockSize', 'nodeSelector'];

function ordered(o: JsonObject, order: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of order) if (k in o) out[k] = o[k]!;
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k]!;
  return out;
}
