import { z } from 'zod';

/** An ISO 8601 timestamp with offset, as every API response writes dates. */
export const TimestampSchema = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 timestamp' });

/** A resource id: a prefix, `_` and a random part, as `newId` writes them. */
export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids contain only letters, digits, "_" and "-"');

/** Path parameter `{id}` shared by every route that addresses one resource. */
export const IdParamSchema = z.object({
  id: IdSchema.meta({ param: { name: 'id', in: 'path' }, example: 'cmp_3q2-xYzAbCdEfGhIj' }),
});

/** Body of `GET /health`. */
export const HealthSchema = z.object({ ok: z.literal(true) }).meta({ id: 'Health' });

/** Body of `GET /health`. */
export type Health = z.infer<typeof HealthSchema>;
