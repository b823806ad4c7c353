// The command grammar, line by line: every verb with its Chinese forms and English alias, the
// forgiving parts (full-width ＃, extra spaces, glued verbs, case), and the refusals that must
// name the right form.
import { describe, expect, it } from 'vitest';
import { CASE_EVENT_TYPES, type CaseEventType } from '../../machines/case-lifecycle.js';
import type { StaffDoc } from '../../models/staff.js';
import type { UnitDoc } from '../../models/unit.js';
import { CASE_STATUSES, CATEGORIES, ROLES } from '../../models/vocabulary.js';
import { COMMAND_HELP_ZH } from '../../services/locales/zh/staff-commands.js';
import { nextSteps } from '../../services/staff-commands/next-steps.js';
import { VERB_KEYS, VERBS, parseStaffCommand as parse, staffHelp } from '../../services/staff-commands/index.js';

const N = '20261124001';
const on = (body: object) => ({ number: N, ...body });

describe('commands on a case', () => {
  const table: [string, object][] = [
    [`#${N}`, on({ verb: 'view' })],
    [`#${N} 查看`, on({ verb: 'view' })],
    [`#${N} 看`, on({ verb: 'view' })],
    [`#${N} view`, on({ verb: 'view' })],
    [`#${N} 身份`, on({ verb: 'reveal' })],
    [`#${N} REVEAL`, on({ verb: 'reveal' })],
    [`#${N} 分类 一般`, on({ verb: 'classify', category: 'GENERAL' })],
    [`#${N} 分类 复杂`, on({ verb: 'classify', category: 'COMPLEX' })],
    [`#${N} 分类 不规范`, on({ verb: 'classify', category: 'IRREGULAR_SERVICE' })],
    [`#${N} 分类 未进驻`, on({ verb: 'classify', category: 'NOT_STATIONED' })],
    [`#${N} 分类 主体不明`, on({ verb: 'classify', category: 'AUTHORITY_UNCLEAR' })],
    [`#${N} 分类 审批主体不明情形`, on({ verb: 'classify', category: 'AUTHORITY_UNCLEAR' })],
    [`#${N} classify not_stationed`, on({ verb: 'classify', category: 'NOT_STATIONED' })],
    [`#${N} Classify General`, on({ verb: 'classify', category: 'GENERAL' })],
    [`#${N} 重新分类 复杂`, on({ verb: 'reclassify', category: 'COMPLEX' })],
    [`#${N} 改类 一般`, on({ verb: 'reclassify', category: 'GENERAL' })],
    [`#${N} reclassify irregular_service`, on({ verb: 'reclassify', category: 'IRREGULAR_SERVICE' })],
    [`#${N} 不受理 涉诉 已进入诉讼程序`, on({ verb: 'outOfScope', reason: 'litigation', note: '已进入诉讼程序' })],
    [`#${N} 不受理 涉法`, on({ verb: 'outOfScope', reason: 'legal' })],
    [`#${N} outofscope petition`, on({ verb: 'outOfScope', reason: 'petition' })],
    [`#${N} 不受理 政策不符 要求减免法定费用`, on({ verb: 'outOfScope', reason: 'contrary_to_policy', note: '要求减免法定费用' })],
    [`#${N} 情绪激动`, on({ verb: 'agitated' })],
    [`#${N} agitated`, on({ verb: 'agitated' })],
    [`#${N} 已平复`, on({ verb: 'calmed' })],
    [`#${N} 平复 经耐心解释已平复`, on({ verb: 'calmed', note: '经耐心解释已平复' })],
    [`#${N} calmed`, on({ verb: 'calmed' })],
    [`#${N} 指派 zhangmin`, on({ verb: 'assign', staffId: 'zhangmin' })],
    [`#${N} assign ZhangMin`, on({ verb: 'assign', staffId: 'zhangmin' })],
    [`#${N} 现场 巡导员到窗口核实，当场受理`, on({ verb: 'record', record: { kind: 'on_site', text: '巡导员到窗口核实，当场受理' } })],
    [`#${N} onsite checked`, on({ verb: 'record', record: { kind: 'on_site', text: 'checked' } })],
    [
      `#${N} 告知 营业场所使用证明；健康证明复印件、身份证 复印件 说明 经核实需补齐以下材料`,
      on({ verb: 'record', record: { kind: 'one_time_notice', missingMaterials: ['营业场所使用证明', '健康证明复印件', '身份证 复印件'], text: '经核实需补齐以下材料' } }),
    ],
    [
      `#${N} notice A;B`,
      on({ verb: 'record', record: { kind: 'one_time_notice', missingMaterials: ['A', 'B'], text: '经核实，需补齐以下材料' } }),
    ],
    [
      `#${N} 告知 营业场所使用证明\n健康证明复印件`,
      on({ verb: 'record', record: { kind: 'one_time_notice', missingMaterials: ['营业场所使用证明', '健康证明复印件'], text: '经核实，需补齐以下材料' } }),
    ],
    [
      `#${N} 不予受理 申请人不具备资格 依据 《食品经营许可管理办法》第十二条`,
      on({ verb: 'record', record: { kind: 'refusal_notice', text: '申请人不具备资格', basis: '《食品经营许可管理办法》第十二条' } }),
    ],
    [
      `#${N} refuse 不具备资格，无需再审查依据材料 依据：某办法`,
      on({ verb: 'record', record: { kind: 'refusal_notice', text: '不具备资格，无需再审查依据材料', basis: '某办法' } }),
    ],
    [
      `#${N} 会商 参会：业务协调科、 政策法规科，规划窗口 措施：容缺受理、告知承诺 同意容缺受理，消防意见后补`,
      on({
        verb: 'record',
        record: { kind: 'meeting', attendees: ['业务协调科', '政策法规科', '规划窗口'], measures: ['accept_with_gaps', 'notify_commit'], text: '同意容缺受理，消防意见后补' },
      }),
    ],
    [
      `#${N} 一事一议 参会:业务协调科 纪要：研究后不予受理`,
      on({ verb: 'record', record: { kind: 'meeting', attendees: ['业务协调科'], measures: [], text: '研究后不予受理' } }),
    ],
    [`#${N} 投诉 已约谈窗口负责人`, on({ verb: 'record', record: { kind: 'complaint_step', text: '已约谈窗口负责人' } })],
    [`#${N} 报告领导 已电话报告`, on({ verb: 'record', record: { kind: 'leader_informed', text: '已电话报告' } })],
    [`#${N} leader reported`, on({ verb: 'record', record: { kind: 'leader_informed', text: 'reported' } })],
    [`#${N} 备注 已电话联系诉求人`, on({ verb: 'record', record: { kind: 'note', text: '已电话联系诉求人' } })],
    [`#${N} note called`, on({ verb: 'record', record: { kind: 'note', text: 'called' } })],
    [`#${N} 转办`, on({ verb: 'transfer' })],
    [`#${N} 转办 jyj`, on({ verb: 'transfer', target: 'jyj' })],
    [`#${N} 转 市教育局 孩子入学问题`, on({ verb: 'transfer', target: '市教育局', content: '孩子入学问题' })],
    [`#${N} transfer jyj 内容：入学 备注：加急`, on({ verb: 'transfer', target: 'jyj', content: '入学', remarks: '加急' })],
    [`#${N} 转办 内容：请核实归属`, on({ verb: 'transfer', content: '请核实归属' })],
    [`#${N} 签收`, on({ verb: 'ack' })],
    [`#${N} ack`, on({ verb: 'ack' })],
    [`#${N} 答复 已电话联系家长，审核通过`, on({ verb: 'answer', text: '已电话联系家长，审核通过', eligible: true })],
    [
      `#${N} 答复 不符合 不在本学区 依据 《义务教育法》第十二条`,
      on({ verb: 'answer', text: '不在本学区', eligible: false, basis: '《义务教育法》第十二条' }),
    ],
    [`#${N} answer ineligible not in district 依据 rule 12`, on({ verb: 'answer', text: 'not in district', eligible: false, basis: 'rule 12' })],
    [`#${N} 办结 办理 已当场受理并办结`, on({ verb: 'resolve', outcome: 'handled', text: '已当场受理并办结' })],
    [`#${N} 办结 单位已处办 教育局已处理`, on({ verb: 'resolve', outcome: 'transferred_result', text: '教育局已处理' })],
    [`#${N} 办结 不符合 不符合条件 依据 某条例`, on({ verb: 'resolve', outcome: 'ineligible', text: '不符合条件', basis: '某条例' })],
    [`#${N} resolve EXPLAINED 已解释政策`, on({ verb: 'resolve', outcome: 'explained', text: '已解释政策' })],
    [`#${N} 反馈 已转教育局`, on({ verb: 'feedback', text: '已转教育局' })],
    [`#${N} 进度 正在会商`, on({ verb: 'feedback', text: '正在会商' })],
    [`#${N} 回复`, on({ verb: 'reply' })],
    [`#${N} 回复 已办好，请来取证`, on({ verb: 'reply', text: '已办好，请来取证' })],
    [`#${N} reply`, on({ verb: 'reply' })],
    [`#${N} 回访 满意`, on({ verb: 'followUp', satisfaction: 'satisfied' })],
    [`#${N} 回访 基本满意 等待时间较长`, on({ verb: 'followUp', satisfaction: 'basically_satisfied', comment: '等待时间较长' })],
    [`#${N} followup dissatisfied`, on({ verb: 'followUp', satisfaction: 'dissatisfied' })],
    [`#${N} 备案`, on({ verb: 'archive' })],
    [`#${N} 归档`, on({ verb: 'archive' })],
    [`#${N} archive`, on({ verb: 'archive' })],
    [`#${N} 撤回`, on({ verb: 'withdraw' })],
    [`#${N} 撤回 诉求人已自行办妥`, on({ verb: 'withdraw', reason: '诉求人已自行办妥' })],
  ];
  it.each(table)('%s', (line, expected) => {
    expect(parse(line)).toEqual(expected);
  });
});

