/** Operators of Marathon placement constraints. */
export type ConstraintOperator = 'UNIQUE' | 'CLUSTER' | 'GROUP_BY' | 'LIKE' | 'UNLIKE' | 'MAX_PER';

/**
 * A placement constraint: `field` is `hostname` or an agent attribute
 * (e.g. `rack`, `zone`). Marathon applies them when it launches tasks.
 *
 * @example
 * constraints: [Constraint.unique('hostname'), Constraint.maxPer('zone', 2)]
 */
export class Constraint {
  /** At most one task per distinct value of `field` (e.g. one per host). */
  public static unique(field: string): Constraint {
    return new Constraint(field, 'UNIQUE');
  }

  /** Every task on agents whose `field` equals `value`. */
  public static cluster(field: string, value: string): Constraint {
    return new Constraint(field, 'CLUSTER', value);
  }

  /**
   * Spread tasks evenly over the values of `field`; `groups` is how many
   * distinct values to expect (helps Marathon spread before it has seen them all).
   */
  public static groupBy(field: string, groups?: number): Constraint {
    return new Constraint(field, 'GROUP_BY', groups === undefined ? undefined : String(groups));
  }

  /** Only agents whose `field` fully matches the (Java) regular expression. */
  public static like(field: string, regex: string): Constraint {
    return new Constraint(field, 'LIKE', regex);
  }

  /** Only agents whose `field` does not match the (Java) regular expression. */
  public static unlike(field: string, regex: string): Constraint {
    return new Constraint(field, 'UNLIKE', regex);
  }

  /** At most `max` tasks per distinct value of `field`. */
  public static maxPer(field: string, max: number): Constraint {
    return new Constraint(field, 'MAX_PER', String(max));
  }

  /**
   * A constraint exactly as Marathon JSON writes it, for values the typed
   * builders do not produce. Checked at synth like the others.
   */
  public static of(field: string, operator: string, value?: string): Constraint {
    return new Constraint(field, operator, value);
  }

  private constructor(
    /** Agent attribute or `hostname`. */
    public readonly field: string,
    /** Operator (one of {@link ConstraintOperator} when built by the typed builders). */
    public readonly operator: string,
    /** Value, for the operators that take one. */
    public readonly value?: string,
  ) {}

  /** The constraint as Marathon JSON: `[field, OPERATOR]` or `[field, OPERATOR, value]`. */
  public toJson(): string[] {
    return this.value === undefined ? [this.field, this.operator] : [this.field, this.operator, this.value];
  }
}
