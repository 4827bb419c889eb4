/**
 * Admin Router authentication and the IAM login endpoint (marathon.md section 3).
 * Token from `Authorization: token=<t>` or `Bearer <t>`, else the `dcos-acs-auth-cookie` cookie.
 * A missing token answers 401 (`WWW-Authenticate: acsjwt`, HTML body as Admin Router's error
 * pages do); an unknown token answers `invalidTokenStatus`.
 */
import { createHmac, randomBytes, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RouteRequest, RouteResponse } from './http.js';
import { isJsonObject } from './json.js';
import type { LoginAccount } from './types.js';

/** Authentication settings. */
export interface AuthConfig {
  /** Static accepted token; auth is enforced only when set. */
  token?: string;
  /** Status for unknown tokens. */
  invalidTokenStatus: 401 | 403;
  /** Accounts accepted by the login endpoint. */
  accounts: LoginAccount[];
}

const HTML = 'text/html; charset=UTF-8';
const PAGE_401 = '<!DOCTYPE html>\n<html>\n<head><title>Unauthorized</title></head>\n<body><h1>Unauthorized</h1></body>\n</html>\n';
const PAGE_403 = '<!DOCTYPE html>\n<html>\n<head><title>Access Denied</title></head>\n<body><h1>Access Denied</h1></body>\n</html>\n';

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Extract the DC/OS token from request headers, if any. */
export function tokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth !== undefined) {
    return /token=(.+)/.exec(auth)?.[1] ?? /Bearer (.+)/.exec(auth)?.[1];
  }
  const cookie = headers.cookie ?? '';
  return /(?:^|;\s*)dcos-acs-auth-cookie=([^;]+)/.exec(cookie)?.[1];
}

function iamError(status: number, title: string, description: string, code: string): RouteResponse {
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'acsjwt' } : {};
  return { status, body: { title, description, code }, headers };
}

/** Token checks and login. */
export class Auth {
  private readonly issued = new Set<string>();
  private readonly secret = randomBytes(32);

  constructor(private readonly config: AuthConfig) {}

  /** True when requests must carry a token. */
  get enabled(): boolean {
    return this.config.token !== undefined;
  }

  /** Undefined when the request may pass, otherwise the 401/403 answer. */
  check(headers: IncomingHttpHeaders): RouteResponse | undefined {
    if (!this.enabled) return undefined;
    const token = tokenFromHeaders(headers);
    if (token === undefined) {
      return { status: 401, body: PAGE_401, contentType: HTML, headers: { 'WWW-Authenticate': 'acsjwt' } };
    }
    if (token === this.config.token || this.issued.has(token)) return undefined;
    if (this.config.invalidTokenStatus === 401) {
      return { status: 401, body: PAGE_401, contentType: HTML, headers: { 'WWW-Authenticate': 'acsjwt' } };
    }
    return { status: 403, body: PAGE_403, contentType: HTML };
  }

  /** Mint a session token for `uid` (HS256 JWT `{uid, exp}`) and accept it from now on. */
  mint(uid: string): string {
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(JSON.stringify({ uid, exp: Math.floor(Date.now() / 1000) + 5 * 24 * 3600 }));
    const signature = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest('base64url');
    const token = `${header}.${payload}.${signature}`;
    this.issued.add(token);
    return token;
  }

  private serviceLoginValid(account: LoginAccount, token: string): boolean {
    if (account.publicKey === undefined) return false;
    const parts = token.split('.');
    if (parts.length !== 3) return false;
    try {
      const header: unknown = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
      const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
      if (!isJsonObject(header) || header.alg !== 'RS256' || !isJsonObject(payload)) return false;
      if (payload.uid !== account.uid) return false;
      if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) return false;
      return verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), account.publicKey, Buffer.from(parts[2]!, 'base64url'));
    } catch {
      return false;
    }
  }

  /** `POST /acs/api/v1/auth/login` with `{uid, password}` or `{uid, token}`. */
  login(req: RouteRequest): RouteResponse {
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch (err) {
      return iamError(400, 'Bad Request', `Request has bad JSON: ${(err as Error).message}`, 'ERR_INVALID_DATA');
    }
    if (!isJsonObject(body) || typeof body.uid !== 'string') {
      return iamError(400, 'Bad Request', "Request data is invalid: 'uid' is required", 'ERR_INVALID_DATA');
    }
    const uid = body.uid;
    const account = this.config.accounts.find((a) => a.uid === uid);
    const ok =
      account !== undefined &&
      ((typeof body.password === 'string' && account.password !== undefined && body.password === account.password) ||
        (typeof body.token === 'string' && this.serviceLoginValid(account, body.token)));
    if (!ok) return iamError(401, 'Unauthorized', 'The login credentials are invalid.', 'ERR_INVALID_CREDENTIALS');
    return { status: 200, body: { token: this.mint(uid) } };
  }

  /** `GET /acs/api/v1/auth/providers` */
  providers(): RouteResponse {
    return {
      status: 200,
      body: {
        'dcos-users': {
          'authentication-type': 'dcos-uid-password',
          'client-method': 'dcos-usercredential-post-receive-authtoken',
          config: { start_flow_url: '/acs/api/v1/auth/login' },
          description: 'Default DC/OS login provider',
        },
        'dcos-services': {
          'authentication-type': 'dcos-uid-servicekey',
          'client-method': 'dcos-servicecredential-post-receive-authtoken',
          config: { start_flow_url: '/acs/api/v1/auth/login' },
          description: 'Default DC/OS login provider',
        },
      },
    };
  }
}
