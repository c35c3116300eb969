import { z } from 'zod';

/** Every error the API returns: a stable `code`, a human-readable `message` and, for bad input, `details`. */
export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'BAD_REQUEST' }),
      message: z.string(),
      details: z
        .unknown()
        .optional()
        .meta({ description: 'Validation issues (for BAD_REQUEST from bad input)' }),
    }),
  })
  .meta({ id: 'ErrorResponse', description: 'The body of every 4xx and 5xx response.' });

/** Every error the API returns. */
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
