import { Construct } from 'constructs';
import { brand, hasBrand } from './brand.js';

/**
 * A unit of deployment: everything under a stack goes to one cluster and is
 * owned by the stack's name there. Integration packages subclass it (the
 * DC/OS `Cluster` is a stack).
 */
export abstract class Stack extends Construct {
  /** True when `x` is a {@link Stack}, even from another copy of this package. */
  public static isStack(x: unknown): x is Stack {
    return hasBrand(x, 'Stack');
  }

  /** Name recorded in the manifest and used by deploy to mark what the stack owns. */
  public readonly stackName: string;

  constructor(scope: Construct, id: string, stackName?: string) {
    super(scope, id);
    brand(this, 'Stack');
    this.stackName = stackName ?? id;
  }

  /**
   * Output format versions this stack is synthesized for, written to the
   * manifest, e.g. `{ dcos: '1.9', marathon: '1.4', calico: 'v1' }`.
   */
  public abstract get targets(): Readonly<Record<string, string>>;
}
