import { app, runCases } from './helpers.js';

const PORT_INDEX = 'Health check port indices must address an element of the ports array or container port mappings.';
const MESOS_TWO = 'AppDefinition can contain at most one Mesos health check';
const COMMAND = 'command must be defined for COMMAND health checks';

describe('validation: health checks', () => {
  runCases([
    { name: 'HTTP check on the default port', version: '1.4', app: app({ healthChecks: [{ protocol: 'HTTP', path: '/' }] }), expect: [] },
    { name: 'HTTP check on the default port', version: '1.5', app: app({ healthChecks: [{ path: '/' }] }), expect: [] },
    { name: 'portIndex out of range', version: '1.4', app: app({ healthChecks: [{ portIndex: 1 }] }), expect: [['/healthChecks(0)', PORT_INDEX, 'validate']] },
    { name: 'portIndex out of range', version: '1.5', app: app({ portDefinitions: [{ port: 0 }], healthChecks: [{ protocol: 'TCP', portIndex: 1 }] }), expect: [['/healthChecks(0)', PORT_INDEX, 'validate']] },
    { name: 'portIndex in range', version: '1.5', app: app({ portDefinitions: [{ port: 0 }, { port: 0 }], healthChecks: [{ protocol: 'TCP', portIndex: 1 }] }), expect: [] },
    { name: 'no ports at all', version: '1.4', app: app({ portDefinitions: [], healthChecks: [{ protocol: 'HTTP' }] }), expect: [['/healthChecks(0)', PORT_INDEX, 'validate']] },
    { name: 'fixed port without ports', version: '1.5', app: app({ portDefinitions: [], healthChecks: [{ protocol: 'HTTP', port: 8080 }] }), expect: [] },
    {
      name: 'port mappings are addressable',
      version: '1.5',
      app: app({ networks: [{ name: 'a' }], container: { type: 'MESOS', portMappings: [{ containerPort: 80 }, { containerPort: 81 }] }, healthChecks: [{ portIndex: 1 }] }),
      expect: [],
    },
    { name: 'IP-per-task app without a fixed port', version: '1.4', app: app({ ipAddress: { networkName: 'n' }, healthChecks: [{ protocol: 'HTTP' }] }), expect: [['/healthChecks(0)', PORT_INDEX, 'validate']] },
    { name: 'MESOS_HTTP port index (1.4 checks it)', version: '1.4', app: app({ healthChecks: [{ protocol: 'MESOS_HTTP', portIndex: 3 }] }), expect: [['/healthChecks(0)', PORT_INDEX, 'validate']] },
    { name: 'MESOS_HTTP port index (1.5 does not)', version: '1.5', app: app({ healthChecks: [{ protocol: 'MESOS_HTTP', portIndex: 3 }] }), expect: [] },
    { name: 'portIndex range (RAML)', version: '1.5', app: app({ healthChecks: [{ portIndex: 70000 }] }), expect: [['/healthChecks(0)/portIndex', 'error.max', 'read']] },
    { name: 'COMMAND with command', version: '1.4', app: app({ healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' } }] }), expect: [] },
    { name: 'COMMAND without command', version: '1.4', app: app({ healthChecks: [{ protocol: 'COMMAND' }] }), expect: [['/healthChecks(0)/command', COMMAND, 'validate']] },
    { name: 'COMMAND without command', version: '1.5', app: app({ healthChecks: [{ protocol: 'COMMAND' }] }), expect: [['/healthChecks(0)/command', COMMAND, 'validate']] },
    { name: 'two Mesos HTTP checks', version: '1.5', app: app({ healthChecks: [{ protocol: 'MESOS_HTTP' }, { protocol: 'MESOS_TCP' }] }), expect: [['/', MESOS_TWO, 'validate']] },
    { name: 'two Mesos HTTP checks', version: '1.4', app: app({ healthChecks: [{ protocol: 'MESOS_HTTP' }, { protocol: 'MESOS_HTTPS' }] }), expect: [['/', MESOS_TWO, 'validate']] },
    {
      name: 'COMMAND checks do not count as Mesos checks',
      version: '1.5',
      app: app({ healthChecks: [{ protocol: 'MESOS_HTTP' }, { protocol: 'COMMAND', command: { value: 'a' } }, { protocol: 'COMMAND', command: { value: 'b' } }] }),
      expect: [],
    },
    { name: 'negative gracePeriodSeconds', version: '1.5', app: app({ healthChecks: [{ gracePeriodSeconds: -1 }] }), expect: [['/healthChecks(0)/gracePeriodSeconds', 'error.min', 'read']] },
  ]);
});
