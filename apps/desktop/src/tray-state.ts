import type { NodeStatus } from '@gleaner/node-core';

/** How the tray shows the node. */
export interface TrayPresentation {
  /** Icon colour, `#rrggbb`. */
  color: string;
  /** Short state shown in the menu. */
  label: string;
  /** Tooltip over the icon. */
  tooltip: string;
  /** Whether the menu offers "Resume" (otherwise "Pause"). */
  canResume: boolean;
}

const COLORS = { working: '#2f855a', paused: '#d69e2e', offline: '#a0aec0', stopped: '#c53030' } as const;

const REASONS: Record<string, string> = {
  owner: 'paused by you',
  quota: "today's data quota is used up",
  schedule: 'outside active hours',
  bandwidth: 'waiting for the bandwidth cap',
};

/** Maps the node's state to the tray icon's colour, label and tooltip. */
export function trayPresentation(
  status: Pick<NodeStatus, 'connection' | 'paused' | 'pauseReasons' | 'inFlight'>,
): TrayPresentation {
  const canResume = status.pauseReasons.includes('owner');
  if (status.connection === 'stopped')
    return { color: COLORS.stopped, label: 'Stopped', tooltip: 'Gleaner: stopped', canResume };
  if (status.connection !== 'connected') {
    const label = status.connection === 'connecting' ? 'Connecting…' : 'Offline, retrying';
    return { color: COLORS.offline, label, tooltip: `Gleaner: ${label.toLowerCase()}`, canResume };
  }
  if (status.paused) {
    // The owner's own pause says most; otherwise the first automatic reason.
    const reason = canResume ? 'owner' : (status.pauseReasons[0] ?? 'owner');
    const label = `Paused: ${REASONS[reason] ?? reason}`;
    return { color: COLORS.paused, label, tooltip: `Gleaner: ${label.toLowerCase()}`, canResume };
  }
  const label = status.inFlight > 0 ? `Working (${status.inFlight} in flight)` : 'Working, waiting for jobs';
  return { color: COLORS.working, label, tooltip: `Gleaner: ${label.toLowerCase()}`, canResume };
}
