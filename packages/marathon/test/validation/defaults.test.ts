import { expect } from 'chai';
import { javaDouble, parsesAsJavaInt, isValidJavaUri } from '../../src/validation/context.js';
import { MARATHON_DEFAULTS, validateAppDefinition } from '../../src/validation/index.js';

describe('validation: MARATHON_DEFAULTS and helpers', () => {
  it('holds Marathon\'s documented defaults', () => {
    expect(MARATHON_DEFAULTS).to.deep.include({
      instances: 1,
      cpus: 1,
      mem: 128,
      disk: 0,
      gpus: 0,
      backoffSeconds: 1,
      backoffFactor: 1.15,
      maxLaunchDelaySeconds: 3600,
      killSelection: 'YOUNGEST_FIRST',
      requirePorts: false,
      executor: '',
      containerType: 'DOCKER',
    });
    expect(MARATHON_DEFAULTS.upgradeStrategy).to.deep.equal({ minimumHealthCapacity: 1, maximumOverCapacity: 1 });
    expect(MARATHON_DEFAULTS.healthCheck).to.deep.include({
      gracePeriodSeconds: 300,
      intervalSeconds: 60,
      timeoutSeconds: 20,
      maxConsecutiveFailures: 3,
      delaySeconds: 15,
    });
    expect(MARATHON_DEFAULTS.networks).to.deep.equal([{ mode: 'host' }]);
    expect(MARATHON_DEFAULTS.portDefinitions).to.deep.equal([{ port: 0, protocol: 'tcp', name: 'default' }]);
    expect(Object.isFrozen(MARATHON_DEFAULTS) && Object.isFrozen(MARATHON_DEFAULTS.upgradeStrategy)).to.equal(true);
  });

  it('the defaults themselves form a valid app in both versions', () => {
    const { instances, cpus, mem, disk, gpus, backoffSeconds, backoffFactor, maxLaunchDelaySeconds, killSelection, upgradeStrategy } = MARATHON_DEFAULTS;
    const a = { id: '/d', cmd: 'sleep 1', instances, cpus, mem, disk, gpus, backoffSeconds, backoffFactor, maxLaunchDelaySeconds, killSelection, upgradeStrategy, healthChecks: [MARATHON_DEFAULTS.healthCheck] };
    expect(validateAppDefinition(a, '1.4')).to.deep.equal([]);
    expect(validateAppDefinition(a, '1.5')).to.deep.equal([]);
  });

  it('formats doubles like Java', () => {
    expect([1, 0, -3, 1.2, -1.2, 0.5, 1e-4, 1e7, 123456.5].map(javaDouble)).to.deep.equal([
      '1.0', '0.0', '-3.0', '1.2', '-1.2', '0.5', '1.0E-4', '1.0E7', '123456.5',
    ]);
  });

  it('parses ints like Scala toInt', () => {
    expect(['1', '-2', '+3', '2147483647'].every(parsesAsJavaInt)).to.equal(true);
    expect(['', '1.0', ' 1', '2147483648', '0x10', 'a'].some(parsesAsJavaInt)).to.equal(false);
  });

  it('checks URI syntax like java.net.URI', () => {
    expect(['http://a/b', '/root/file', 'file.tgz', 'https://x/y?z=1#f', 'http://a/%20b'].every(isValidJavaUri)).to.equal(true);
    expect(['http://a b', 'd://\not', 'http://a/%zz', '1http://a', ':x', 'http:'].some(isValidJavaUri)).to.equal(false);
  });
});
