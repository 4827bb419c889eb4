/**
 * Reads plain files — Marathon JSON (an app, an array of apps, or a group `{ apps, groups }`)
 * and calicoctl YAML or JSON (a resource, a `policyList`/`List`, or several `---` documents) —
 * into a {@link NetworkModel}, as `dcos-cdk analyze --files` does.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { assembleModel, internerOf, type LoadOptions } from './assemble.js';
import type { NetworkModel } from './model.js';
import { newReadState, readCalicoDoc } from './read-calico.js';
import { isMarathonDoc, readMarathonDoc, type RawEndpoint } from './read-marathon.js';
import { AnalysisLoadError, parseJsonDoc, parseYamlDocs } from './source-file.js';

/** A file's name (for messages) and its text. */
export interface InputText {
  /** Name used in messages. */
  readonly file: string;
  /** The content. */
  readonly text: string;
}

/**
 * The model of some texts. Names ending in `.json` are parsed with `JSON.parse`, others as
 * YAML; each document is then read as Marathon input or as a calicoctl resource.
 *
 * @throws {@link AnalysisLoadError} naming `file:line:column` on malformed input or an
 * unknown kind
 */
export function modelFromTexts(inputs: readonly InputText[], options: LoadOptions = {}): NetworkModel {
  const state = newReadState(internerOf(options));
  const raws: RawEndpoint[] = [];
  for (const { file, text } of inputs) {
    const docs = /\.json$/i.test(file) ? [parseJsonDoc(file, text)] : parseYamlDocs(file, text);
    for (const doc of docs) {
      const v = doc.value;
      if (isMarathonDoc(v)) readMarathonDoc(doc, raws);
      else if (typeof v === 'object' && v !== null && !Array.isArray(v) && ('kind' in v || 'apiVersion' in v)) readCalicoDoc(doc, state);
      else throw doc.error([], 'neither a Marathon app, app list or group, nor a calicoctl resource (apiVersion + kind).');
    }
  }
  return assembleModel(state, raws, options);
}

/**
 * The model of files on disk.
 *
 * @throws {@link AnalysisLoadError} on unreadable or malformed files
 */
export function loadFilesModel(files: readonly string[], options: LoadOptions = {}): NetworkModel {
  return modelFromTexts(
    files.map((file) => {
      try {
        return { file, text: readFileSync(file, 'utf8') };
      } catch (e) {
        throw new AnalysisLoadError(file, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
      }
    }),
    options,
  );
}
