// The reporter-privacy rule under attack: random reporters write random accounts with their
// identifiers in random forms; random staff flows run through the real services; then everything
// that reached a unit complained about (or any unit before 被反映单位 was settled), every staff
// room message and every log line is searched for the reporter with a normaliser written here,
// independently of services/privacy. Zero hits over at least 1,000 generated cases.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc } from '../../models/case.js';
import type { MessageDoc, OutboxEntry } from '../../models/message.js';
import type { Performer } from '../../services/cases/index.js';
import { ForbiddenError } from '../../machines/permissions.js';
import { dueReminders } from '../../services/deadlines/rules.js';
import { reminderTargets, reminderText } from '../../services/deadlines/render.js';
import { deadLetter } from '../../services/delivery/dead-letter.js';
import { OutboxBatch } from '../../services/recipients.js';
import { DeskError } from '../../services/errors.js';
import { handleStaffText } from '../../services/staff-commands/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';

const RUNS = Number(process.env.PRIVACY_RUNS ?? 1000);

// ── the independent normaliser ─────────────────────────────────────────────────────────────
// Simplified ⇄ traditional for the characters the generator uses, Chinese and financial numerals,
// and pinyin: a table of our own, so a gap in the desk's normaliser cannot hide in the oracle.
const SURNAMES: [string, string, string][] = [
  ['张', '張', 'zhang'],
  ['刘', '劉', 'liu'],
  ['陈', '陳', 'chen'],
  ['杨', '楊', 'yang'],
  ['黄', '黃', 'huang'],
  ['赵', '趙', 'zhao'],
  ['吴', '吳', 'wu'],
  ['孙', '孫', 'sun'],
  ['马', '馬', 'ma'],
  ['罗', '羅', 'luo'],
  ['郑', '鄭', 'zheng'],
  ['钱', '錢', 'qian'],
];
const GIVEN: [string, string, string][] = [
  ['伟', '偉', 'wei'],
  ['静', '靜', 'jing'],
  ['丽', '麗', 'li'],
  ['强', '強', 'qiang'],
  ['军', '軍', 'jun'],
  ['涛', '濤', 'tao'],
  ['杰', '傑', 'jie'],
  ['艳', '艷', 'yan'],
  ['刚', '剛', 'gang'],
  ['红', '紅', 'hong'],
  ['华', '華', 'hua'],
  ['玲', '玲', 'ling'],
];
const TO_SIMPLE = new Map<string, string>([...SURNAMES, ...GIVEN].map(([s, t]) => [t, s]));
const NUMERAL: Record<string, string> = {
  〇: '0', 零: '0', 一: '1', 壹: '1', 幺: '1', 二: '2', 贰: '2', 貳: '2', 两: '2', 三: '3', 叁: '3', 參: '3',
  四: '4', 肆: '4', 五: '5', 伍: '5', 六: '6', 陆: '6', 陸: '6', 七: '7', 柒: '7', 八: '8', 捌: '8', 九: '9', 玖: '9',
};
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/gu;
/** Everything that may sit between the parts of a number or a name without changing what it says. */
const SEPARATORS = /[\s\p{P}\p{S}]/gu;

function squash(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKC').replace(INVISIBLE, '')) out += NUMERAL[ch] ?? TO_SIMPLE.get(ch) ?? ch;
  return out.toLowerCase().replace(SEPARATORS, '');
}

interface Reporter {
  name: string;
  traditional: string;
  pinyin: [string, string];
  mobile: string;
  landline: string;
  idCard: string;
  email: string;
  wechat: string;
  qq: string;
  village: string;
  group: number;
  chatId: string;
}

/** What would give this reporter away, as the squashed text would hold it. */
function needles(r: Reporter): string[] {
  return [
    r.name,
    r.pinyin.join(''),
    `${r.pinyin[1]}${r.pinyin[0]}`,
    r.mobile,
    r.mobile.slice(0, 7),
    r.landline,
    r.idCard.toLowerCase(),
    squash(r.email),
    r.wechat.toLowerCase().replace(SEPARATORS, ''),
    r.qq,
    `${r.village}村${r.group}组`,
    r.chatId,
  ];
}

function hits(text: string, r: Reporter): string[] {
  const s = squash(text);
  return needles(r).filter((n) => s.includes(n));
}

