/** How often and how patiently transient failures are retried. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 12, baseDelayMs: 2, maxDelayMs: 250 };

/** Exponential backoff with full jitter, so colliding transactions spread out. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
