import { SINGLE_INSTANCE_LABEL } from '../../src/validation/index.js';
import { app, runCases } from './helpers.js';

const MIN = '/upgradeStrategy/minimumHealthCapacity';
const MAX = '/upgradeStrategy/maximumOverCapacity';
const single = { labels: { [SINGLE_INSTANCE_LABEL]: 'true' } };
const persistent = (type = 'MESOS'): Record<string, unknown> => ({
  container: { type, volumes: [{ containerPath: 'data', mode: 'RW', persistent: { size: 100 } }] },
});

describe('validation: scheduling (upgrade strategy, residency, resources)', () => {
  describe('upgradeStrategy bounds', () => {
    runCases([
      { name: 'in range', version: '1.4', app: app({ upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 } }), expect: [] },
      { name: 'in range', version: '1.5', app: app({ upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 } }), expect: [] },
      { name: 'minimumHealthCapacity > 1', version: '1.4', app: app({ upgradeStrategy: { minimumHealthCapacity: 1.2 } }), expect: [[MIN, 'got 1.2, expected between 0.0 and 1.0', 'validate']] },
      { name: 'maximumOverCapacity < 0', version: '1.4', app: app({ upgradeStrategy: { maximumOverCapacity: -1.2 } }), expect: [[MAX, 'got -1.2, expected between 0.0 and 1.0', 'validate']] },
      { name: 'minimumHealthCapacity > 1', version: '1.5', app: app({ upgradeStrategy: { minimumHealthCapacity: 1.2 } }), expect: [[MIN, 'error.max', 'read']] },
      { name: 'maximumOverCapacity < 0', version: '1.5', app: app({ upgradeStrategy: { maximumOverCapacity: -0.1 } }), expect: [[MAX, 'error.min', 'read']] },
    ]);
  });

  describe('MARATHON_SINGLE_INSTANCE_APP', () => {
    runCases([
      { name: 'with 0/0 strategy', version: '1.4', app: app({ ...single, upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 0 } }), expect: [] },
      {
        name: 'default strategy',
        version: '1.4',
        app: app(single),
        expect: [[MIN, 'got 1.0, expected 0.0', 'validate'], [MAX, 'got 1.0, expected 0.0', 'validate']],
      },
      {
        name: 'explicit 1/1 strategy',
        version: '1.5',
        app: app({ ...single, upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 0.5 } }),
        expect: [[MIN, 'got 1.0, expected 0.0', 'validate'], [MAX, 'got 0.5, expected 0.0', 'validate']],
      },
      { name: 'without explicit strategy', version: '1.5', app: app(single), expect: [] },
      {
        name: 'more than one instance',
        version: '1.5',
        app: app({ ...single, instances: 2, upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 0 } }),
        expect: [['/', 'Single instance app may only have one instance', 'validate']],
      },
      { name: 'label not "true"', version: '1.4', app: app({ labels: { [SINGLE_INSTANCE_LABEL]: 'false' }, instances: 3 }), expect: [] },
    ]);
  });

  describe('resident apps (persistent volumes)', () => {
    runCases([
      { name: 'default strategy for resident apps', version: '1.4', app: app(persistent()), expect: [] },
      { name: 'maximumOverCapacity must be 0', version: '1.4', app: app({ ...persistent(), upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 } }), expect: [[MAX, 'got 0.5, expected 0.0', 'validate']] },
      { name: 'minimumHealthCapacity at most 0.5', version: '1.4', app: app({ ...persistent(), upgradeStrategy: { minimumHealthCapacity: 0.8, maximumOverCapacity: 0 } }), expect: [[MIN, 'got 0.8, expected 0.5 or less', 'validate']] },
      { name: 'maximumOverCapacity must be 0', version: '1.5', app: app({ ...persistent(), upgradeStrategy: { minimumHealthCapacity: 0.8, maximumOverCapacity: 1 } }), expect: [[MAX, 'got 1.0, expected 0.0', 'validate']] },
      { name: 'resident with 0 over-capacity', version: '1.5', app: app({ ...persistent(), upgradeStrategy: { minimumHealthCapacity: 0.8, maximumOverCapacity: 0 } }), expect: [] },
      { name: 'residency without persistent volumes', version: '1.4', app: app({ residency: {} }), expect: [['/', 'AppDefinition must contain persistent volumes and define residency', 'validate']] },
      { name: 'residency without persistent volumes', version: '1.5', app: app({ residency: {} }), expect: [['/', 'App must contain persistent volumes and define residency', 'validate']] },
      { name: 'unreachable strategy enabled', version: '1.5', app: app({ ...persistent(), unreachableStrategy: { inactiveAfterSeconds: 1 } }), expect: [['/', 'unreachableStrategy must be disabled for resident tasks', 'validate']] },
      { name: 'unreachable strategy disabled', version: '1.4', app: app({ ...persistent(), unreachableStrategy: 'disabled' }), expect: [] },
    ]);
  });

  describe('resources and roles', () => {
    runCases([
      { name: 'negative mem', version: '1.4', app: app({ mem: -3 }), expect: [['/mem', 'got -3.0, expected 0.0 or more', 'validate']] },
      { name: 'negative instances', version: '1.4', app: app({ instances: -1 }), expect: [['/instances', 'got -1, expected 0 or more', 'validate']] },
      { name: 'negative gpus', version: '1.4', app: app({ gpus: -2 }), expect: [['/gpus', 'got -2, expected 0 or more', 'validate']] },
      { name: 'negative instances', version: '1.5', app: app({ instances: -1 }), expect: [['/instances', 'error.min', 'read']] },
      { name: 'zero instances', version: '1.5', app: app({ instances: 0 }), expect: [] },
      { name: 'empty acceptedResourceRoles', version: '1.5', app: app({ acceptedResourceRoles: [] }), expect: [['/acceptedResourceRoles', 'must not be empty', 'validate']] },
      { name: 'acceptedResourceRoles', version: '1.5', app: app({ acceptedResourceRoles: ['slave_public'] }), expect: [] },
    ]);
  });
});
