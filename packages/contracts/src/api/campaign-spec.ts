import type { CampaignSpec } from '@gleaner/core';
import { z } from 'zod';
import { PatternSourceSchema } from './pattern-source.js';
import { StructuredFieldsSchema } from './structured-fields.js';

const Ratio = z.number().min(0).max(1).optional();

/** A campaign's quality filter: a preset, overridden field by field; bounds inclusive. */
export const QualitySpecSchema = z
  .object({
    preset: z.enum(['none', 'gopher', 'fineweb']).default('none'),
    allowedLanguages: z
      .array(z.string().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i))
      .max(50)
      .optional(),
    minWords: z.number().int().min(0).optional(),
    maxWords: z.number().int().min(1).optional(),
    minMeanWordLength: z.number().min(0).max(100).optional(),
    maxMeanWordLength: z.number().min(0).max(100).optional(),
    maxSymbolToWordRatio: Ratio,
    maxDigitRatio: Ratio,
    minLineEndPunctuationRatio: Ratio,
    maxDuplicateLineRatio: Ratio,
    maxDuplicateParagraphRatio: Ratio,
    maxTop2gramCharRatio: Ratio,
    maxTop3gramCharRatio: Ratio,
    maxTop4gramCharRatio: Ratio,
  })
  .superRefine((q, ctx) => {
    if (q.minWords !== undefined && q.maxWords !== undefined && q.minWords > q.maxWords) {
      ctx.addIssue({ code: 'custom', path: ['minWords'], message: 'minWords is above maxWords' });
    }
    if (
      q.minMeanWordLength !== undefined &&
      q.maxMeanWordLength !== undefined &&
      q.minMeanWordLength > q.maxMeanWordLength
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['minMeanWordLength'],
        message: 'minMeanWordLength is above maxMeanWordLength',
      });
    }
  })
  .meta({
    id: 'CampaignQuality',
    description:
      'Skip pages by quality signals (Gopher / FineWeb measures); fields override the preset. See docs/quality-and-pii.md.',
  });

/** Which kinds of personal data a campaign replaces with placeholders in stored text. */
export const PiiRedactionSchema = z
  .object({
    emails: z.boolean().default(false),
    phones: z.boolean().default(false),
    ipAddresses: z.boolean().default(false),
  })
  .meta({
    id: 'CampaignPiiRedaction',
    description: 'Replace e-mail addresses, phone numbers and IP addresses with [EMAIL], [PHONE], [IP].',
  });

/** Most seeds one campaign may list. */
export const MAX_SEEDS = 1000;
/** Most include or exclude patterns one campaign may list. */
export const MAX_PATTERNS = 100;

const SeedUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
  .max(8192)
  .meta({ example: 'https://example.com/' });

const HostSchema = z
  .string()
  .min(1)
  .max(253)
  .toLowerCase()
  .regex(/^[a-z0-9.-]+$/i, 'must be a bare host name such as "docs.example.com"');

/** How far a campaign may wander from its seeds. */
export const ScopeSchema = z
  .object({
    mode: z.enum(['same-host', 'same-domain', 'hosts']).default('same-host'),
    hosts: z.array(HostSchema).max(MAX_PATTERNS).default([]),
  })
  .superRefine((scope, ctx) => {
    if (scope.mode === 'hosts' && scope.hosts.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['hosts'],
        message: 'scope mode "hosts" needs at least one host',
      });
    }
  })
  .meta({
    id: 'CampaignScope',
    description:
      "`same-host`: the seeds' hosts; `same-domain`: their registrable domains and subdomains; `hosts`: `hosts` only.",
  });

// The description stays as the SDK's generated types have it until they are regenerated; docs/frontier.md gives
// the syntax (RE2's).
const RegexSourceSchema = PatternSourceSchema.meta({
  description: 'A JavaScript regular expression source, matched against the whole URL',
});

