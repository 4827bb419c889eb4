import { app, runCases } from './helpers.js';

describe('validation: read stage (JSON types and reader checks)', () => {
  describe('scalar types', () => {
    runCases([
      { name: 'cpus as string', version: '1.4', app: app({ cpus: '0.5' }), expect: [['/cpus', 'error.expected.jsnumber', 'read']] },
      { name: 'cpus as string', version: '1.5', app: app({ cpus: '0.5' }), expect: [['/cpus', 'error.expected.jsnumber', 'read']] },
      { name: 'numbers accepted', version: '1.4', app: app({ cpus: 0.5, mem: 64, instances: 2, disk: 0 }), expect: [] },
      { name: 'cmd as number', version: '1.4', app: app({ cmd: 5 }), expect: [['/cmd', 'error.expected.jsstring', 'read']] },
      { name: 'instances fractional', version: '1.4', app: app({ instances: 1.5 }), expect: [['/instances', 'error.expected.int', 'read']] },
      { name: 'instances fractional', version: '1.5', app: app({ instances: 1.5 }), expect: [['/instances', 'error.expected.int', 'read']] },
      { name: 'backoffSeconds fractional (Long)', version: '1.4', app: app({ backoffSeconds: 1.5 }), expect: [['/backoffSeconds', 'error.expected.long', 'read']] },
      { name: 'requirePorts as string', version: '1.5', app: app({ requirePorts: 'yes' }), expect: [['/requirePorts', 'error.expected.jsboolean', 'read']] },
      { name: 'args not an array', version: '1.4', app: { id: '/a', args: 'sleep' }, expect: [['/args', 'error.expected.jsarray', 'read']] },
      { name: 'args element not a string', version: '1.5', app: { id: '/a', args: ['sleep', 1] }, expect: [['/args(1)', 'error.expected.jsstring', 'read']] },
      { name: 'labels not an object', version: '1.5', app: app({ labels: ['a'] }), expect: [['/labels', 'error.expected.jsobject', 'read']] },
      { name: 'label value not a string', version: '1.4', app: app({ labels: { a: 1 } }), expect: [['/labels/a', 'error.expected.jsstring', 'read']] },
      { name: 'null means absent', version: '1.4', app: app({ args: null, user: null, container: null }), expect: [] },
      { name: 'null means absent', version: '1.5', app: app({ args: null, user: null, container: null }), expect: [] },
      { name: 'unknown fields are ignored', version: '1.4', app: app({ tasksRunning: 3 }), expect: [] },
      {
        name: 'all read errors are collected',
        version: '1.5',
        app: app({ cpus: 'x', mem: 'y', container: { docker: {} } }),
        expect: [
          ['/cpus', 'error.expected.jsnumber', 'read'],
          ['/mem', 'error.expected.jsnumber', 'read'],
          ['/container/docker/image', 'error.path.missing', 'read'],
        ],
      },
      { name: 'body not an object', version: '1.5', app: [1], expect: [['/', 'error.expected.jsobject', 'read']] },
      { name: 'env value not a string', version: '1.4', app: app({ env: { A: 1 } }), expect: [['/env/A/secret', 'error.path.missing', 'read']] },
      { name: 'env secret of wrong type', version: '1.5', app: app({ env: { A: { secret: 1 } } }), expect: [['/env/A/secret', 'error.expected.jsstring', 'read']] },
    ]);
  });

  describe('1.5 RAML constraints', () => {
    runCases([
      { name: 'cpus below 0.001', version: '1.5', app: app({ cpus: 0 }), expect: [['/cpus', 'error.min', 'read']] },
      { name: 'cpus 0 allowed', version: '1.4', app: app({ cpus: 0 }), expect: [] },
      { name: 'negative mem', version: '1.5', app: app({ mem: -1 }), expect: [['/mem', 'error.min', 'read']] },
      { name: 'backoffFactor below 1', version: '1.5', app: app({ backoffFactor: 0.5 }), expect: [['/backoffFactor', 'error.min', 'read']] },
      { name: 'empty cmd', version: '1.5', app: app({ cmd: '' }), expect: [['/cmd', 'error.minLength', 'read']] },
      { name: 'empty cmd', version: '1.4', app: app({ cmd: '' }), expect: [['/cmd', 'error.minLength', 'read']] },
      { name: 'executor pattern', version: '1.5', app: app({ executor: '/test/' }), expect: [['/executor', 'error.pattern', 'read']] },
      { name: 'executor pattern', version: '1.4', app: app({ executor: '/test//path' }), expect: [['/executor', 'error.pattern', 'read']] },
      { name: 'executor ok', version: '1.5', app: app({ executor: '//cmd' }), expect: [] },
      { name: 'enum literal unknown', version: '1.5', app: app({ killSelection: 'RANDOM' }), expect: [['/killSelection', 'error.expected.jsstring', 'read']] },
      { name: 'enum literal case-insensitive', version: '1.5', app: app({ killSelection: 'oldest_first' }), expect: [] },
      { name: 'empty secret source', version: '1.5', app: app({ secrets: { s: { source: '' } } }), options: { features: ['secrets'] }, expect: [['/secrets/s/source', 'error.minLength', 'read']] },
      { name: 'missing secret source', version: '1.4', app: app({ secrets: { s: {} } }), options: { features: ['secrets'] }, expect: [['/secrets/s/source', 'error.path.missing', 'read']] },
      { name: 'unreachableStrategy literal', version: '1.5', app: app({ unreachableStrategy: 'off' }), expect: [['/unreachableStrategy', 'error.expected.jsstring', 'read']] },
      { name: 'unreachableStrategy object', version: '1.5', app: app({ unreachableStrategy: { inactiveAfterSeconds: 60, expungeAfterSeconds: 120 } }), expect: [] },
    ]);
  });

  describe('1.4 reader checks', () => {
    runCases([
      { name: 'duplicate ports', version: '1.4', app: app({ ports: [80, 80, 0, 0] }), expect: [['/ports', 'Ports must be unique.', 'read']] },
      { name: 'unique ports', version: '1.4', app: app({ ports: [80, 81, 0, 0] }), expect: [] },
      { name: 'empty acceptedResourceRoles', version: '1.4', app: app({ acceptedResourceRoles: [] }), expect: [['/acceptedResourceRoles', 'set must not be empty', 'read']] },
      { name: 'acceptedResourceRoles', version: '1.4', app: app({ acceptedResourceRoles: ['*'] }), expect: [] },
      {
        name: 'health-check protocol unknown',
        version: '1.4',
        app: app({ healthChecks: [{ protocol: 'http' }] }),
        expect: [['/healthChecks(0)/protocol', 'http is not a valid protocol', 'read']],
      },
      { name: 'health-check protocol unknown', version: '1.5', app: app({ healthChecks: [{ protocol: 'FTP' }] }), expect: [['/healthChecks(0)/protocol', 'error.expected.jsstring', 'read']] },
      { name: 'volume mode missing', version: '1.4', app: app({ container: { type: 'MESOS', volumes: [{ containerPath: 'data' }] } }), expect: [['/container/volumes(0)/mode', 'error.path.missing', 'read']] },
    ]);
  });
});
