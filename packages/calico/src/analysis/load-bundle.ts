/**
 * Reads a synthesized bundle folder into a {@link NetworkModel}: Marathon apps, Calico
 * policies, profiles and pools, each tied to the construct that emitted it.
 *
 * @module
 */

import { readBundle } from '@dcos-cdk/core';
import { assembleModel, internerOf, type LoadOptions } from './assemble.js';
import type { NetworkModel } from './model.js';
import { newReadState, readCalicoDoc } from './read-calico.js';
import { readMarathonDoc, type RawEndpoint } from './read-marathon.js';
import { isObj } from './read-rules.js';
import { parseJsonDoc, parseYamlDocs } from './source-file.js';

/**
 * The model of a bundle folder (`dcos.out/`). Files are checked against the manifest's
 * sha256 by `readBundle`; YAML is parsed with the `yaml` package and JSON with `JSON.parse`.
 *
 * @throws {@link AnalysisLoadError} on malformed content (`file:line:column: …`), and
 * `BundleError` from `readBundle` on a missing or tampered bundle
 */
export function loadBundleModel(dir: string, options: LoadOptions = {}): NetworkModel {
  const { manifest, contents } = readBundle(dir);
  const state = newReadState(internerOf(options));
  const raws: RawEndpoint[] = [];
  for (const a of manifest.artifacts) {
    const text = contents.get(a.id)!;
    switch (a.kind) {
      case 'calico-policy':
      case 'calico-profile':
      case 'calico-ippool':
        for (const doc of parseYamlDocs(a.file, text)) readCalicoDoc(doc, state, a.constructPath);
        break;
      case 'marathon-app':
        readMarathonDoc(parseJsonDoc(a.file, text), raws, a.constructPath);
        break;
      case 'cni-network': {
        const doc = parseJsonDoc(a.file, text);
        if (isObj(doc.value) && typeof doc.value.name === 'string') state.networks.add(doc.value.name);
        break;
      }
      default:
        break;
    }
  }
  const target = manifest.targets.calico;
  return assembleModel(state, raws, options, target === 'v3' || target === 'v1' ? target : undefined);
}
