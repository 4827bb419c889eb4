/*
 * The HTML report of `dcos-cdk analyze --html`, in headless Chromium (Debian's chromium,
 * driven by playwright-core): it loads from a file:// URL without any request, shows the
 * matrix, filters by environment, and a click on a cell shows its explanation.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { App } from '@dcos-cdk/core';
import { buildStack } from '../../../examples/ip-per-container/lib/stack.js';
import { main } from '../src/main.js';

const CHROMIUM = '/usr/bin/chromium';
const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const exampleDir = join(repo, 'examples/ip-per-container');
const LAN = '10.20.0.0/16';

async function writeReport(args: string[]): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'analyze-html-')), 'report.html');
  const err: string[] = [];
  const code = await main(['analyze', ...args, '--html', file], () => undefined, (l) => err.push(l));
  expect(code, err.join('\n')).to.equal(0);
  return file;
}

function walkthroughCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'analyze-html-walkthrough-'));
  const src = join(exampleDir, 'walkthrough');
  for (const f of readdirSync(src).filter((x) => /\.(json|yaml)$/.test(x))) writeFileSync(join(dir, f), readFileSync(join(src, f), 'utf8').replace('<your-lan-CIDR>', LAN));
  return dir;
}

function exampleBundle(): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'analyze-html-example-')), 'dcos.out');
  const app = new App({ projectDir: exampleDir, outdir });
  buildStack(app);
  app.synth();
  return outdir;
}

describe('dcos-cdk analyze --html, in headless Chromium', function () {
  this.timeout(120000);
  let context: BrowserContext;
  const requests: string[] = [];
  const errors: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.warn(`    skipped: ${CHROMIUM} is missing (apt-get install -y chromium; CI installs it).`);
      this.skip();
    }
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'analyze-chromium-profile-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 900 },
    });
    context.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
  });

  after(async () => {
    await context?.close();
  });

  async function open(file: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(pathToFileURL(file).href);
    return page;
  }

  it('the walkthrough: loads, shows the matrix, filters by environment, and explains a clicked cell', async () => {
    const page = await open(await writeReport(['--files', walkthroughCopy(), '--lan', `LAN=${LAN}`, '--isolated', 'development,production']));
    // Loads and shows the matrix: a row per source, a cell per destination port.
    const rowNames = await page.locator('#matrix tbody tr th span').allTextContents();
    expect(rowNames).to.deep.equal(['/database2', '/frontend2', '/tester2', '/database', '/frontend', '/tester', 'LAN (10.20.0.0/16)', 'Internet (0.0.0.0/0)']);
    expect(await page.locator('#matrix td.cell').count()).to.be.greaterThan(8 * 12);
    expect(await page.locator('#summary').textContent()).to.match(/8 sources, \d+ destination ports; \d+ allowed flows, 12 between environments/);
    const leak = page.locator('td.cell[data-from="/tester"][data-to="/frontend2"][data-port="tcp/80"]');
    expect(await leak.getAttribute('class')).to.contain('leak');
    expect((await leak.textContent())!.trim()).to.equal('✓');

    // The filter: only development as source; production and the peers disappear.
    await page.selectOption('#from-env', 'development');
    expect(await page.locator('#matrix tbody tr:not([hidden]) th span').allTextContents()).to.deep.equal(['/database2', '/frontend2', '/tester2']);
    await page.selectOption('#from-env', '(outside the cluster)');
    await page.selectOption('#to-env', 'development');
    expect(await page.locator('#matrix tbody tr:not([hidden]) th span').allTextContents()).to.deep.equal(['LAN (10.20.0.0/16)', 'Internet (0.0.0.0/0)']);
    expect(await page.locator('#matrix thead tr:nth-child(2) th:not([hidden])').allTextContents()).to.deep.equal(['tcp/1521', 'tcp/81', 'ping', 'tcp/80', 'tcp/81*', 'ping', 'ping']);
    expect(await page.locator('td.cell[data-to="/frontend"]:not([hidden])').count()).to.equal(0);

    // A click explains the cell: the LAN opens 81 on the frontend through the second allow-dev-tester-database.
    await page.click('td.cell[data-from="LAN (10.20.0.0/16)"][data-to="/frontend2"][data-port="tcp/81"]');
    const panel = page.locator('#explanation');
    expect(await panel.locator('h2').textContent()).to.equal('LAN (10.20.0.0/16) → /frontend2 tcp/81');
    const text = (await panel.textContent())!;
    expect(text).to.contain('ALLOWED').and.contain('does not declare this port');
    expect(text).to.contain('egress (the chain of LAN (10.20.0.0/16))').and.contain('not policed');
    expect(text).to.contain('policy: allow-dev-tester-database, rule 0, action allow');
    expect(text).to.match(/file: .*allow-dev-lan-frontend\.yaml:1:1/);

    await page.selectOption('#from-env', '');
    await page.selectOption('#to-env', '');
    await page.click('td.cell[data-from="/tester2"][data-to="/frontend"][data-port="ping"]');
    const denied = (await panel.textContent())!;
    expect(denied).to.contain('DENIED').and.contain('profile default');
    expect(await page.locator('#findings-list li.error').count()).to.equal(10);
    expect(errors).to.deep.equal([]);
    expect(requests).to.deep.equal([]);
  });

  it('the example bundle: the explanation names the policy, rule, action and construct path of each direction', async () => {
    const page = await open(await writeReport([exampleBundle(), '--lan', `LAN=${LAN}`]));
    expect(await page.locator('td.cell.leak').count()).to.equal(0);
    await page.check('#only-allowed');
    expect(await page.locator('#matrix tbody tr:not([hidden]) th span').allTextContents()).to.include.members(['/tester', 'LAN (10.20.0.0/16)', 'Internet (0.0.0.0/0)']);
    await page.click('td.cell[data-from="/tester"][data-to="/database"][data-port="tcp/81"]');
    const dds = await page.locator('#explanation dd').allTextContents();
    expect(dds).to.include.members([
      'allows: policy production-environment rule 0 (allow)',
      'policy: production-environment, rule 0, action allow',
      'construct: demo/production/NetworkPolicy',
      'allows: policy production-database-ingress rule 0 (allow)',
      'construct: demo/production/database/IngressPolicy',
    ]);
    expect(await page.locator('#findings-list').textContent()).to.equal('No findings.');
    expect(errors).to.deep.equal([]);
    expect(requests).to.deep.equal([]);
  });
});