// ── the generator ──────────────────────────────────────────────────────────────────────────
const digits = (n: number, first = '123456789') =>
  fc.tuple(fc.constantFrom(...first), fc.array(fc.constantFrom(...'0123456789'), { minLength: n - 1, maxLength: n - 1 })).map(([a, b]) => a + b.join(''));
const lower = fc.constantFrom(...'abcdefghjkmnpqrstuvwxyz');

const reporterArb: fc.Arbitrary<Reporter> = fc
  .record({
    s: fc.nat(SURNAMES.length - 1),
    g: fc.nat(GIVEN.length - 1),
    mobile: fc.tuple(fc.constantFrom('13', '15', '17', '18', '19'), digits(9)).map(([a, b]) => a + b),
    landline: digits(8, '2345678'),
    id: fc.tuple(fc.constantFrom('320581', '320582', '110105'), fc.integer({ min: 1960, max: 2005 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), digits(3), fc.constantFrom('0', '3', '7', 'X')),
    mail: fc.tuple(fc.array(lower, { minLength: 3, maxLength: 8 }), digits(3), fc.constantFrom('163.com', 'qq.com', 'outlook.com')),
    wx: fc.tuple(fc.array(lower, { minLength: 4, maxLength: 8 }), fc.constantFrom('_', ''), digits(4)),
    qq: digits(9, '23456789'),
    village: fc.constantFrom('福山', '东张', '徐市', '周行', '王庄'),
    group: fc.integer({ min: 1, max: 12 }),
    chat: digits(9, '56789'),
  })
  .map((x) => ({
    name: SURNAMES[x.s][0] + GIVEN[x.g][0],
    traditional: SURNAMES[x.s][1] + GIVEN[x.g][1],
    pinyin: [SURNAMES[x.s][2], GIVEN[x.g][2]] as [string, string],
    mobile: x.mobile,
    landline: x.landline,
    idCard: `${x.id[0]}${x.id[1]}${String(x.id[2]).padStart(2, '0')}${String(x.id[3]).padStart(2, '0')}${x.id[4]}${x.id[5]}`,
    email: `${x.mail[0].join('')}${x.mail[1]}@${x.mail[2]}`,
    wechat: `${x.wx[0].join('')}${x.wx[1]}${x.wx[2]}`,
    qq: x.qq,
    village: x.village,
    group: x.group,
    chatId: x.chat,
  }));

const CN = '〇一二三四五六七八九';
const FIN = '零壹贰叁肆伍陆柒捌玖';
const FULL = '０１２３４５６７８９';
const spell = (d: string, table: string) => Array.from(d, (c) => table[Number(c)]).join('');

/** One identifier of `r`, in one of the ways people write it. */
function identifierForms(r: Reporter): string[] {
  const m = r.mobile;
  const [a, b, c] = [m.slice(0, 3), m.slice(3, 7), m.slice(7)];
  const py = r.pinyin;
  const cap = (w: string) => w[0].toUpperCase() + w.slice(1);
  return [
    r.name,
    `${r.name[0]} ${r.name.slice(1)}`,
    `${r.name[0]}\u200b${r.name.slice(1)}`,
    `${r.name[0]}　${r.name.slice(1)}`,
    r.traditional,
    `${cap(py[0])} ${cap(py[1])}`,
    `${py[0]}${py[1]}`,
    `${cap(py[1])} ${cap(py[0])}`,
    m,
    `${a}.${b}.${c}`,
    `${a}_${b}_${c}`,
    `${a}/${b}/${c}`,
    Array.from(m).join(' '),
    `${a} - ${b} - ${c}`,
    `+86(${a})${b}${c}`,
    spell(m, CN),
    spell(m, FIN),
    spell(m, FULL),
    `前七位${m.slice(0, 7)}，后四位${c}`,
    r.landline,
    `${r.landline.slice(0, 4)} ${r.landline.slice(4)}`,
    `+86 512 ${r.landline.slice(0, 4)} ${r.landline.slice(4)}`,
    `0512-${r.landline}`,
    r.idCard,
    `${r.idCard.slice(0, 6)} ${r.idCard.slice(6, 14)} ${r.idCard.slice(14)}`,
    r.email,
    `微信号：${r.wechat}`,
    `vx ${r.wechat}`,
    `QQ ${r.qq}`,
    `住${r.village === '福山' ? '海虞镇' : ''}${r.village}村${r.group}组`,
  ];
}

const FILLERS = ['窗口让我回去补材料，', '来回跑了三趟，', '说不归他们管，', '工作人员态度很差，', '网上说的和窗口不一样，', '等了一上午，'];

const accountArb = (r: Reporter) =>
  fc
    .array(fc.tuple(fc.constantFrom(...FILLERS), fc.nat(identifierForms(r).length - 1), fc.constantFrom('我是', '我的电话', '联系我：', '本人', '（', '')), { minLength: 2, maxLength: 5 })
    .map((parts) => `${parts.map(([f, i, lead]) => `${f}${lead}${identifierForms(r)[i]}${lead === '（' ? '）' : ''}`).join('，')}。请尽快处理。`);

const UNITS = ['jyj', 'zjj', 'yushan-st', 'haiyu'] as const;
const LIAISON: Record<string, string> = { jyj: 'wuhao', zjj: 'jiangtao', 'yushan-st': 'zhengwei', haiyu: 'hanmei', bmfw: 'fengxue' };

const flowArb = fc.record({
  category: fc.constantFrom('NOT_STATIONED', 'NOT_STATIONED', 'NOT_STATIONED', 'AUTHORITY_UNCLEAR'),
  /** What the citizen named at intake, as a directory code (the dialogue's match). */
  named: fc.option(fc.constantFrom(...UNITS), { nil: undefined }),
  /** The answer to 被反映单位: none, some units, or never answered. */
  settle: fc.oneof(fc.constant('none' as const), fc.constant('unanswered' as const), fc.uniqueArray(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 2 })),
  /** 涉及 before the slip, and after it (a repair, or another unit). */
  involveBefore: fc.uniqueArray(fc.constantFrom(...UNITS), { maxLength: 2 }),
  involveAfter: fc.uniqueArray(fc.constantFrom(...UNITS), { maxLength: 1 }),
  /** 涉及 changed: the first unit added is taken out again, with a reason, before any slip. */
  removeFirst: fc.boolean(),
  target: fc.constantFrom(...UNITS),
  /** Staff try to write the citizen's identifiers into the slip first. */
  editWithIdentity: fc.boolean(),
  /** The clerk drafts and previews first (else 转办 composes the slip itself). */
  preview: fc.boolean(),
  ack: fc.boolean(),
  unitQuotes: fc.nat(29),
  dissatisfied: fc.boolean(),
  deadLetter: fc.boolean(),
  /** The sweeper's reminders for the case as it stands, days later (what it would write). */
  reminders: fc.boolean(),
});