/** The campaign spec fields, shared by {@link CampaignSpecSchema} and the create-campaign body. */
export const campaignSpecShape = {
  seeds: z.array(SeedUrlSchema).min(1).max(MAX_SEEDS),
  scope: ScopeSchema.default({ mode: 'same-host', hosts: [] }),
  include: z.array(RegexSourceSchema).max(MAX_PATTERNS).default([]),
  exclude: z.array(RegexSourceSchema).max(MAX_PATTERNS).default([]),
  maxPages: z.number().int().min(1).max(10_000_000).default(1000),
  maxDepth: z.number().int().min(0).max(100).default(3),
  render: z
    .union([z.enum(['never', 'always', 'auto']), z.boolean()])
    .default('never')
    .transform((value): 'never' | 'always' | 'auto' =>
      value === true ? 'always' : value === false ? 'never' : value,
    )
    .meta({
      description:
        'Render pages in a browser: `never` (default), `always`, or `auto` — fetched plainly, and again in a browser when the page looks like it needs JavaScript. `true` and `false` mean `always` and `never`.',
    }),
  maxPagesPerHost: z.number().int().min(1).max(10_000_000).optional(),
  normalization: z
    .object({
      dropParameters: z
        .array(
          z
            .string()
            .trim()
            .min(1)
            .max(200)
            .regex(/^[^*]+\*?$/, 'a parameter name, or a prefix ending in *'),
        )
        .max(200)
        .optional(),
      sortQuery: z.boolean().optional(),
    })
    .optional()
    .meta({
      id: 'CampaignNormalization',
      description:
        'URL normalization: `dropParameters` replaces the default tracking parameters (utm_*, gclid, fbclid, msclkid, mc_cid, mc_eid; `[]` keeps all), `sortQuery` (default true) sorts the query',
    }),
  priority: z.number().int().min(1).max(10).optional().meta({
    description:
      '1 (lowest) to 10 (highest), default 5: when nodes are scarce, due pages of higher-priority campaigns are leased first',
  }),
  allowedContentTypes: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]*$/, 'a media type such as text/html'),
    )
    .min(1)
    .max(32)
    .optional()
    .meta({
      description:
        'Media types (prefixes, e.g. `text/html`) pages may have; nodes refuse others at the headers without downloading them (`BAD_CONTENT_TYPE`). Default: every type nodes accept.',
    }),
  sitemaps: z.array(SeedUrlSchema).max(MAX_SEEDS).optional().meta({
    description: 'Sitemaps to read (indexes and gzipped ones too); their URLs are admitted as seeds',
  }),
  discoverSitemaps: z
    .boolean()
    .optional()
    .meta({ description: "Also read the sitemaps each host's robots.txt lists (default true)" }),
  nofollowLinks: z.enum(['honour', 'ignore']).optional().meta({
    description:
      'Links marked rel="nofollow": `honour` leaves them out (default), `ignore` follows them. A page-level nofollow is always honoured.',
  }),
  politeness: z
    .object({
      minIntervalMs: z.number().int().min(100).max(60_000).default(1000),
      maxInFlight: z.number().int().min(1).max(8).default(2),
    })
    .default({ minIntervalMs: 1000, maxInFlight: 2 })
    .meta({
      id: 'CampaignPoliteness',
      description:
        "Per host: at least `minIntervalMs` between requests (or the host's Crawl-delay, if longer) and at most `maxInFlight` at once, whatever the number of nodes.",
    }),
  quality: QualitySpecSchema.optional(),
  redactPii: PiiRedactionSchema.optional(),
  structuredFields: StructuredFieldsSchema.optional(),
  recrawl: z
    .object({
      intervalMs: z
        .number()
        .int()
        .min(1000)
        .max(366 * 24 * 3600 * 1000),
      rounds: z.number().int().min(1).max(100_000).optional(),
    })
    .optional()
    .meta({
      id: 'CampaignRecrawl',
      description:
        'Fetch the recorded pages again `intervalMs` after each round completes (conditional requests: an unchanged page costs a 304 and keeps its record, a changed one gets a new record version); `rounds` recrawls at most, unlimited when absent.',
    }),
  snapshots: z
    .object({
      afterEachRound: z.boolean().default(true),
      everyHours: z
        .number()
        .min(0.25)
        .max(24 * 366)
        .optional(),
      license: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.+-]{0,63}$/, 'a Hugging Face licence id such as cc-by-4.0')
        .optional(),
      description: z.string().max(4000).optional(),
    })
    .optional()
    .meta({
      id: 'CampaignSnapshots',
      description:
        "Snapshots of the campaign's dataset cut automatically: when the campaign completes and after each recrawl round (`afterEachRound`, default true), and every `everyHours` while it runs; `license` and `description` go into each snapshot's dataset card.",
    }),
};

/**
 * A campaign spec as callers send it, validated and defaulted into core's `CampaignSpec`: seeds are 1..1000
 * absolute http(s) URLs; scope defaults to `same-host`; include/exclude patterns must be RE2 regular expressions (run in linear time); `maxPages`
 * defaults to 1000 (1..10,000,000), `maxDepth` to 3 (0..100), `render` to `never`; `maxPagesPerHost` is
 * unlimited unless given; politeness defaults to 1 s between requests and 2 in flight per host.
 */
export const CampaignSpecSchema = z.object(campaignSpecShape).meta({ id: 'CampaignSpec' });

/** A campaign spec as callers may send it (defaults not yet applied). */
export type CampaignSpecInput = z.input<typeof CampaignSpecSchema>;

/** Validates and defaults a spec (quality filter, PII redaction and structured fields are optional); throws zod's `ZodError` when it is invalid. */
export function parseCampaignSpec(input: unknown): CampaignSpec {
  return CampaignSpecSchema.parse(input);
}
