/*
 * Fault suite: a 5xx, a reset connection, a timeout or a 409 at each step of deploy and destroy
 * (plan reads, the cluster lock, Cosmos installs and uninstalls, ownership labels, app
 * creates / updates / deletes, deployment polling, Ctrl-C). Every scenario ends converged: a
 * rerun without the fault exits 0, the run after that makes zero writes, and apps the stack does
 * not own are untouched.
 */
import { expect } from 'chai';
import type { FaultSpec, MarathonEmulator } from '../../packages/testing/src/emulator/index.js';
import { run, settled, SKIP, startEmulator, synthExample } from './helpers.js';
import type { Run } from './helpers.js';

const TOKEN = 'tok-faults-0a1b2c3d4e5f';
const OWNED = ['/calico-install-framework', '/database', '/database2', '/etcd', '/frontend', '/frontend2', '/tester', '/tester2'];
const MANY = 40; // more failures than the client retries

/** Marathon-relative or raw path matchers. */
const P = {
  apps: /^\/v2\/apps$/,
  app: (id: string) => new RegExp(`^/v2/apps/${id}$`),
  deployments: /^\/v2\/deployments$/,
  lock: /^\/v2\/apps\/dcos-cdk-lock$/,
  install: '/package/install',
  uninstall: '/package/uninstall',
};

/** Lets the first `n` matching requests through before the next fault applies. */
const pass = (method: string, path: string | RegExp, n = 1): FaultSpec => ({ kind: 'latency', ms: 0, method, path, times: n });

interface Scenario {
  /** What fails. */
  readonly name: string;
  /** Command under test (destroy runs after a clean deploy). */
  readonly command?: 'deploy' | 'destroy';
  /** Changes made to the cluster before the faulty run. */
  readonly drift?: (emu: MarathonEmulator) => Promise<void>;
  /** Faults of the first run. */
  readonly faults?: FaultSpec[];
  /** Expected exit code of the first run (default: any of 0, 4). */
  readonly firstCode?: number;
  /** Aborts the first run after this many applied changes. */
  readonly abortAfter?: number;
  /** Extra flags of the rerun. */
  readonly rerunFlags?: string[];
  /** Marathon deployment duration. */
  readonly deploymentMs?: number;
}

