import type { CalicoVersion } from '@dcos-cdk/dcos';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { canonicalIpPool, canonicalPolicy, canonicalProfile } from '../model/canonical.js';
import type { CalicoProblem } from '../model/problems.js';
import type { CalicoResource } from '../model/resources.js';
import { validateIpPool, validatePolicy, validateProfile } from '../model/validate.js';
import { decodeResource, RESOURCE_KINDS } from './decode-resource.js';
import { CalicoYamlError, type CalicoYamlIssue, type SourcePosition } from './issues.js';
import { documentSteps, offsetOf, stepsText } from './locate.js';
import { At, IssueLog } from './reader.js';

/** A resource read from a file, with where it came from. */
export interface LocatedResource {
  /** The resource, in canonical rule-model form. */
  readonly resource: CalicoResource;
  /** The apiVersion it was written in. */
  readonly version: CalicoVersion;
  /** The file name given to the reader. */
  readonly file: string;
  /** Position of the resource in the file. */
  readonly line: number;
  /** Position of the resource in the file. */
  readonly column: number;
  /**
   * Position of a field, by its rule-model path (`ingress[2]`,
   * `egress[0].destination.nets[0]`, `labels["app"]`); the nearest existing
   * parent when the field is not written out.
   */
  locate(path: string): SourcePosition;
}

/** What reading calicoctl YAML gives. */
export interface CalicoYamlResult {
  /** Every resource read without error, in file order, in canonical form. */
  readonly resources: readonly CalicoResource[];
  /** The same resources, with their apiVersion and position. */
  readonly located: readonly LocatedResource[];
  /** Every error and warning, with its position. */
  readonly issues: readonly CalicoYamlIssue[];
}

const LIST_KINDS: Readonly<Record<CalicoVersion, Readonly<Record<string, string>>>> = {
  v1: { policyList: 'policy', profileList: 'profile', ipPoolList: 'ipPool' },
  v3: { GlobalNetworkPolicyList: 'GlobalNetworkPolicy', NetworkPolicyList: 'NetworkPolicy', ProfileList: 'Profile', IPPoolList: 'IPPool' },
};
const OTHER_CALICO_KINDS = /^(hostEndpoint|HostEndpoint|workloadEndpoint|WorkloadEndpoint|node|Node|bgpPeer|BGPPeer|BGPConfiguration|FelixConfiguration|ClusterInformation|NetworkSet|GlobalNetworkSet|KubeControllersConfiguration|Tier|IPReservation)$/;

/**
 * Reads calicoctl YAML (apiVersion `v1` or `projectcalico.org/v3`): one
 * resource, a list (`policyList`, `ProfileList`, `List`, ... with `items`,
 * or a YAML sequence of resources), or several `---` documents. Decodes
 * strictly as calicoctl does (an unknown field is an error), checks every
 * resource with the validation rules of its version, and never throws for
 * bad input: errors and warnings come back as issues with file:line:column.
 *
 * @param text - the file's content
 * @param fileName - the name issues carry
 */
export function readCalicoYaml(text: string, fileName: string): CalicoYamlResult {
  const lines = new LineCounter();
  const log = new IssueLog(fileName, lines);
  const located: LocatedResource[] = [];
  const parsed = parseAllDocuments(text, { lineCounter: lines, version: '1.1', prettyErrors: false, uniqueKeys: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  let documents = 0;
  let v1Seen = false;
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) log.add('error', e.pos[0], '', `malformed YAML: ${e.message}`, 'Fix the YAML syntax.');
      continue;
    }
    const root = new At(log, doc.contents as YamlNode | null, '');
    if (root.isNull) continue;
    documents++;
    const read = (at: At, inherited?: { version: CalicoVersion; kind?: string }): void => {
      const r = readDocument(at, log, inherited);
      for (const x of r) {
        if (x.version === 'v1') v1Seen = true;
        located.push(x);
      }
    };
    read(root);
  }
  if (documents === 0 && log.issues.length === 0) log.add('error', 0, '', 'the file holds no Calico resource.', 'Write at least one resource (apiVersion, kind, metadata, spec).');
  if (documents > 1 && v1Seen) {
    log.add('warning', 0, '', 'calicoctl v1.3 reads one document per file; `---` separated documents work from calicoctl v1.4.', 'For calicoctl v1.3, write a YAML list of resources instead (dcos-cdk renders v1 that way).');
  }
  return { resources: located.map((l) => l.resource), located, issues: log.issues };
}

/**
 * Reads calicoctl YAML like {@link readCalicoYaml}, but throws when it holds
 * an error.
 *
 * @throws {@link CalicoYamlError} listing every error with file:line:column
 */
export function parseCalicoYaml(text: string, fileName: string): CalicoYamlResult {
  const result = readCalicoYaml(text, fileName);
  if (result.issues.some((i) => i.severity === 'error')) throw new CalicoYamlError(result.issues);
  return result;
}

