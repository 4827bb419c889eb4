import { expect } from 'chai';
import { Construct } from 'constructs';
import { mkdtempSync, readFileSync, existsSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, SynthesisError, addSynthesisParticipant, readBundle, BundleError, sha256 } from '../src/index.js';

class TestStack extends Stack {
  get targets() {
    return { test: '1' };
  }
}

/** A construct that emits one file and may depend on others or report an error. */
class Thing extends Construct {
  constructor(scope: Construct, id: string, props: { deps?: Thing[]; error?: string; warn?: string; file?: string } = {}) {
    super(scope, id);
    addSynthesisParticipant(this, {
      validate: (d) => {
        if (props.error) d.error(this, 'test/error', props.error, 'fix it');
        if (props.warn) d.warn(this, 'test/warn', props.warn, 'look at it');
      },
      emit: (ctx) =>
        ctx.addArtifact(this, {
          id: `thing:${id}`,
          kind: 'thing',
          file: props.file ?? `things/${id}.json`,
          content: JSON.stringify({ id }) + '\n',
          dependsOn: (props.deps ?? []).map((d) => `thing:${d.node.id}`),
        }),
    });
  }
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'dcos-cdk-core-'));
}

describe('synthesis', () => {
  it('writes a manifest in dependency order with hashes and construct paths', () => {
    const dir = tmp();
    const app = new App({ projectDir: false, outdir: join(dir, 'out') });
    const stack = new TestStack(app, 'demo');
    const pkg = new Thing(stack, 'pkg');
    new Thing(stack, 'app', { deps: [pkg] });
    const bundle = app.synth();
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8'));
    expect(manifest.stack).to.equal('demo');
    expect(manifest.targets).to.deep.equal({ test: '1' });
    expect(manifest.artifacts.map((a: { id: string }) => a.id)).to.deep.equal(['thing:pkg', 'thing:app']);
    expect(manifest.artifacts[1]).to.deep.equal({
      id: 'thing:app',
      kind: 'thing',
      file: 'things/app.json',
      sha256: sha256('{"id":"app"}\n'),
      constructPath: 'demo/app',
      dependsOn: ['thing:pkg'],
    });
    expect(bundle.artifacts).to.have.length(2);
    expect(readBundle(join(dir, 'out')).contents.get('thing:app')).to.equal('{"id":"app"}\n');
  });

  it('collects every error with its construct path before failing', () => {
    const app = new App({ projectDir: false });
    const stack = new TestStack(app, 'demo');
    new Thing(stack, 'a', { error: 'first problem' });
    new Thing(stack, 'b', { error: 'second problem', warn: 'a warning' });
    try {
      app.synth({ write: false });
      expect.fail('synth should fail');
    } catch (e) {
      expect(e).to.be.instanceOf(SynthesisError);
      const err = e as SynthesisError;
      expect(err.errors.map((d) => [d.constructPath, d.message])).to.deep.equal([
        ['demo/a', 'first problem'],
        ['demo/b', 'second problem'],
      ]);
      expect(err.diagnostics.some((d) => d.severity === 'warning' && d.constructPath === 'demo/b')).to.equal(true);
      expect(err.message).to.contain('2 errors').and.contain('demo/a').and.contain('fix: fix it');
    }
  });

  it('reports a dependency cycle by construct path', () => {
    const app = new App({ projectDir: false });
    const stack = new TestStack(app, 'demo');
    const deps: Thing[] = [];
    const a = new Thing(stack, 'a', { deps });
    const b = new Thing(stack, 'b', { deps: [a] });
    deps.push(b);
    expect(() => app.synth({ write: false })).to.throw(SynthesisError, /cycle: thing:a \(demo\/a\) -> thing:b \(demo\/b\) -> thing:a/);
  });

  it('rejects two artifacts with one file and an unknown dependency', () => {
    const app = new App({ projectDir: false });
    const stack = new TestStack(app, 'demo');
    new Thing(stack, 'a', { file: 'same.json' });
    new Thing(stack, 'b', { file: 'same.json' });
    const ghost = new Thing(new TestStack(new App({ projectDir: false }), 'other'), 'ghost');
    new Thing(stack, 'c', { deps: [ghost] });
    expect(() => app.synth({ write: false }))
      .to.throw(SynthesisError)
      .with.property('message')
      .that.contains("file 'same.json' is also written by demo/a")
      .and.contains("depends on 'thing:ghost', which is not in the bundle");
  });

  it('requires exactly one stack', () => {
    expect(() => new App({ projectDir: false }).synth({ write: false })).to.throw(SynthesisError, /no stack/);
    const app = new App({ projectDir: false });
    new TestStack(app, 'one');
    new TestStack(app, 'two');
    expect(() => app.synth({ write: false })).to.throw(SynthesisError, /two.*A bundle targets one cluster/s);
  });

  it('does not let hooks add constructs during synthesis', () => {
    const app = new App({ projectDir: false });
    const stack = new TestStack(app, 'demo');
    addSynthesisParticipant(stack, { prepare: () => new Construct(stack, 'late') });
    expect(() => app.synth({ write: false })).to.throw(/Cannot add children/);
  });

  it('leaves the previous bundle in place when synthesis fails', () => {
    const dir = tmp();
    const out = join(dir, 'dcos.out');
    const good = new App({ projectDir: false, outdir: out });
    new Thing(new TestStack(good, 'demo'), 'a');
    good.synth();
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    const bad = new App({ projectDir: false, outdir: out });
    new Thing(new TestStack(bad, 'demo'), 'b', { error: 'broken' });
    expect(() => bad.synth()).to.throw(SynthesisError);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).to.equal(before);
    expect(readdirSync(dir)).to.deep.equal(['dcos.out']);
  });

  it('replaces an existing bundle whole, dropping files of the old one', () => {
    const dir = tmp();
    const out = join(dir, 'dcos.out');
    mkdirSync(join(out, 'things'), { recursive: true });
    writeFileSync(join(out, 'things', 'stale.json'), '{}');
    const app = new App({ projectDir: false, outdir: out });
    new Thing(new TestStack(app, 'demo'), 'a');
    app.synth();
    expect(existsSync(join(out, 'things', 'stale.json'))).to.equal(false);
    expect(existsSync(join(out, 'things', 'a.json'))).to.equal(true);
  });

  it('reads dcos-cdk.json context and output', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'dcos-cdk.json'), JSON.stringify({ output: 'bundle', context: { lan: '10.0.0.0/8' } }));
    const app = new App({ projectDir: dir, context: { extra: 1 } });
    expect(app.outdir).to.equal(join(dir, 'bundle'));
    expect(app.node.tryGetContext('lan')).to.equal('10.0.0.0/8');
    expect(app.node.tryGetContext('extra')).to.equal(1);
  });

  it('detects an artifact edited after synth', () => {
    const dir = tmp();
    const app = new App({ projectDir: false, outdir: dir });
    new Thing(new TestStack(app, 'demo'), 'a');
    app.synth();
    writeFileSync(join(dir, 'things', 'a.json'), '{"id":"tampered"}\n');
    expect(() => readBundle(dir)).to.throw(BundleError, /does not match its sha256/);
  });
});
