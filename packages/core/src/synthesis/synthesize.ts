import type { IConstruct } from 'constructs';
import type { Artifact, ArtifactSpec } from '../artifact.js';
import { buildManifest, type Bundle } from '../bundle/bundle.js';
import { DiagnosticCollector, SynthesisError } from '../diagnostics.js';
import { Stack } from '../stack.js';
import { participantsOf, type SynthesisParticipant } from './participant.js';
import { topologicalSort } from './toposort.js';
import { preOrder } from './walk.js';

/**
 * Synthesizes the tree under `root` into an in-memory bundle, in five
 * phases, each once over the tree: prepare, validate, emit, order, check.
 * Throws {@link SynthesisError} listing every error when validation fails.
 */
export function synthesizeTree(root: IConstruct): Bundle {
  const constructs = preOrder(root);
  const hooks: SynthesisParticipant[] = [];
  const stacks: Stack[] = [];
  for (const c of constructs) {
    if (Stack.isStack(c)) stacks.push(c);
    for (const p of participantsOf(c)) hooks.push(p);
  }

  // The tree is complete once synthesis starts: hooks may not add constructs.
  root.node.lock();
  for (const p of hooks) p.prepare?.();

  const diagnostics = new DiagnosticCollector();
  checkStacks(root, stacks, diagnostics);
  for (const c of constructs) {
    for (const message of c.node.validate()) diagnostics.error(c, 'construct/validation', message, 'See the construct documentation.');
  }
  for (const p of hooks) p.validate?.(diagnostics);
  if (diagnostics.hasErrors) throw new SynthesisError(diagnostics.all);

  const artifacts: Artifact[] = [];
  const context = {
    addArtifact(scope: IConstruct, spec: ArtifactSpec): void {
      artifacts.push({
        id: spec.id,
        kind: spec.kind,
        file: spec.file,
        content: spec.content,
        dependsOn: spec.dependsOn ?? [],
        constructPath: scope.node.path,
        construct: scope,
      });
    },
  };
  for (const p of hooks) p.emit?.(context);

  const ordered = orderArtifacts(artifacts, diagnostics);
  if (diagnostics.hasErrors) throw new SynthesisError(diagnostics.all);
  const stack = stacks[0]!;
  const checked = { artifacts: ordered, targets: stack.targets };
  for (const p of hooks) p.check?.(checked, diagnostics);
  if (diagnostics.hasErrors) throw new SynthesisError(diagnostics.all);
  const warnings = diagnostics.all.filter((d) => d.severity === 'warning');
  return { manifest: buildManifest(stack.stackName, stack.targets, ordered, warnings), artifacts: ordered, warnings };
}

function checkStacks(root: IConstruct, stacks: readonly Stack[], diagnostics: DiagnosticCollector): void {
  if (stacks.length === 0) {
    diagnostics.error(root, 'core/no-stack', 'The app has no stack, so there is nothing to deploy.', 'Create a Cluster (or another Stack) in the app.');
  }
  for (const extra of stacks.slice(1)) {
    diagnostics.error(
      extra,
      'core/one-stack-per-bundle',
      `A bundle targets one cluster, but the app also defines stack '${stacks[0]!.node.path}'.`,
      'Create one App (and one bundle) per cluster.',
    );
  }
}

/** Checks ids, files and dependencies, then sorts artifacts so dependencies come first. */
function orderArtifacts(artifacts: readonly Artifact[], diagnostics: DiagnosticCollector): Artifact[] {
  const byId = new Map<string, Artifact>();
  const byFile = new Map<string, Artifact>();
  for (const a of artifacts) {
    const sameId = byId.get(a.id);
    if (sameId) {
      diagnostics.error(a.construct, 'core/duplicate-artifact-id', `Artifact id '${a.id}' is also emitted by ${sameId.constructPath}.`, 'Give one of the two resources a different name.');
    }
    byId.set(a.id, a);
    const key = a.file.toLowerCase();
    const sameFile = byFile.get(key);
    if (sameFile && sameFile.id !== a.id) {
      diagnostics.error(a.construct, 'core/duplicate-artifact-file', `Artifact file '${a.file}' is also written by ${sameFile.constructPath}.`, 'Give one of the two resources a different name.');
    }
    byFile.set(key, a);
  }
  for (const a of artifacts) {
    for (const dep of a.dependsOn) {
      if (!byId.has(dep)) {
        diagnostics.error(a.construct, 'core/unknown-dependency', `Artifact '${a.id}' depends on '${dep}', which is not in the bundle.`, 'Add the resource it depends on to the stack, or remove the dependency.');
      }
    }
  }
  if (diagnostics.hasErrors) return [];
  const sorted = topologicalSort(artifacts);
  if (sorted.ok) return sorted.order;
  const cycle = sorted.cycle;
  diagnostics.error(
    cycle[0]!.construct,
    'core/dependency-cycle',
    `Artifacts depend on each other in a cycle: ${[...cycle, cycle[0]!].map((a) => `${a.id} (${a.constructPath})`).join(' -> ')}.`,
    'Remove one of these dependencies.',
  );
  return [];
}
