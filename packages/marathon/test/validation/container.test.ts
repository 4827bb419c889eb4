import { featureMessage } from '../../src/validation/index.js';
import { app, base, runCases } from './helpers.js';

const CMD_ARGS = "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.";
const docker = (d: Record<string, unknown>, type?: string): Record<string, unknown> => ({
  container: { ...(type === undefined ? {} : { type }), docker: { image: 'nginx', ...d } },
});

describe('validation: container and command', () => {
  describe('cmd / args / container', () => {
    runCases([
      { name: 'cmd only', version: '1.4', app: base, expect: [] },
      { name: 'args only', version: '1.5', app: { id: '/a', args: ['sleep', '1'] }, expect: [] },
      { name: 'image only', version: '1.5', app: { id: '/a', ...docker({}) }, expect: [] },
      { name: 'image only', version: '1.4', app: { id: '/a', ...docker({}) }, expect: [] },
      { name: 'cmd and args', version: '1.4', app: app({ args: ['a'] }), expect: [['/', CMD_ARGS, 'validate']] },
      { name: 'cmd and args', version: '1.5', app: app({ args: ['a'] }), expect: [['/', CMD_ARGS, 'validate']] },
      { name: 'nothing to run', version: '1.5', app: { id: '/a' }, expect: [['/', CMD_ARGS, 'validate']] },
      { name: 'empty args count as absent', version: '1.4', app: { id: '/a', args: [] }, expect: [['/', CMD_ARGS, 'validate']] },
      { name: 'MESOS container without image', version: '1.5', app: { id: '/a', container: { type: 'MESOS' } }, expect: [['/', CMD_ARGS, 'validate']] },
      { name: 'one-character cmd', version: '1.5', app: app({ cmd: 'x' }), expect: [['/', 'must not be an empty string', 'validate']] },
      { name: 'one-character cmd', version: '1.4', app: app({ cmd: 'x' }), expect: [] },
    ]);
  });

  describe('container type and docker image', () => {
    runCases([
      { name: 'unknown type', version: '1.4', app: app({ container: { type: 'RKT' } }), expect: [['/container/type', 'RKT is not a valid container type', 'read']] },
      { name: 'unknown type', version: '1.5', app: app({ container: { type: 'RKT' } }), expect: [['/container/type', 'error.expected.jsstring', 'read']] },
      { name: 'type is case-insensitive', version: '1.5', app: app({ container: { type: 'mesos' } }), expect: [] },
      { name: 'type is case-sensitive', version: '1.4', app: app({ container: { type: 'mesos' } }), expect: [['/container/type', 'mesos is not a valid container type', 'read']] },
      { name: 'DOCKER without docker', version: '1.4', app: app({ container: { type: 'DOCKER' } }), expect: [['/container/docker', 'not defined', 'validate']] },
      { name: 'DOCKER (default) without docker', version: '1.5', app: app({ container: {} }), expect: [['/container/docker', 'not defined', 'validate']] },
      { name: 'empty image', version: '1.4', app: app(docker({ image: '' })), expect: [['/container/docker/image', 'must not be empty', 'validate']] },
      { name: 'empty image', version: '1.5', app: app(docker({ image: '' })), expect: [['/container/docker/image', 'error.minLength', 'read']] },
      { name: 'missing image', version: '1.4', app: app({ container: { docker: {} } }), expect: [['/container/docker/image', 'error.path.missing', 'read']] },
    ]);
  });

  describe('Mesos containerizer restrictions', () => {
    runCases([
      { name: 'MESOS + docker image', version: '1.4', app: app(docker({ forcePullImage: true }, 'MESOS')), expect: [] },
      { name: 'MESOS + docker.network', version: '1.4', app: app(docker({ network: 'HOST' }, 'MESOS')), expect: [['/container/docker/network', 'must be empty', 'validate']] },
      { name: 'MESOS + docker.network', version: '1.5', app: app(docker({ network: 'HOST' }, 'MESOS')), expect: [['/container/docker/network', 'must be empty', 'validate']] },
      {
        name: 'MESOS + docker.parameters',
        version: '1.5',
        app: app(docker({ parameters: [{ key: 'a', value: 'b' }] }, 'MESOS')),
        expect: [['/container/docker/parameters', 'must be empty', 'validate']],
      },
      { name: 'MESOS + empty docker.parameters', version: '1.5', app: app(docker({ parameters: [] }, 'MESOS')), expect: [] },
      {
        name: 'MESOS + docker.portMappings',
        version: '1.4',
        app: app(docker({ portMappings: [{ containerPort: 80 }] }, 'MESOS')),
        expect: [['/container/docker/portMappings', 'must be empty', 'validate']],
      },
      { name: 'MESOS + docker.portMappings', version: '1.5', app: app(docker({ portMappings: [] }, 'MESOS')), expect: [['/container/docker/portMappings', 'must be empty', 'validate']] },
      { name: 'MESOS + credential (1.4 UCR registry auth)', version: '1.4', app: app(docker({ credential: { principal: 'p' } }, 'MESOS')), expect: [] },
      { name: 'MESOS + credential', version: '1.5', app: app(docker({ credential: { principal: 'p' } }, 'MESOS')), expect: [['/container/docker/credential', 'must be empty', 'validate']] },
      { name: 'DOCKER + credential', version: '1.5', app: app(docker({ credential: { principal: 'p' } }, 'DOCKER')), expect: [['/container/docker/credential', 'must be empty', 'validate']] },
      {
        name: 'MESOS with docker and appc',
        version: '1.5',
        app: app({ container: { type: 'MESOS', docker: { image: 'a' }, appc: { image: 'b' } } }),
        expect: [['/container', 'mesos containers should specify, at most, a single image type', 'validate']],
      },
      { name: 'appc id prefix', version: '1.5', app: app({ container: { type: 'MESOS', appc: { image: 'b', id: 'sha256-abc' } } }), expect: [['/container/appc/id', "id must begin with 'sha512-',", 'validate']] },
    ]);
  });

  describe('pullConfig (1.5, Mesos containerizer + secrets)', () => {
    const secrets = { registry: { source: '/ops/docker-config' } };
    runCases([
      {
        name: 'MESOS + secrets feature + declared secret',
        version: '1.5',
        app: app({ ...docker({ pullConfig: { secret: 'registry' } }, 'MESOS'), secrets }),
        options: { features: ['secrets'] },
        expect: [],
      },
      {
        name: 'DOCKER containerizer',
        version: '1.5',
        app: app({ ...docker({ pullConfig: { secret: 'registry' } }, 'DOCKER'), secrets }),
        options: { features: ['secrets'] },
        expect: [['/container/docker/pullConfig', 'pullConfig is not supported with Docker containerizer', 'validate']],
      },
      {
        name: 'secrets feature disabled',
        version: '1.5',
        app: app({ ...docker({ pullConfig: { secret: 'registry' } }, 'MESOS'), secrets }),
        expect: [
          ['/container/docker/pullConfig', 'must be empty', 'validate'],
          ['/container/docker/pullConfig', featureMessage('secrets'), 'validate'],
          ['/secrets', featureMessage('secrets'), 'validate'],
        ],
      },
      {
        name: 'undeclared secret',
        version: '1.5',
        app: app(docker({ pullConfig: { secret: 'registry' } }, 'MESOS')),
        options: { features: ['secrets'] },
        expect: [['/container/docker/pullConfig', 'pullConfig.secret must refer to an existing secret', 'validate']],
      },
      { name: 'empty pullConfig secret', version: '1.5', app: app(docker({ pullConfig: { secret: '' } }, 'MESOS')), expect: [['/container/docker/pullConfig/secret', 'error.minLength', 'read']] },
    ]);
  });

  describe('GPUs', () => {
    runCases([
      { name: 'GPUs without feature', version: '1.5', app: app({ gpus: 1 }), expect: [['/', featureMessage('gpu_resources'), 'validate']] },
      { name: 'GPUs with feature, no container', version: '1.4', app: app({ gpus: 1 }), options: { features: ['gpu_resources'] }, expect: [] },
      {
        name: 'GPUs with Docker containerizer',
        version: '1.4',
        app: app({ gpus: 1, ...docker({}) }),
        options: { features: ['gpu_resources'] },
        expect: [['/', 'GPU resources only work with the Mesos containerizer', 'validate']],
      },
      { name: 'GPUs with UCR', version: '1.5', app: app({ gpus: 1, ...docker({}, 'MESOS') }), options: { features: ['gpu_resources'] }, expect: [] },
    ]);
  });
});
