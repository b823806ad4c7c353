export { createDirectory, syncDirectory, type Directory, type DutyOfficer } from './directory.js';
export { memoDirectory } from './memo.js';
export { DirectoryError, loadDirectoryFile, parseDirectory } from './load.js';
export type { DirectoryData } from './schema.js';
export { matchUnit, unitCandidates, unitKey } from './unit-match.js';
