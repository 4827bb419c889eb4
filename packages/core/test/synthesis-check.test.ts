import { expect } from 'chai';
import { Construct } from 'constructs';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, SynthesisError, addSynthesisParticipant, type CheckContext } from '../src/index.js';

class TestStack extends Stack {
  get targets() {
    return { test: '1' };
  }
}

/** Emits one artifact depending on `deps`. */
class Thing extends Construct {
  constructor(scope: Construct, id: string, deps: string[] = []) {
    super(scope, id);
    addSynthesisParticipant(this, {
      emit: (ctx) => ctx.addArtifact(this, { id: `thing:${id}`, kind: 'thing', file: `things/${id}.json`, content: '{}\n', dependsOn: deps.map((d) => `thing:${d}`) }),
    });
  }
}

describe('synthesis: the check phase', () => {
  it('runs after emit and ordering, once, with the ordered artifacts and the targets; warnings reach the bundle', () => {
    const app = new App({ projectDir: false });
    const stack = new TestStack(app, 'demo');
    new Thing(stack, 'app', ['pkg']);
    new Thing(stack, 'pkg');
    const seen: CheckContext[] = [];
    addSynthesisParticipant(stack, {
      check: (bundle, d) => {
        seen.push(bundle);
        d.warn(stack, 'test/check', `saw ${bundle.artifacts.map((a) => a.id).join(', ')}`, 'nothing to do');
      },
    });
    const bundle = app.synth({ write: false });
    expect(seen).to.have.length(1);
    expect(seen[0]!.artifacts.map((a) => a.id)).to.deep.equal(['thing:pkg', 'thing:app']);
    expect(seen[0]!.targets).to.deep.equal({ test: '1' });
    expect(bundle.warnings.map((w) => [w.rule, w.constructPath, w.message])).to.deep.equal([['test/check', 'demo', 'saw thing:pkg, thing:app']]);
    expect(bundle.manifest.warnings).to.have.length(1);
  });

  it('an error from a check fails synthesis and writes nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dcos-cdk-check-')), 'out');
    const app = new App({ projectDir: false, outdir: out });
    const stack = new TestStack(app, 'demo');
    new Thing(stack, 'a');
    addSynthesisParticipant(stack, { check: (_b, d) => d.error(stack, 'test/check', 'the bundle leaks', 'close it') });
    expect(() => app.synth()).to.throw(SynthesisError, /the bundle leaks/);
    expect(existsSync(out)).to.equal(false);
  });

  it('does not run when validation failed', () => {
    const app = new App({ projectDir: false });
    const stack = new TestStack(app, 'demo');
    let ran = false;
    addSynthesisParticipant(stack, { validate: (d) => d.error(stack, 'test/v', 'bad', 'fix'), check: () => void (ran = true) });
    expect(() => app.synth({ write: false })).to.throw(SynthesisError);
    expect(ran).to.equal(false);
  });
});
