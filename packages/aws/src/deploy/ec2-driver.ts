import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  type DescribeInstanceAttributeCommandOutput,
  type DescribeInstancesCommandOutput,
  type Filter,
  type Instance,
} from '@aws-sdk/client-ec2';
import type { ArtifactDriver, DesiredArtifact, DriverContext, FieldChange, PlannedChange } from '@dcos-cdk/core';
import { callEc2, type Ec2RetryPolicy } from './ec2-calls.js';

/** Kind of the artifacts this driver deploys. */
export const EC2_INSTANCE_ATTRIBUTE_KIND = 'ec2-instance-attribute';

/** Options of {@link Ec2InstanceAttributeDriver}. */
export interface Ec2InstanceAttributeDriverOptions {
  /**
   * Makes the client of a region. @default `new EC2Client({ region, maxAttempts: 1 })`
   * with the default credential chain (the driver does its own retries).
   */
  readonly clientFactory?: (region: string) => EC2Client;
  /**
   * Regions to search for instances this stack changed, besides those of
   * the artifacts. `destroy` plans with no artifacts, so the CLI passes the
   * regions of the bundle's `ec2-instance-attribute` artifacts here
   * ({@link ec2RegionsOf}). @default []
   */
  readonly regions?: readonly string[];
  /** Backoff of throttled calls. */
  readonly retry?: Ec2RetryPolicy;
}

/** The content of an `ec2-instance-attribute` artifact. */
export interface Ec2InstanceAttributeSpec {
  readonly description: string;
  readonly region: string;
  readonly filters: readonly { readonly Name: string; readonly Values: readonly string[] }[];
  readonly attribute: 'sourceDestCheck';
  readonly value: boolean;
}

/** One instance the change modifies. */
export interface InstanceEdit {
  readonly instanceId: string;
  /** Value to set. */
  readonly value: boolean;
  /** False when the instance already has the value and only its tag is removed. */
  readonly modify: boolean;
  /** `mark`: tag it as changed by the stack first; `unmark`: remove the tag after restoring. */
  readonly tag: 'mark' | 'unmark' | 'keep';
  /** Tag value recording the value the instance had before the stack changed it. */
  readonly tagValue: string;
}

/** A change planned by {@link Ec2InstanceAttributeDriver}, with the instances to modify. */
export interface Ec2PlannedChange extends PlannedChange {
  readonly ec2: { readonly format: 1; readonly region: string; readonly edits: readonly InstanceEdit[] };
}

/** The ownership tag key of a stack: `dcos-cdk:<stack>:sourceDestCheck`. */
export function changedTagKey(stack: string): string {
  return `dcos-cdk:${stack}:sourceDestCheck`;
}

/** Regions of the `ec2-instance-attribute` artifacts of a bundle, for {@link Ec2InstanceAttributeDriverOptions.regions}. */
export function ec2RegionsOf(artifacts: readonly DesiredArtifact[]): string[] {
  return [...new Set(artifacts.filter((a) => a.kind === EC2_INSTANCE_ATTRIBUTE_KIND).map((a) => parseSpec(a).region))].sort();
}

const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/**
 * Sets `sourceDestCheck` on the EC2 instances an `ec2-instance-attribute`
 * artifact selects (DescribeInstances with its filters), and only on those
 * whose value differs (ModifyInstanceAttribute).
 *
 * An instance attribute has no owner field, so before changing an
 * instance the driver tags it `dcos-cdk:<stack>:sourceDestCheck=changed`
 * (`changed-from-false` when it set `true`). Instances that already had the
 * value are left untagged. An instance the stack tagged that no artifact
 * selects any more (and every one on `destroy`) gets its previous value
 * back, then loses the tag; nothing else is ever modified.
 */
export class Ec2InstanceAttributeDriver implements ArtifactDriver {
  /** The artifact kinds this driver deploys. */
  public readonly kinds: readonly string[] = [EC2_INSTANCE_ATTRIBUTE_KIND];
  private readonly clients = new Map<string, EC2Client>();

