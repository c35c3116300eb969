import type { RenderPolicy } from '@gleaner/core';

/** A connected node as the warnings see it. */
export interface NodeView {
  render: boolean;
  paused: boolean;
}

/** What {@link campaignWarnings} looks at. */
export interface WarningInputs {
  status: string;
  render: RenderPolicy | undefined;
  /** URLs of the campaign waiting to be fetched (queued). */
  queued: number;
  /** Queued URLs that must be fetched in a browser (render `auto` found they need JavaScript). */
  awaitingRender: number;
  nodes: readonly NodeView[];
}

/**
 * Why a running campaign with work left is not moving, in words for its admin: no node is connected, every node is
 * paused, or its pages need a browser and no connected node renders.
 */
export function campaignWarnings(inputs: WarningInputs): string[] {
  if (inputs.status !== 'running' || inputs.queued === 0) return [];
  if (inputs.nodes.length === 0) return ['no node is connected: nothing is fetched until one connects'];
  const active = inputs.nodes.filter((n) => !n.paused);
  if (active.length === 0)
    return ['every connected node is paused by its owner: nothing is fetched meanwhile'];
  const needsRender = inputs.render === 'always' || (inputs.render === 'auto' && inputs.awaitingRender > 0);
  if (needsRender && !active.some((n) => n.render)) {
    const what = inputs.render === 'always' ? 'its pages' : `${inputs.awaitingRender} of its pages`;
    return [
      `${what} must be rendered but no connected node renders: they wait until a node started with --render connects`,
    ];
  }
  return [];
}
