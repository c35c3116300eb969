import { z } from 'zod';
import { TimestampSchema } from './common.js';

/** Most days `GET /v1/me/earnings` looks back. */
export const MAX_EARNINGS_DAYS = 366;

/** Query of `GET /v1/me/earnings`: how many days back (UTC, today included; default 30). */
export const EarningsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(MAX_EARNINGS_DAYS).default(30),
});

/** Points by state; `pending + settled + voided = credited` always, and `reversed` (0 or less) is taken back. */
const PointsByState = {
  credited: z.number().int().meta({ description: 'Points credited for accepted records' }),
  pending: z.number().int().meta({ description: 'Credited, not yet settled or voided' }),
  settled: z.number().int().meta({ description: 'Credited and settled into an epoch' }),
  voided: z.number().int().meta({ description: "Credited, then voided (the node's ban)" }),
  reversed: z
    .number()
    .int()
    .meta({ description: 'Settled points taken back by later entries (withdrawn records), 0 or less' }),
};

/** One row of earnings: points by state for one UTC day, epoch, campaign and node. */
export const EarningsRowSchema = z
  .object({
    day: z.string().meta({ description: 'The UTC day the entries were written, YYYY-MM-DD' }),
    epochId: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The epoch they settled in; null if not settled' }),
    campaignId: z.string().nullable(),
    nodeId: z.string(),
    ...PointsByState,
  })
  .meta({ id: 'EarningsRow' });

/** Body of `GET /v1/me/earnings`. */
export const EarningsSchema = z
  .object({
    since: TimestampSchema.meta({ description: 'Start of the first day the rows cover' }),
    rows: z.array(EarningsRowSchema).meta({ description: 'Newest day first' }),
    totals: z
      .object({
        ...PointsByState,
        balance: z.number().int().meta({ description: 'settled + reversed: what the owner holds' }),
      })
      .meta({ description: 'All time, not only the rows' }),
  })
  .meta({ id: 'Earnings' });

/** Body of `GET /v1/me/earnings`. */
export type Earnings = z.infer<typeof EarningsSchema>;

/** A leaderboard name: printable, 1 to 40 characters. */
export const DisplayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^\p{C}]+$/u, 'display names hold no control characters');

/** Body of `PUT /v1/me/profile`: a display name opts in to the leaderboard, null opts out. */
export const ProfileBodySchema = z
  .object({ displayName: DisplayNameSchema.nullable() })
  .meta({ id: 'ProfileBody' });

/** Body of `PUT /v1/me/profile` as sent. */
export type ProfileBody = z.input<typeof ProfileBodySchema>;

/** Body of `PUT /v1/me/profile`'s answer. */
export const ProfileSchema = z.object({ displayName: z.string().nullable() }).meta({ id: 'Profile' });

/** Query of `GET /v1/leaderboard`. */
export const LeaderboardQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** Body of `GET /v1/leaderboard`: owners who opted in, by settled points (display names only). */
export const LeaderboardSchema = z
  .object({
    entries: z.array(
      z.object({
        rank: z.number().int().min(1),
        displayName: z.string(),
        points: z.number().int().meta({ description: 'Settled points, reversals taken off' }),
      }),
    ),
  })
  .meta({ id: 'Leaderboard' });

/** Body of `GET /v1/leaderboard`. */
export type Leaderboard = z.infer<typeof LeaderboardSchema>;
