/**
 * Reads artifacts held in memory — what `app.synth({ write: false })` returns, or a loaded
 * bundle's contents — into a {@link NetworkModel}, the same way {@link loadBundleModel} reads a
 * bundle folder: Marathon apps, Calico policies, profiles and pools, each tied to the construct
 * that emitted it.
 *
 * @module
 */

import { assembleModel, internerOf, type LoadOptions } from './assemble.js';
import type { NetworkModel } from './model.js';
import { newReadState, readCalicoDoc } from './read-calico.js';
import { readMarathonDoc, type RawEndpoint } from './read-marathon.js';
import { isObj } from './read-rules.js';
import { parseJsonDoc, parseYamlDocs, preparsedDoc, type SourceDoc } from './source-file.js';

/** One artifact, as far as the analysis needs it (core's `Artifact` fits). */
export interface ArtifactInput {
  /** Artifact kind: `marathon-app`, `calico-policy`, `calico-profile`, `calico-ippool`, `cni-network`; others are skipped. */
  readonly kind: string;
  /** Bundle-relative file name, used in messages. */
  readonly file: string;
  /** The file's text. */
  readonly content: string;
  /** Construct that emitted it. */
  readonly constructPath?: string;
  /** The document `content` holds, when the caller has it (one document): `content` is then not parsed. */
  readonly document?: unknown;
}

/** True for the artifact kinds the analysis reads. */
export function isAnalyzedKind(kind: string): boolean {
  return kind === 'marathon-app' || kind === 'cni-network' || kind.startsWith('calico-');
}

/**
 * The model of some artifacts, in the order given. `calicoTarget` is the bundle's
 * `targets.calico` (`v1` or `v3`), used when no Calico resource says which API it is.
 *
 * @throws {@link AnalysisLoadError} on malformed content (`file:line:column: …`)
 */
export function modelFromArtifacts(artifacts: Iterable<ArtifactInput>, calicoTarget?: string, options: LoadOptions = {}): NetworkModel {
  const state = newReadState(internerOf(options));
  const raws: RawEndpoint[] = [];
  for (const a of artifacts) {
    switch (a.kind) {
      case 'calico-policy':
      case 'calico-profile':
      case 'calico-ippool':
        if (a.document !== undefined) readCalicoDoc(preparsedDoc(a.file, a.content, a.document), state, a.constructPath);
        else for (const doc of parseYamlDocs(a.file, a.content)) readCalicoDoc(doc, state, a.constructPath);
        break;
      case 'marathon-app':
        readMarathonDoc(jsonDoc(a), raws, a.constructPath);
        break;
      case 'cni-network': {
        const doc = parseJsonDoc(a.file, a.content);
        if (isObj(doc.value) && typeof doc.value.name === 'string') state.networks.add(doc.value.name);
        break;
      }
      default:
        break;
    }
  }
  return assembleModel(state, raws, options, calicoTarget === 'v3' || calicoTarget === 'v1' ? calicoTarget : undefined);
}

/** A JSON artifact's document: `JSON.parse`, with positions found only when asked for. */
function jsonDoc(a: ArtifactInput): SourceDoc {
  if (a.document !== undefined) return preparsedDoc(a.file, a.content, a.document);
  let value: unknown;
  try {
    value = JSON.parse(a.content);
  } catch {
    return parseJsonDoc(a.file, a.content); // throws, naming line and column
  }
  return preparsedDoc(a.file, a.content, value);
}
