/**
 * Connectivity analysis: who can talk to whom on a Calico network, evaluated with Felix's
 * semantics, from a bundle or from plain Marathon and calicoctl files.
 *
 * @module
 */

export type {
  AnalysisFinding,
  CalicoApiVersion,
  DeclaredPort,
  Direction,
  ExternalPeer,
  ModelEndpoint,
  ModelEntity,
  ModelIcmp,
  ModelPolicy,
  ModelProfile,
  ModelRule,
  NetworkModel,
  PortInterval,
  SourceLocation,
} from './model.js';
export { buildNetworkModel, ModelError } from './build-model.js';
export type { BuildModelOptions, EndpointSpec, EntitySpec, ModelSpec, PeerSpec, PolicySpec, ProfileSpec, RuleSpec } from './build-model.js';
export { DEFAULT_POOL_V4, DEFAULT_POOL_V6, defaultProfileSpec } from './defaults.js';
export { loadBundleModel } from './load-bundle.js';
export { loadFilesModel, modelFromTexts } from './load-files.js';
export { modelFromArtifacts, isAnalyzedKind } from './load-artifacts.js';
export type { ArtifactInput } from './load-artifacts.js';
export type { InputText } from './load-files.js';
export type { LoadOptions } from './assemble.js';
export { AnalysisLoadError } from './source-file.js';
export { analyze, ReachabilityMatrix } from './engine.js';
export type { AnalysisStats, AnalyzeOptions, FlowDecision, FlowParty, MatrixCell } from './engine.js';
export type { DecisionKind, DirectionDecision } from './decision.js';
export type { Packet } from './packet.js';
export { EPHEMERAL_SOURCE_PORT } from './packet.js';
export { explain } from './explain.js';
export type { FlowExplanation, FlowQuery } from './explain.js';
export type { TraceStep } from './direct.js';
export { findings } from './findings.js';
export type { FindingsOptions } from './findings.js';
export { diffModels } from './diff.js';
export type { ConnectivityDiff, DiffOptions, FlowChange } from './diff.js';
export { matrixToJson, matrixToTable, listedPorts } from './output.js';
export type { MatrixJson, MatrixJsonEndpoint, MatrixJsonFlow, TableOptions } from './output.js';
