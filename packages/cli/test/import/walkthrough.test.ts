/*
 * `dcos-cdk import` on the walkthrough's six Marathon JSON files and its calicoctl YAML files:
 * the stack compiles under tsc --strict, synthesizes the same apps and resources, and the
 * import reports the walkthrough's leaks from production into development.
 */
import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { absolute, appDifferences, bundleCalico, calicoOf, filesOf, LAN, project, runImport, synthGenerated, typecheck, walkthroughCopy } from './support.js';

describe('dcos-cdk import: the walkthrough', function () {
  this.timeout(120_000);
  let dir: string;
  let files: string;
  let run: Awaited<ReturnType<typeof runImport>>;
  const stack = (): string => join(dir, 'imported-stack.ts');

  before(async () => {
    dir = project();
    files = walkthroughCopy(dir);
    run = await runImport(['walkthrough', '--rename-duplicates'], { cwd: dir });
  });

  it('writes one stack file and says what it imported', () => {
    expect(run.code, run.err).to.equal(0);
    expect(existsSync(stack())).to.equal(true);
    expect(run.out).to.contain('Imported 6 Marathon apps and 6 Calico resources into imported-stack.ts (DC/OS 1.9: Marathon 1.4 JSON, calicoctl v1).');
    expect(run.out).to.contain('Environments by network label \'group\': development (3 apps), production (3 apps).');
  });

  it('generates idiomatic constructs: environments, typed apps with named ports, policies with Selector.parse', () => {
    const code = readFileSync(stack(), 'utf8');
    expect(code).to.contain("const development = new Environment(cluster, 'development', { network: calico, isolated: false });");
    expect(code).to.contain("const production = new Environment(cluster, 'production', { network: calico });");
    expect(code).to.contain("new MarathonApp(development, 'frontend2', {");
    expect(code).to.contain("id: '/frontend2',");
    expect(code).to.contain("ports: [MarathonPort.tcp('database', 1521), MarathonPort.tcp('http', 81)],");
    expect(code).to.contain("networkLabels: { app: 'frontend' },");
    expect(code).to.contain("selector: Selector.parse('group == \"development\"'),");
    expect(code).to.contain("source: { selector: Selector.parse('app == \"tester\"') },");
    // The hand-written policies stay hand-written, leaks included: nothing becomes allowFrom.
    expect(code).to.not.match(/\.allow(From|To)\(/);
    // The ICMP mistake is kept, with a comment saying so.
    expect(code).to.match(/icmp is set but protocol is not set[\s\S]*mistakes: 'warning'/);
    expect(code).to.contain("Imported as 'allow-dev-tester-database-2'");
    expect(code).to.not.contain('addOverride');
  });

  it('compiles under tsc --strict', () => {
    expect(typecheck([stack()])).to.deep.equal([]);
  });

  it('synthesizes the same apps and Calico resources', async () => {
    const bundle = await synthGenerated(stack());
    const apps = filesOf(files, /\.json$/).map((f) => absolute(JSON.parse(f.text) as Record<string, unknown>));
    expect(apps).to.have.length(6);
    expect(appDifferences(apps, bundle)).to.deep.equal([]);
    // Calico: the same resources, the second 'allow-dev-tester-database' under its new name.
    const expected = calicoOf(filesOf(files, /\.yaml$/).map((f) => (f.file === 'allow-dev-tester-database.yaml' ? { ...f, text: f.text.replace('name: allow-dev-tester-database', 'name: allow-dev-tester-database-2') } : f)));
    expect(bundleCalico(bundle)).to.deep.equal(expected);
    expect(bundle.manifest.artifacts.map((a) => a.kind).sort()).to.deep.equal([...Array(5).fill('calico-policy'), 'calico-profile', ...Array(6).fill('marathon-app')]);
  });

  it('reports what the setup lets through: production reaches development', () => {
    const leaks = run.out.split('\n').filter((l) => l.startsWith('error [analysis/cross-environment-flow]'));
    expect(leaks.join('\n')).to.contain('/tester (group=production) can reach /frontend2 (group=development): tcp 80');
    expect(leaks.join('\n')).to.contain('/frontend (group=production) can reach /database2 (group=development): tcp 1521');
    expect(leaks.join('\n')).to.contain('/tester (group=production) can reach /database2 (group=development): tcp 81');
    expect(run.out).to.match(/What the imported setup lets through \(connectivity analysis\): \d+ errors?/);
    expect(run.out).to.contain('warning [analysis/undeclared-port]');
  });

  it('refuses the two policies named allow-dev-tester-database, naming both places, and writes nothing', async () => {
    const d = project();
    walkthroughCopy(d);
    const r = await runImport(['walkthrough'], { cwd: d });
    expect(r.code).to.equal(1);
    expect(r.err).to.contain("walkthrough/allow-dev-tester-database.yaml:4:9: error: policy 'allow-dev-tester-database' is also defined at walkthrough/allow-dev-lan-frontend.yaml:4:9");
    expect(r.err).to.contain('--rename-duplicates');
    expect(r.err).to.contain('Import failed: 1 error in the input; nothing was written.');
    expect(existsSync(join(d, 'imported-stack.ts'))).to.equal(false);
  });

  it('reports the <your-lan-CIDR> placeholder as an invalid CIDR at its position, and writes nothing', async () => {
    const d = project();
    walkthroughCopy(d, null);
    const r = await runImport(['walkthrough', '--rename-duplicates'], { cwd: d });
    expect(r.code).to.equal(1);
    expect(r.err).to.contain("walkthrough/allow-dev-lan-frontend.yaml:11:12: error: '<your-lan-CIDR>' is not an IP address or CIDR.");
    expect(existsSync(join(d, 'imported-stack.ts'))).to.equal(false);
  });

  it("imports the six apps alone: without a policy the CNI plugin's default profile opens every environment to the others", async () => {
    const d = project();
    walkthroughCopy(d);
    const r = await runImport([...['dev', 'prod'].flatMap((e) => ['frontend', 'tester', 'database'].map((a) => `walkthrough/${e}-${a}.json`)), '--out', 'lib/apps.ts'], { cwd: d });
    expect(r.code, r.err).to.equal(0);
    const code = readFileSync(join(d, 'lib', 'apps.ts'), 'utf8');
    expect(code).to.contain("const development = new Environment(cluster, 'development', { network: calico, isolated: false });");
    expect(code).to.contain("const production = new Environment(cluster, 'production', { network: calico, isolated: false });");
    expect(r.out).to.contain('/tester2 (group=development) can reach /frontend (group=production)');
    expect(typecheck([join(d, 'lib', 'apps.ts')])).to.deep.equal([]);
  });

  it('refuses to overwrite the stack file without --force', async () => {
    writeFileSync(join(dir, 'taken.ts'), '// mine\n');
    const r = await runImport(['walkthrough', '--rename-duplicates', '--out', 'taken.ts'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.err).to.contain('taken.ts exists; pass --force');
    expect(readFileSync(join(dir, 'taken.ts'), 'utf8')).to.equal('// mine\n');
  });

  it('keeps the LAN CIDR it was given', () => {
    expect(readFileSync(stack(), 'utf8')).to.contain(`source: { nets: ['${LAN}'] },`);
  });
});
