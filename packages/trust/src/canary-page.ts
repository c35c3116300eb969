import { createHmac } from 'node:crypto';

/** How long one canary nonce lasts, ms: a page's content changes every minute. */
export const CANARY_SLOT_MS = 60_000;

/**
 * The nonce a canary URL shows during one slot: HMAC-SHA-256 of the URL and the slot number under the operator's
 * secret. The operator's canary pages print it; the coordinator, knowing the secret, knows what each page said at any
 * time, and a node cannot know it without fetching the page.
 */
export function canaryNonce(secret: string, url: string, slot: number): string {
  return createHmac('sha256', secret).update(`${url}\n${slot}`).digest('base64url').slice(0, 32);
}

/** The slot a time falls in. */
export function canarySlot(atMs: number): number {
  return Math.floor(atMs / CANARY_SLOT_MS);
}

/** The HTML of a canary page at a time: an ordinary-looking article that carries the slot's nonce. */
export function canaryPageHtml(secret: string, url: string, atMs: number): string {
  const nonce = canaryNonce(secret, url, canarySlot(atMs));
  const path = new URL(url).pathname;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Notes ${path}</title></head><body><article><h1>Field notes</h1><p>Reference ${nonce}.</p><p>These notes are revised every minute; the reference above identifies this revision.</p></article></body></html>`;
}

/**
 * Whether a body is what the canary URL served around `fetchedAtMs` (its slot or an adjacent one, for clocks and
 * slow fetches): true when the body holds one of those nonces.
 */
export function canaryAnswerHolds(secret: string, url: string, fetchedAtMs: number, body: string): boolean {
  const slot = canarySlot(fetchedAtMs);
  return [slot - 1, slot, slot + 1].some((s) => body.includes(canaryNonce(secret, url, s)));
}
