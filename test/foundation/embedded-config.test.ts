// The embedded store that createApp starts (MONGODB_URI unset) takes its settings from the
// configuration, as `npm start` documents them.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('createApp with the embedded store', () => {
  it('compacts the journal at EMBEDDED_COMPACT_EVERY_BYTES', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-compact-'));
    dirs.push(dataDir);
    const app = await createApp({
      config: { EMBEDDED_COMPACT_EVERY_BYTES: 65_536, LOG_LEVEL: 'silent' },
      embeddedDataDir: dataDir,
      calendarOverrides: {},
      channels: [],
      workers: false,
    });
    try {
      const notes = app.connection.db!.collection('notes');
      // 40 writes of 4 KB: past 64 KiB, far below the 64 MiB default.
      for (let i = 0; i < 40; i++) await notes.insertOne({ i, text: 'x'.repeat(4096) });
    } finally {
      await app.stop();
    }
    expect(existsSync(join(dataDir, 'snapshot.bson'))).toBe(true);
  });
});
