/**
 * Reading the inputs of `dcos-cdk import`: Marathon JSON and calicoctl
 * YAML (or JSON), every problem with its file, line and column, and the
 * duplicates Marathon or Calico would collapse into one.
 */
import { readCalicoYaml, type CalicoYamlIssue, type LocatedResource } from '@dcos-cdk/calico';
import type { ImportIssue } from './issues.js';
import { parseJsonSource } from './json-source.js';
import { extractApps, type AppInput } from './marathon-input.js';

/** An input: a name for messages and its text. */
export interface InputText {
  /** File name (or `marathon:/id`, `etcd:/key` for live input). */
  readonly file: string;
  /** The content. */
  readonly text: string;
}

/** A Calico resource read from the inputs, under the name it will have in the stack. */
export interface CalicoInput {
  readonly located: LocatedResource;
  /** The Calico name in the stack (differs from the file's with `--rename-duplicates`). */
  readonly name?: string;
  /** The file's name when the resource was renamed. */
  readonly renamedFrom?: { readonly name: string; readonly where: string };
}

/** Everything read. */
export interface ReadResult {
  readonly apps: readonly AppInput[];
  readonly calico: readonly CalicoInput[];
  readonly issues: readonly ImportIssue[];
}

function fromCalicoIssue(i: CalicoYamlIssue): ImportIssue {
  return { severity: i.severity, file: i.file, line: i.line, column: i.column, message: `${i.message}${i.path ? ` (at ${i.path})` : ''}`, fix: i.fix };
}

function looksLikeCalico(v: unknown): boolean {
  const isRes = (x: unknown): boolean => typeof x === 'object' && x !== null && !Array.isArray(x) && ('apiVersion' in x || 'kind' in x);
  return isRes(v) || (Array.isArray(v) && v.length > 0 && v.every(isRes));
}

/** Where a located resource is, as `file:line:column`. */
export function whereOf(l: LocatedResource): string {
  return `${l.file}:${l.line}:${l.column}`;
}

/** Where a resource's name is written. */
function nameWhere(l: LocatedResource): string {
  const p = l.locate('name');
  return `${l.file}:${p.line}:${p.column}`;
}

function nameOf(l: LocatedResource): string | undefined {
  const r = l.resource;
  return r.kind === 'ipPool' ? (r.name ?? r.cidr) : r.name;
}

/** Reads every input; never throws for bad input (problems come back as issues). */
export function readInputs(inputs: readonly InputText[]): { apps: AppInput[]; calico: LocatedResource[]; issues: ImportIssue[] } {
  const apps: AppInput[] = [];
  const calico: LocatedResource[] = [];
  const issues: ImportIssue[] = [];
  for (const input of inputs) {
    const json = /\.json$/i.test(input.file) || /^marathon:/.test(input.file) || /^\s*[[{]/.test(input.text) && !/\.ya?ml$/i.test(input.file);
    if (json) {
      const source = parseJsonSource(input.file, input.text);
      if ('severity' in source) {
        issues.push(source);
        continue;
      }
      if (!looksLikeCalico(source.value)) {
        const found = extractApps(source);
        apps.push(...found.apps);
        issues.push(...found.issues);
        continue;
      }
    }
    const r = readCalicoYaml(input.text, input.file);
    calico.push(...r.located);
    issues.push(...r.issues.map(fromCalicoIssue));
  }
  return { apps, calico, issues };
}

/**
 * What Marathon and Calico would collapse: two apps with one id (Marathon
 * keeps one), two policies with one name (`calicoctl create` refuses the
 * second, `apply` replaces the first), two profiles or pools with one name.
 * With `renameDuplicates`, later policies get a `-2`, `-3`, ... suffix instead.
 */
export function checkDuplicates(apps: readonly AppInput[], calico: readonly LocatedResource[], renameDuplicates: boolean): { calico: CalicoInput[]; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const byId = new Map<string, AppInput>();
  for (const a of apps) {
    if (a.id === undefined) continue;
    const first = byId.get(a.id);
    if (first) {
      const p = a.source.locate([...a.path, 'id']);
      issues.push({ severity: 'error', file: a.source.file, ...p, message: `app ${a.id} is also defined at ${first.where}; Marathon keeps one app per id, so one definition would silently replace the other.`, fix: 'Keep one definition of the app, or give one of them another id.' });
    } else byId.set(a.id, a);
  }
  const taken = new Set(calico.map((l) => `${l.resource.kind}\u0000${nameOf(l)}`));
  const firsts = new Map<string, LocatedResource>();
  const out: CalicoInput[] = [];
  for (const l of calico) {
    const name = nameOf(l);
    const key = `${l.resource.kind}\u0000${l.resource.kind === 'policy' && l.resource.scope === 'namespace' ? `${l.resource.namespace ?? 'default'}/` : ''}${name}`;
    const first = firsts.get(key);
    if (!first) {
      firsts.set(key, l);
      out.push({ located: l });
      continue;
    }
    const kind = l.resource.kind === 'ipPool' ? 'IP pool' : l.resource.kind;
    if (l.resource.kind === 'policy' && renameDuplicates) {
      let n = 2;
      while (taken.has(`policy\u0000${name}-${n}`)) n++;
      const renamed = `${name}-${n}`;
      taken.add(`policy\u0000${renamed}`);
      out.push({ located: l, name: renamed, renamedFrom: { name: name!, where: nameWhere(first) } });
      issues.push({ severity: 'warning', file: l.file, ...l.locate('name'), message: `policy '${name}' is also defined at ${nameWhere(first)}; imported as '${renamed}' (--rename-duplicates), so both apply as written.`, fix: 'Give the policy a name of its own in the generated stack if you prefer another.' });
      continue;
    }
    issues.push({
      severity: 'error',
      file: l.file,
      ...l.locate('name'),
      message: `${kind} '${name}' is also defined at ${nameWhere(first)}; Calico holds one ${kind} per name: 'calicoctl create' refuses the second and 'calicoctl apply' replaces the first, so one of them never applies.`,
      fix: l.resource.kind === 'policy' ? 'Give each policy its own name, or pass --rename-duplicates to import both under distinct names.' : `Keep one definition of the ${kind}.`,
    });
  }
  return { calico: out, issues };
}
