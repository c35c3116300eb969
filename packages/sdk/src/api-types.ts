import type { components, paths } from './openapi-types.js';

type Schemas = components['schemas'];

/** A dataset as `GET /v1/datasets` lists it. */
export type Dataset = Schemas['Dataset'];
/** `GET /v1/datasets/{id}`: counts, text bytes, records per language and host, fetch date range. */
export type DatasetSummary = Schemas['DatasetSummary'];
/** One line of the live feed: a record or a tombstone. */
export type FeedLine = Schemas['FeedLine'];
/** A feed line of `type: "record"`. */
export type DatasetRecord = Schemas['DatasetRecord'];
/** A feed line of `type: "tombstone"`: a record withdrawn after it was published; delete it where you keep it. */
export type Tombstone = Schemas['Tombstone'];
/** The error body every error answer carries. */
export type ErrorResponse = Schemas['ErrorResponse'];

/** Query parameters of `GET /v1/datasets/{id}/records`. */
export type FeedQuery = NonNullable<paths['/v1/datasets/{id}/records']['get']['parameters']['query']>;
/** The feed's filters (every query parameter but the cursor and the page size). */
export type FeedFilters = Omit<FeedQuery, 'cursor' | 'limit'>;
