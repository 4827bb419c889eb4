import { app, runCases } from './helpers.js';

const MESOS = { type: 'MESOS', docker: { image: 'nginx' } };
const COMBO = 'May specify a single host network, single bridge network, or else 1-to-n container networks';
const NAME = 'Network name must be specified when container network is selected.';
const HOSTPORT = 'networkNames must be a single item list when hostPort is specified and more than 1 container network is defined';

describe('validation: 1.5 networking (networks, container.portMappings, legacy translation)', () => {
  describe('networks', () => {
    runCases([
      { name: 'named container network', version: '1.5', app: app({ networks: [{ mode: 'container', name: 'calico' }], container: MESOS }), expect: [] },
      { name: 'host network', version: '1.5', app: app({ networks: [{ mode: 'host' }], portDefinitions: [{ port: 0, name: 'http' }] }), expect: [] },
      { name: 'bridge network', version: '1.5', app: app({ networks: [{ mode: 'container/bridge' }], container: { docker: { image: 'a' }, portMappings: [{ containerPort: 80, hostPort: 0 }] } }), expect: [] },
      { name: 'host network with a name', version: '1.5', app: app({ networks: [{ mode: 'host', name: 'x' }] }), expect: [['/networks', 'Host networks may not have names or labels', 'validate']] },
      { name: 'host network with labels', version: '1.5', app: app({ networks: [{ mode: 'host', labels: { a: 'b' } }] }), expect: [['/networks', 'Host networks may not have names or labels', 'validate']] },
      { name: 'bridge network with a name', version: '1.5', app: app({ networks: [{ mode: 'container/bridge', name: 'x' }], container: MESOS }), expect: [['/networks', 'Bridge networks may not have names', 'validate']] },
      {
        name: 'duplicate named networks',
        version: '1.5',
        app: app({ networks: [{ name: 'a' }, { name: 'a' }], container: MESOS }),
        expect: [['/networks', 'Duplicate networks are not allowed', 'validate']],
      },
      {
        name: 'two unnamed container networks',
        version: '1.5',
        app: app({ networks: [{ mode: 'container' }, { mode: 'container' }], container: MESOS }),
        options: { defaultNetworkName: 'dcos' },
        expect: [['/networks', 'Duplicate networks are not allowed', 'validate']],
      },
      { name: 'host + container', version: '1.5', app: app({ networks: [{ mode: 'host' }, { name: 'a' }], container: MESOS }), expect: [['/networks', COMBO, 'validate']] },
      { name: 'two container networks (UCR)', version: '1.5', app: app({ networks: [{ name: 'a' }, { name: 'b' }], container: MESOS }), expect: [] },
      {
        name: 'two container networks (Docker)',
        version: '1.5',
        app: app({ networks: [{ name: 'a' }, { name: 'b' }], container: { docker: { image: 'nginx' } } }),
        expect: [['/', 'may only specify a single container network when using the Docker container engine', 'validate']],
      },
      { name: 'unnamed container network without default', version: '1.5', app: app({ networks: [{ mode: 'container' }], container: MESOS }), expect: [['/', NAME, 'validate']] },
      { name: 'unnamed container network with default', version: '1.5', app: app({ networks: [{ mode: 'container' }], container: MESOS }), options: { defaultNetworkName: 'dcos' }, expect: [] },
      { name: 'network name pattern', version: '1.5', app: app({ networks: [{ name: 'Calico' }] }), expect: [['/networks(0)/name', 'error.pattern', 'read']] },
      { name: 'network mode enum', version: '1.5', app: app({ networks: [{ mode: 'overlay' }] }), expect: [['/networks(0)/mode', 'error.expected.jsstring', 'read']] },
    ]);
  });

  describe('ports with networks', () => {
    runCases([
      {
        name: 'portDefinitions with a container network',
        version: '1.5',
        app: app({ networks: [{ name: 'a' }], container: MESOS, portDefinitions: [{ port: 0 }] }),
        expect: [['/', 'portDefinitions are only allowed with host-networking', 'validate']],
      },
      {
        name: 'portMappings with host network',
        version: '1.5',
        app: app({ networks: [{ mode: 'host' }], container: { ...MESOS, portMappings: [{ containerPort: 80 }] } }),
        expect: [['/', 'portMappings are not allowed with host-networking', 'validate']],
      },
      {
        name: 'duplicate port-mapping names',
        version: '1.5',
        app: app({ networks: [{ name: 'a' }], container: { ...MESOS, portMappings: [{ containerPort: 80, name: 'web' }, { containerPort: 81, name: 'web' }] } }),
        expect: [['/container/portMappings', 'Port names must be unique.', 'validate']],
      },
      {
        name: 'hostPort with two container networks and no networkNames',
        version: '1.5',
        app: app({ networks: [{ name: 'a' }, { name: 'b' }], container: { ...MESOS, portMappings: [{ containerPort: 80, hostPort: 0 }] } }),
        expect: [['/container/portMappings(0)', HOSTPORT, 'validate']],
      },
      {
        name: 'hostPort with two container networks and one networkName',
        version: '1.5',
        app: app({ networks: [{ name: 'a' }, { name: 'b' }], container: { ...MESOS, portMappings: [{ containerPort: 80, hostPort: 0, networkNames: ['b'] }] } }),
        expect: [],
      },
      {
        name: 'networkNames must name declared networks',
        version: '1.5',
        app: app({ networks: [{ name: 'a' }, { name: 'b' }], container: { ...MESOS, portMappings: [{ containerPort: 80, networkNames: ['c'] }] } }),
        expect: [['/container/portMappings(0)/networkNames(0)', 'is not one of (a,b)', 'validate']],
      },
      { name: 'duplicate non-zero portDefinitions', version: '1.5', app: app({ portDefinitions: [{ port: 80 }, { port: 80 }, { port: 0 }, { port: 0 }] }), expect: [['/portDefinitions', 'Ports must be unique.', 'validate']] },
      { name: 'duplicate portDefinition names', version: '1.5', app: app({ portDefinitions: [{ name: 'a' }, { name: 'a' }] }), expect: [['/portDefinitions', 'Port names must be unique.', 'validate']] },
    ]);
  });

  describe('1.4-style input in 1.5', () => {
    runCases([
      { name: 'docker BRIDGE + docker.portMappings', version: '1.5', app: app({ container: { docker: { image: 'a', network: 'BRIDGE', portMappings: [{ containerPort: 80, hostPort: 0 }] } } }), expect: [] },
      { name: 'docker BRIDGE + ports (migrated to port mappings)', version: '1.5', app: app({ ports: [0, 0], container: { docker: { image: 'a', network: 'BRIDGE' } } }), expect: [] },
      { name: 'ipAddress with networkName', version: '1.5', app: app({ container: MESOS, ipAddress: { networkName: 'calico', discovery: { ports: [{ number: 80, name: 'http' }] } } }), expect: [] },
      { name: 'ipAddress without networkName', version: '1.5', app: app({ container: MESOS, ipAddress: {} }), expect: [['/', NAME, 'validate']] },
      { name: 'ipAddress naming the mesos bridge', version: '1.5', app: app({ container: MESOS, ipAddress: { networkName: 'mesos-bridge' } }), expect: [] },
      { name: 'ipAddress naming a custom mesos bridge', version: '1.5', app: app({ container: MESOS, ipAddress: { networkName: 'br0' } }), options: { mesosBridgeName: 'br0' }, expect: [] },
      {
        name: 'duplicate docker.portMappings names',
        version: '1.5',
        app: app({ container: { docker: { image: 'a', network: 'BRIDGE', portMappings: [{ name: 'x' }, { name: 'x' }] } } }),
        expect: [['/container/docker/portMappings', 'Port names must be unique.', 'validate']],
      },
      {
        name: 'ipAddress.discovery with Docker',
        version: '1.5',
        app: app({ container: { docker: { image: 'a' } }, ipAddress: { networkName: 'n', discovery: { ports: [] } } }),
        expect: [['/ipAddress', 'ipAddress/discovery is not allowed for Docker containers', 'validate']],
      },
      { name: 'docker.network + networks', version: '1.5', app: app({ networks: [{ mode: 'host' }], container: { docker: { image: 'a', network: 'HOST' } } }), expect: [['/', 'must not specify both container.docker.network and networks', 'validate']] },
      { name: 'ipAddress + networks', version: '1.5', app: app({ networks: [{ name: 'a' }], container: MESOS, ipAddress: { networkName: 'a' } }), expect: [['/', 'must not specify both networks and ipAddress', 'validate']] },
      { name: 'ipAddress + ports', version: '1.5', app: app({ ipAddress: { networkName: 'a' }, ports: [0] }), expect: [['/', 'cannot specify both an IP address and port', 'validate']] },
      { name: 'duplicate ports', version: '1.5', app: app({ ports: [80, 80] }), expect: [['/', 'ports must be unique', 'validate']] },
      { name: 'ports and different portDefinitions', version: '1.5', app: app({ ports: [80], portDefinitions: [{ port: 81 }] }), expect: [['/', 'cannot specify both ports and port definitions', 'validate']] },
      {
        name: 'portMappings and docker.portMappings',
        version: '1.5',
        app: app({ networks: [{ mode: 'container/bridge' }], container: { docker: { image: 'a', portMappings: [{ containerPort: 80 }] }, portMappings: [{ containerPort: 81 }] } }),
        expect: [['/', 'cannot specify both portMappings and docker.portMappings', 'read']],
      },
      { name: 'docker network NONE', version: '1.5', app: app({ container: { docker: { image: 'a', network: 'NONE' } } }), expect: [['/', 'unsupported docker network type NONE', 'read']] },
      {
        name: 'discovery ports and container.portMappings',
        version: '1.5',
        app: app({ container: { ...MESOS, portMappings: [{ containerPort: 81 }] }, ipAddress: { networkName: 'n', discovery: { ports: [{ number: 80, name: 'a' }] } } }),
        expect: [['/', 'container.portMappings and ipAddress.discovery.ports must not both be set', 'read']],
      },
    ]);
  });
});