describe('desk-wide commands', () => {
  const table: [string, object][] = [
    ['列表', { verb: 'list', scope: 'open', page: 1 }],
    ['列表 全部 2', { verb: 'list', scope: 'all', page: 2 }],
    ['列表 第3页', { verb: 'list', scope: 'open', page: 3 }],
    ['list overdue', { verb: 'list', scope: 'overdue', page: 1 }],
    ['LIST mine 4', { verb: 'list', scope: 'mine', page: 4 }],
    ['超期', { verb: 'list', scope: 'overdue', page: 1 }],
    ['overdue 2', { verb: 'list', scope: 'overdue', page: 2 }],
    ['我的', { verb: 'list', scope: 'mine', page: 1 }],
    ['mine', { verb: 'list', scope: 'mine', page: 1 }],
    ['值班', { verb: 'duty' }],
    ['duty', { verb: 'duty' }],
    ['统计', { verb: 'stats' }],
    ['Stats', { verb: 'stats' }],
    ['单位', { verb: 'units' }],
    ['units', { verb: 'units' }],
    ['帮助', { verb: 'help' }],
    ['？', { verb: 'help' }],
    ['help', { verb: 'help' }],
    [
      '登记 王小明 13812345678 事项：义务教育入学 情况：教育局不在中心办公，找不到人',
      { verb: 'register', name: '王小明', phone: '13812345678', matter: '义务教育入学', account: '教育局不在中心办公，找不到人', channel: 'window' },
    ],
    [
      'register 0512-52345678 Anna Li 事项:居住证明 情况:街道说要社区盖章 渠道：热线',
      { verb: 'register', name: 'Anna Li', phone: '0512-52345678', matter: '居住证明', account: '街道说要社区盖章', channel: 'hotline' },
    ],
  ];
  it.each(table)('%s', (line, expected) => {
    expect(parse(line)).toEqual(expected);
  });
});

