import { z } from 'zod';
import { TimestampSchema } from './common.js';

/** Body of `POST /v1/removals`: the host a site owner wants removed. */
export const CreateRemovalBodySchema = z
  .object({
    host: z.string().min(1).max(260).meta({
      description:
        'The host as URLs name it, with its port when it is not 80 or 443: `example.com`, `blog.example.com:8080`. Each host is removed on its own (`www.` too).',
      example: 'example.com',
    }),
  })
  .meta({ id: 'CreateRemovalBody' });

/** A removal request, as its site owner follows it. */
export const SiteRemovalSchema = z
  .object({
    id: z.string().meta({ example: 'rmv_3q2-xYzAbCdEfGhIj' }),
    host: z.string(),
    state: z.enum(['pending', 'verified']).meta({
      description:
        '`pending` until the token is found on the host; `verified`: its records are withdrawn and it is crawled no more',
    }),
    token: z.string().meta({ description: 'The text to publish at `tokenPath` on the host' }),
    tokenPath: z.literal('/.well-known/gleaner-removal.txt'),
    tokenUrls: z.array(z.string()).meta({ description: 'Where verification looks for the token, in order' }),
    attempts: z.number().int().meta({ description: 'Verification attempts so far' }),
    lastCheckedAt: TimestampSchema.nullable(),
    lastError: z
      .string()
      .nullable()
      .meta({ description: 'Why the latest verification did not find the token' }),
    verifiedAt: TimestampSchema.nullable(),
    withdrawn: z.number().int().nullable().meta({ description: 'Records withdrawn when it was verified' }),
    createdAt: TimestampSchema,
  })
  .meta({ id: 'SiteRemoval' });

/** A removal request on the wire. */
export type SiteRemovalBody = z.infer<typeof SiteRemovalSchema>;
