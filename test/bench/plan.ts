import { OUR_CLUSTER_RESOURCES, resourceCount, type Shape } from './scenarios.js';

/** How many times each side runs. */
export interface Runs {
  readonly ours: number;
  /** 0 skips cdk8s for this scenario. */
  readonly cdk8s: number;
}

/** A scenario of the side-by-side benchmark. */
export type Scenario =
  | { readonly id: string; readonly title: string; readonly kind: 'synthesis'; readonly shape: Shape; readonly runs: Runs }
  | { readonly id: string; readonly title: string; readonly kind: 'cli'; readonly runs: Runs };

/** Triples in the one-environment scenario: 5 * 4,000 + 2 = 20,002 resources. */
export const ONE_ENVIRONMENT_TRIPLES = 4000;

/**
 * The scenarios, with run counts. cdk8s at N = 5,000 takes minutes, so a full
 * run measures it once; `--quick` (under a minute) skips it and runs cdk8s
 * once at N = 1,000 and on the 20,000-resource environment.
 */
export function scenarios(quick: boolean): Scenario[] {
  const r = (ours: number, cdk8s: number): Runs => ({ ours, cdk8s });
  return [
    { id: 'envs-100', title: 'N = 100 environments', kind: 'synthesis', shape: { kind: 'environments', environments: 100 }, runs: quick ? r(3, 3) : r(7, 7) },
    { id: 'envs-1000', title: 'N = 1,000 environments', kind: 'synthesis', shape: { kind: 'environments', environments: 1000 }, runs: quick ? r(3, 1) : r(7, 3) },
    { id: 'envs-5000', title: 'N = 5,000 environments', kind: 'synthesis', shape: { kind: 'environments', environments: 5000 }, runs: quick ? r(3, 0) : r(7, 1) },
    {
      id: 'one-env-20k',
      title: 'one environment, 20,002 resources',
      kind: 'synthesis',
      shape: { kind: 'one-environment', triples: ONE_ENVIRONMENT_TRIPLES },
      runs: quick ? r(3, 1) : r(7, 3),
    },
    { id: 'cli-cold', title: 'CLI cold start, the example', kind: 'cli', runs: quick ? r(3, 2) : r(7, 5) },
  ];
}

/** What each side emits, for the table: "ours / cdk8s". */
export function objectCounts(s: Scenario): { readonly ours: string; readonly cdk8s: string } {
  if (s.kind === 'cli') return { ours: '17 artifacts', cdk8s: '12 objects' };
  const n = resourceCount(s.shape);
  return { ours: `${n} + ${OUR_CLUSTER_RESOURCES}`, cdk8s: `${n}` };
}
