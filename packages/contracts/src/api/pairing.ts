import { z } from 'zod';
import { CreatedOwnerSchema, NameSchema } from './accounts.js';
import { TimestampSchema } from './common.js';

/**
 * Who may create a contributor account: only the admin (`POST /v1/owners`), anyone holding an invite code the admin
 * made, or anyone, on the pairing page. Set by the coordinator's `GLEANER_ACCOUNT_POLICY`.
 */
export const AccountPolicySchema = z.enum(['admin-only', 'invite', 'open']).meta({ id: 'AccountPolicy' });

/** Who may create a contributor account. */
export type AccountPolicy = z.infer<typeof AccountPolicySchema>;

/** Body of `GET /v1/account-policy`. */
export const AccountPolicyBodySchema = z
  .object({ accountPolicy: AccountPolicySchema })
  .meta({ id: 'AccountPolicyBody' });

/** A pairing just started, after RFC 8628 §3.2 (in camel case). */
export const StartedPairingSchema = z
  .object({
    deviceCode: z.string().meta({ description: 'Secret: only the node holds it, to poll with' }),
    userCode: z
      .string()
      .meta({ description: 'Short code the owner types on the pairing page', example: 'K7QM-4XPD' }),
    verificationUri: z.string().meta({ description: 'The pairing page, as this coordinator was asked' }),
    verificationUriComplete: z
      .string()
      .meta({ description: 'The pairing page with the user code filled in' }),
    expiresIn: z.number().int().meta({ description: 'Seconds until both codes expire' }),
    interval: z.number().int().meta({ description: 'Seconds to wait between polls' }),
  })
  .meta({ id: 'StartedPairing' });

/** A pairing just started. */
export type StartedPairing = z.infer<typeof StartedPairingSchema>;

/** Body of `POST /v1/pairings/token`. */
export const PairingTokenBodySchema = z
  .object({ deviceCode: z.string().min(1).max(512) })
  .meta({ id: 'PairingTokenBody' });

/**
 * What a node's poll comes to: still `pending`; `slow_down` (it polled sooner than its interval, which has grown);
 * `expired` (start again); or `approved`, with its node id and an owner token of its own, given once.
 */
export const PairingPollSchema = z
  .discriminatedUnion('state', [
    z.object({ state: z.literal('pending'), interval: z.number().int() }),
    z.object({ state: z.literal('slow_down'), interval: z.number().int() }),
    z.object({ state: z.literal('expired') }),
    z.object({
      state: z.literal('approved'),
      nodeId: z.string(),
      ownerId: z.string(),
      ownerToken: z.string().meta({ description: 'Shown once; the node stores it as its owner token' }),
    }),
  ])
  .meta({ id: 'PairingPoll' });

/** What a node's poll comes to. */
export type PairingPoll = z.infer<typeof PairingPollSchema>;

/** A user code as typed: dashes, spaces and case do not matter. */
const UserCodeSchema = z.string().trim().min(1).max(32).meta({ example: 'K7QM-4XPD' });

/** Body of `POST /v1/pairings/approve`. */
export const ApprovePairingBodySchema = z
  .object({ userCode: UserCodeSchema })
  .meta({ id: 'ApprovePairingBody' });

/** The node an approval registered. */
export const ApprovedPairingSchema = z
  .object({ nodeId: z.string(), nodeName: z.string(), ownerId: z.string() })
  .meta({ id: 'ApprovedPairing' });

/** The node an approval registered. */
export type ApprovedPairing = z.infer<typeof ApprovedPairingSchema>;

/** Body of `POST /v1/pairings/signup`: a new account's name, and an invite code under the `invite` policy. */
export const PairingSignupBodySchema = z
  .object({
    userCode: UserCodeSchema,
    name: NameSchema,
    inviteCode: z.string().trim().min(1).max(512).optional(),
  })
  .meta({ id: 'PairingSignupBody' });

/** A new account made on the pairing page with the node it approved; its owner token is shown once. */
export const PairingSignupSchema = z
  .object({ owner: CreatedOwnerSchema, node: ApprovedPairingSchema })
  .meta({ id: 'PairingSignup' });

/** A new account made on the pairing page. */
export type PairingSignup = z.infer<typeof PairingSignupSchema>;

/** Body of `POST /v1/owner-invites`. */
export const CreateInviteBodySchema = z
  .object({
    note: z.string().trim().min(1).max(200).optional().meta({ description: 'Whom it is for' }),
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24 * 7)
      .meta({ description: 'Hours it stays valid; default a week' }),
  })
  .meta({ id: 'CreateInviteBody' });

/** An invite code as lists show it (never the code). */
export const OwnerInviteSchema = z
  .object({
    id: z.string(),
    note: z.string().nullable(),
    expiresAt: TimestampSchema,
    usedAt: TimestampSchema.nullable(),
    usedByOwnerId: z.string().nullable(),
    createdAt: TimestampSchema,
  })
  .meta({ id: 'OwnerInvite' });

/** An invite code as lists show it. */
export type OwnerInvite = z.infer<typeof OwnerInviteSchema>;

/** A new invite code: shown once. */
export const CreatedInviteSchema = OwnerInviteSchema.extend({
  code: z.string().meta({ description: 'Shown once; give it to the new contributor' }),
}).meta({ id: 'CreatedInvite' });

/** A new invite code. */
export type CreatedInvite = z.infer<typeof CreatedInviteSchema>;

/** Body of `GET /v1/owner-invites`, newest first. */
export const OwnerInviteListSchema = z
  .object({ invites: z.array(OwnerInviteSchema) })
  .meta({ id: 'OwnerInviteList' });
