// Staff text commands, channel-neutral: the console, WeChat and Telegram channels parse a line
// with `parseStaffCommand`, run it with `executeStaffCommand` for the acting staff member, and
// show the Sayables. Choice ids are command texts behind `cmd:`, so a button and a typed line
// are the same command.
export { type ExecuteOptions, LIST_PAGE_SIZE, STATS_MAX_CASES, type StaffCommandContext, executeStaffCommand, handleStaffText } from './execute.js';
export { staffHelp, staffMayUse } from './help.js';
export { CHOICE_PREFIX, parseStaffCommand } from './parse.js';
export type { CaseCommand, DeskCommand, ParseResult, ParsedCommand } from './types.js';
export { isCaseCommand } from './types.js';
export { VERBS, VERB_KEYS, type VerbKey } from './words.js';