describe('forgiving input', () => {
  it('accepts full-width ＃, digits and spaces', () => {
    expect(parse('＃２０２６１１２４００１　分类　一般')).toEqual(on({ verb: 'classify', category: 'GENERAL' }));
  });
  it('accepts extra spaces and a space after #', () => {
    expect(parse(`   #  ${N}     回访    不满意   太慢了  `)).toEqual(on({ verb: 'followUp', satisfaction: 'dissatisfied', comment: '太慢了' }));
  });
  it('accepts a verb glued to its argument', () => {
    expect(parse(`#${N} 分类未进驻`)).toEqual(on({ verb: 'classify', category: 'NOT_STATIONED' }));
    expect(parse(`#${N} 回访满意`)).toEqual(on({ verb: 'followUp', satisfaction: 'satisfied' }));
    expect(parse(`#${N} 重新分类复杂`)).toEqual(on({ verb: 'reclassify', category: 'COMPLEX' }));
  });
  it('accepts a number without # and a site prefix', () => {
    expect(parse(`${N} 签收`)).toEqual(on({ verb: 'ack' }));
    expect(parse('#ys20261124001 签收')).toEqual({ verb: 'ack', number: 'YS20261124001' });
  });
  it('takes a # before a desk-wide verb as a command mark', () => {
    expect(parse('#列表 超期')).toEqual({ verb: 'list', scope: 'overdue', page: 1 });
    expect(parse('#help')).toEqual({ verb: 'help' });
    expect(parse('＃统计')).toEqual({ verb: 'stats' });
  });
  it('accepts a choice id as sent back by a button', () => {
    expect(parse(`cmd:#${N} 分类 一般`)).toEqual(on({ verb: 'classify', category: 'GENERAL' }));
  });
  it('keeps free text exactly as typed, full-width punctuation and markup included', () => {
    expect(parse(`#${N} 备注 {"$where":"sleep(1)"} <b>粗体</b> ＄１００：*强调*`)).toEqual(
      on({ verb: 'record', record: { kind: 'note', text: '{"$where":"sleep(1)"} <b>粗体</b> ＄１００：*强调*' } }),
    );
  });
});

