export {
  SafeFetcher,
  DEFAULT_USER_AGENT,
  type SafeFetcherOptions,
  type SafeFetchRequest,
  type FetchOutcome,
  type FetchSuccess,
  type FetchRefusal,
  type FetchOutcomeTimings,
} from './safe-fetcher.js';
export { DEFAULT_SAFE_FETCH_LIMITS, tightenLimits, type SafeFetchLimits } from './safe-fetch-limits.js';
export {
  classifyAddress,
  isBlockedAddress,
  parseIp,
  parseCidr,
  cidrContains,
  embeddedIpv4,
  AddressPolicy,
  PRIVATE_NETWORK_CLASSES,
  type AddressClass,
  type AddressPolicyOptions,
  type AddressVerdict,
  type ParsedIp,
  type Cidr,
} from './address-guard.js';
export type { RateLimiter } from './rate-limiter.js';
export { DEFAULT_CHROMIUM_PATH } from './browser-renderer.js';
export { systemResolver, type Resolver, type ConditionalRequest } from './guarded-hop.js';
export {
  WebhookSender,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type WebhookMessage,
  type WebhookSendResult,
  type WebhookSenderOptions,
} from './webhook-sender.js';