  constructor(private readonly options: Ec2InstanceAttributeDriverOptions = {}) {}

  /** Compares each selection's instances with the desired value, and finds instances to restore. */
  public async plan(desired: readonly DesiredArtifact[], ctx: DriverContext): Promise<readonly Ec2PlannedChange[]> {
    const artifacts = desired.filter((a) => a.kind === EC2_INSTANCE_ATTRIBUTE_KIND).map((a) => ({ artifact: a, spec: parseSpec(a) }));
    const regions = [...new Set([...artifacts.map((a) => a.spec.region), ...(this.options.regions ?? [])])];
    const tagKey = changedTagKey(ctx.stack);
    const changes: Ec2PlannedChange[] = [];
    for (const region of regions) {
      const here = artifacts.filter((a) => a.spec.region === region);
      const tagged = await this.describe(region, [{ Name: 'tag-key', Values: [tagKey] }], ctx);
      const selected = new Set<string>();
      for (const { artifact, spec } of here) {
        const edits: InstanceEdit[] = [];
        const fields: FieldChange[] = [];
        for (const instance of await this.describe(region, spec.filters, ctx)) {
          const id = instance.InstanceId!;
          selected.add(id);
          const current = instance.SourceDestCheck ?? (await this.attribute(region, id, ctx));
          if (current === spec.value) continue;
          const mine = tagOf(instance, tagKey) !== undefined;
          edits.push({ instanceId: id, value: spec.value, modify: true, tag: mine ? 'keep' : 'mark', tagValue: spec.value ? 'changed-from-false' : 'changed' });
          fields.push({ path: `instances[${JSON.stringify(id)}].sourceDestCheck`, before: current, after: spec.value });
        }
        changes.push({ id: artifact.id, kind: artifact.kind, action: edits.length ? 'update' : 'noop', resource: `sourceDestCheck of ${spec.description}`, fields, desired: artifact, ec2: { format: 1, region, edits } });
      }
      const restores = tagged.filter((i) => !selected.has(i.InstanceId!));
      if (restores.length === 0) continue;
      const edits = restores.map((i): InstanceEdit => {
        const value = tagOf(i, tagKey) !== 'changed-from-false';
        return { instanceId: i.InstanceId!, value, modify: i.SourceDestCheck !== value, tag: 'unmark', tagValue: '' };
      });
      const fields = restores.map((i, n): FieldChange => ({ path: `instances[${JSON.stringify(i.InstanceId!)}].sourceDestCheck`, before: i.SourceDestCheck, after: edits[n]!.value }));
      const owner = here[0];
      const target = owner && changes.find((c) => c.id === owner.artifact.id);
      if (target) {
        changes[changes.indexOf(target)] = { ...target, action: 'update', fields: [...target.fields, ...fields], ec2: { ...target.ec2, edits: [...target.ec2.edits, ...edits] } };
      } else {
        changes.push({ id: `${EC2_INSTANCE_ATTRIBUTE_KIND}:restore-${region}`, kind: EC2_INSTANCE_ATTRIBUTE_KIND, action: 'delete', resource: `sourceDestCheck of the instances stack ${ctx.stack} changed in ${region}`, fields, ec2: { format: 1, region, edits } });
      }
    }
    return changes;
  }