describe('refusals name the right form', () => {
  const error = (line: string) => {
    const r = parse(line);
    if (!('error' in r)) throw new Error(`parsed: ${JSON.stringify(r)}`);
    return r.error;
  };
  it('rejects an empty line', () => expect(error('   ')).toBe('请输入命令。发送“帮助”查看全部命令。'));
  it('rejects an unknown verb', () => expect(error(`#${N} 处理一下`)).toContain('看不懂“处理一下”'));
  it('rejects a short case number', () => expect(error('#123 分类 一般')).toBe('“#123”不是有效的事项编号（如 #20261124001）。'));
  it('asks for the number when # has none before a case verb', () => expect(error('# 分类 一般')).toContain('“分类”要写在事项编号后面'));
  it('asks for the number before a case verb', () => {
    expect(error('分类 一般')).toBe('“分类”要写在事项编号后面。用法：#编号 分类 <一般|复杂|不规范|未进驻|主体不明>\n例：#20261124001 分类 一般');
  });
  it('refuses a number on a desk-wide verb', () => expect(error(`#${N} 统计`)).toContain('“统计”不针对单个事项'));
  it('names the five categories', () => {
    expect(error(`#${N} 分类`)).toContain('请写明类别');
    expect(error(`#${N} 分类 特殊`)).toContain('“特殊”不是有效的类别。可选：一般、复杂、不规范、未进驻、主体不明。');
  });
  it('refuses text after a category', () => expect(error(`#${N} 分类 一般 马上办`)).toContain('多出“马上办”'));
  it('names the out-of-scope reasons', () => expect(error(`#${N} 不受理 太难`)).toContain('可选：涉法、涉诉、涉访、政策不符'));
  it('asks for the basis of a refusal notice', () => expect(error(`#${N} 不予受理 不具备资格`)).toContain('请写明政策法规依据'));
  it('asks for the materials of a one-time notice', () => expect(error(`#${N} 告知 说明 需补材料`)).toContain('需补齐的材料'));
  it('asks for the attendees of a meeting', () => expect(error(`#${N} 会商 同意容缺受理`)).toContain('参会科室和窗口'));
  it('names the meeting measures', () => expect(error(`#${N} 会商 参会：业务协调科 措施：特批 同意`)).toContain('可选：告知承诺、容缺受理、否决事项审签'));
  it('asks an ineligible answer for its basis', () => expect(error(`#${N} 答复 不符合 不在学区`)).toContain('请写明政策法规依据'));
  it('names the resolve outcomes', () => expect(error(`#${N} 办结 好了 已处理`)).toContain('“好了”不是有效的办结方式'));
  it('asks for the result of a resolve', () => expect(error(`#${N} 办结 办理`)).toContain('请写明办理结果'));
  it('names the satisfaction levels', () => expect(error(`#${N} 回访 还行`)).toContain('可选：满意、基本满意、不满意'));
  it('asks for the text of a note', () => expect(error(`#${N} 备注`)).toContain('用法：#编号 备注 <内容>'));
  it('refuses text after 签收', () => expect(error(`#${N} 签收 好的`)).toContain('“签收”后面不需要其他内容'));
  it('refuses a bad list scope or page', () => {
    expect(error('列表 昨天')).toContain('“昨天”不是有效的列表范围');
    expect(error('列表 0')).toContain('“0”不是有效的页码');
  });
  it('asks a registration for each missing field', () => {
    expect(error('登记 13812345678 事项：入学 情况：找不到人办理')).toContain('反映人姓名');
    expect(error('登记 王小明 事项：入学 情况：找不到人办理')).toContain('联系电话');
    expect(error('登记 王小明 13812345678 情况：找不到人办理')).toContain('办理事项');
    expect(error('登记 王小明 13812345678 事项：入学')).toContain('问题描述');
    expect(error('登记 王小明 13812345678 事项：入学 情况：找不到人办理 渠道：邮件')).toContain('可选：窗口、热线');
  });
});