// ── the run ────────────────────────────────────────────────────────────────────────────────
let desk: TestDesk;
const staff: Record<string, Performer & { kind: 'staff' }> = {};
beforeAll(async () => {
  desk = await startDesk('privacy_property');
  for (const id of ['wangfang', 'zhangmin', 'liuyang', 'chenjing', ...Object.values(LIAISON)]) staff[id] = await desk.staff(id);
});
afterAll(() => desk?.close());

interface State {
  version: number;
  subject: string[];
  settled: boolean;
}

/** The rule, restated by the test: may unit `u` identify the reporter in the case as it stood? */
const mayIdentify = (s: State, category: string, u: string) =>
  s.settled && !s.subject.includes(u) && (category === 'NOT_STATIONED' || category === 'AUTHORITY_UNCLEAR');

const stateOf = (doc: CaseDoc): State => ({
  version: doc.version,
  subject: [...new Set([...(doc.involvedUnits ?? []), ...(doc.involvedUnit ? [doc.involvedUnit] : [])])],
  settled: Boolean(doc.unitsSettled),
});

/** A step the desk refuses (a readable refusal) is part of a random flow; anything else is a bug. */
async function attempt<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof DeskError || e instanceof ForbiddenError) return undefined;
    throw e;
  }
}

const textOf = (e: OutboxEntry) => JSON.stringify(e.sayable);
const unitOf = (to: string) => Object.entries(LIAISON).find(([, id]) => id === to)?.[0];

