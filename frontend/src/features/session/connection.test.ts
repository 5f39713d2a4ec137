import { describe, expect, it } from 'vitest';
import { connectionLabel, connectionView, userColor } from './connection';

describe('connection view', () => {
  it('is connected only when connected and synced', () => {
    expect(connectionView({ status: 'connected', synced: true, everSynced: true, unsynced: false })).toBe('connected');
    expect(connectionView({ status: 'connected', synced: false, everSynced: false, unsynced: false })).toBe(
      'connecting',
    );
  });

  it('says reconnecting after a drop, and offline with unsynced edits once the user typed', () => {
    expect(connectionView({ status: 'disconnected', synced: false, everSynced: true, unsynced: false })).toBe(
      'reconnecting',
    );
    const view = connectionView({ status: 'connecting', synced: false, everSynced: true, unsynced: true });
    expect(view).toBe('offline-unsynced');
    expect(connectionLabel(view)).toMatch(/not saved yet/);
  });

  it('gives each user a steady colour with a translucent pair', () => {
    const a = userColor('0190a1b2-0000-7000-8000-000000000001');
    expect(userColor('0190a1b2-0000-7000-8000-000000000001')).toEqual(a);
    expect(a.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(a.colorLight).toBe(`${a.color}33`);
  });
});
