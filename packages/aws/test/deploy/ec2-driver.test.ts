import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  type DescribeInstancesCommandInput,
  type Instance,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { App, readBundle, type DesiredArtifact, type DriverContext } from '@dcos-cdk/core';
import { Ec2InstanceAttributeDriver, Ec2PermissionError, changedTagKey, ec2RegionsOf, type Ec2PlannedChange } from '@dcos-cdk/aws/deploy';
import { buildStack } from '../../../../examples/ip-per-container/lib/stack.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples/ip-per-container');
const TAG = changedTagKey('demo');

/** The example's ec2-instance-attribute artifact, synthesized and read back as deploy reads it. */
function exampleArtifact(): DesiredArtifact {
  const outdir = mkdtempSync(join(tmpdir(), 'ec2-deploy-'));
  try {
    const app = new App({ projectDir: exampleDir, outdir });
    buildStack(app);
    app.synth();
    const bundle = readBundle(outdir);
    const a = bundle.manifest.artifacts.find((x) => x.kind === 'ec2-instance-attribute')!;
    return { id: a.id, kind: a.kind, file: a.file, content: bundle.contents.get(a.id)!, constructPath: a.constructPath, dependsOn: a.dependsOn };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

interface FakeInstance {
  id: string;
  role?: string;
  sourceDestCheck: boolean;
  /** Leave SourceDestCheck out of DescribeInstances, as for some instance types. */
  hideAttribute?: boolean;
  tags: Record<string, string>;
}

/** A tiny stateful EC2 behind the real client, through aws-sdk-client-mock; pages of two instances. */
function fakeEc2(instances: FakeInstance[]) {
  const ec2 = mockClient(EC2Client);
  const byId = new Map(instances.map((i) => [i.id, i]));
  const matches = (i: FakeInstance, input: DescribeInstancesCommandInput): boolean =>
    (input.Filters ?? []).every((f) => {
      if (f.Name === 'instance-state-name') return f.Values!.includes('running');
      if (f.Name === 'tag-key') return f.Values!.some((k) => k in i.tags);
      if (f.Name === 'tag:dcos-role') return f.Values!.includes(i.role ?? '');
      throw new Error(`unexpected filter ${f.Name}`);
    });
  ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
    const all = instances.filter((i) => matches(i, input));
    const start = Number(input.NextToken ?? 0);
    const page = all.slice(start, start + 2);
    const toInstance = (i: FakeInstance): Instance => ({
      InstanceId: i.id,
      ...(i.hideAttribute ? {} : { SourceDestCheck: i.sourceDestCheck }),
      Tags: Object.entries({ ...i.tags, ...(i.role ? { 'dcos-role': i.role } : {}) }).map(([Key, Value]) => ({ Key, Value })),
    });
    return { Reservations: [{ Instances: page.map(toInstance) }], NextToken: start + 2 < all.length ? String(start + 2) : undefined };
  });
  ec2.on(DescribeInstanceAttributeCommand).callsFake((input: { InstanceId: string }) => ({ InstanceId: input.InstanceId, SourceDestCheck: { Value: byId.get(input.InstanceId)!.sourceDestCheck } }));
  ec2.on(ModifyInstanceAttributeCommand).callsFake((input: { InstanceId: string; SourceDestCheck: { Value: boolean } }) => {
    byId.get(input.InstanceId)!.sourceDestCheck = input.SourceDestCheck.Value;
    return {};
  });
  ec2.on(CreateTagsCommand).callsFake((input: { Resources: string[]; Tags: { Key: string; Value: string }[] }) => {
    for (const id of input.Resources) for (const t of input.Tags) byId.get(id)!.tags[t.Key] = t.Value;
    return {};
  });
  ec2.on(DeleteTagsCommand).callsFake((input: { Resources: string[]; Tags: { Key: string }[] }) => {
    for (const id of input.Resources) for (const t of input.Tags) delete byId.get(id)!.tags[t.Key];
    return {};
  });
  return ec2;
}

function context(progress: string[] = []): DriverContext & { counters: { reads: number; writes: number } } {
  return { stack: 'demo', force: false, counters: { reads: 0, writes: 0 }, progress: (m) => progress.push(m) };
}

const modified = (ec2: ReturnType<typeof mockClient>): string[] => ec2.commandCalls(ModifyInstanceAttributeCommand).map((c) => `${c.args[0].input.InstanceId}=${c.args[0].input.SourceDestCheck!.Value}`);

