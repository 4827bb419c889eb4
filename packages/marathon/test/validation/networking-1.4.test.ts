import { app, runCases } from './helpers.js';

const IP_PORTS = 'You cannot specify both an IP address and ports';
const NAME_MISSING = 'Network name must be specified when container network is selected.';
const ucr = { container: { type: 'MESOS', docker: { image: 'nginx' } } };

describe('validation: 1.4 networking (ipAddress, docker.network, portDefinitions)', () => {
  runCases([
    { name: 'IP-per-task with discovery ports', version: '1.4', app: app({ ...ucr, ipAddress: { networkName: 'calico', discovery: { ports: [{ number: 80, name: 'http', protocol: 'tcp' }] } } }), expect: [] },
    { name: 'ipAddress + portDefinitions', version: '1.4', app: app({ ipAddress: { networkName: 'calico' }, portDefinitions: [{ port: 0 }] }), expect: [['/', IP_PORTS, 'read']] },
    { name: 'ipAddress + ports', version: '1.4', app: app({ ipAddress: { networkName: 'calico' }, ports: [0] }), expect: [['/', IP_PORTS, 'read']] },
    { name: 'ipAddress + empty ports', version: '1.4', app: app({ ipAddress: { networkName: 'calico' }, ports: [] }), expect: [] },
    { name: 'ports and different portDefinitions', version: '1.4', app: app({ ports: [80], portDefinitions: [{ port: 81 }] }), expect: [['/', 'You cannot specify both ports and port definitions', 'read']] },
    { name: 'ports and equivalent portDefinitions', version: '1.4', app: app({ ports: [80], portDefinitions: [{ port: 80 }] }), expect: [] },
    {
      name: 'discovery port name regex',
      version: '1.4',
      app: app({ ipAddress: { networkName: 'n', discovery: { ports: [{ number: 80, name: 'Http', protocol: 'tcp' }] } } }),
      expect: [['/ipAddress/discovery/ports(0)/name', 'Port name must fully match regular expression ^[a-z0-9-]+$', 'read']],
    },
    {
      name: 'discovery port protocol',
      version: '1.4',
      app: app({ ipAddress: { networkName: 'n', discovery: { ports: [{ number: 80, name: 'http', protocol: 'udp,tcp' }] } } }),
      expect: [['/ipAddress/discovery/ports(0)/protocol', "Invalid protocol. Only 'udp' or 'tcp' are allowed.", 'read']],
    },
    {
      name: 'discovery port fields are required',
      version: '1.4',
      app: app({ ipAddress: { networkName: 'n', discovery: { ports: [{ name: 'http' }] } } }),
      expect: [
        ['/ipAddress/discovery/ports(0)/number', 'error.path.missing', 'read'],
        ['/ipAddress/discovery/ports(0)/protocol', 'error.path.missing', 'read'],
      ],
    },
    {
      name: 'discovery port names unique',
      version: '1.4',
      app: app({ ipAddress: { networkName: 'n', discovery: { ports: [{ number: 80, name: 'a', protocol: 'tcp' }, { number: 81, name: 'a', protocol: 'tcp' }] } } }),
      expect: [['/ipAddress/discovery/ports', 'Port names are not unique.', 'read']],
    },
    {
      name: 'discovery (number, protocol) unique',
      version: '1.4',
      app: app({ ipAddress: { networkName: 'n', discovery: { ports: [{ number: 80, name: 'a', protocol: 'tcp' }, { number: 80, name: 'b', protocol: 'tcp' }] } } }),
      expect: [['/ipAddress/discovery/ports', 'There may be only one port with a particular port number/protocol combination.', 'read']],
    },
    {
      name: 'same number with another protocol',
      version: '1.4',
      app: app({ ipAddress: { networkName: 'n', discovery: { ports: [{ number: 53, name: 'a', protocol: 'tcp' }, { number: 53, name: 'b', protocol: 'udp' }] } } }),
      expect: [],
    },
    {
      name: 'discovery port number range',
      version: '1.4',
      app: app({ ipAddress: { networkName: 'n', discovery: { ports: [{ number: 70000, name: 'a', protocol: 'tcp' }] } } }),
      expect: [['/ipAddress/discovery/ports(0)/number', 'got 70000, expected 65535 or less', 'validate']],
    },
    {
      name: 'discovery ports with Docker BRIDGE',
      version: '1.4',
      app: app({ container: { docker: { image: 'nginx', network: 'BRIDGE' } }, ipAddress: { discovery: { ports: [{ number: 80, name: 'a', protocol: 'tcp' }] } } }),
      expect: [['/ipAddress', 'ipAddress/discovery is not allowed for Docker containers using BRIDGE or USER networks', 'validate']],
    },
    {
      name: 'discovery ports with Docker USER',
      version: '1.4',
      app: app({ container: { docker: { image: 'nginx', network: 'USER' } }, ipAddress: { networkName: 'calico', discovery: { ports: [{ number: 80, name: 'a', protocol: 'tcp' }] } } }),
      expect: [['/ipAddress', 'ipAddress/discovery is not allowed for Docker containers using BRIDGE or USER networks', 'validate']],
    },
    {
      name: 'Docker USER network with portMappings',
      version: '1.4',
      app: app({ container: { docker: { image: 'nginx', network: 'USER', portMappings: [{ containerPort: 80, name: 'http' }] } }, ipAddress: { networkName: 'calico' } }),
      expect: [],
    },
    { name: 'missing networkName, no default network', version: '1.4', app: app({ ...ucr, ipAddress: {} }), expect: [['/ipAddress/networkName', NAME_MISSING, 'validate']] },
    { name: 'missing networkName with --default_network_name', version: '1.4', app: app({ ...ucr, ipAddress: {} }), options: { defaultNetworkName: 'dcos' }, expect: [] },
    { name: 'discovery without ports', version: '1.4', app: app({ ipAddress: { networkName: 'n', discovery: {} } }), expect: [['/ipAddress/discovery/ports', 'error.path.missing', 'read']] },
    { name: 'docker network enum', version: '1.4', app: app({ container: { docker: { image: 'a', network: 'OVERLAY' } } }), expect: [['/container/docker/network', 'OVERLAY is not a valid network type', 'read']] },
    { name: 'docker network enum', version: '1.4', app: app({ container: { docker: { image: 'a', network: 'BRIDGE' } } }), expect: [] },
  ]);
});
