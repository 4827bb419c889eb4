import { app, runCases } from './helpers.js';

describe('validation: fetch, uris, storeUrls', () => {
  runCases([
    { name: 'fetch', version: '1.4', app: app({ fetch: [{ uri: 'https://example.com/a.tgz', extract: true }] }), expect: [] },
    { name: 'fetch', version: '1.5', app: app({ fetch: [{ uri: 'https://example.com/a.tgz', cache: true, destPath: 'b.tgz' }] }), expect: [] },
    { name: 'uris only', version: '1.5', app: app({ uris: ['https://example.com/a.tgz'] }), expect: [] },
    { name: 'uris and fetch', version: '1.4', app: app({ uris: ['http://a/b'], fetch: [{ uri: 'http://a/c' }] }), expect: [['/', 'You cannot specify both uris and fetch fields', 'read']] },
    { name: 'uris and fetch', version: '1.5', app: app({ uris: ['http://a/b'], fetch: [{ uri: 'http://a/c' }] }), expect: [['/uris', 'may not be set in conjunction with fetch', 'validate']] },
    { name: 'empty uris and fetch', version: '1.4', app: app({ uris: [], fetch: [{ uri: 'http://a/c' }] }), expect: [] },
    { name: 'fetch without uri', version: '1.4', app: app({ fetch: [{ extract: false }] }), expect: [['/fetch(0)/uri', 'error.path.missing', 'read']] },
    { name: 'fetch without uri', version: '1.5', app: app({ fetch: [{ extract: false }] }), expect: [['/fetch(0)/uri', 'error.path.missing', 'read']] },
    { name: 'fetch uri syntax', version: '1.4', app: app({ fetch: [{ uri: 'http://example.com/valid' }, { uri: 'd://\not-a-uri' }] }), expect: [['/fetch(1)/uri', 'URI has invalid syntax.', 'validate']] },
    { name: 'fetch uri syntax', version: '1.5', app: app({ fetch: [{ uri: 'http://exa mple.com/' }] }), expect: [['/fetch(0)/uri', 'URI has invalid syntax.', 'validate']] },
    { name: 'relative fetch uri', version: '1.5', app: app({ fetch: [{ uri: '/root/file' }] }), expect: [] },
    { name: 'uris syntax', version: '1.5', app: app({ uris: ['http://a/%zz'] }), expect: [['/uris(0)', 'URI has invalid syntax.', 'validate']] },
    { name: 'empty fetch uri', version: '1.5', app: app({ fetch: [{ uri: '' }] }), expect: [['/fetch(0)/uri', 'error.minLength', 'read']] },
    { name: 'storeUrls', version: '1.4', app: app({ storeUrls: ['http://repo/x', 'repo/x', 'ssh://repo/x'] }), expect: [['/storeUrls(1)', 'no protocol: repo/x', 'validate'], ['/storeUrls(2)', 'unknown protocol: ssh', 'validate']] },
  ]);
});
