import { LinearPattern } from '@gleaner/core';
import { z } from 'zod';

/**
 * A user-supplied regular expression (1 to 1,000 characters) that Gleaner runs on RE2, a linear-time engine: its
 * syntax is RE2's, so backreferences and lookaround are refused, with an issue that names the pattern and says why.
 */
export const PatternSourceSchema = z
  .string()
  .min(1)
  .max(1000)
  .superRefine((source, ctx) => {
    const problem = LinearPattern.check(source);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
  });
