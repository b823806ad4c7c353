// MongoDB's size limits, refused with mongod's codes and messages before anything changes: a
// document the store kept but could not send back (or journal whole) would be a write acknowledged
// and then lost.
import { calculateObjectSize } from 'bson';
import { CommandError, type Doc } from './errors.js';
import { renderValue } from './values.js';

/** BSONObjMaxUserSize: the largest document a collection holds. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
/** BSONObjMaxInternalSize: the largest BSON object on the wire (a command, a reply, one document in it). */
export const MAX_BSON_OBJECT_BYTES = MAX_DOCUMENT_BYTES + 16 * 1024;

/** mongod's answer to a BSON object over 16 MB + 16 KB anywhere in a message or a reply. */
export function bsonObjectTooLarge(size: number, doc: Doc): CommandError {
  const [key] = Object.keys(doc);
  const first = key === undefined ? 'EOO' : `${key}: ${renderValue(doc[key])}`;
  return new CommandError(
    10334,
    'BSONObjectTooLarge',
    `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${MAX_BSON_OBJECT_BYTES}(16MB) First element: ${first.slice(0, 200)}`,
  );
}

/** An insert (or upsert seed taken as is) over 16 MiB: a write error, as mongod's fixDocumentForInsert. */
export function refuseLargeInsert(doc: Doc): void {
  const size = calculateObjectSize(doc);
  if (size > MAX_DOCUMENT_BYTES)
    throw new CommandError(2, 'BadValue', `object to insert too large. size in bytes: ${size}, max size: ${MAX_DOCUMENT_BYTES}`);
}

/** A document an update would grow past 16 MiB, refused before it replaces the stored one. */
export function refuseLargeUpdate(doc: Doc): void {
  if (calculateObjectSize(doc) > MAX_DOCUMENT_BYTES)
    throw new CommandError(17419, 'Location17419', `Resulting document after update is larger than ${MAX_DOCUMENT_BYTES}`);
}
