import type { IConstruct } from 'constructs';

const documents = new WeakMap<IConstruct, unknown>();

/**
 * Remembers the document a construct rendered into its artifact (before it became YAML), so
 * the synth-time analysis reads it without parsing the YAML back.
 * @internal
 */
export function rememberDocument(construct: IConstruct, document: unknown): void {
  documents.set(construct, document);
}

/** The document remembered for `construct`, if any. @internal */
export function renderedDocumentOf(construct: IConstruct): unknown {
  return documents.get(construct);
}
