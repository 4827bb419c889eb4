import { expect } from 'chai';
import fc from 'fast-check';
import {
  ID_SEGMENT_MESSAGE,
  isValidPathSegment,
  resolveAppId,
} from '../../src/validation/index.js';
import { app, runCases } from './helpers.js';

const RESERVED = 'must not end with any of the following reserved keywords: restart, tasks, versions, ., ..';

describe('validation: ids', () => {
  describe('isValidPathSegment', () => {
    for (const ok of ['a', 'my-app', 'v1.api', 'a1', '1', '.', '..', 'a.b-c.d']) {
      it(`accepts ${JSON.stringify(ok)}`, () => expect(isValidPathSegment(ok)).to.equal(true));
    }
    for (const bad of ['', 'A', '-a', 'a-', 'a b', 'a_b', 'a..b', '.a', 'a.', '...', 'a#b', 'ä']) {
      it(`rejects ${JSON.stringify(bad)}`, () => expect(isValidPathSegment(bad)).to.equal(false));
    }
    it('matches the documented character rules (property)', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/), (s) => isValidPathSegment(s)),
      );
      fc.assert(fc.property(fc.string(), (s) => !/[A-Z_ /]/.test(s) || !isValidPathSegment(s)));
    });
    it('is fast on long invalid input', () => {
      const t = Date.now();
      isValidPathSegment(`${'a-'.repeat(5000)}!`);
      expect(Date.now() - t).to.be.lessThan(200);
    });
  });

  describe('resolveAppId', () => {
    it('resolves relative ids against the group', () => {
      expect(resolveAppId('web', '/prod')).to.deep.equal({ ok: true, id: '/prod/web' });
      expect(resolveAppId('./web', '/prod')).to.deep.equal({ ok: true, id: '/prod/web' });
      expect(resolveAppId('../prod/web', '/prod')).to.deep.equal({ ok: true, id: '/prod/web' });
      expect(resolveAppId('/prod/web', '/prod')).to.deep.equal({ ok: true, id: '/prod/web' });
      expect(resolveAppId('web/', 'prod')).to.deep.equal({ ok: true, id: '/prod/web' });
    });
    it('resolves against the root without a group and clamps ".." at the root', () => {
      expect(resolveAppId('web')).to.deep.equal({ ok: true, id: '/web' });
      expect(resolveAppId('/a/../../b')).to.deep.equal({ ok: true, id: '/b' });
    });
    it('rejects ids that are not direct children of the group', () => {
      const r = resolveAppId('../other/web', '/prod');
      expect(r.ok).to.equal(false);
      if (!r.ok) {
        expect(r.issue).to.include({ path: '/id', message: 'Identifier is not child of /prod. Hint: use relative paths.', stage: 'validate' });
      }
      expect(resolveAppId('a/b', '/prod').ok).to.equal(false);
    });
    it('rejects invalid segments, root and reserved names', () => {
      const bad = resolveAppId('/My_App');
      expect(bad.ok ? undefined : bad.issue.message).to.equal(ID_SEGMENT_MESSAGE);
      const root = resolveAppId('/');
      expect(root.ok ? undefined : root.issue.message).to.equal('Path must contain at least one path element');
      const reserved = resolveAppId('/foo/restart');
      expect(reserved.ok ? undefined : reserved.issue.message).to.equal(RESERVED);
    });
  });

  describe('id rules', () => {
    runCases([
      { name: 'valid absolute id', version: '1.4', app: app({ id: '/prod/web' }), expect: [] },
      { name: 'valid absolute id', version: '1.5', app: app({ id: '/prod/web' }), expect: [] },
      { name: 'segment regex', version: '1.4', app: app({ id: '/My_App' }), expect: [['/id', ID_SEGMENT_MESSAGE, 'validate']] },
      { name: 'id regex is a RAML read check', version: '1.5', app: app({ id: '/My_App' }), expect: [['/id', 'error.pattern', 'read']] },
      { name: 'dash at end', version: '1.4', app: app({ id: '/app-' }), expect: [['/id', ID_SEGMENT_MESSAGE, 'validate']] },
      // POST /v2/apps canonicalises ids before validation (AppsResource.create: withCanonizedIds()).
      { name: 'relative top-level id (canonicalised, as the walkthrough relies on)', version: '1.4', app: app({ id: 'app' }), expect: [] },
      { name: 'relative top-level id is made absolute', version: '1.5', app: app({ id: 'app' }), expect: [] },
      { name: 'root id', version: '1.4', app: app({ id: '/' }), expect: [['/id', 'Path must contain at least one path element', 'read']] },
      {
        name: 'root id',
        version: '1.5',
        app: app({ id: '/' }),
        expect: [['/id', 'Path must contain at least one path element', 'validate'], ['/', 'must not be root', 'validate']],
      },
      { name: 'empty id', version: '1.4', app: app({ id: '' }), expect: [['/id', 'error.minLength', 'read']] },
      { name: 'empty id', version: '1.5', app: app({ id: '' }), expect: [['/id', 'error.minLength', 'read']] },
      { name: 'reserved last segment', version: '1.4', app: app({ id: '/foo/tasks' }), expect: [['/id', RESERVED, 'validate']] },
      { name: 'reserved last segment', version: '1.5', app: app({ id: '/foo/versions' }), expect: [['/id', RESERVED, 'validate']] },
      { name: 'reserved word not last', version: '1.5', app: app({ id: '/restart/foo' }), expect: [] },
      { name: '".." inside a top-level id', version: '1.4', app: app({ id: '/a/../b' }), expect: [['/id', 'Identifier is not child of /a/... Hint: use relative paths.', 'validate']] },
      { name: 'relative id in a group', version: '1.4', app: app({ id: 'web' }), options: { parentGroup: '/prod' }, expect: [] },
      { name: 'relative id in a group', version: '1.5', app: app({ id: 'web' }), options: { parentGroup: '/prod' }, expect: [] },
      { name: '"." segments fail the RAML PathId pattern', version: '1.5', app: app({ id: './web' }), options: { parentGroup: '/prod' }, expect: [['/id', 'error.pattern', 'read']] },
      { name: '"." segments are resolved', version: '1.4', app: app({ id: './web' }), options: { parentGroup: '/prod' }, expect: [] },
      {
        name: 'id escaping its group',
        version: '1.5',
        app: app({ id: '../other/web' }),
        options: { parentGroup: '/prod' },
        expect: [['/id', 'Identifier is not child of /prod. Hint: use relative paths.', 'validate']],
      },
      {
        name: 'grand-child id in a group',
        version: '1.4',
        app: app({ id: 'a/web' }),
        options: { parentGroup: '/prod' },
        expect: [['/id', 'Identifier is not child of /prod. Hint: use relative paths.', 'validate']],
      },
      { name: 'dependency ids', version: '1.4', app: app({ dependencies: ['/ok', '/Bad'] }), expect: [['/dependencies(1)', ID_SEGMENT_MESSAGE, 'validate']] },
      { name: 'dependency ids', version: '1.5', app: app({ dependencies: ['/ok', '/Bad'] }), expect: [['/dependencies(1)', 'error.pattern', 'read']] },
      { name: 'missing id', version: '1.4', app: { cmd: 'sleep 1' }, expect: [['/id', 'error.path.missing', 'read']] },
      { name: 'missing id', version: '1.5', app: { cmd: 'sleep 1' }, expect: [['/id', 'error.path.missing', 'read']] },
      { name: 'id of wrong type', version: '1.5', app: { id: 5, cmd: 'sleep 1' }, expect: [['/id', 'error.expected.jsstring', 'read']] },
    ]);
  });
});
