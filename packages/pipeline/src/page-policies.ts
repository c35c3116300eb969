import type { CampaignSpec, QualitySpec } from '@gleaner/core';
import { FINEWEB_PRESET, GOPHER_PRESET, type QualityFilter } from './quality-filter.js';

/** A campaign's quality filter: its preset, overridden by the fields it sets; undefined when it has none. */
export function qualityFilterOf(spec: CampaignSpec): QualityFilter | undefined {
  const quality: QualitySpec | undefined = spec.quality;
  if (!quality) return undefined;
  const { preset, ...fields } = quality;
  const base = preset === 'gopher' ? GOPHER_PRESET : preset === 'fineweb' ? FINEWEB_PRESET : {};
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { ...base, ...defined };
}
