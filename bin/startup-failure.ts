// Start-up failures an operator can fix become one readable line; anything else is a bug and
// keeps its stack trace.
import { DataDirLockedError, JournalDamagedError } from '../models/embedded/index.js';
import { CalendarConfigError } from '../services/calendar/index.js';
import { ConfigError } from '../services/config.js';
import { CoordinationUnavailableError } from '../services/coordination/index.js';
import { DirectoryError } from '../services/directory/index.js';

export function startupFailure(e: unknown): string | null {
  if (
    e instanceof ConfigError ||
    e instanceof DirectoryError ||
    e instanceof CalendarConfigError ||
    e instanceof DataDirLockedError ||
    e instanceof JournalDamagedError ||
    e instanceof CoordinationUnavailableError
  )
    return e.message;
  const err = e as { name?: string; message?: string };
  if (err?.name === 'MongooseServerSelectionError' || err?.name === 'MongoServerSelectionError')
    return `MONGODB_URI: no MongoDB answered (${err.message}). Check the address, or unset MONGODB_URI to use the embedded store.`;
  return null;
}
