import type { DriverContext } from '@dcos-cdk/core';
import { sleep } from '@dcos-cdk/core';

/** Backoff of throttled or transiently failing EC2 calls. */
export interface Ec2RetryPolicy {
  /** Attempts per call, the first included. @default 6 */
  readonly attempts?: number;
  /** Delay before the first retry; doubles each time, with jitter. @default 500 */
  readonly baseDelayMs?: number;
  /** Longest delay between two attempts. @default 10000 */
  readonly maxDelayMs?: number;
}

/** Raised when the credentials in use may not perform an EC2 action. */
export class Ec2PermissionError extends Error {
  constructor(
    /** The IAM action that was refused, e.g. `ec2:ModifyInstanceAttribute`. */
    public readonly action: string,
    /** AWS error code (`UnauthorizedOperation`, `AuthFailure`…). */
    public readonly code: string,
    region: string,
  ) {
    super(
      code === 'AuthFailure'
        ? `AWS rejected the credentials for ${action} in ${region} (AuthFailure): they are invalid or expired. Refresh them (default credential chain: AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO, instance role).`
        : `The AWS credentials in use are not allowed ${action} in ${region} (${code}). Grant the IAM action ${action} to the deploying identity; deploying EC2 instance attributes needs ec2:DescribeInstances, ec2:DescribeInstanceAttribute, ec2:ModifyInstanceAttribute, ec2:CreateTags and ec2:DeleteTags.`,
    );
    this.name = 'Ec2PermissionError';
  }
}

/** Raised when an EC2 call fails for another reason (after retries when it was transient). */
export class Ec2CallError extends Error {
  constructor(
    /** The API action, e.g. `DescribeInstances`. */
    public readonly operation: string,
    /** AWS error code or name. */
    public readonly code: string,
    region: string,
    detail: string,
  ) {
    super(`EC2 ${operation} in ${region} failed (${code}): ${detail}`);
    this.name = 'Ec2CallError';
  }
}

const THROTTLING = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestThrottled', 'RequestThrottledException']);
const TRANSIENT = new Set(['InternalError', 'InternalFailure', 'ServiceUnavailable', 'Unavailable', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);
const PERMISSION = new Set(['UnauthorizedOperation', 'AuthFailure', 'AccessDenied', 'AccessDeniedException', 'Blocked', 'OptInRequired']);

/**
 * Sends one EC2 command: counts it (Describe* as a read, anything else as
 * a write), retries throttling and transient errors with jittered
 * exponential backoff, and turns errors into messages a person can act on.
 */
export async function callEc2<T>(operation: string, region: string, ctx: DriverContext, send: () => Promise<T>, retry: Ec2RetryPolicy = {}): Promise<T> {
  const attempts = Math.max(1, retry.attempts ?? 6);
  const base = retry.baseDelayMs ?? 500;
  const max = retry.maxDelayMs ?? 10_000;
  for (let attempt = 1; ; attempt++) {
    ctx.counters[operation.startsWith('Describe') ? 'reads' : 'writes']++;
    try {
      return await send();
    } catch (e) {
      const err = e as { name?: string; Code?: string; code?: string; message?: string };
      const code = err.Code ?? err.name ?? err.code ?? 'Error';
      if (PERMISSION.has(code)) throw new Ec2PermissionError(`ec2:${operation}`, code, region);
      if (code === 'CredentialsProviderError') {
        throw new Ec2CallError(operation, code, region, 'no AWS credentials were found by the default credential chain; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where an instance role is available.');
      }
      const retryable = THROTTLING.has(code) || TRANSIENT.has(code) || TRANSIENT.has(err.code ?? '');
      if (!retryable || attempt >= attempts) throw new Ec2CallError(operation, code, region, `${err.message ?? String(e)}${retryable ? ` (gave up after ${attempts} attempts)` : ''}`);
      const delay = Math.min(max, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      ctx.progress(`EC2 ${operation} in ${region}: ${code}; retrying in ${Math.round(delay)} ms (attempt ${attempt + 1} of ${attempts})`);
      await sleep(delay, ctx.signal);
    }
  }
}