describe('Ec2InstanceAttributeDriver (real EC2Client, mocked transport)', () => {
  const artifact = exampleArtifact();
  let ec2: ReturnType<typeof mockClient>;
  afterEach(() => ec2.restore());

  it('turns sourceDestCheck off only on selected instances that differ, tagging them first; a second plan is a no-op with zero writes', async () => {
    const fleet: FakeInstance[] = [
      { id: 'i-agent1', role: 'private-agent', sourceDestCheck: true, tags: {} },
      { id: 'i-agent2', role: 'private-agent', sourceDestCheck: false, tags: {} },
      { id: 'i-agent3', role: 'private-agent', sourceDestCheck: true, hideAttribute: true, tags: {} },
      { id: 'i-master', role: 'master', sourceDestCheck: true, tags: {} },
    ];
    ec2 = fakeEc2(fleet);
    const driver = new Ec2InstanceAttributeDriver();
    const ctx = context();
    const [change] = (await driver.plan([artifact], ctx)) as Ec2PlannedChange[];
    expect(change!.action).to.equal('update');
    expect(change!.fields).to.deep.equal([
      { path: 'instances["i-agent1"].sourceDestCheck', before: true, after: false },
      { path: 'instances["i-agent3"].sourceDestCheck', before: true, after: false },
    ]);
    expect(ctx.counters.writes).to.equal(0);
    expect(ec2.commandCalls(DescribeInstanceAttributeCommand)).to.have.length(1);

    await driver.apply(change!, ctx);
    expect(modified(ec2)).to.deep.equal(['i-agent1=false', 'i-agent3=false']);
    const tagCall = ec2.commandCalls(CreateTagsCommand)[0]!.args[0].input;
    expect(tagCall).to.deep.equal({ Resources: ['i-agent1', 'i-agent3'], Tags: [{ Key: 'dcos-cdk:demo:sourceDestCheck', Value: 'changed' }] });
    expect(fleet.map((i) => i.sourceDestCheck)).to.deep.equal([false, false, false, true]);
    expect(fleet[1]!.tags).to.deep.equal({});

    const again = context();
    const [second] = await driver.plan([artifact], again);
    expect(second!.action).to.equal('noop');
    expect(again.counters.writes).to.equal(0);
  });

  it('retries throttled calls with backoff and reports the retries', async () => {
    ec2 = fakeEc2([{ id: 'i-1', role: 'private-agent', sourceDestCheck: true, tags: {} }]);
    const throttle = (name: string) => Object.assign(new Error('Request limit exceeded.'), { name, $metadata: { httpStatusCode: 503 } });
    ec2.on(ModifyInstanceAttributeCommand).rejectsOnce(throttle('RequestLimitExceeded')).rejectsOnce(throttle('Throttling')).resolves({});
    const progress: string[] = [];
    const ctx = context(progress);
    const driver = new Ec2InstanceAttributeDriver({ retry: { baseDelayMs: 1 } });
    const [change] = await driver.plan([artifact], ctx);
    await driver.apply(change!, ctx);
    expect(ec2.commandCalls(ModifyInstanceAttributeCommand)).to.have.length(3);
    expect(progress.filter((p) => p.includes('retrying'))).to.have.length(2);
    expect(ctx.counters.writes).to.equal(4); // CreateTags + three ModifyInstanceAttribute attempts
  });

  it('names the missing IAM action when permission is denied, without a raw SDK stack', async () => {
    ec2 = fakeEc2([{ id: 'i-1', role: 'private-agent', sourceDestCheck: true, tags: {} }]);
    ec2.on(ModifyInstanceAttributeCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation. Encoded authorization failure message: xyz'), { name: 'UnauthorizedOperation' }));
    const driver = new Ec2InstanceAttributeDriver({ retry: { baseDelayMs: 1 } });
    const ctx = context();
    const [change] = await driver.plan([artifact], ctx);
    const error = await driver.apply(change!, ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(Ec2PermissionError);
    expect((error as Error).message).to.contain('ec2:ModifyInstanceAttribute').and.contain('us-west-2').and.not.contain('    at ');
    expect(ec2.commandCalls(ModifyInstanceAttributeCommand)).to.have.length(1);
  });

  it('destroy restores sourceDestCheck only on the instances the stack changed, and removes its tag', async () => {
    const fleet: FakeInstance[] = [
      { id: 'i-changed', role: 'private-agent', sourceDestCheck: false, tags: { [TAG]: 'changed' } },
      { id: 'i-was-off', role: 'private-agent', sourceDestCheck: false, tags: {} },
      { id: 'i-other-stack', role: 'private-agent', sourceDestCheck: false, tags: { 'dcos-cdk:other:sourceDestCheck': 'changed' } },
    ];
    ec2 = fakeEc2(fleet);
    const driver = new Ec2InstanceAttributeDriver({ regions: ec2RegionsOf([artifact]) });
    const ctx = context();
    const changes = await driver.plan([], ctx);
    expect(changes.map((c) => [c.action, c.id])).to.deep.equal([['delete', 'ec2-instance-attribute:restore-us-west-2']]);
    await driver.apply(changes[0]!, ctx);
    expect(modified(ec2)).to.deep.equal(['i-changed=true']);
    expect(fleet.map((i) => i.sourceDestCheck)).to.deep.equal([true, false, false]);
    expect(fleet[0]!.tags).to.deep.equal({});
    expect(fleet[2]!.tags).to.deep.equal({ 'dcos-cdk:other:sourceDestCheck': 'changed' });
    expect(await driver.plan([], context())).to.deep.equal([]);
  });

  it('restores an instance it changed that the selection no longer matches, as part of the deploy', async () => {
    const fleet: FakeInstance[] = [
      { id: 'i-agent', role: 'private-agent', sourceDestCheck: false, tags: { [TAG]: 'changed' } },
      { id: 'i-retired', role: 'retired', sourceDestCheck: false, tags: { [TAG]: 'changed' } },
    ];
    ec2 = fakeEc2(fleet);
    const driver = new Ec2InstanceAttributeDriver();
    const ctx = context();
    const [change] = await driver.plan([artifact], ctx);
    expect(change!.action).to.equal('update');
    expect(change!.fields).to.deep.equal([{ path: 'instances["i-retired"].sourceDestCheck', before: false, after: true }]);
    await driver.apply(change!, ctx);
    expect(modified(ec2)).to.deep.equal(['i-retired=true']);
    expect(fleet[1]!.tags).to.deep.equal({});
    expect(fleet[0]!.tags).to.deep.equal({ [TAG]: 'changed' });
  });
});
