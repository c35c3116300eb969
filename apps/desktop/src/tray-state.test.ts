import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { circleIconPng } from './tray-icon.js';
import { trayPresentation } from './tray-state.js';

describe('trayPresentation', () => {
  const base = { connection: 'connected' as const, paused: false, pauseReasons: [], inFlight: 0 };

  it('maps each state to a colour and label', () => {
    expect(trayPresentation({ ...base, inFlight: 2 })).toMatchObject({
      color: '#2f855a',
      label: 'Working (2 in flight)',
      canResume: false,
    });
    expect(trayPresentation({ ...base, connection: 'disconnected' }).label).toBe('Offline, retrying');
    expect(trayPresentation({ ...base, connection: 'stopped' }).color).toBe('#c53030');
    expect(trayPresentation({ ...base, paused: true, pauseReasons: ['quota'] })).toMatchObject({
      color: '#d69e2e',
      label: "Paused: today's data quota is used up",
      canResume: false,
    });
    expect(trayPresentation({ ...base, paused: true, pauseReasons: ['schedule', 'owner'] })).toMatchObject({
      label: 'Paused: paused by you',
      canResume: true,
    });
  });
});

describe('circleIconPng', () => {
  it('draws a valid RGBA PNG with an opaque centre and transparent corners', () => {
    const png = circleIconPng('#2f855a', 16);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(16);
    const idatLength = png.readUInt32BE(33);
    const pixels = inflateSync(png.subarray(41, 41 + idatLength));
    const rowBytes = 1 + 16 * 4;
    expect(pixels).toHaveLength(16 * rowBytes);
    expect(pixels[1 + 3]).toBe(0); // top-left pixel alpha
    expect([...pixels.subarray(8 * rowBytes + 1 + 8 * 4, 8 * rowBytes + 1 + 8 * 4 + 4)]).toEqual([
      0x2f, 0x85, 0x5a, 255,
    ]);
    expect(() => circleIconPng('green')).toThrow(/colour/);
  });
});
