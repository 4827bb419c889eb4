import type { IConstruct } from 'constructs';
import type { DiagnosticCollector } from '../diagnostics.js';
import type { Artifact, ArtifactSpec } from '../artifact.js';

/** Handed to `emit` hooks: the only way to add files to the bundle. */
export interface EmitContext {
  /** Adds an artifact emitted by `scope`. */
  addArtifact(scope: IConstruct, spec: ArtifactSpec): void;
}

/** Handed to `check` hooks: the bundle as it will be written, before it is. */
export interface CheckContext {
  /** Every artifact, in dependency order (the manifest's order). */
  readonly artifacts: readonly Artifact[];
  /** The stack's output format versions (the manifest's `targets`). */
  readonly targets: Readonly<Record<string, string>>;
}

/**
 * What a construct does during synthesis. Each hook runs once per construct,
 * in tree order, in its own phase: every `prepare`, then every `validate`,
 * then every `emit`, then (once the artifacts are ordered) every `check`.
 */
export interface SynthesisParticipant {
  /** Resolve derived values. May not add constructs to the tree. */
  prepare?(): void;
  /** Report problems; never throw for bad user input. */
  validate?(diagnostics: DiagnosticCollector): void;
  /** Add artifacts to the bundle. Runs only when validation found no error. */
  emit?(context: EmitContext): void;
  /**
   * Inspect the emitted bundle as a whole (e.g. the connectivity analysis)
   * and report problems with construct paths. Runs after emit and ordering,
   * before anything is written, only when no error was found so far; an
   * error reported here fails synthesis like a validation error.
   */
  check?(bundle: CheckContext, diagnostics: DiagnosticCollector): void;
}

const PARTICIPANT = Symbol.for('dcos-cdk.SynthesisParticipant');

/**
 * Registers the synthesis hooks of a construct. The hooks are kept on the
 * construct under a symbol, so the construct's own namespace stays clean.
 */
export function addSynthesisParticipant(construct: IConstruct, participant: SynthesisParticipant): void {
  const holder = construct as unknown as Record<symbol, SynthesisParticipant[] | undefined>;
  const list = holder[PARTICIPANT];
  if (list) {
    list.push(participant);
  } else {
    Object.defineProperty(construct, PARTICIPANT, { value: [participant], enumerable: false });
  }
}

/** The hooks registered on one construct, in registration order. */
export function participantsOf(construct: IConstruct): readonly SynthesisParticipant[] {
  return (construct as unknown as Record<symbol, SynthesisParticipant[] | undefined>)[PARTICIPANT] ?? [];
}
