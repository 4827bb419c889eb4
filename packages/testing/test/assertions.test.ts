/*
 * The connectivity assertions on the walkthrough example: what passes, and what a failure
 * says (the explanation of the flow, with the deciding rule and its construct).
 */
import { expect } from 'chai';
import { AssertionError } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from '@dcos-cdk/core';
import { CalicoPolicy, Rule } from '@dcos-cdk/calico';
import { buildStack } from '../../../examples/ip-per-container/lib/stack.js';
import { expectIsolated, expectReachable, expectUnreachable } from '../src/index.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '../../../examples/ip-per-container');

function example(context: Record<string, unknown> = {}): App {
  const app = new App({ projectDir: exampleDir, outdir: join(mkdtempSync(join(tmpdir(), 'assertions-')), 'dcos.out'), context });
  buildStack(app);
  return app;
}

/** The message of the AssertionError `f` throws. */
function failure(f: () => void): string {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(AssertionError);
    return (e as Error).message;
  }
  return expect.fail('the assertion should have failed');
}

describe('connectivity assertions (@dcos-cdk/testing)', () => {
  const bundle = example().synth({ write: false });

  it('expectReachable passes for the flows the example opens, whatever the port notation', () => {
    expectReachable(bundle, '/tester', '/frontend', 80);
    expectReachable(bundle, 'tester2', '/database2', 'tcp/81');
    expectReachable(bundle, '/frontend2', '/database2', { protocol: 'tcp', port: 1521 });
    expectReachable(bundle, '/tester', '/database', 'icmp');
    expectReachable(bundle, 'Internet', '/frontend', 80);
    expectReachable(bundle, '10.20.3.4', '/frontend2', 80);
  });

  it('expectUnreachable passes for what the example keeps closed', () => {
    expectUnreachable(bundle, '/tester', '/frontend2', 80);
    expectUnreachable(bundle, '/frontend', '/database', 81);
    expectUnreachable(bundle, '203.0.113.9', '/frontend2', 80);
    expectUnreachable(bundle, '10.20.3.4', '/tester2', 'icmp');
  });

  it('a failing expectReachable explains the flow: the deciding rule of each direction and its construct', () => {
    const message = failure(() => expectReachable(bundle, '/tester', '/database2', 81));
    expect(message).to.equal(
      [
        'Expected /tester to reach /database2 on tcp/81, but it cannot:',
        '/tester -> /database2 tcp/81: DENIED',
        '  egress of /tester: denies: no policy allowed it',
        '  ingress of /database2: denies: no policy allowed it',
      ].join('\n'),
    );
  });

  it('a failing expectUnreachable explains why the flow is open', () => {
    const message = failure(() => expectUnreachable(bundle, '/tester2', '/frontend2', 'tcp/80'));
    expect(message).to.contain('Expected /tester2 not to reach /frontend2 on tcp/80, but it can:');
    expect(message).to.contain('  egress of /tester2: allows: policy development-environment rule 0 (allow) [demo/development/NetworkPolicy]');
    expect(message).to.contain('  ingress of /frontend2: allows: policy development-frontend-ingress rule 0 (allow) [demo/development/frontend/IngressPolicy]');
  });

  it('expectIsolated passes for the two environments of the example, from a bundle, an App or a bundle folder', () => {
    expectIsolated(bundle, 'production', 'development');
    expectIsolated(example(), 'development', 'production');
    const app = example();
    app.synth();
    expectIsolated(app.outdir, 'production', 'development');
  });

  it('expectIsolated fails on a leak, listing and explaining the open flows', () => {
    // Synth would refuse this leak (an error into an isolated environment): its analysis is turned off here.
    const app = example({ 'dcos-cdk:analyzeAtSynth': false });
    const production = app.node.findChild('demo').node.findChild('production');
    // The walkthrough's mistake, both ways: a policy that lets any app ping any other, before the environments' own.
    new CalicoPolicy(production, 'pings', { name: 'allow-pings', selector: 'all()', order: 500, ingress: [Rule.allowPing()], egress: [Rule.allowPing()] });
    const leaky = app.synth({ write: false });
    const message = failure(() => expectIsolated(leaky, 'production', 'development'));
    expect(message).to.match(/^Expected group=production and group=development to be isolated, but 18 flows are open:/);
    expect(message).to.contain('  /tester -> /frontend2 ping');
    expect(message).to.contain('  /tester2 -> /database ping');
    expect(message).to.contain('  ingress of /frontend2: allows: policy allow-pings rule 0 (allow) [demo/production/pings]');
    expect(message).to.contain('(13 more not explained)');
  });

  it('expectIsolated refuses an environment no app is in, so a typo does not pass', () => {
    expect(failure(() => expectIsolated(bundle, 'production', 'developmnet'))).to.equal('No app has group=developmnet; environments found: production, development.');
  });
});
