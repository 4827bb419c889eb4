/**
 * Reading and writing calicoctl YAML (v1 and v3) in the rule model: the base
 * of `dcos-cdk import`, and of analysis of files written by hand.
 *
 * @module
 */

export { parseCalicoYaml, readCalicoYaml } from './parse.js';
export type { CalicoYamlResult, LocatedResource } from './parse.js';
export { renderCalicoResources, renderCalicoObjects, CalicoRenderError } from './render.js';
export type { RenderProblem } from './render.js';
export { CalicoYamlError, formatIssue } from './issues.js';
export type { CalicoYamlIssue, SourcePosition } from './issues.js';
