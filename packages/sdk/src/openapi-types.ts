/**
 * The coordinator's API as openapi-typescript reads its /openapi.json. Generated: do not edit. After an API change,
 * regenerate with `npx vitest run apps/cli/src/pull-openapi-types.test.ts -u`; the test fails while this file
 * and the live document disagree.
 */
export interface paths {
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness check (no auth) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The API is up */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Health'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List campaigns, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Every campaign */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CampaignList'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    /** Create a campaign and queue its seeds (or keep it as a draft) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description A name and the campaign spec */
      requestBody: {
        content: {
          'application/json': components['schemas']['CreateCampaignBody'];
        };
      };
      responses: {
        /** @description The new campaign: running, or a draft */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Campaign'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/start': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start a draft campaign: it runs and its seeds are queued
     * @description Only a draft can be started; starting a running campaign is a no-op; anything else is a 409.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The running campaign */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Campaign'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not allowed in the current state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a campaign */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The campaign */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Campaign'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Pause a campaign
     * @description Moves the campaign to `paused`; already `paused` is a no-op; an illegal move is a 409.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The updated campaign */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Campaign'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not allowed in the current state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Resume a campaign
     * @description Moves the campaign to `running`; already `running` is a no-op; an illegal move is a 409.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The updated campaign */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Campaign'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not allowed in the current state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel a campaign
     * @description Moves the campaign to `cancelled`; already `cancelled` is a no-op; an illegal move is a 409.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The updated campaign */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Campaign'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not allowed in the current state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a campaign's progress counts */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Counts and status */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CampaignStats'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/urls': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a campaign's URLs by id, optionally in one state and on one host */
    get: {
      parameters: {
        query?: {
          state?: components['schemas']['UrlState'];
          /** @description Only URLs on this host (with its port, if any) */
          host?: string;
          limit?: number;
          /** @description Return URLs with an id above this one */
          after?: number | null;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description One page of URLs */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CampaignUrlList'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Live progress as server-sent events: a `stats` event every second, `end` when the campaign ends */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A text/event-stream of `stats` events (the stats body as JSON) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/event-stream': string;
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/spec': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Replace a paused or draft campaign's spec (name, seeds, scope, limits, pace); a paused campaign's new seeds are queued at once */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      /** @description A name and the new campaign spec */
      requestBody: {
        content: {
          'application/json': components['schemas']['CampaignBody'];
        };
      };
      responses: {
        /** @description The campaign with its new spec */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Campaign'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not allowed in the current state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/owners': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a contributor account (its owner token is shown once) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The contributor name */
      requestBody: {
        content: {
          'application/json': components['schemas']['CreateOwnerBody'];
        };
      };
      responses: {
        /** @description The account and its token */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreatedOwner'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/nodes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Register a node's Ed25519 public key (409 once the owner has the most nodes allowed) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The public key (SPKI PEM) and an optional name */
      requestBody: {
        content: {
          'application/json': components['schemas']['RegisterNodeBody'];
        };
      };
      responses: {
        /** @description The node id */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RegisteredNode'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not allowed in the current state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The calling contributor and their points */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The contributor */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Me'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/nodes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's nodes with their points and when each was last seen */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The nodes, oldest first */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ContributorNodeList'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List API keys, newest first (never the keys themselves) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Every key, revoked ones included */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApiKeyList'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    /**
     * Create a lab API key (the key is shown once)
     * @description Scopes default to `datasets:read`; add `raw:read` for raw bodies. Every limit is off unless given: `datasetIds` (the only datasets it reads), `expiresAt`, `recordsPerDay` and `bytesPerDay` (per UTC day), `requestsPerMinute`. Limits hold over every coordinator; a key over one gets 429 with `Retry-After`.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description A name, scopes and limits */
      requestBody: {
        content: {
          'application/json': components['schemas']['CreateApiKeyBody'];
        };
      };
      responses: {
        /** @description The key, shown once */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreatedApiKey'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Revoked (revoking twice is a no-op) */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api-keys/{id}/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A key's requests, feed records and bytes per UTC day, today first
     * @description Bytes are uncompressed feed lines plus raw bodies. Usage is kept for 90 days.
     */
    get: {
      parameters: {
        query?: {
          days?: number;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description One entry per day, zeros for days without use */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApiKeyUsage'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/nodes/keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every node's Ed25519 public key, to check the signatures in records' provenance (no auth)
     * @description Ordered by node id, `limit` at a time: pass `next` as `after` for the next page. A node signs every result it returns; a record keeps that signature in `provenance.signature`. Public keys only, so anyone may read and cache them (`Cache-Control: public, max-age=300`).
     */
    get: {
      parameters: {
        query?: {
          /** @description The `next` of the previous page; omit to start */
          after?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description One page of node keys */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NodeKeyList'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/datasets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List datasets, newest first (those the key may read) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Every dataset the key may read */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DatasetList'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Credentials lack the needed scope */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/datasets/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A dataset's counts, bytes, languages, hosts and date range */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The summary */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DatasetSummary'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Credentials lack the needed scope */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/datasets/{id}/records': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read a dataset's live feed as NDJSON: records, and tombstones of withdrawn ones
     * @description Pass the `Gleaner-Next-Cursor` header of each page as `cursor` to read the next one; every line appears exactly once, in a stable order, and a cursor never skips a late commit. Lines are told apart by `type`: `record`, or `tombstone` for a record withdrawn after it was published (delete it). An empty page returns the same cursor: poll it later for more. Filters apply to records and their tombstones alike; keep them the same for the whole walk. Answers in zstd or gzip when `Accept-Encoding` asks. A records quota cuts a page to the records left today.
     */
    get: {
      parameters: {
        query?: {
          /** @description The `Gleaner-Next-Cursor` header of the previous page; omit to start from the beginning */
          cursor?: string;
          limit?: number;
          /** @description Only records in this language: `en` matches `en` and `en-*`, `en-GB` only itself */
          language?: string;
          /** @description Only records whose final URL is on this host */
          host?: string;
          /** @description Only records whose `quality.lineEndPunctuationRatio` (share of lines ending in terminal punctuation, FineWeb's signal: running prose scores high, menus and link lists low) is at least this; 0 to 1 */
          minQuality?: number | null;
          /** @description Only records fetched at or after this instant (ISO 8601) */
          fetchedSince?: string;
          /** @description Only records of this crawl round */
          round?: number | null;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Up to `limit` lines, one JSON object per line */
        200: {
          headers: {
            /** @description Cursor of the next page */
            'Gleaner-Next-Cursor': string;
            /** @description Record lines in this page */
            'Gleaner-Record-Count': string;
            /** @description Tombstone lines in this page */
            'Gleaner-Tombstone-Count': string;
            [name: string]: unknown;
          };
          content: {
            'application/x-ndjson': components['schemas']['FeedLine'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Credentials lack the needed scope */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/datasets/{id}/records/{recordId}/raw': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The raw response body a live record was extracted from (needs the `raw:read` scope)
     * @description Served with the page's own `Content-Type`, in a sandbox (`Content-Security-Policy: sandbox`) so a page never runs as this origin. Its SHA-256 is the record's `bodySha256`. Counts against the bytes quota.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          recordId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The body, byte for byte */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/octet-stream': string;
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Credentials lack the needed scope */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/datasets/{id}/records/{recordId}/withdraw': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Withdraw a record: it leaves the live feed, which then carries its tombstone
     * @description The record disappears from the feed and the summary; readers following the cursor get a `{"type":"tombstone"}` line for it after its original position. Withdrawing again returns the first tombstone.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          recordId: string;
        };
        cookie?: never;
      };
      /** @description Why */
      requestBody: {
        content: {
          'application/json': components['schemas']['WithdrawRecordBody'];
        };
      };
      responses: {
        /** @description The tombstone the feed serves */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Tombstone'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/datasets/{id}/snapshots': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A dataset's snapshots, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The snapshots, in every state */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SnapshotList'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Credentials lack the needed scope */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    /**
     * Cut a snapshot of a dataset as it stands now; the worker builds and publishes it
     * @description The snapshot holds every record committed before this request that is not withdrawn; it is built in the background (poll `GET /v1/datasets/{id}/snapshots/{snapshotId}` until `state` is `published`) and never changes after. Campaigns can also cut snapshots automatically (`snapshots` in the campaign spec).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Requested: the snapshot is building */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Snapshot'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/datasets/{id}/snapshots/{snapshotId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One snapshot (or `latest`, the newest published) with the path, size and SHA-256 of each file
     * @description Each file says whether it holds raw responses (`raw`: the WARC files and their index, which need the `raw:read` scope), and `rawAccess` whether the key asking may download those, so that a client without it can leave them out instead of meeting a 403.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          /** @description A snapshot id, or `latest` */
          snapshotId: string | 'latest';
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The snapshot; `files` is empty until it is published */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SnapshotDetail'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Credentials lack the needed scope */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/datasets/{id}/snapshots/{snapshotId}/files/{path}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download one file of a published snapshot; byte ranges resume an interrupted download
     * @description The path is one the snapshot lists (slashes included, as in `data/train-00000-of-00001.parquet`). Answers `ETag` (the SHA-256), `Accept-Ranges: bytes`, and `206` with `Content-Range` for a `Range: bytes=N-` (or `N-M`, `-N`) request; `416` when the range starts past the end. WARC files hold the raw responses and need the `raw:read` scope as well. Counts against the bytes quota.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          /** @description A snapshot id, or `latest` */
          snapshotId: string | 'latest';
          /** @description A path the snapshot lists, such as `manifest.json` */
          path: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The whole file */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/octet-stream': string;
          };
        };
        /** @description The range asked for */
        206: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/octet-stream': string;
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Credentials lack the needed scope */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description The range starts past the end of the file */
        416: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/nodes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Nodes with their owner, trust, standing, network and ban, newest first */
    get: {
      parameters: {
        query?: {
          /** @description The previous page's `next` */
          offset?: number | null;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of nodes */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminNodeList'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/nodes/{id}/ban': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ban a node: it may not connect, its pending points are voided and its unverified records withdrawn */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      /** @description Why */
      requestBody: {
        content: {
          'application/json': components['schemas']['BanBody'];
        };
      };
      responses: {
        /** @description The node, banned (a node banned before keeps its first reason) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NodeBanResult'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/nodes/{id}/unban': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Lift a node ban: it starts over on probation (voided points and withdrawn records stay so) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The node */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NodeBanResult'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/owners/{id}/ban': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ban an owner: none of its nodes may connect, and each node's ban is carried out */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      /** @description Why */
      requestBody: {
        content: {
          'application/json': components['schemas']['BanBody'];
        };
      };
      responses: {
        /** @description The owner and its nodes */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['OwnerBanResult'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/owners/{id}/unban': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Lift an owner ban and its nodes' bans that came with it (other node bans stay) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The owner and the nodes unbanned */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['OwnerBanResult'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/owners/{id}/token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Issue an owner a new token (shown once); the owner's previous token stops working */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The new token */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['OwnerToken'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/earnings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's points by UTC day, epoch, campaign and node: pending, settled, voided, reversed */
    get: {
      parameters: {
        query?: {
          days?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Earnings and all-time totals */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Earnings'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Rotate the owner token: the new one is shown once, the one presented stops working at once (403 with a paired node's token, which may not replace the account's own) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The new token */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['OwnerToken'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Credentials lack the needed scope */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    /** Revoke the token presented: the account has no valid token of its own until an admin issues one (POST /v1/admin/owners/{id}/token), its nodes keep their keys; a paired node's token revokes that one alone */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Revoked */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/profile': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Opt in to the leaderboard with a display name, or out with null */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The display name, or null */
      requestBody: {
        content: {
          'application/json': components['schemas']['ProfileBody'];
        };
      };
      responses: {
        /** @description The profile now */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Profile'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Credentials lack the needed scope */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/leaderboard': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Owners who opted in, by settled points (display names only; no auth) */
    get: {
      parameters: {
        query?: {
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The leaderboard */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Leaderboard'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/nodes/{nodeId}/outcomes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What became of the caller's node's fetches: records, duplicates and withdrawn records with their points (pending, settled, voided, reversed), by last change */
    get: {
      parameters: {
        query?: {
          /** @description Outcomes changed at or after this instant (default: all) */
          since?: string;
          /** @description The `next` of the previous page: the page starts after it */
          after?: string;
          limit?: number;
        };
        header?: never;
        path: {
          nodeId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of outcomes, oldest change first */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NodeOutcomes'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/nodes/{nodeId}/outcomes/urls': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The state of URLs the caller's node fetched that have no outcome of their own: failed (with its error code), rejected, waiting or done (a failure is kept on the URL, not with the node that fetched it) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          nodeId: string;
        };
        cookie?: never;
      };
      /** @description Campaign ids and URLs */
      requestBody: {
        content: {
          'application/json': components['schemas']['UrlOutcomesBody'];
        };
      };
      responses: {
        /** @description The URLs known */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['UrlOutcomes'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/epochs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Reward epochs, newest first, with their Merkle root and total once closed (no auth) */
    get: {
      parameters: {
        query?: {
          /** @description The `next` of the previous page */
          before?: number | null;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of epochs */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['EpochList'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/epochs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A closed epoch's published file: balances, Merkle tree, root and signature (no auth) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: number | null;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The file, never changed after the close */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['EpochFile'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not allowed in the current state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/epochs/{id}/proof': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's balance in a closed epoch and its Merkle proof (for StandardMerkleTree.verify) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: number | null;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The leaf and its proof */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['EpochProof'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not allowed in the current state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/signing-key': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The coordinator's Ed25519 public key and key id: what epoch files and snapshot manifests are signed with */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The public key */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SigningKey'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List webhook endpoints, oldest first (never their secrets) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Every endpoint not deleted */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookEndpointList'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    /**
     * Register a webhook endpoint (its signing secret is shown once)
     * @description Events: `snapshot.published`, `campaign.completed`, `records.withdrawn` (docs/webhooks.md has their payloads). Deliveries are signed per Standard Webhooks with the returned `whsec_` secret and retried with back-off (5 s, 30 s, 2 min, 10 min, 1 h) until a 2xx answer; the URL must be absolute http or https.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The URL, the events it receives and a description */
      requestBody: {
        content: {
          'application/json': components['schemas']['CreateWebhookBody'];
        };
      };
      responses: {
        /** @description The endpoint and its secret, shown once */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreatedWebhookEndpoint'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete a webhook endpoint
     * @description It receives nothing more; deliveries still pending fail. Its delivery log stays readable.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An endpoint's delivery log, newest first
     * @description One entry per event sent to the endpoint, with its state (`pending`, `delivered`, `failed`), attempts and the latest attempt's status, error and response time. Pages with `limit` and `before` (the previous page's `next`).
     */
    get: {
      parameters: {
        query?: {
          limit?: number;
          before?: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description One page of the log */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookDeliveryPage'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}/ping': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a test event to an endpoint now and answer with the outcome
     * @description Sends one signed `webhook.ping` (`data: { endpointId }`), whatever the endpoint subscribed to, and waits for the answer. A ping is tried once, never retried; it appears in the delivery log.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The attempt's outcome (`delivered` is true for a 2xx) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookPingResult'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/removals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Ask for a site's removal (answered with the token that proves control of it)
     * @description Publish the returned `token` as a line of `/.well-known/gleaner-removal.txt` on the host (served as `text/plain` by the host itself, no redirect), then call `POST /v1/removals/{id}/verify`. No credential is needed; calls are limited per client network and per host (docs/site-owners.md).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The host to remove */
      requestBody: {
        content: {
          'application/json': components['schemas']['CreateRemovalBody'];
        };
      };
      responses: {
        /** @description The request, pending until its token is found */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SiteRemoval'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/removals/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A removal request and its state */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The request */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SiteRemoval'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/removals/{id}/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Look for the token on the site; when found, withdraw the host's records and deny it
     * @description Fetches `https://<host>/.well-known/gleaner-removal.txt`, then `http://…`, behind the private-network guard. Found: the request is `verified`, every record of the host leaves every dataset (a tombstone in each feed) and no campaign fetches the host again. Not found: the request stays `pending` and `lastError` says why. Verifying a verified request again withdraws anything left.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The request after this attempt */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SiteRemoval'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/account-policy': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who may create a contributor account here (no auth) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The policy */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AccountPolicyBody'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pairings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start pairing a node by code: give its public key, get a device code to poll with and a user code to show */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The node's public key (SPKI PEM) and an optional name */
      requestBody: {
        content: {
          'application/json': components['schemas']['RegisterNodeBody'];
        };
      };
      responses: {
        /** @description The codes, their lifetime and the polling interval */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['StartedPairing'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pairings/token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A node's poll: pending, slow_down, expired, or approved with its node id and owner token (once) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The device code */
      requestBody: {
        content: {
          'application/json': components['schemas']['PairingTokenBody'];
        };
      };
      responses: {
        /** @description Where the pairing stands */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PairingPoll'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not allowed in the current state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pairings/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve a node's user code as its owner: registers the node for you (409 at the node cap) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The user code the node shows */
      requestBody: {
        content: {
          'application/json': components['schemas']['ApprovePairingBody'];
        };
      };
      responses: {
        /** @description The node registered */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApprovedPairing'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not allowed in the current state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pairings/signup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a contributor account and approve a node with it, as the account policy allows (invite: with an invite code) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The user code, a name and, under the invite policy, the invite code */
      requestBody: {
        content: {
          'application/json': components['schemas']['PairingSignupBody'];
        };
      };
      responses: {
        /** @description The account with its owner token (shown once) and the node */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PairingSignup'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Credentials lack the needed scope */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Not found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/owner-invites': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every invite code, newest first (never the codes) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The invites */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['OwnerInviteList'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    put?: never;
    /** Make an invite code for one new contributor (the invite account policy); shown once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description A note and how long it stays valid */
      requestBody: {
        content: {
          'application/json': components['schemas']['CreateInviteBody'];
        };
      };
      responses: {
        /** @description The invite and its code */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreatedInvite'];
          };
        };
        /** @description Invalid input */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
        /** @description Missing or invalid credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ErrorResponse'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Health: {
      /** @enum {boolean} */
      ok: true;
    };
    Campaign: {
      id: string;
      name: string;
      status: components['schemas']['CampaignStatus'];
      spec: components['schemas']['CampaignSpec'];
      datasetId: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      updatedAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      completedAt: string | null;
      /** @description Crawl round: 0 for the first crawl, then one per recrawl */
      round: number;
      /**
       * Format: date-time
       * @description When the next recrawl round starts (a completed campaign with a recrawl schedule)
       */
      nextRecrawlAt: string | null;
    };
    /** @enum {string} */
    CampaignStatus: 'draft' | 'running' | 'paused' | 'completed' | 'cancelled';
    CampaignSpec: {
      seeds: string[];
      scope?: components['schemas']['CampaignScope'];
      /** @default [] */
      include: string[];
      /** @default [] */
      exclude: string[];
      /** @default 1000 */
      maxPages: number;
      /** @default 3 */
      maxDepth: number;
      /**
       * @description Render pages in a browser: `never` (default), `always`, or `auto` — fetched plainly, and again in a browser when the page looks like it needs JavaScript. `true` and `false` mean `always` and `never`.
       * @default never
       */
      render: ('never' | 'always' | 'auto') | boolean;
      maxPagesPerHost?: number;
      normalization?: components['schemas']['CampaignNormalization'];
      /** @description 1 (lowest) to 10 (highest), default 5: when nodes are scarce, due pages of higher-priority campaigns are leased first */
      priority?: number;
      /** @description Media types (prefixes, e.g. `text/html`) pages may have; nodes refuse others at the headers without downloading them (`BAD_CONTENT_TYPE`). Default: every type nodes accept. */
      allowedContentTypes?: string[];
      /** @description Sitemaps to read (indexes and gzipped ones too); their URLs are admitted as seeds */
      sitemaps?: string[];
      /** @description Also read the sitemaps each host's robots.txt lists (default true) */
      discoverSitemaps?: boolean;
      /**
       * @description Links marked rel="nofollow": `honour` leaves them out (default), `ignore` follows them. A page-level nofollow is always honoured.
       * @enum {string}
       */
      nofollowLinks?: 'honour' | 'ignore';
      politeness?: components['schemas']['CampaignPoliteness'];
      quality?: components['schemas']['CampaignQuality'];
      redactPii?: components['schemas']['CampaignPiiRedaction'];
      structuredFields?: components['schemas']['StructuredFields'];
      recrawl?: components['schemas']['CampaignRecrawl'];
      snapshots?: components['schemas']['CampaignSnapshots'];
    };
    /**
     * @description `same-host`: the seeds' hosts; `same-domain`: their registrable domains and subdomains; `hosts`: `hosts` only.
     * @default {
     *       "mode": "same-host",
     *       "hosts": []
     *     }
     */
    CampaignScope: {
      /**
       * @default same-host
       * @enum {string}
       */
      mode: 'same-host' | 'same-domain' | 'hosts';
      /** @default [] */
      hosts: string[];
    };
    /** @description URL normalization: `dropParameters` replaces the default tracking parameters (utm_*, gclid, fbclid, msclkid, mc_cid, mc_eid; `[]` keeps all), `sortQuery` (default true) sorts the query */
    CampaignNormalization: {
      dropParameters?: string[];
      sortQuery?: boolean;
    };
    /**
     * @description Per host: at least `minIntervalMs` between requests (or the host's Crawl-delay, if longer) and at most `maxInFlight` at once, whatever the number of nodes.
     * @default {
     *       "minIntervalMs": 1000,
     *       "maxInFlight": 2
     *     }
     */
    CampaignPoliteness: {
      /** @default 1000 */
      minIntervalMs: number;
      /** @default 2 */
      maxInFlight: number;
    };
    /** @description Skip pages by quality signals (Gopher / FineWeb measures); fields override the preset. See docs/quality-and-pii.md. */
    CampaignQuality: {
      /**
       * @default none
       * @enum {string}
       */
      preset: 'none' | 'gopher' | 'fineweb';
      allowedLanguages?: string[];
      minWords?: number;
      maxWords?: number;
      minMeanWordLength?: number;
      maxMeanWordLength?: number;
      maxSymbolToWordRatio?: number;
      maxDigitRatio?: number;
      minLineEndPunctuationRatio?: number;
      maxDuplicateLineRatio?: number;
      maxDuplicateParagraphRatio?: number;
      maxTop2gramCharRatio?: number;
      maxTop3gramCharRatio?: number;
      maxTop4gramCharRatio?: number;
    };
    /** @description Replace e-mail addresses, phone numbers and IP addresses with [EMAIL], [PHONE], [IP]. */
    CampaignPiiRedaction: {
      /** @default false */
      emails: boolean;
      /** @default false */
      phones: boolean;
      /** @default false */
      ipAddresses: boolean;
    };
    StructuredFields: components['schemas']['StructuredFieldRule'][];
    StructuredFieldRule: {
      /** @example price */
      name: string;
      /** @example article .price */
      selector: string;
      /** @description Read this attribute instead of the text; `href` and `src` resolve to absolute URLs */
      attribute?: string;
      /** @enum {string} */
      type: 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'url';
      /** @default false */
      list: boolean;
      /** @default false */
      required: boolean;
      default?: string | number | boolean | null;
      /** @description A JavaScript regular expression (compiled with the `u` flag) the value must match; capture group 1, if any, becomes the value */
      pattern?: string;
      /** @default true */
      trim: boolean;
      /**
       * @description For `number` and `integer` fields: the decimal separator the site uses
       * @enum {string}
       */
      decimalSeparator?: '.' | ',';
    };
    /** @description Fetch the recorded pages again `intervalMs` after each round completes (conditional requests: an unchanged page costs a 304 and keeps its record, a changed one gets a new record version); `rounds` recrawls at most, unlimited when absent. */
    CampaignRecrawl: {
      intervalMs: number;
      rounds?: number;
    };
    /** @description Snapshots of the campaign's dataset cut automatically: when the campaign completes and after each recrawl round (`afterEachRound`, default true), and every `everyHours` while it runs; `license` and `description` go into each snapshot's dataset card. */
    CampaignSnapshots: {
      /** @default true */
      afterEachRound: boolean;
      everyHours?: number;
      license?: string;
      description?: string;
    };
    /** @description The body of every 4xx and 5xx response. */
    ErrorResponse: {
      error: {
        /** @example BAD_REQUEST */
        code: string;
        message: string;
        /** @description Validation issues (for BAD_REQUEST from bad input) */
        details?: unknown;
      };
    };
    CreateCampaignBody: {
      name: string;
      seeds: string[];
      scope?: components['schemas']['CampaignScope'];
      /** @default [] */
      include: string[];
      /** @default [] */
      exclude: string[];
      /** @default 1000 */
      maxPages: number;
      /** @default 3 */
      maxDepth: number;
      /**
       * @description Render pages in a browser: `never` (default), `always`, or `auto` — fetched plainly, and again in a browser when the page looks like it needs JavaScript. `true` and `false` mean `always` and `never`.
       * @default never
       */
      render: ('never' | 'always' | 'auto') | boolean;
      maxPagesPerHost?: number;
      normalization?: components['schemas']['CampaignNormalization'];
      /** @description 1 (lowest) to 10 (highest), default 5: when nodes are scarce, due pages of higher-priority campaigns are leased first */
      priority?: number;
      /** @description Media types (prefixes, e.g. `text/html`) pages may have; nodes refuse others at the headers without downloading them (`BAD_CONTENT_TYPE`). Default: every type nodes accept. */
      allowedContentTypes?: string[];
      /** @description Sitemaps to read (indexes and gzipped ones too); their URLs are admitted as seeds */
      sitemaps?: string[];
      /** @description Also read the sitemaps each host's robots.txt lists (default true) */
      discoverSitemaps?: boolean;
      /**
       * @description Links marked rel="nofollow": `honour` leaves them out (default), `ignore` follows them. A page-level nofollow is always honoured.
       * @enum {string}
       */
      nofollowLinks?: 'honour' | 'ignore';
      politeness?: components['schemas']['CampaignPoliteness'];
      quality?: components['schemas']['CampaignQuality'];
      redactPii?: components['schemas']['CampaignPiiRedaction'];
      structuredFields?: components['schemas']['StructuredFields'];
      recrawl?: components['schemas']['CampaignRecrawl'];
      snapshots?: components['schemas']['CampaignSnapshots'];
      /**
       * @description Create the campaign as a draft: editable, nothing fetched until `POST …/start`
       * @default false
       */
      draft: boolean;
    };
    CampaignList: {
      campaigns: components['schemas']['Campaign'][];
    };
    CampaignStats: {
      campaignId: string;
      status: components['schemas']['CampaignStatus'];
      /** @description Crawl round: 0 for the first crawl, then one per recrawl */
      round: number;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      nextRecrawlAt: string | null;
      urls: {
        /** @description URLs waiting for their fetch or being fetched now (a lease lives in the queue, not here) */
        queued: number;
        /** @description URLs an older version marked as being fetched; no longer written (they count as queued) */
        leased: number;
        /** @description URLs fetched and being processed */
        fetched: number;
        done: number;
        duplicate: number;
        failed: number;
        skipped: number;
        cancelled: number;
      };
      records: number;
      duplicates: number;
      points: number;
      textBytes: number;
      /** @description Bytes of the response bodies nodes returned for the campaign's pages */
      fetchedBytes: number;
      /** @description URLs finished per second over the last minute */
      pagesPerSecond: number;
      /** @description Seconds until the queued URLs are done at the current rate; null when unknown */
      etaSeconds: number | null;
      /** @description Why a running campaign with URLs queued is not moving, in words: no node connected, every node paused, or pages that need rendering and no rendering node */
      warnings: string[];
    };
    CampaignUrlList: {
      urls: components['schemas']['CampaignUrl'][];
      next: number | null;
    };
    CampaignUrl: {
      id: number;
      url: string;
      host: string;
      depth: number;
      state: components['schemas']['UrlState'];
      attempts: number;
      errorCode: string | null;
      errorMessage: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      updatedAt: string;
    };
    /** @enum {string} */
    UrlState: 'queued' | 'leased' | 'fetched' | 'done' | 'duplicate' | 'failed' | 'skipped' | 'cancelled';
    CampaignBody: {
      name: string;
      seeds: string[];
      scope?: components['schemas']['CampaignScope'];
      /** @default [] */
      include: string[];
      /** @default [] */
      exclude: string[];
      /** @default 1000 */
      maxPages: number;
      /** @default 3 */
      maxDepth: number;
      /**
       * @description Render pages in a browser: `never` (default), `always`, or `auto` — fetched plainly, and again in a browser when the page looks like it needs JavaScript. `true` and `false` mean `always` and `never`.
       * @default never
       */
      render: ('never' | 'always' | 'auto') | boolean;
      maxPagesPerHost?: number;
      normalization?: components['schemas']['CampaignNormalization'];
      /** @description 1 (lowest) to 10 (highest), default 5: when nodes are scarce, due pages of higher-priority campaigns are leased first */
      priority?: number;
      /** @description Media types (prefixes, e.g. `text/html`) pages may have; nodes refuse others at the headers without downloading them (`BAD_CONTENT_TYPE`). Default: every type nodes accept. */
      allowedContentTypes?: string[];
      /** @description Sitemaps to read (indexes and gzipped ones too); their URLs are admitted as seeds */
      sitemaps?: string[];
      /** @description Also read the sitemaps each host's robots.txt lists (default true) */
      discoverSitemaps?: boolean;
      /**
       * @description Links marked rel="nofollow": `honour` leaves them out (default), `ignore` follows them. A page-level nofollow is always honoured.
       * @enum {string}
       */
      nofollowLinks?: 'honour' | 'ignore';
      politeness?: components['schemas']['CampaignPoliteness'];
      quality?: components['schemas']['CampaignQuality'];
      redactPii?: components['schemas']['CampaignPiiRedaction'];
      structuredFields?: components['schemas']['StructuredFields'];
      recrawl?: components['schemas']['CampaignRecrawl'];
      snapshots?: components['schemas']['CampaignSnapshots'];
    };
    CreatedOwner: {
      id: string;
      name: string;
      /** @description Shown once; store it now */
      token: string;
    };
    CreateOwnerBody: {
      name: string;
    };
    RegisteredNode: {
      nodeId: string;
      ownerId: string;
    };
    RegisterNodeBody: {
      /** @description Ed25519 public key, SPKI PEM */
      publicKey: string;
      name?: string;
    };
    Me: {
      id: string;
      name: string;
      points: number;
    };
    ContributorNodeList: {
      nodes: components['schemas']['ContributorNode'][];
    };
    ContributorNode: {
      id: string;
      name: string;
      publicKey: string;
      points: number;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      lastSeenAt: string | null;
    };
    CreatedApiKey: {
      id: string;
      name: string;
      /** @description First characters of the key, to recognise it */
      prefix: string;
      scopes: string[];
      /** @description The only datasets the key may read; null for every dataset */
      datasetIds: string[] | null;
      /**
       * Format: date-time
       * @description When the key stops working; null for never
       */
      expiresAt: string | null;
      /** @description Most feed records served per UTC day (then 429 until midnight UTC) */
      recordsPerDay: number | null;
      /** @description Most bytes served per UTC day: uncompressed feed lines plus raw bodies (then 429 until midnight UTC) */
      bytesPerDay: number | null;
      /** @description Most requests per minute, over every coordinator (then 429 with Retry-After) */
      requestsPerMinute: number | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
      /** @description Shown once; store it now */
      key: string;
    };
    CreateApiKeyBody: {
      name: string;
      /**
       * @default [
       *       "datasets:read"
       *     ]
       */
      scopes: components['schemas']['ApiKeyScope'][];
      /** @description The only datasets the key may read; null for every dataset */
      datasetIds?: string[] | null;
      /**
       * Format: date-time
       * @description When the key stops working; null for never
       */
      expiresAt?: string | null;
      /** @description Most feed records served per UTC day (then 429 until midnight UTC) */
      recordsPerDay?: number | null;
      /** @description Most bytes served per UTC day: uncompressed feed lines plus raw bodies (then 429 until midnight UTC) */
      bytesPerDay?: number | null;
      /** @description Most requests per minute, over every coordinator (then 429 with Retry-After) */
      requestsPerMinute?: number | null;
    };
    /** @enum {string} */
    ApiKeyScope: 'datasets:read' | 'raw:read';
    ApiKeyList: {
      apiKeys: components['schemas']['ApiKey'][];
    };
    ApiKey: {
      id: string;
      name: string;
      /** @description First characters of the key, to recognise it */
      prefix: string;
      scopes: string[];
      /** @description The only datasets the key may read; null for every dataset */
      datasetIds: string[] | null;
      /**
       * Format: date-time
       * @description When the key stops working; null for never
       */
      expiresAt: string | null;
      /** @description Most feed records served per UTC day (then 429 until midnight UTC) */
      recordsPerDay: number | null;
      /** @description Most bytes served per UTC day: uncompressed feed lines plus raw bodies (then 429 until midnight UTC) */
      bytesPerDay: number | null;
      /** @description Most requests per minute, over every coordinator (then 429 with Retry-After) */
      requestsPerMinute: number | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      revokedAt: string | null;
      /**
       * Format: date-time
       * @description Last use, written at most once a minute
       */
      lastUsedAt: string | null;
    };
    ApiKeyUsage: {
      apiKeyId: string;
      days: components['schemas']['ApiKeyDayUsage'][];
    };
    ApiKeyDayUsage: {
      /**
       * Format: date
       * @description The UTC day
       */
      day: string;
      /** @description Requests let through */
      requests: number;
      /** @description Feed records served */
      records: number;
      /** @description Bytes served: uncompressed feed lines plus raw bodies */
      bytes: number;
    };
    NodeKeyList: {
      keys: components['schemas']['NodeKey'][];
      /** @description Pass as `after` for the next page; null on the last page */
      next: string | null;
    };
    NodeKey: {
      nodeId: string;
      /** @description Ed25519 public key, SPKI PEM */
      publicKey: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
    };
    DatasetList: {
      datasets: components['schemas']['Dataset'][];
    };
    Dataset: {
      id: string;
      name: string;
      campaignId: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
    };
    DatasetSummary: {
      id: string;
      name: string;
      campaignId: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
      /** @description Live records (withdrawn ones are not counted anywhere else) */
      records: number;
      /** @description Records withdrawn from the dataset */
      withdrawn: number;
      duplicates: number;
      textBytes: number;
      /** @description Records per language (`und`: unknown) */
      languages: {
        [key: string]: number;
      };
      /** @description Records per host */
      hosts: {
        [key: string]: number;
      };
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      firstFetchedAt: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      lastFetchedAt: string | null;
    };
    FeedLine: components['schemas']['DatasetRecord'] | components['schemas']['Tombstone'];
    DatasetRecord: {
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'record';
      id: string;
      url: string;
      finalUrl: string;
      host: string;
      status: number;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      fetchedAt: string;
      nodeId: string;
      title: string | null;
      text: string;
      markdown: string;
      language: string | null;
      /** @description SHA-256 (hex) of the raw body, as the node signed it */
      bodySha256: string;
      blobKey: string;
      contentType: string | null;
      /** @description Response headers (lower-case names), without set-cookie */
      httpHeaders: {
        [key: string]: string;
      } | null;
      provenance: components['schemas']['RecordProvenance'];
      /** @description How robots.txt allowed the fetch: `allowed`, `allowed:no-robots-txt` (the host has none), `allowed:expired`; null on records older than this field */
      robots: string | null;
      /** @description What the site said of the page besides robots.txt; null on records older than this field */
      siteSignals: {
        /** @description Robots directives for Gleaner from meta robots and X-Robots-Tag, lower case, sorted (`nofollow`, `noarchive`, `noimageai`, ...) */
        robots: string[];
        /** @description TDMRep `tdm-reservation`: 0 not reserved; null when the site declares nothing */
        tdmReservation: 0 | 1 | null;
        /** @description TDMRep `tdm-policy` URL, when given */
        tdmPolicy: string | null;
        /**
         * @description Where the TDMRep declaration came from: header, meta tag or /.well-known/tdmrep.json
         * @enum {string|null}
         */
        tdmSource: 'header' | 'meta' | 'file' | null;
      } | null;
      metadata?: unknown;
      /** @description Quality signals of the text: word count, ratios, repetition */
      quality: {
        [key: string]: number;
      } | null;
      /** @description Structured fields from the campaign's rules */
      fields: {
        [key: string]: unknown;
      } | null;
      /** @description Errors of the structured-field rules on this page, or null */
      fieldErrors?: unknown;
      /** @description The crawl round that fetched this version */
      round: number;
      /** @description 1 for a URL's first record; a recrawl that finds the page changed adds the next version */
      version: number;
    };
    RecordProvenance: {
      /** @description The fetch job the node answered */
      jobId: string | null;
      /** @description The job's lease attempt */
      attempt: number | null;
      /** @description The redirect chain the node followed, in order */
      redirects: string[];
      /** @description The node's Ed25519 signature (base64) over the result; keys at /v1/nodes/keys */
      signature: string | null;
    } | null;
    Tombstone: {
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'tombstone';
      /** @description The withdrawn record */
      id: string;
      reason: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      withdrawnAt: string;
    };
    WithdrawRecordBody: {
      /** @description Why the record is withdrawn */
      reason: string;
    };
    Snapshot: {
      id: string;
      datasetId: string;
      /** @enum {string} */
      state: 'building' | 'published' | 'failed';
      /**
       * @description An admin's request, the end of a campaign round, or the campaign's schedule
       * @enum {string}
       */
      trigger: 'manual' | 'round' | 'schedule';
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      requestedAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      publishedAt: string | null;
      records: number | null;
      /** @description Bytes of all files, once published */
      bytes: number | null;
      shards: number | null;
      /** @description Hex RFC 6962 root over the records' JSONL lines */
      merkleRoot: string | null;
      /** @description SHA-256 of manifest.json */
      manifestSha256: string | null;
      /** @description Changes since `previousId` */
      changes: {
        /** @description Records of pages new to the dataset */
        added: number;
        /** @description New versions of pages the previous snapshot held */
        newVersions: number;
        unchanged: number;
        /** @description Records in both snapshots that differ (never expected) */
        changed: number;
        /** @description Withdrawn records left out */
        withdrawn: number;
        /** @description Records of the previous snapshot missing without a withdrawal */
        removed: number;
      } | null;
      previousId: string | null;
      error: string | null;
      /** @description A feed cursor right after this snapshot: reading the feed from it serves exactly what came later (new records, and tombstones of records withdrawn since) */
      feedCursor: string;
    };
    SnapshotList: {
      snapshots: components['schemas']['Snapshot'][];
    };
    SnapshotDetail: {
      id: string;
      datasetId: string;
      /** @enum {string} */
      state: 'building' | 'published' | 'failed';
      /**
       * @description An admin's request, the end of a campaign round, or the campaign's schedule
       * @enum {string}
       */
      trigger: 'manual' | 'round' | 'schedule';
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      requestedAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      publishedAt: string | null;
      records: number | null;
      /** @description Bytes of all files, once published */
      bytes: number | null;
      shards: number | null;
      /** @description Hex RFC 6962 root over the records' JSONL lines */
      merkleRoot: string | null;
      /** @description SHA-256 of manifest.json */
      manifestSha256: string | null;
      /** @description Changes since `previousId` */
      changes: {
        /** @description Records of pages new to the dataset */
        added: number;
        /** @description New versions of pages the previous snapshot held */
        newVersions: number;
        unchanged: number;
        /** @description Records in both snapshots that differ (never expected) */
        changed: number;
        /** @description Withdrawn records left out */
        withdrawn: number;
        /** @description Records of the previous snapshot missing without a withdrawal */
        removed: number;
      } | null;
      previousId: string | null;
      error: string | null;
      /** @description A feed cursor right after this snapshot: reading the feed from it serves exactly what came later (new records, and tombstones of records withdrawn since) */
      feedCursor: string;
      files: components['schemas']['SnapshotFile'][];
      /** @description Whether the key asking holds `raw:read`, so that it may download the files marked `raw`; without it, a client skips them (the other files verify on their own) */
      rawAccess: boolean;
    };
    SnapshotFile: {
      path: string;
      bytes: number;
      sha256: string;
      /** @description The file holds raw responses (the WARC files and their CDXJ index, under `warc/`): it is served only to keys with the `raw:read` scope */
      raw: boolean;
    };
    AdminNodeList: {
      nodes: components['schemas']['AdminNode'][];
      /** @description Pass as `offset` for the next page; null on the last */
      next: number | null;
    };
    AdminNode: {
      id: string;
      name: string;
      ownerId: string;
      ownerName: string;
      trust: {
        /** @description Posterior mean of the Beta trust score, 0 to 1 */
        mean: number;
        /** @description About its 5 % quantile, 0 to 1: what pay decisions use */
        lowerBound: number;
        alpha: number;
        beta: number;
      };
      checksPassed: number;
      pagesDone: number;
      /**
       * @description `banned` also when the node's owner is banned
       * @enum {string}
       */
      standing: 'probation' | 'trusted' | 'quarantined' | 'banned';
      banned: boolean;
      banReason: string | null;
      /** @description Network of its last session (a /24 or /48 prefix), never the address */
      addressPrefix: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      lastSeenAt: string | null;
    };
    NodeBanResult: {
      node: components['schemas']['AdminNode'];
    };
    BanBody: {
      reason: string;
    };
    OwnerBanResult: {
      ownerId: string;
      banned: boolean;
      /** @description Nodes banned (or unbanned) with the owner */
      nodeIds: string[];
    };
    OwnerToken: {
      ownerId: string;
      /** @description Shown once; the previous token no longer works */
      token: string;
    };
    Earnings: {
      /**
       * Format: date-time
       * @description Start of the first day the rows cover
       */
      since: string;
      /** @description Newest day first */
      rows: components['schemas']['EarningsRow'][];
      /** @description All time, not only the rows */
      totals: {
        /** @description Points credited for accepted records */
        credited: number;
        /** @description Credited, not yet settled or voided */
        pending: number;
        /** @description Credited and settled into an epoch */
        settled: number;
        /** @description Credited, then voided (the node's ban) */
        voided: number;
        /** @description Settled points taken back by later entries (withdrawn records), 0 or less */
        reversed: number;
        /** @description settled + reversed: what the owner holds */
        balance: number;
      };
    };
    EarningsRow: {
      /** @description The UTC day the entries were written, YYYY-MM-DD */
      day: string;
      /** @description The epoch they settled in; null if not settled */
      epochId: number | null;
      campaignId: string | null;
      nodeId: string;
      /** @description Points credited for accepted records */
      credited: number;
      /** @description Credited, not yet settled or voided */
      pending: number;
      /** @description Credited and settled into an epoch */
      settled: number;
      /** @description Credited, then voided (the node's ban) */
      voided: number;
      /** @description Settled points taken back by later entries (withdrawn records), 0 or less */
      reversed: number;
    };
    Profile: {
      displayName: string | null;
    };
    ProfileBody: {
      displayName: string | null;
    };
    Leaderboard: {
      entries: {
        rank: number;
        displayName: string;
        /** @description Settled points, reversals taken off */
        points: number;
      }[];
    };
    NodeOutcomes: {
      /** @description Oldest change first */
      outcomes: components['schemas']['NodeOutcome'][];
      /** @description Pass as `after` for the next page; null when this page was not full */
      next: string | null;
    };
    NodeOutcome: {
      /** @description `record:<id>` or `duplicate:<id>`, the same each time it changes */
      key: string;
      /**
       * Format: date-time
       * @description Last change: written, settled, voided, withdrawn, reversed
       */
      changedAt: string;
      /** @description The job id of the node's signed result */
      jobId: string | null;
      campaignId: string;
      url: string;
      finalUrl: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      fetchedAt: string;
      /**
       * @description record: accepted into the dataset; duplicate: its text was already there; rejected: withdrawn
       * @enum {string}
       */
      outcome: 'record' | 'duplicate' | 'rejected';
      /** @description A withdrawal's reason, or what a duplicate duplicates */
      reason: string | null;
      recordId: string | null;
      points: number;
      /**
       * @description The credit's state: pending until it settles into an epoch or is voided (the node's ban); reversed once taken back (its record withdrawn after it settled); none when the fetch earned nothing
       * @enum {string}
       */
      pointsStatus: 'pending' | 'settled' | 'voided' | 'reversed' | 'none';
    };
    UrlOutcomes: {
      urls: components['schemas']['UrlOutcome'][];
    };
    UrlOutcome: {
      campaignId: string;
      url: string;
      /**
       * @description waiting: not finished (queued, leased, processing); failed: the fetch or processing failed (errorCode); rejected: the result was refused (a redirect out of scope, a bad result) or the URL was skipped or cancelled; done: finished — a record or duplicate of this node is in its outcomes, otherwise this fetch made none (the page was unchanged, or another fetch made it)
       * @enum {string}
       */
      outcome: 'waiting' | 'failed' | 'rejected' | 'done';
      state: string;
      errorCode: string | null;
      errorMessage: string | null;
      httpStatus: number | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      updatedAt: string;
    };
    UrlOutcomesBody: {
      urls: {
        campaignId: string;
        url: string;
      }[];
    };
    EpochList: {
      epochs: components['schemas']['EpochSummary'][];
      /** @description Pass as `before` for the next page; null on the last */
      next: number | null;
    };
    EpochSummary: {
      id: number;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      startsAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      endsAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      closedAt: string | null;
      /** @description Merkle root of the balances; null while open */
      root: string | null;
      /** @description Sum of the balances; null while open */
      total: number | null;
    };
    EpochFile: {
      /** @enum {string} */
      format: 'gleaner-epoch-v1';
      epochId: number;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      startsAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      endsAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      closedAt: string;
      leafEncoding: ['string', 'uint256'];
      /** @description 32 zero bytes when no balance was positive */
      root: string;
      total: number;
      balances: {
        ownerId: string;
        amount: number;
      }[];
      /** @description @openzeppelin/merkle-tree StandardMerkleTree dump (load it with StandardMerkleTree.load); null when empty */
      tree?: unknown;
      signature: {
        /** @enum {string} */
        algorithm: 'ed25519';
        /** @description First 16 hex digits of the SHA-256 of the SPKI DER */
        keyId: string;
        /** @description SPKI PEM */
        publicKey: string;
        /** @description Base64 */
        value: string;
      };
    };
    EpochProof: {
      epochId: number;
      root: string;
      ownerId: string;
      amount: number;
      leafEncoding: ['string', 'uint256'];
      /** @description [ownerId, amount as a decimal string] */
      leaf: [string, string];
      proof: string[];
    };
    SigningKey: {
      /** @enum {string} */
      algorithm: 'ed25519';
      /** @description First 16 hex digits of the SHA-256 of the SPKI DER */
      keyId: string;
      /** @description SPKI PEM */
      publicKey: string;
    };
    CreatedWebhookEndpoint: {
      id: string;
      url: string;
      events: components['schemas']['WebhookEventType'][];
      description: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
      /** @description The Standard Webhooks signing secret (`whsec_...`): shown once; store it now */
      secret: string;
    };
    /** @enum {string} */
    WebhookEventType: 'snapshot.published' | 'campaign.completed' | 'records.withdrawn';
    CreateWebhookBody: {
      /**
       * @description Where deliveries are POSTed: an absolute http or https URL
       * @example https://lab.example/hooks/gleaner
       */
      url: string;
      events: components['schemas']['WebhookEventType'][];
      description?: string;
    };
    WebhookEndpointList: {
      webhooks: components['schemas']['WebhookEndpoint'][];
    };
    WebhookEndpoint: {
      id: string;
      url: string;
      events: components['schemas']['WebhookEventType'][];
      description: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
    };
    WebhookDeliveryPage: {
      deliveries: components['schemas']['WebhookDelivery'][];
      /** @description Pass as `before` for the next (older) page; null at the end */
      next: string | null;
    };
    WebhookDelivery: {
      /** @description The delivery */
      id: string;
      /** @description The event: the `webhook-id` header of every attempt */
      eventId: string;
      eventType: string;
      state: components['schemas']['WebhookDeliveryState'];
      attempts: number;
      /**
       * Format: date-time
       * @description When the next attempt is due, while pending
       */
      nextAttemptAt: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      lastAttemptAt: string | null;
      /** @description HTTP status of the latest attempt; null if none came */
      lastStatus: number | null;
      lastError: string | null;
      lastResponseMs: number | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      deliveredAt: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
    };
    /** @enum {string} */
    WebhookDeliveryState: 'pending' | 'delivered' | 'failed';
    WebhookPingResult: {
      eventId: string;
      delivered: boolean;
      status: number | null;
      error: string | null;
      responseMs: number;
    };
    SiteRemoval: {
      /** @example rmv_3q2-xYzAbCdEfGhIj */
      id: string;
      host: string;
      /**
       * @description `pending` until the token is found on the host; `verified`: its records are withdrawn and it is crawled no more
       * @enum {string}
       */
      state: 'pending' | 'verified';
      /** @description The text to publish at `tokenPath` on the host */
      token: string;
      /** @enum {string} */
      tokenPath: '/.well-known/gleaner-removal.txt';
      /** @description Where verification looks for the token, in order */
      tokenUrls: string[];
      /** @description Verification attempts so far */
      attempts: number;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      lastCheckedAt: string | null;
      /** @description Why the latest verification did not find the token */
      lastError: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      verifiedAt: string | null;
      /** @description Records withdrawn when it was verified */
      withdrawn: number | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
    };
    CreateRemovalBody: {
      /**
       * @description The host as URLs name it, with its port when it is not 80 or 443: `example.com`, `blog.example.com:8080`. Each host is removed on its own (`www.` too).
       * @example example.com
       */
      host: string;
    };
    AccountPolicyBody: {
      accountPolicy: components['schemas']['AccountPolicy'];
    };
    /** @enum {string} */
    AccountPolicy: 'admin-only' | 'invite' | 'open';
    StartedPairing: {
      /** @description Secret: only the node holds it, to poll with */
      deviceCode: string;
      /**
       * @description Short code the owner types on the pairing page
       * @example K7QM-4XPD
       */
      userCode: string;
      /** @description The pairing page, as this coordinator was asked */
      verificationUri: string;
      /** @description The pairing page with the user code filled in */
      verificationUriComplete: string;
      /** @description Seconds until both codes expire */
      expiresIn: number;
      /** @description Seconds to wait between polls */
      interval: number;
    };
    PairingPoll:
      | {
          /** @enum {string} */
          state: 'pending';
          interval: number;
        }
      | {
          /** @enum {string} */
          state: 'slow_down';
          interval: number;
        }
      | {
          /** @enum {string} */
          state: 'expired';
        }
      | {
          /** @enum {string} */
          state: 'approved';
          nodeId: string;
          ownerId: string;
          /** @description Shown once; the node stores it as its owner token */
          ownerToken: string;
        };
    PairingTokenBody: {
      deviceCode: string;
    };
    ApprovedPairing: {
      nodeId: string;
      nodeName: string;
      ownerId: string;
    };
    ApprovePairingBody: {
      /** @example K7QM-4XPD */
      userCode: string;
    };
    PairingSignup: {
      owner: components['schemas']['CreatedOwner'];
      node: components['schemas']['ApprovedPairing'];
    };
    PairingSignupBody: {
      /** @example K7QM-4XPD */
      userCode: string;
      name: string;
      inviteCode?: string;
    };
    CreatedInvite: {
      id: string;
      note: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      expiresAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      usedAt: string | null;
      usedByOwnerId: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
      /** @description Shown once; give it to the new contributor */
      code: string;
    };
    CreateInviteBody: {
      /** @description Whom it is for */
      note?: string;
      /**
       * @description Hours it stays valid; default a week
       * @default 168
       */
      expiresInHours: number;
    };
    OwnerInviteList: {
      invites: components['schemas']['OwnerInvite'][];
    };
    OwnerInvite: {
      id: string;
      note: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      expiresAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      usedAt: string | null;
      usedByOwnerId: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 timestamp
       */
      createdAt: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
