/**
 * Calico label selectors: parsing, evaluation, canonical form and unique id, exactly as
 * libcalico-go does them, plus a typed builder.
 *
 * @module
 */

export { Selector } from './selector.js';
export { LabelSelectorBuilder } from './builder.js';
export { SelectorInterner } from './intern.js';
export { SelectorParseError, SelectorBuildError, SELECTOR_MAX_DEPTH } from './errors.js';
export { tokenizeSelector, isSelectorLabelKey, MAX_LABEL_KEY_LENGTH } from './tokenizer.js';
export type { SelectorGrammar, SelectorToken, SelectorTokenKind } from './tokenizer.js';
export type { SelectorParseOptions } from './parser.js';
export type { SelectorLabels } from './evaluate.js';
export type { SelectorVersionRequirement } from './analysis.js';
export type {
  SelectorNode,
  AllNode,
  GlobalNode,
  HasNode,
  LabelValueNode,
  LabelValueOperator,
  LabelSetNode,
  LabelSetOperator,
  NotNode,
  AndNode,
  OrNode,
} from './ast.js';
