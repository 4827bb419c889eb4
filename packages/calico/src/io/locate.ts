import type { CalicoVersion } from '@dcos-cdk/dcos';
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { keyStep, splitPath } from '../model/problems.js';
import type { CalicoResource } from '../model/resources.js';

type Step = string | number;

/**
 * Where a field of the rule model sits in a calicoctl document of the given
 * version: `name` is `metadata.name`, a v1 rule's `source.nets[0]` is
 * `source.net`, a v3 profile's `labels["app"]` is `spec.labelsToApply["app"]`.
 */
export function documentSteps(kind: CalicoResource['kind'], version: CalicoVersion, modelPath: string): Step[] {
  const steps = splitPath(modelPath);
  const [head, ...rest] = steps;
  if (head === undefined) return [];
  if (kind === 'ipPool') {
    if (head === 'name') return ['metadata', 'name'];
    if (head === 'cidr') return version === 'v1' ? ['metadata', 'cidr'] : ['spec', 'cidr'];
    const v1Names: Record<string, string> = { ipipMode: 'ipip', natOutgoing: 'nat-outgoing' };
    return ['spec', version === 'v1' ? (v1Names[String(head)] ?? head) : head, ...rest];
  }
  if (head === 'name' || head === 'namespace') return ['metadata', head];
  if (kind === 'profile' && (head === 'labels' || head === 'tags')) {
    if (version === 'v1') return ['metadata', head, ...rest];
    // v3 keeps both in labelsToApply, where a tag is a key; its index means nothing there.
    return head === 'labels' ? ['spec', 'labelsToApply', ...rest] : ['spec', 'labelsToApply'];
  }
  const out: Step[] = ['spec', head];
  for (let i = 0; i < rest.length; i++) {
    const s = rest[i]!;
    // calicoctl v1 writes one `net`/`notNet` where the model has a list.
    if (version === 'v1' && (s === 'nets' || s === 'notNets')) {
      out.push(s === 'nets' ? 'net' : 'notNet');
      if (typeof rest[i + 1] === 'number') i++;
      continue;
    }
    out.push(s);
  }
  return out;
}

/** The path text of document steps, e.g. `spec.ingress[0].source.net`. */
export function stepsText(steps: readonly Step[]): string {
  let out = '';
  for (const s of steps) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_-][A-Za-z0-9_-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += keyStep(s);
  }
  return out;
}

/**
 * The offset of the deepest node along `steps` below `root`: the value when
 * it exists, else the nearest existing parent. A missing value points at its key.
 */
export function offsetOf(root: YamlNode | null | undefined, steps: readonly Step[], fallback: number): number {
  let node = root;
  let offset = root?.range?.[0] ?? fallback;
  for (const s of steps) {
    if (!node) break;
    if (typeof s === 'number' && isSeq(node)) {
      const item = node.items[s] as YamlNode | undefined;
      if (!item) break;
      node = item;
    } else if (typeof s === 'string' && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === s);
      if (!pair) break;
      const value = pair.value as YamlNode | null;
      if (!value || (isScalar(value) && value.value === null)) {
        offset = (pair.key as YamlNode).range?.[0] ?? offset;
        break;
      }
      node = value;
    } else {
      break;
    }
    offset = node.range?.[0] ?? offset;
  }
  return offset;
}
