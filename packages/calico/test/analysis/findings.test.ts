/** Findings on small hand-made models. */
import { expect } from 'chai';
import { buildNetworkModel, type ModelSpec, type PolicySpec } from '../../src/analysis/build-model.js';
import { analyze } from '../../src/analysis/engine.js';
import { findings } from '../../src/analysis/findings.js';
import type { AnalysisFinding } from '../../src/analysis/model.js';

const DENY_PROFILE = [{ name: 'calico', tags: ['calico'], ingress: [], egress: [{ action: 'allow' }] }];

function run(spec: Partial<ModelSpec>, rule?: string, options?: Parameters<typeof findings>[1]): AnalysisFinding[] {
  const model = buildNetworkModel({
    endpoints: [
      { id: '/x/web', labels: { group: 'x', app: 'web' }, ports: [{ port: 80, protocol: 'tcp', name: 'http' }] },
      { id: '/x/db', labels: { group: 'x', app: 'db' }, ports: [{ port: 5432, protocol: 'tcp' }] },
      { id: '/y/web', labels: { group: 'y', app: 'web', env: 'prod' }, ports: [{ port: 80, protocol: 'tcp' }] },
    ],
    profiles: DENY_PROFILE,
    ...spec,
  });
  const all = findings(analyze(model), options);
  return rule ? all.filter((f) => f.rule === rule) : all;
}

const policy = (p: Partial<PolicySpec> & { name: string }): PolicySpec => ({ selector: 'all()', egress: [{ action: 'allow' }], ...p });

describe('findings', () => {
  it('shadowed rules: an earlier deciding rule of the same policy that matches a superset', () => {
    const f = run(
      {
        policies: [
          policy({
            name: 'p',
            constructPath: 'demo/p',
            ingress: [
              { action: 'log' },
              { action: 'allow', protocol: 'tcp', source: { selector: 'group == "x"' } },
              { action: 'allow', protocol: 'tcp', source: { selector: 'group == "x" && app == "web"' }, destination: { ports: [80] } },
              { action: 'deny', protocol: 'tcp', destination: { ports: ['1:65535'] } },
              { action: 'allow', protocol: 'udp' },
              { action: 'allow', protocol: 'tcp', source: { selector: 'group == "y"' }, destination: { ports: [80] } },
            ],
          }),
        ],
      },
      'analysis/shadowed-rule',
    );
    expect(f.map((x) => x.message)).to.deep.equal([
      'policy p ingress rule 2 (allow) never decides anything: rule 1 (allow) before it in the same policy matches all the traffic rule 2 matches.',
      'policy p ingress rule 5 (allow) never decides anything: rule 3 (deny) before it in the same policy matches all the traffic rule 5 matches.',
    ]);
    expect(f[0]).to.include({ severity: 'warning', constructPath: 'demo/p' });
  });

  it('policies that select no endpoint', () => {
    const f = run({ policies: [policy({ name: 'ghost', selector: 'app == "ghost"' }), policy({ name: 'real', selector: 'app == "web"' })] }, 'analysis/policy-selects-nothing');
    expect(f.map((x) => x.message)).to.deep.equal(['policy ghost selects no endpoint (selector app == "ghost"), so it has no effect.']);
  });

  it('flows between environments: warnings, errors into isolated environments, a configurable label', () => {
    const p = [policy({ name: 'open', selector: 'app == "web"', ingress: [{ action: 'allow', protocol: 'tcp', source: { selector: 'app == "web"' }, destination: { ports: [80] } }] })];
    const warn = run({ policies: p }, 'analysis/cross-environment-flow');
    expect(warn.map((x) => [x.severity, x.message])).to.deep.equal([
      ['warning', '/y/web (group=y) can reach /x/web (group=x): tcp 80 (policy open rule 0 (allow)).'],
      ['warning', '/x/web (group=x) can reach /y/web (group=y): tcp 80 (policy open rule 0 (allow)).'],
    ]);
    expect(run({ policies: p }, 'analysis/cross-environment-flow', { isolatedEnvironments: ['x'] }).map((x) => x.severity)).to.deep.equal(['error', 'warning']);
    expect(run({ policies: p }, 'analysis/cross-environment-flow', { environmentLabel: 'env' })).to.deep.equal([]);
  });

  it('declared ports reachable from nowhere (other instances of the same app count)', () => {
    const f = run({ policies: [policy({ name: 'web', selector: 'app == "web"', ingress: [{ action: 'allow', protocol: 'tcp', destination: { ports: [80] } }] })] }, 'analysis/unreachable-port');
    expect(f.map((x) => x.message)).to.deep.equal(['/x/db declares tcp 5432, but no endpoint and no external address can open a connection to it.']);
    const solo = (instances: number): ModelSpec => ({
      endpoints: [{ id: '/solo', labels: { app: 'solo' }, ports: [{ port: 7000, protocol: 'tcp' }], instances }],
      profiles: DENY_PROFILE,
      policies: [policy({ name: 'peers', selector: 'app == "solo"', ingress: [{ action: 'allow', source: { selector: 'app == "solo"' } }] })],
    });
    expect(findings(analyze(buildNetworkModel(solo(3)))).filter((x) => x.rule === 'analysis/unreachable-port')).to.deep.equal([]);
    expect(findings(analyze(buildNetworkModel(solo(1)))).filter((x) => x.rule === 'analysis/unreachable-port')).to.have.length(1);
  });

  it('ports open to the Internet, but not ports open to a narrower CIDR', () => {
    const f = run(
      {
        policies: [
          policy({ name: 'public', selector: 'group == "y"', constructPath: 'demo/public', ingress: [{ action: 'allow', protocol: 'tcp', source: { nets: ['0.0.0.0/0'], notSelector: 'has(calico)' }, destination: { ports: ['8000:8100'] } }] }),
          policy({ name: 'lan', selector: 'group == "x"', ingress: [{ action: 'allow', protocol: 'tcp', source: { nets: ['10.0.0.0/8'] } }] }),
        ],
      },
      'analysis/open-to-internet',
    );
    expect(f.map((x) => [x.message, x.constructPath])).to.deep.equal([['/y/web can be reached from the Internet: tcp 8000-8100 (policy public rule 0 (allow)).', 'demo/public']]);
  });

  it('allow rules naming ports the destination does not declare', () => {
    const f = run(
      {
        policies: [
          policy({
            name: 'web',
            selector: 'app == "web"',
            ingress: [{ action: 'allow', protocol: 'tcp', destination: { ports: [80, 81, '8000:8100', '70:90'] } }],
          }),
          policy({ name: 'to-db', selector: 'app == "web"', ingress: [], egress: [{ action: 'allow', protocol: 'tcp', destination: { selector: 'app == "db"', ports: [5433] } }] }),
        ],
      },
      'analysis/undeclared-port',
    );
    expect(f.map((x) => x.message)).to.deep.equal([
      'policy to-db egress rule 0 opens tcp 5433 on /x/db, which declares only tcp 5432.',
      'policy web ingress rule 0 opens tcp 81 on /x/web, /y/web, which declare only tcp 80.',
      'policy web ingress rule 0 opens tcp 8000:8100 on /x/web, /y/web, which declare only tcp 80.',
    ]);
  });

  it('passes the input diagnostics through first', () => {
    const model = buildNetworkModel({ endpoints: [], diagnostics: [{ severity: 'error', rule: 'analysis/duplicate-policy-name', message: 'm', fix: 'f' }] });
    expect(findings(analyze(model))[0]!.rule).to.equal('analysis/duplicate-policy-name');
  });
});
