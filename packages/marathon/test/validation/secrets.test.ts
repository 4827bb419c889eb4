import { featureMessage } from '../../src/validation/index.js';
import { app, runCases } from './helpers.js';

const FEATURE = featureMessage('secrets');
const secrets = { db: { source: '/prod/db/password' } };

describe('validation: secrets and environment', () => {
  it('featureMessage reproduces Marathon\'s text (including its stray parenthesis)', async () => {
    const { expect } = await import('chai');
    expect(FEATURE).to.equal('Feature secrets is not enabled. Enable with --enable_features secrets)');
  });

  runCases([
    { name: 'plain env', version: '1.5', app: app({ env: { A: 'b' } }), expect: [] },
    { name: 'secret reference', version: '1.5', app: app({ secrets, env: { PASSWORD: { secret: 'db' } } }), options: { features: ['secrets'] }, expect: [] },
    { name: 'secret reference', version: '1.4', app: app({ secrets, env: { PASSWORD: { secret: 'db' } } }), options: { features: ['secrets'] }, expect: [] },
    { name: 'secrets without the feature', version: '1.5', app: app({ secrets }), expect: [['/secrets', FEATURE, 'validate']] },
    {
      name: 'secrets without the feature',
      version: '1.4',
      app: app({ secrets }),
      expect: [['/secrets', 'must be empty', 'validate'], ['/secrets', FEATURE, 'validate']],
    },
    {
      name: 'undefined secret',
      version: '1.5',
      app: app({ secrets, env: { PASSWORD: { secret: 'other' } } }),
      options: { features: ['secrets'] },
      expect: [['/env(PASSWORD)/other', 'references an undefined secret', 'validate']],
    },
    {
      name: 'undefined secret',
      version: '1.4',
      app: app({ env: { PASSWORD: { secret: 'other' } } }),
      options: { features: ['secrets'] },
      expect: [['/env(PASSWORD)', "references an undefined secret named 'other'", 'validate']],
    },
    {
      name: 'secret references without the feature',
      version: '1.5',
      app: app({ env: { PASSWORD: { secret: 'db' } } }),
      expect: [
        ['/env', 'use of secret-references in the environment requires the secrets feature to be enabled', 'validate'],
        ['/env(PASSWORD)/db', 'references an undefined secret', 'validate'],
      ],
    },
  ]);
});
