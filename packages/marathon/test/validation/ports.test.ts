import { app, runCases } from './helpers.js';

const bridge = (pms: unknown[]): Record<string, unknown> => ({ container: { docker: { image: 'a', network: 'BRIDGE', portMappings: pms } } });

describe('validation: common port rules', () => {
  describe('1.4 (accord validators)', () => {
    runCases([
      { name: 'valid port definitions', version: '1.4', app: app({ portDefinitions: [{ port: 0, protocol: 'tcp', name: 'http' }, { port: 8080, protocol: 'udp,tcp' }] }), expect: [] },
      { name: 'negative port', version: '1.4', app: app({ portDefinitions: [{ port: -1 }] }), expect: [['/portDefinitions(0)/port', 'got -1, expected 0 or more', 'validate']] },
      { name: 'port above 65535', version: '1.4', app: app({ portDefinitions: [{ port: 70000 }] }), expect: [['/portDefinitions(0)/port', 'got 70000, expected 65535 or less', 'validate']] },
      { name: 'unknown protocol', version: '1.4', app: app({ portDefinitions: [{ protocol: 'sctp' }] }), expect: [['/portDefinitions(0)/protocol', 'is not one of (tcp,udp)', 'validate']] },
      { name: 'repeated protocol', version: '1.4', app: app({ portDefinitions: [{ protocol: 'udp,udp' }] }), expect: [['/portDefinitions(0)/protocol', 'protocols must be unique.', 'validate']] },
      { name: 'port name regex', version: '1.4', app: app({ portDefinitions: [{ name: 'Web_1' }] }), expect: [['/portDefinitions(0)/name', "must fully match regular expression '^[a-z0-9-]+$'", 'validate']] },
      { name: 'duplicate names', version: '1.4', app: app({ portDefinitions: [{ name: 'a' }, { name: 'a' }] }), expect: [['/portDefinitions', 'Port names must be unique.', 'validate']] },
      { name: 'duplicate ports', version: '1.4', app: app({ portDefinitions: [{ port: 80 }, { port: 80 }] }), expect: [['/portDefinitions', 'Ports must be unique.', 'validate']] },
      { name: 'BRIDGE port mappings', version: '1.4', app: app(bridge([{ containerPort: 80, hostPort: 0, protocol: 'udp,tcp', name: 'dns' }])), expect: [] },
      { name: 'BRIDGE containerPort < 0', version: '1.4', app: app(bridge([{ containerPort: -5 }])), expect: [['/container/docker/portMappings(0)/containerPort', 'got -5, expected 0 or more', 'validate']] },
      { name: 'BRIDGE hostPort > 65535', version: '1.4', app: app(bridge([{ hostPort: 65536 }])), expect: [['/container/docker/portMappings(0)/hostPort', 'got 65536, expected 65535 or less', 'validate']] },
      { name: 'BRIDGE protocol', version: '1.4', app: app(bridge([{ protocol: 'icmp' }])), expect: [['/container/docker/portMappings(0)/protocol', 'is not one of (tcp,udp)', 'validate']] },
      { name: 'BRIDGE names unique', version: '1.4', app: app(bridge([{ name: 'a' }, { name: 'a' }])), expect: [['/container/docker/portMappings', 'Port names must be unique.', 'validate']] },
      { name: 'HOST network drops port mappings', version: '1.4', app: app({ container: { docker: { image: 'a', network: 'HOST', portMappings: [{ containerPort: -5 }] } } }), expect: [] },
    ]);
  });

  describe('1.5 (RAML read checks)', () => {
    runCases([
      { name: 'port above 65535', version: '1.5', app: app({ portDefinitions: [{ port: 70000 }] }), expect: [['/portDefinitions(0)/port', 'error.max', 'read']] },
      { name: 'negative containerPort', version: '1.5', app: app(bridge([{ containerPort: -1 }])), expect: [['/container/docker/portMappings(0)/containerPort', 'error.min', 'read']] },
      { name: 'legacy ports range', version: '1.5', app: app({ ports: [65536] }), expect: [['/ports(0)', 'error.max', 'read']] },
      { name: 'port name pattern', version: '1.5', app: app({ portDefinitions: [{ name: 'Web' }] }), expect: [['/portDefinitions(0)/name', 'error.pattern', 'read']] },
      { name: 'port name may start with a digit', version: '1.5', app: app({ portDefinitions: [{ name: '8080-web' }] }), expect: [] },
      { name: 'protocol enum', version: '1.5', app: app({ portDefinitions: [{ protocol: 'sctp' }] }), expect: [['/portDefinitions(0)/protocol', 'error.expected.jsstring', 'read']] },
      { name: 'protocol "udp,tcp"', version: '1.5', app: app({ portDefinitions: [{ protocol: 'udp,tcp' }] }), expect: [] },
      { name: 'protocol "tcp,udp"', version: '1.5', app: app({ portDefinitions: [{ protocol: 'tcp,udp' }] }), expect: [['/portDefinitions(0)/protocol', 'error.expected.jsstring', 'read']] },
      {
        name: 'networkNames entry pattern',
        version: '1.5',
        app: app({ networks: [{ name: 'a' }], container: { type: 'MESOS', portMappings: [{ networkNames: ['A_B'] }] } }),
        expect: [['/container/portMappings(0)/networkNames(0)', 'error.pattern', 'read']],
      },
    ]);
  });
});