/** One document: a resource, a list kind with `items`, or a YAML sequence of resources. */
function readDocument(at: At, log: IssueLog, inherited?: { version: CalicoVersion; kind?: string }): LocatedResource[] {
  if (isSeq(at.node)) return (at.items('resources') ?? []).flatMap((item) => readDocument(item, log, inherited && { version: inherited.version }));
  if (!isMap(at.node)) {
    at.error('expected a Calico resource (a mapping with apiVersion, kind, metadata and spec).', 'Write a resource, a list of resources, or several --- documents.');
    return [];
  }
  const f = at.fields('a Calico resource')!;
  const apiAt = f.take('apiVersion');
  const kindAt = f.take('kind');
  const apiText = apiAt?.string();
  let version: CalicoVersion | undefined = inherited?.version;
  if (apiText !== undefined) {
    if (apiText === 'v1') version = 'v1';
    else if (apiText === 'projectcalico.org/v3') version = 'v3';
    else {
      apiAt!.error(`apiVersion '${apiText}' is neither calicoctl v1 ('v1') nor Calico v3 ('projectcalico.org/v3').`, "Write apiVersion: v1 or apiVersion: projectcalico.org/v3.");
      return [];
    }
    if (inherited && inherited.version !== version) apiAt!.error(`an item of a ${inherited.version} list says apiVersion ${apiText}.`, 'Keep one apiVersion per list.');
  }
  if (!version) {
    at.error('the resource has no apiVersion.', 'Add apiVersion: v1 (calicoctl v1) or apiVersion: projectcalico.org/v3.');
    return [];
  }
  const kind = kindAt?.string() ?? inherited?.kind;
  if (!kind) {
    at.error('the resource has no kind.', `Add a kind: one of ${RESOURCE_KINDS[version].join(', ')}.`);
    return [];
  }
  if (inherited?.kind && kind !== inherited.kind) (kindAt ?? at).error(`an item of a ${inherited.kind} list is a ${kind}.`, `Put ${kind} resources in their own list, or use kind: List.`);
  const listOf = kind === 'List' ? '' : LIST_KINDS[version][kind];
  if (listOf !== undefined) {
    const items = f.take('items');
    f.ignore('metadata');
    f.finish(['apiVersion', 'kind', 'metadata', 'items']);
    return (items?.items('items') ?? []).flatMap((item) => readDocument(item, log, { version: version!, kind: listOf || undefined }));
  }
  if (!RESOURCE_KINDS[version].includes(kind)) {
    (kindAt ?? at).error(unknownKind(kind, version), `Use one of ${RESOURCE_KINDS[version].join(', ')}${version === 'v1' ? ' (case matters)' : ''}.`);
    return [];
  }
  const before = log.issues.length;
  const decoded = decodeResource(f, version, kind);
  if (!decoded || log.issues.slice(before).some((i) => i.severity === 'error')) return [];
  const problems = validate(decoded, version);
  const locate = (path: string): SourcePosition => log.position(offsetOf(at.node, documentSteps(decoded.kind, version, path), at.offset));
  for (const p of problems.list) {
    const steps = documentSteps(decoded.kind, version, p.path);
    log.add(p.kind === 'invalid' ? 'error' : 'warning', offsetOf(at.node, steps, at.offset), stepsText(steps), p.message, p.fix);
  }
  if (!problems.resource) return [];
  return [{ resource: problems.resource, version, file: log.file, ...log.position(at.offset), locate }];
}

function unknownKind(kind: string, version: CalicoVersion): string {
  const other: CalicoVersion = version === 'v1' ? 'v3' : 'v1';
  const sameLetters = RESOURCE_KINDS[version].find((k) => k.toLowerCase() === kind.toLowerCase());
  if (sameLetters) return `kind '${kind}' is not a ${version} kind; did you mean '${sameLetters}'?`;
  if (RESOURCE_KINDS[other].includes(kind)) return `kind '${kind}' is a ${other} kind, but the apiVersion is ${version === 'v1' ? 'v1' : 'projectcalico.org/v3'}.`;
  if (OTHER_CALICO_KINDS.test(kind)) return `dcos-cdk does not read ${kind} resources.`;
  return `unknown kind '${kind}' for apiVersion ${version === 'v1' ? 'v1' : 'projectcalico.org/v3'}.`;
}

/** Checks a decoded resource for its version; its canonical form when Calico would accept it. */
function validate(r: CalicoResource, version: CalicoVersion): { list: readonly CalicoProblem[]; resource?: CalicoResource } {
  switch (r.kind) {
    case 'policy': {
      const v = validatePolicy(r, version);
      return { list: v.problems, resource: v.model && canonicalPolicy(v.model) };
    }
    case 'profile': {
      const v = validateProfile(r, version);
      return { list: v.problems, resource: v.model && canonicalProfile(v.model) };
    }
    default: {
      const v = validateIpPool(r, version);
      return { list: v.problems, resource: v.model && canonicalIpPool(v.model) };
    }
  }
}