describe('help and choices speak the same grammar', () => {
  const expectedVerb: Record<string, string> = {
    onSite: 'record',
    notice: 'record',
    refusal: 'record',
    meeting: 'record',
    complaint: 'record',
    leader: 'record',
    note: 'record',
    overdue: 'list',
    mine: 'list',
  };
  it.each(VERB_KEYS)('the help example of %s parses to that command', (verb) => {
    const r = parse(COMMAND_HELP_ZH[verb].example);
    expect(r).toHaveProperty('verb', expectedVerb[verb] ?? verb);
  });

  it('the help text lists every command with its example and who may use it', () => {
    const help = staffHelp();
    for (const verb of VERB_KEYS) expect(help).toContain(`${VERBS[verb].zh[0]}　${COMMAND_HELP_ZH[verb].example}`);
    expect(help).toContain('可用：承办单位联络员；英文：ack');
    expect(help).toContain('可用：窗口工作人员；英文：followup');
  });

  it('every English alias is distinct', () => {
    expect(new Set(VERB_KEYS.map((v) => VERBS[v].en)).size).toBe(VERB_KEYS.length);
  });

  it('every choice offered in any state parses back to a command on that case', () => {
    const everyone = { _id: 'x', name: 'x', site: 'city', roles: [...ROLES], identities: [], active: true } as StaffDoc;
    const units = [{ _id: 'yushan-st', name: '虞山街道' } as UnitDoc];
    let seen = 0;
    for (const status of CASE_STATUSES)
      for (const category of [null, ...CATEGORIES]) {
        const steps = nextSteps({
          number: N,
          status,
          category,
          events: CASE_EVENT_TYPES as readonly CaseEventType[],
          staff: everyone,
          transferUnits: units,
          awaitingAck: true,
        });
        for (const c of steps.choices) {
          seen++;
          expect(c.id.startsWith('cmd:')).toBe(true);
          expect(parse(c.id)).toHaveProperty('number', N);
        }
      }
    expect(seen).toBeGreaterThan(50);
  });
});