describe('the reporter never reaches a unit complained about, a staff room or a log', () => {
  let day = 0;
  let n = 0;
  const leaks: string[] = [];
  const stats = { cases: 0, unitMessages: 0, checkedUnitMessages: 0, roomMessages: 0, screens: 0, refusedEdits: 0, slipsWithIdentity: 0, logLines: 0, reminders: 0 };

  it(`over ${RUNS} generated cases`, async () => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(
        reporterArb.chain((r) => fc.tuple(fc.constant(r), accountArb(r), flowArb)),
        async ([r, account, flow]) => {
          // A few hundred cases a day keep the daily sequence in three digits.
          const logsFrom = desk.logs.length;
          if (n++ % 300 === 0) desk.clock.set(new Date(Date.UTC(2026, 10, 24 + day++, 2, 0)).toISOString());
          const cases = desk.app.cases;
          const reg = await cases.register(
            {
              site: 'city',
              channel: 'telegram',
              reporter: { name: r.name, phone: r.mobile, identity: { channel: 'telegram', id: r.chatId } },
              matter: '义务教育入学',
              account,
              ...(flow.named ? { involvedUnit: flow.named, unitAsNamed: { words: `${flow.named}那边`, suggested: [flow.named] } } : {}),
            },
            { kind: 'citizen', identity: { channel: 'telegram', id: r.chatId } },
          );
          if (!reg.registered) throw new Error('not registered');
          const num = reg.number;
          const states: State[] = [stateOf(reg.case)];
          const track = (doc: CaseDoc | undefined) => doc && states.push(stateOf(doc));
          const duty = staff.wangfang;
          const settle = flow.settle === 'unanswered' ? undefined : flow.settle;
          for (const u of flow.involveBefore) track((await attempt(cases.addInvolvedUnits(num, [u], duty)))?.case);
          if (flow.removeFirst && flow.involveBefore[0])
            track((await attempt(cases.removeInvolvedUnit(num, flow.involveBefore[0], '核实后并非该单位的问题', duty)))?.case);
          track((await attempt(cases.classify(num, flow.category as 'NOT_STATIONED', duty, undefined, settle)))?.case);
          if (settle === 'none' && !(await desk.caseDoc(num)).unitsSettled) {
            // "none" is refused while 涉及 holds units: the duty officer confirms those instead.
            track((await attempt(cases.settleUnits(num, states.at(-1)!.subject, duty)))?.case);
          }
          const target = flow.category === 'AUTHORITY_UNCLEAR' ? 'bmfw' : flow.target;
          const issuer = flow.category === 'AUTHORITY_UNCLEAR' ? staff.chenjing : staff.liuyang;
          if (flow.editWithIdentity) {
            const edited = await attempt(cases.draftTransfer(num, { unit: target, content: `请核实：${account}` }, staff.zhangmin));
            if (edited) track(edited.case);
            else stats.refusedEdits++;
          }
          if (flow.preview || flow.editWithIdentity) track((await attempt(cases.draftTransfer(num, { unit: target }, staff.zhangmin)))?.case);
          const sent = await attempt(cases.transfer(num, { unit: target, requirePreview: flow.preview }, issuer));
          track(sent?.case);
          if (sent?.case.transfers.at(-1)?.identityShared) stats.slipsWithIdentity++;
          for (const u of flow.involveAfter) track((await attempt(cases.addInvolvedUnits(num, [u], duty)))?.case);
          const liaison = staff[LIAISON[target]];
          if (flow.ack) track((await attempt(cases.unitAck(num, liaison)))?.case);
          const quote = identifierForms(r)[flow.unitQuotes];
          track((await attempt(cases.unitReply(num, { text: `已核实，诉求人${quote}反映的问题已整改完毕`, eligible: true }, liaison)))?.case);
          if (flow.dissatisfied) {
            track((await attempt(cases.resolve(num, { outcome: 'transferred_result', text: `单位已处理，已告知${quote}` }, staff.zhangmin)))?.case);
            track((await attempt(cases.reply(num, undefined, staff.zhangmin)))?.case);
            track((await attempt(cases.followUp(num, { satisfaction: 'dissatisfied', comment: `还是没解决，请打${identifierForms(r)[(flow.unitQuotes + 7) % 30]}` }, staff.zhangmin)))?.case);
          }
          if (flow.deadLetter) {
            const doc = await desk.caseDoc(num);
            const m = { _id: `dl-${num}`, audience: 'citizen', to: { channel: 'telegram', id: r.chatId }, site: 'city', caseId: String(doc._id), caseNumber: num, attempts: 3 } as unknown as MessageDoc;
            await deadLetter(
              { models: desk.app.models, directory: desk.app.directory, clock: desk.clock, logger: desk.app.logger },
              m,
              `Bad Request: message "${identifierForms(r)[flow.unitQuotes]} 您好，${r.traditional}" is too long`,
              'nobody',
            );
          }

          // ── the search ──
          const doc = await desk.caseDoc(num);
          const reminders: OutboxEntry[] = [];
          if (flow.reminders) {
            // What the sweeper writes, built the way it builds it (services/deadlines/sweeper.ts).
            const later = new Date(desk.clock.now().getTime() + 6 * 86_400_000);
            for (const due of dueReminders(doc, later, desk.app.calendar)) {
              const batch = new OutboxBatch(desk.app.directory, `${doc._id}:reminder:${due.key}`, { site: doc.site, caseId: String(doc._id), caseNumber: num, createdAt: later }, doc);
              const sayable = await reminderText(due, doc, later, desk.app.calendar, desk.app.directory);
              for (const t of await reminderTargets(due.targets, doc, later, desk.app.directory)) await batch.add(t, sayable, { reason: `reminder.${due.deadline}` });
              reminders.push(...batch.entries);
            }
            stats.reminders += reminders.length;
          }
          const found = (where: string, text: string) => {
            const h = hits(text, r);
            if (h.length) leaks.push(`${num} ${where}: ${h.join(', ')} in ${text.slice(0, 400)}`);
          };
          for (const e of [...doc.outbox, ...reminders]) {
            const [, v] = e._id.split(':');
            const version = Number(v);
            if (e.audience === 'unit') {
              stats.unitMessages++;
              const u = unitOf(e.to.id);
              const at = states.filter((s) => s.version <= (Number.isFinite(version) ? version : Number.POSITIVE_INFINITY)).at(-1) ?? states.at(-1)!;
              if (u && !mayIdentify(at, flow.category, u)) {
                stats.checkedUnitMessages++;
                found(`message to ${u}`, textOf(e));
              }
            }
            if (e.to.id === 'staff-room') {
              stats.roomMessages++;
              found('staff room', textOf(e));
            }
          }
          // Screens and listings of the liaisons whose unit is complained about now.
          const now = stateOf(doc);
          for (const u of new Set([...now.subject, ...(now.settled ? [] : [target])])) {
            if (!doc.transfers.some((t) => t.unit === u) || mayIdentify(now, flow.category, u)) continue;
            const who = staff[LIAISON[u]].staff;
            stats.screens++;
            found(`case view of ${u}`, JSON.stringify(await desk.app.cases.view(who, num)));
            // Listings and the rendered screen are the same view again: every fifth case is enough.
            if (n % 5 === 0) {
              found(`listing of ${u}`, JSON.stringify((await desk.app.cases.list(who, { scope: 'all', pageSize: 5 })).items.find((x) => x.number === num)));
              const ctx = { cases: desk.app.cases, directory: desk.app.directory, calendar: desk.app.calendar, clock: desk.app.clock, staff: who };
              found(`screen of ${u}`, JSON.stringify(await handleStaffText(ctx, `#${num}`)));
            }
          }
          for (const line of desk.logs.slice(logsFrom)) found('log', line);
          stats.logLines += desk.logs.length - logsFrom;
          stats.cases++;
          expect(leaks).toEqual([]);
        },
      ),
      { numRuns: RUNS, seed: process.env.PRIVACY_SEED ? Number(process.env.PRIVACY_SEED) : undefined, endOnFailure: true },
    );
    const ms = Math.round(performance.now() - started);
    console.info(`privacy property: ${stats.cases} cases in ${ms} ms`, stats);
    expect(stats.cases).toBeGreaterThanOrEqual(RUNS);
    expect(stats.checkedUnitMessages).toBeGreaterThan(RUNS / 4);
    expect(stats.slipsWithIdentity).toBeGreaterThan(0);
    expect(stats.refusedEdits).toBeGreaterThan(0);
  }, 600_000);
});