  /** Tags, then modifies (or restores, then untags) the planned instances. */
  public async apply(change: PlannedChange, ctx: DriverContext): Promise<void> {
    if (change.action === 'noop') return;
    let step = (change as Partial<Ec2PlannedChange>).ec2;
    if (step?.format !== 1) {
      const again = (await this.plan(change.desired ? [change.desired] : [], ctx)).find((c) => c.id === change.id);
      if (!again) return;
      step = again.ec2;
    }
    const { region, edits } = step;
    const client = this.client(region);
    const tagKey = changedTagKey(ctx.stack);
    const retry = this.options.retry;
    // Record ownership before the change, so a failure in between leaves a tag on an unchanged instance (harmless) and never the reverse.
    for (const tagValue of new Set(edits.filter((e) => e.tag === 'mark').map((e) => e.tagValue))) {
      const ids = edits.filter((e) => e.tag === 'mark' && e.tagValue === tagValue).map((e) => e.instanceId);
      await callEc2('CreateTags', region, ctx, () => client.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: tagKey, Value: tagValue }] })), retry);
    }
    for (const e of edits.filter((x) => x.modify)) {
      ctx.progress(`EC2 ${region}: sourceDestCheck=${e.value} on ${e.instanceId}`);
      await callEc2('ModifyInstanceAttribute', region, ctx, () => client.send(new ModifyInstanceAttributeCommand({ InstanceId: e.instanceId, SourceDestCheck: { Value: e.value } })), retry);
    }
    const unmark = edits.filter((e) => e.tag === 'unmark').map((e) => e.instanceId);
    if (unmark.length) await callEc2('DeleteTags', region, ctx, () => client.send(new DeleteTagsCommand({ Resources: unmark, Tags: [{ Key: tagKey }] })), retry);
  }

  private async describe(region: string, filters: Ec2InstanceAttributeSpec['filters'], ctx: DriverContext): Promise<Instance[]> {
    const all: Filter[] = filters.map((f) => ({ Name: f.Name, Values: [...f.Values] }));
    if (!all.some((f) => f.Name === 'instance-state-name')) all.push({ Name: 'instance-state-name', Values: LIVE_STATES });
    const out: Instance[] = [];
    let token: string | undefined;
    do {
      const input = { Filters: all, NextToken: token };
      const page: DescribeInstancesCommandOutput = await callEc2('DescribeInstances', region, ctx, () => this.client(region).send(new DescribeInstancesCommand(input)), this.options.retry);
      for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []).filter((i) => i.InstanceId));
      token = page.NextToken;
    } while (token);
    return out;
  }

  private async attribute(region: string, instanceId: string, ctx: DriverContext): Promise<boolean> {
    const out: DescribeInstanceAttributeCommandOutput = await callEc2('DescribeInstanceAttribute', region, ctx, () => this.client(region).send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'sourceDestCheck' })), this.options.retry);
    return out.SourceDestCheck?.Value ?? true;
  }

  private client(region: string): EC2Client {
    let c = this.clients.get(region);
    if (!c) {
      c = this.options.clientFactory?.(region) ?? new EC2Client({ region, maxAttempts: 1 });
      this.clients.set(region, c);
    }
    return c;
  }
}

function tagOf(instance: Instance, key: string): string | undefined {
  return instance.Tags?.find((t) => t.Key === key)?.Value;
}

function parseSpec(a: DesiredArtifact): Ec2InstanceAttributeSpec {
  let spec: Ec2InstanceAttributeSpec;
  try {
    spec = JSON.parse(a.content) as Ec2InstanceAttributeSpec;
  } catch (e) {
    throw new Error(`Artifact ${a.id}: ${a.file} is not valid JSON (${(e as Error).message}).`);
  }
  if (typeof spec.region !== 'string' || !Array.isArray(spec.filters) || typeof spec.value !== 'boolean') {
    throw new Error(`Artifact ${a.id}: expected { description, region, filters, attribute, value } in ${a.file}.`);
  }
  if (spec.attribute !== 'sourceDestCheck') throw new Error(`Artifact ${a.id}: attribute '${String(spec.attribute)}' is not supported; only sourceDestCheck is.`);
  if (spec.filters.length === 0 || spec.filters.some((f) => !Array.isArray(f.Values) || f.Values.length === 0)) {
    throw new Error(`Artifact ${a.id}: the selection has no filter (or an empty one), so it would change every instance of the account; refusing.`);
  }
  return spec;
}
