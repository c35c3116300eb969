/**
 * The gateway's lease decision, driven as fast as it goes: take the next fetch job (`LeaseSource.next`), ask the
 * host's politeness slot (`PolitenessSlots.acquire`), and either hand the job back delayed by the wait the slot
 * asked for, or grant it. This is what `LeaseDispatcher.dispatch` in apps/coordinator does per job, minus the
 * campaign-status cache (an in-memory map) and the WebSocket send. A granted job goes to an instant "node": the
 * slot is released and the job completed at once, so the in-flight cap never binds and the host's interval is the
 * only pace.
 */
import { LeaseSource, type HostPace, type PolitenessSlots, type Redis } from '@gleaner/queue';
import { StepTimer } from './step-timer.js';

/** Options of a {@link LeaseLoop}. */
export interface LeaseLoopOptions {
  connection: Redis;
  prefix: string;
  politeness: PolitenessSlots;
  pace: HostPace;
  /** Called on every grant, after the node answered. */
  onGrant?: (host: string, at: number) => void;
}

/** One coordinator's lease loop over a queue prefix. */
export class LeaseLoop {
  readonly timer = new StepTimer();
  decisions = 0;
  grants = 0;
  denials = 0;
  private readonly leases: LeaseSource;
  private running = false;
  private done: Promise<void> | undefined;

  constructor(private readonly options: LeaseLoopOptions) {
    this.leases = new LeaseSource({
      connection: options.connection,
      prefix: options.prefix,
      drainDelaySeconds: 1,
    });
  }

  /** Starts leasing in the background. */
  start(): void {
    this.running = true;
    this.done = this.run();
  }

  /** Stops after the current decision and closes the lease source. */
  async stop(): Promise<void> {
    this.running = false;
    await this.done;
    await this.leases.close();
  }

  private async run(): Promise<void> {
    const { politeness, pace } = this.options;
    while (this.running) {
      const lease = await this.timer.time('next', () => this.leases.next(true));
      if (!lease) continue;
      const host = new URL(lease.job.data.url).host;
      const slot = await this.timer.time('acquire', () => politeness.acquire(host, lease.job.id!, pace));
      this.decisions++;
      if (!slot.granted) {
        this.denials++;
        await this.timer.time('hand back (moveToDelayed)', () => this.leases.release(lease, slot.waitMs));
        continue;
      }
      this.grants++;
      await this.timer.time('node answer (release + complete)', async () => {
        await politeness.release(host, lease.job.id!);
        await this.leases.complete(lease, { ok: true });
      });
      this.options.onGrant?.(host, Date.now());
    }
  }
}
