/** One point of the bandwidth chart. */
export interface BandwidthPoint {
  /** Start of the slot, ms since the epoch. */
  at: number;
  /** Average download rate over the slot, bytes per second. */
  bytesPerSecond: number;
}

/** Bytes downloaded per time slot over a sliding window (by default the last hour in 10-second slots). */
export class BandwidthHistory {
  readonly #slots: Float64Array;
  readonly #slotMs: number;
  #lastSlot: number | undefined;

  constructor(
    /** Window length, ms. Default one hour. */
    windowMs = 60 * 60 * 1000,
    /** Slot length, ms. Default 10 s. */
    slotMs = 10_000,
  ) {
    this.#slotMs = slotMs;
    this.#slots = new Float64Array(Math.ceil(windowMs / slotMs));
  }

  /** Records `bytes` downloaded at `at` (ms since the epoch). */
  add(bytes: number, at = Date.now()): void {
    this.#advance(at);
    const index = Math.floor(at / this.#slotMs) % this.#slots.length;
    this.#slots[index] = (this.#slots[index] ?? 0) + bytes;
  }

  /** The window's slots, oldest first, ending with the slot that holds `now`. */
  series(now = Date.now()): BandwidthPoint[] {
    this.#advance(now);
    const current = Math.floor(now / this.#slotMs);
    const out: BandwidthPoint[] = [];
    for (let slot = current - this.#slots.length + 1; slot <= current; slot++) {
      const bytes = this.#slots[slot % this.#slots.length] ?? 0;
      out.push({ at: slot * this.#slotMs, bytesPerSecond: bytes / (this.#slotMs / 1000) });
    }
    return out;
  }

  #advance(now: number): void {
    const current = Math.floor(now / this.#slotMs);
    const last = this.#lastSlot ?? current;
    if (current > last) {
      const clear = Math.min(current - last, this.#slots.length);
      for (let i = 1; i <= clear; i++) this.#slots[(last + i) % this.#slots.length] = 0;
    }
    if (this.#lastSlot === undefined || current > this.#lastSlot) this.#lastSlot = current;
  }
}
