import type { IConstruct } from 'constructs';
import type { Cluster } from './cluster.js';

/**
 * A way to find the cluster's private agents (by EC2 tags, by a list, ...).
 * Networks that route container addresses through the agents ask the
 * selection to make that possible.
 */
export interface IAgentSelection {
  /** One line describing the selection, for summaries and errors. */
  readonly description: string;
  /**
   * Lets the selected agents forward packets for addresses that are not their
   * own (on EC2: source/destination check off). Called once per requester;
   * returns the ids of the artifacts that do it, for ordering.
   */
  allowForwarding(cluster: Cluster, requestedBy: IConstruct): readonly string[];
}
