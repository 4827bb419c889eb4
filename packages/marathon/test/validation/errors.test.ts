import { expect } from 'chai';
import { marathonErrorResponse, validateAppDefinition } from '../../src/validation/index.js';
import { app } from './helpers.js';

describe('validation: marathonErrorResponse', () => {
  it('renders validation failures as 422 "Object is not valid", grouped by path', () => {
    const issues = validateAppDefinition(app({ secrets: { s: { source: 'x' } }, args: ['a'] }), '1.4');
    expect(marathonErrorResponse(issues, '1.4')).to.deep.equal({
      status: 422,
      body: {
        message: 'Object is not valid',
        details: [
          { path: '/', errors: ["AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."] },
          { path: '/secrets', errors: ['must be empty', 'Feature secrets is not enabled. Enable with --enable_features secrets)'] },
        ],
      },
    });
  });

  it('renders read failures as "Invalid JSON": 400 in 1.4, 422 in 1.5', () => {
    const bad = app({ cpus: 'a lot' });
    const expected = { message: 'Invalid JSON', details: [{ path: '/cpus', errors: ['error.expected.jsnumber'] }] };
    expect(marathonErrorResponse(validateAppDefinition(bad, '1.4'), '1.4')).to.deep.equal({ status: 400, body: expected });
    expect(marathonErrorResponse(validateAppDefinition(bad, '1.5'), '1.5')).to.deep.equal({ status: 422, body: expected });
  });

  it('renders a root-level read error with Play\'s empty root path', () => {
    const issues = validateAppDefinition(app({ ipAddress: { networkName: 'n' }, ports: [0] }), '1.4');
    expect(marathonErrorResponse(issues, '1.4')).to.deep.equal({
      status: 400,
      body: { message: 'Invalid JSON', details: [{ path: '', errors: ['You cannot specify both an IP address and ports'] }] },
    });
  });

  it('lists only read-stage issues when both stages are present', () => {
    const res = marathonErrorResponse(
      [
        { path: '/', message: 'x', fix: 'f', stage: 'validate' },
        { path: '/mem', message: 'error.expected.jsnumber', fix: 'f', stage: 'read' },
        { path: '/mem', message: 'error.expected.jsnumber', fix: 'f', stage: 'read' },
      ],
      '1.5',
    );
    expect(res).to.deep.equal({ status: 422, body: { message: 'Invalid JSON', details: [{ path: '/mem', errors: ['error.expected.jsnumber'] }] } });
  });

  it('returns 200 with no details for no issues', () => {
    expect(marathonErrorResponse([], '1.4')).to.deep.equal({ status: 200, body: { message: '', details: [] } });
  });
});