async function call(emu: MarathonEmulator, method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(emu.url + path, {
    method,
    headers: { Authorization: `token=${TOKEN}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  await res.text();
  return res.status;
}

const driftFrontend = async (emu: MarathonEmulator): Promise<void> => {
  await call(emu, 'PUT', '/service/marathon/v2/apps/frontend', { cpus: 0.4 });
  await settled(emu);
};

const SCENARIOS: Scenario[] = [
  { name: 'plan read: 503 twice on GET /v2/apps', faults: [{ kind: 'status', status: 503, method: 'GET', path: P.apps, times: 2 }], firstCode: 0 },
  { name: 'plan read: connection reset on GET /v2/apps', faults: [{ kind: 'reset', method: 'GET', path: P.apps }], firstCode: 0 },
  { name: 'plan read: timeout on GET /v2/apps', faults: [{ kind: 'timeout', method: 'GET', path: P.apps }], firstCode: 0 },
  { name: 'plan read: GET /v2/apps keeps failing with 500', faults: [{ kind: 'status', status: 500, method: 'GET', path: P.apps, times: MANY }], firstCode: 4 },
  { name: 'lock: reset on taking the lock', faults: [{ kind: 'reset', method: 'POST', path: P.apps }], firstCode: 0 },
  { name: 'lock: 503 on taking the lock', faults: [{ kind: 'status', status: 503, method: 'POST', path: P.apps, times: 2 }], firstCode: 0 },
  { name: 'lock: 409 deployment lock on taking the lock', faults: [{ kind: 'lock', method: 'POST', path: P.apps }], firstCode: 0 },
  { name: 'lock: release keeps failing (rerun with --break-lock)', faults: [{ kind: 'status', status: 500, method: 'DELETE', path: P.lock, times: MANY }], firstCode: 0, rerunFlags: ['--break-lock'] },
  { name: 'cosmos: 500 on install', faults: [{ kind: 'status', status: 500, method: 'POST', path: P.install }], firstCode: 0 },
  { name: 'cosmos: reset on install', faults: [{ kind: 'reset', method: 'POST', path: P.install }], firstCode: 0 },
  { name: 'cosmos: timeout on install', faults: [{ kind: 'timeout', method: 'POST', path: P.install }], firstCode: 0 },
  { name: 'cosmos: install of the second package keeps failing', faults: [pass('POST', P.install), { kind: 'status', status: 503, method: 'POST', path: P.install, times: MANY }], firstCode: 4 },
  { name: 'cosmos: 503 on the ownership label of etcd', faults: [{ kind: 'status', status: 503, method: 'PUT', path: P.app('etcd'), times: 2 }], firstCode: 0 },
  { name: 'cosmos: ownership label keeps failing (install undone)', faults: [{ kind: 'status', status: 500, method: 'PUT', path: P.app('calico-install-framework'), times: MANY }], firstCode: 4 },
  { name: 'wait: 503 on GET /v2/deployments', faults: [{ kind: 'status', status: 503, method: 'GET', path: P.deployments, times: 3 }], firstCode: 0 },
  { name: 'wait: reset on GET /v2/deployments', faults: [{ kind: 'reset', method: 'GET', path: P.deployments }], firstCode: 0 },
  { name: 'wait: GET /v2/deployments keeps failing mid-deploy', faults: [pass('GET', P.deployments, 6), { kind: 'status', status: 500, method: 'GET', path: P.deployments, times: MANY }], firstCode: 4 },
  { name: 'wait: timeout on GET /v2/apps/{id} while waiting for health', faults: [{ kind: 'timeout', method: 'GET', path: P.app('etcd') }], firstCode: 0 },
  { name: 'marathon: 503 on creating an app', faults: [pass('POST', P.apps), { kind: 'status', status: 503, method: 'POST', path: P.apps }], firstCode: 0 },
  { name: 'marathon: reset on creating an app', faults: [pass('POST', P.apps, 2), { kind: 'reset', method: 'POST', path: P.apps }], firstCode: 0 },
  { name: 'marathon: timeout on creating an app', faults: [pass('POST', P.apps, 3), { kind: 'timeout', method: 'POST', path: P.apps }], firstCode: 0 },
  { name: 'marathon: 409 deployment lock on creating an app', faults: [pass('POST', P.apps), { kind: 'lock', method: 'POST', path: P.apps, times: 2 }], firstCode: 0 },
  { name: 'marathon: creates keep failing after the first app', faults: [pass('POST', P.apps, 2), { kind: 'status', status: 500, method: 'POST', path: P.apps, times: MANY }], firstCode: 4 },
  { name: 'marathon: 503 on updating a drifted app', drift: driftFrontend, faults: [{ kind: 'status', status: 503, method: 'PUT', path: P.app('frontend'), times: 2 }], firstCode: 0 },
  { name: 'marathon: reset on updating a drifted app', drift: driftFrontend, faults: [{ kind: 'reset', method: 'PUT', path: P.app('frontend') }], firstCode: 0 },
  { name: 'marathon: 409 on updating a drifted app', drift: driftFrontend, faults: [{ kind: 'lock', method: 'PUT', path: P.app('frontend'), times: 3 }], firstCode: 0 },
  { name: 'marathon: update keeps failing', drift: driftFrontend, faults: [{ kind: 'status', status: 502, method: 'PUT', path: P.app('frontend'), times: MANY }], firstCode: 4 },
  { name: 'destroy: reset on deleting an app', command: 'destroy', faults: [{ kind: 'reset', method: 'DELETE', path: P.app('frontend2') }], firstCode: 0 },
  { name: 'destroy: timeout on deleting an app', command: 'destroy', faults: [{ kind: 'timeout', method: 'DELETE', path: P.app('tester') }], firstCode: 0 },
  { name: 'destroy: deleting an app keeps failing', command: 'destroy', faults: [{ kind: 'status', status: 500, method: 'DELETE', path: P.app('tester'), times: MANY }], firstCode: 4 },
  { name: 'destroy: 503 on Cosmos uninstall', command: 'destroy', faults: [{ kind: 'status', status: 503, method: 'POST', path: P.uninstall }], firstCode: 0 },
  { name: 'destroy: Cosmos uninstall keeps failing', command: 'destroy', faults: [{ kind: 'status', status: 500, method: 'POST', path: P.uninstall, times: MANY }], firstCode: 4 },
  { name: 'Ctrl-C after three changes', abortAfter: 3, firstCode: 130 },
  { name: 'Ctrl-C during destroy', command: 'destroy', abortAfter: 2, firstCode: 130 },
];

describe('deploy fault suite: every failure ends converged, nothing unowned touched', function () {
  this.timeout(20000);
  let bundle: string;
  before(() => {
    bundle = synthExample();
  });

  for (const s of SCENARIOS) {
    it(s.name, async () => {
      const emu = await startEmulator({ marathonVersion: '1.4', token: TOKEN, ...(s.deploymentMs ? { deploymentDurationMs: s.deploymentMs } : {}) });
      const env = { DCOS_URL: emu.url, DCOS_ACS_TOKEN: TOKEN };
      const runs: Run[] = [];
      try {
        expect(await call(emu, 'POST', '/service/marathon/v2/apps', { id: '/legacy', cmd: 'sleep 1000', cpus: 0.1, mem: 32 })).to.equal(201);
        expect(await call(emu, 'POST', '/service/marathon/v2/apps', { id: '/other', cmd: 'sleep 1000', cpus: 0.1, mem: 32, labels: { DCOS_CDK_STACK: 'other' } })).to.equal(201);
        await settled(emu);
        const untouched = ['/legacy', '/other'].map((id) => emu.state.app(id)!.version);
        const command = s.command ?? 'deploy';
        const flags = command === 'destroy' ? [bundle, ...SKIP, '--yes', '--json'] : [bundle, ...SKIP, '--json'];
        if (command === 'destroy' || s.drift) {
          const setup = await run('deploy', [bundle, ...SKIP], env);
          expect(setup.code, setup.all).to.equal(0);
          runs.push(setup);
        }
        await s.drift?.(emu);
        for (const f of s.faults ?? []) emu.faults.add(f);

        const controller = new AbortController();
        let done = 0;
        const onLine = (line: string): void => {
          if (s.abortAfter !== undefined && / done \(/.test(line) && ++done >= s.abortAfter) controller.abort();
        };
        const first = await run(command, flags, env, { signal: controller.signal }, onLine);
        if (s.abortAfter !== undefined) expect(emu.state.app('/dcos-cdk-lock'), 'lock released after Ctrl-C').to.equal(undefined);
        runs.push(first);
        if (s.firstCode !== undefined) expect(first.code, first.all).to.equal(s.firstCode);
        else expect([0, 4], first.all).to.include(first.code);
        emu.faults.clear();
        await settled(emu, 3000);

        const rerun = await run(command, [...flags, ...(s.rerunFlags ?? [])], env);
        runs.push(rerun);
        expect(rerun.code, rerun.all).to.equal(0);
        const third = await run(command, flags, env);
        runs.push(third);
        expect(third.code, third.all).to.equal(0);
        expect(third.json().status, third.all).to.equal('unchanged');
        expect(third.json().requests.writes).to.equal(0);

        const ids = emu.state.apps().map((a) => String(a.id));
        if (command === 'deploy') {
          expect(ids).to.have.members([...OWNED, '/legacy', '/other']);
          for (const a of emu.state.apps()) if (OWNED.includes(String(a.id))) expect((a.labels as any).DCOS_CDK_STACK).to.equal('demo');
          expect(emu.state.app('/frontend')!.cpus).to.equal(0.1);
        } else {
          expect(ids).to.have.members(['/legacy', '/other']);
        }
        expect(['/legacy', '/other'].map((id) => emu.state.app(id)!.version)).to.deep.equal(untouched);
        for (const r of runs) expect(r.all).not.to.include(TOKEN);
      } finally {
        await emu.stop();
      }
    });
  }
});
