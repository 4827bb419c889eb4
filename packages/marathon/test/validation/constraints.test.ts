import { app, runCases } from './helpers.js';

const c = (...constraints: unknown[][]): Record<string, unknown> => app({ constraints });
const P = '/constraints';

describe('validation: constraints', () => {
  runCases([
    { name: 'valid operators', version: '1.4', app: c(['hostname', 'UNIQUE'], ['rack', 'GROUP_BY', '3'], ['zone', 'CLUSTER', 'a'], ['h', 'LIKE', 'srv.*'], ['h', 'UNLIKE', 'x'], ['h', 'MAX_PER', '2']), expect: [] },
    { name: 'valid operators', version: '1.5', app: c(['hostname', 'UNIQUE'], ['rack', 'GROUP_BY'], ['zone', 'CLUSTER', 'a'], ['h', 'LIKE', 'srv.*'], ['h', 'MAX_PER', '2']), expect: [] },
    { name: 'one element', version: '1.4', app: c(['hostname']), expect: [['/constraints(0)', 'Constraint definition must be an array of strings in format: <key>, <operator>[, value]', 'read']] },
    { name: 'one element', version: '1.5', app: c(['hostname']), expect: [['/constraints(0)', 'error.minLength', 'read']] },
    { name: 'four elements', version: '1.5', app: c(['a', 'UNIQUE', 'b', 'c']), expect: [['/constraints(0)', 'error.maxLength', 'read']] },
    { name: 'non-string element', version: '1.5', app: c(['a', 'MAX_PER', 2]), expect: [['/constraints(0)(2)', 'error.expected.jsstring', 'read']] },
    {
      name: 'unknown operator',
      version: '1.4',
      app: c(['hostname', 'unique']),
      expect: [['/constraints(0)', 'Constraint operator must be one of the following: [UNIQUE, LIKE, CLUSTER, GROUP_BY, UNLIKE, MAX_PER]', 'read']],
    },
    {
      name: 'unknown operator',
      version: '1.5',
      app: c(['hostname', 'unique']),
      expect: [[P, 'Constraint operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER or UNLIKE', 'validate']],
    },
    { name: 'UNIQUE takes no value', version: '1.4', app: c(['hostname', 'UNIQUE', 'x']), expect: [[P, 'Value specified but not used', 'validate']] },
    { name: 'UNIQUE takes no value', version: '1.5', app: c(['hostname', 'UNIQUE', 'x']), expect: [[P, 'Value specified but not used', 'validate']] },
    { name: 'UNIQUE with empty value', version: '1.4', app: c(['hostname', 'UNIQUE', '']), expect: [] },
    { name: 'UNIQUE with empty value', version: '1.5', app: c(['hostname', 'UNIQUE', '']), expect: [[P, 'Value specified but not used', 'validate']] },
    { name: 'CLUSTER without value', version: '1.5', app: c(['zone', 'CLUSTER']), expect: [[P, 'Missing value', 'validate']] },
    { name: 'CLUSTER with empty value', version: '1.4', app: c(['zone', 'CLUSTER', '']), expect: [[P, 'Missing value', 'validate']] },
    { name: 'GROUP_BY non-integer', version: '1.4', app: c(['rack', 'GROUP_BY', 'x']), expect: [[P, 'Value was specified but is not a number', 'validate']] },
    { name: 'GROUP_BY non-integer', version: '1.5', app: c(['rack', 'GROUP_BY', '1.5']), expect: [[P, 'Value was specified but is not a number', 'validate']] },
    { name: 'LIKE invalid regex', version: '1.5', app: c(['h', 'LIKE', '[']), expect: [[P, "'[' is not a valid regular expression", 'validate']] },
    { name: 'UNLIKE invalid regex', version: '1.4', app: c(['h', 'UNLIKE', '(a']), expect: [[P, "'(a' is not a valid regular expression", 'validate']] },
    { name: 'LIKE without value', version: '1.4', app: c(['h', 'LIKE']), expect: [[P, 'A regular expression value must be provided', 'validate']] },
    { name: 'MAX_PER non-integer', version: '1.5', app: c(['h', 'MAX_PER', 'two']), expect: [[P, 'Value was not specified or is not a number', 'validate']] },
    { name: 'MAX_PER without value', version: '1.4', app: c(['h', 'MAX_PER']), expect: [[P, 'Value was not specified or is not a number', 'validate']] },
    { name: 'MAX_PER without value', version: '1.5', app: c(['h', 'MAX_PER']), expect: [] },
    { name: 'integer beyond Int range', version: '1.4', app: c(['h', 'MAX_PER', '3000000000']), expect: [[P, 'Value was not specified or is not a number', 'validate']] },
  ]);
});
