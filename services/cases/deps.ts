import type { Models } from '../../models/index.js';
import type { AttachmentStore } from '../attachments.js';
import type { WorkCalendar } from '../calendar/index.js';
import type { Clock } from '../clock.js';
import type { Directory } from '../directory/index.js';
import type { Logger } from '../logger.js';
import type { StoreBatches } from './store-batches.js';

/** What every case service is built from; the composition root passes it in. */
export interface CaseDeps {
  models: Models;
  directory: Directory;
  calendar: WorkCalendar;
  clock: Clock;
  logger: Logger;
  /** Where material too long for the case document is kept (a citizen's long supplement). */
  attachments?: AttachmentStore;
  /** Called after a change that wrote messages, so the dispatcher relays them without waiting for its poll. */
  onOutbox?: (caseId: string) => void;
  /** Store commands of work running at the same moment, sent together; createCaseServices makes them. */
  batches?: StoreBatches;
}
