// What staff read from the text-command module: usage forms, help, confirmations, listings.
// Staff copy is Chinese only. Functions, not format strings, so a missing value is a compile error.
import type { UnitKind } from '../../../models/vocabulary.js';

export const EXAMPLE_NUMBER = '20261124001';

/** One entry per command: the form, an example, and what it does. `#编号` marks commands on a case. */
export const COMMAND_HELP_ZH = {
  view: { form: '#编号 [查看]', example: `#${EXAMPLE_NUMBER} 查看`, does: '查看事项详情、时限、转办和最近记录' },
  reveal: { form: '#编号 身份', example: `#${EXAMPLE_NUMBER} 身份`, does: '查看反映人完整姓名和电话（留痕备查）' },
  classify: {
    form: '#编号 分类 <一般|复杂|不规范|未进驻|主体不明>',
    example: `#${EXAMPLE_NUMBER} 分类 一般`,
    does: '按五种情形分类',
  },
  reclassify: {
    form: '#编号 重新分类 <一般|复杂|不规范|未进驻|主体不明>',
    example: `#${EXAMPLE_NUMBER} 重新分类 复杂`,
    does: '改变类别（转办前）',
  },
  outOfScope: {
    form: '#编号 不受理 <涉法|涉诉|涉访|政策不符> [说明]',
    example: `#${EXAMPLE_NUMBER} 不受理 涉诉 已进入诉讼程序`,
    does: '认定不属受理范围，并告知诉求人去向',
  },
  agitated: { form: '#编号 情绪激动', example: `#${EXAMPLE_NUMBER} 情绪激动`, does: '标记情绪激动，效能督查科先行疏导' },
  calmed: { form: '#编号 已平复 [疏导情况]', example: `#${EXAMPLE_NUMBER} 已平复 经耐心解释已平复`, does: '确认情绪已平复，可以分类' },
  assign: { form: '#编号 指派 <工作人员编号>', example: `#${EXAMPLE_NUMBER} 指派 zhangmin`, does: '指派处办人员' },
  involve: {
    form: '#编号 涉及 <单位…> | #编号 涉及 移除 <单位> 原因：<原因>',
    example: `#${EXAMPLE_NUMBER} 涉及 bdc`,
    does: '加登被反映的窗口/单位（可多个；该单位看不到反映人信息）；移除须写原因，已收到转办单的单位不能移除',
  },
  settle: {
    form: '#编号 被反映单位 <单位…|无>',
    example: `#${EXAMPLE_NUMBER} 被反映单位 jyj`,
    does: '巡导员确认本事项反映的是哪些单位（或“无”）；确认前任何单位都看不到反映人信息',
  },
  askWindow: {
    form: '#编号 问窗口 <窗口代码或名称> <要了解的情况>',
    example: `#${EXAMPLE_NUMBER} 问窗口 scrz 为什么要求补交场地证明`,
    does: '向进驻窗口了解情况（窗口联络员收到询问并答复）',
  },
  windowAnswer: { form: '#编号 回答 <情况说明>', example: `#${EXAMPLE_NUMBER} 回答 场地证明属经营范围必需材料，已电话解释`, does: '进驻窗口答复巡导员的询问' },
  onSite: { form: '#编号 现场 <处理情况>', example: `#${EXAMPLE_NUMBER} 现场 巡导员到窗口核实，当场受理`, does: '记录现场处理情况' },
  notice: {
    form: '#编号 告知 <材料1；材料2；…> [说明 <说明>]',
    example: `#${EXAMPLE_NUMBER} 告知 营业场所使用证明；健康证明复印件 说明 经核实需补齐以下材料`,
    does: '一次性告知需补齐的全部材料（各项用；或、分隔）',
  },
  refusal: {
    form: '#编号 不予受理 <理由> 依据 <政策法规依据>',
    example: `#${EXAMPLE_NUMBER} 不予受理 申请人不具备资格 依据 《食品经营许可管理办法》第十二条`,
    does: '出具不予受理通知书',
  },
  meeting: {
    form: '#编号 会商 参会：<科室、窗口…> [措施：<告知承诺、容缺受理、否决事项审签>] <纪要>',
    example: `#${EXAMPLE_NUMBER} 会商 参会：业务协调科、政策法规科 措施：容缺受理 同意容缺受理，消防意见后补`,
    does: '记录一事一议',
  },
  complaint: { form: '#编号 投诉 <办理情况>', example: `#${EXAMPLE_NUMBER} 投诉 已约谈窗口负责人核查`, does: '记录投诉件办理' },
  leader: { form: '#编号 报告领导 <汇报内容>', example: `#${EXAMPLE_NUMBER} 报告领导 已电话报告分管局领导`, does: '记录向局领导汇报' },
  note: { form: '#编号 备注 <内容>', example: `#${EXAMPLE_NUMBER} 备注 已电话联系诉求人`, does: '台账备注' },
  draft: {
    form: '#编号 草拟 [单位代码或名称] [内容：<诉求内容>]',
    example: `#${EXAMPLE_NUMBER} 草拟 jyj`,
    does: '窗口填写转办单：不写内容则由系统从问题描述中去除反映人信息后拟稿；写内容即修改（再次检查）；都会显示单位将看到的全文',
  },
  preview: { form: '#编号 预览 [单位代码或名称]', example: `#${EXAMPLE_NUMBER} 预览`, does: '显示承办单位将收到的转办单全文' },
  transfer: {
    form: '#编号 转办 [单位代码或名称] [内容：<诉求内容>] [备注：<备注>]',
    example: `#${EXAMPLE_NUMBER} 转办 jyj`,
    does: '发送已预览的转办单（尚未预览的先显示单位将收到的全文，再发一次即发送；写内容即修改草稿；审批主体不明的不写单位，默认市便民服务中心）',
  },
  ack: { form: '#编号 签收', example: `#${EXAMPLE_NUMBER} 签收`, does: '承办单位签收转办单' },
  answer: {
    form: '#编号 答复 [不符合] <处理及回复情况> [依据 <政策法规依据>]',
    example: `#${EXAMPLE_NUMBER} 答复 已电话联系诉求人，资格审核通过`,
    does: '承办单位答复转办事项（不符合办理条件的须写依据）',
  },
  resolve: {
    form: '#编号 办结 <办理|告知|不予受理|一事一议|单位已处办|不符合|投诉已处办|解释> <办理结果> [依据 <依据>]',
    example: `#${EXAMPLE_NUMBER} 办结 办理 已当场受理并办结`,
    does: '办结（不予受理、不符合的须写依据）',
  },
  feedback: { form: '#编号 反馈 <进度>', example: `#${EXAMPLE_NUMBER} 反馈 已转教育局，3个工作日内答复`, does: '向诉求人反馈进度（首次反馈）' },
  reply: { form: '#编号 回复 [结果]', example: `#${EXAMPLE_NUMBER} 回复`, does: '向诉求人反馈办理结果（不写则用办结结果）' },
  followUp: { form: '#编号 回访 <满意|基本满意|不满意> [意见]', example: `#${EXAMPLE_NUMBER} 回访 满意`, does: '记录回访评价' },
  archive: { form: '#编号 备案', example: `#${EXAMPLE_NUMBER} 备案`, does: '回访满意后备案归档' },
  withdraw: { form: '#编号 撤回 [原因]', example: `#${EXAMPLE_NUMBER} 撤回 诉求人已自行办妥`, does: '代诉求人撤回' },
  list: { form: '列表 [在办|超期|我的|全部] [单位 <单位代码或名称>] [页码]', example: '列表 全部 单位 jyj', does: '事项列表（默认在办；可只列一个单位的）' },
  overdue: { form: '超期 [页码]', example: '超期', does: '超期事项' },
  mine: { form: '我的 [页码]', example: '我的', does: '指派给我的在办事项' },
  duty: { form: '值班', example: '值班', does: '今日值班巡导员和各科室联系人' },
  stats: { form: '统计', example: '统计', does: '本站点事项按状态、类别统计，以及超期数' },
  units: { form: '单位', example: '单位', does: '可转办的单位及代码' },
  help: { form: '帮助', example: '帮助', does: '本说明' },
  register: {
    form: '登记 <姓名> <电话> 事项：<办理事项> 情况：<问题描述> [渠道：窗口|热线]',
    example: '登记 王小明 13812345678 事项：义务教育入学 情况：教育局不在中心办公，找不到人办理',
    does: '窗口或热线代为登记',
  },
  registrationForm: {
    form: '#编号 登记表 [完整]',
    example: `#${EXAMPLE_NUMBER} 登记表`,
    does: '“办不成事”事项登记表（PDF）；“完整”印出反映人完整姓名和电话（仅私聊，留痕）',
  },
  slipForm: {
    form: '#编号 转办单 [重发]',
    example: `#${EXAMPLE_NUMBER} 转办单`,
    does: '转办单（文字和 PDF；联络员只得到本单位的一份）；“重发”把最新一张再发给承办单位',
  },
  ledger: {
    form: '清单 <本周|上周|本月|上月|2026-11|起始日期 结束日期>',
    example: '清单 2026-11-01 2026-11-30',
    does: '问题清单表（XLSX 和 CSV），上周期未办结的事项备注“是”；只写“清单”仍是在办事项列表',
  },
  performance: {
    form: '考核 [本月|上月|2026-11|起始日期 结束日期]',
    example: '考核 2026-11',
    does: '承办单位处办效率考核和站点统计（表格、XLSX、图表）',
  },
} as const;

export const HELP_GROUPS_ZH: readonly { title: string; verbs: readonly (keyof typeof COMMAND_HELP_ZH)[] }[] = [
  { title: '查看', verbs: ['view', 'reveal'] },
  { title: '受理与分类', verbs: ['register', 'classify', 'reclassify', 'outOfScope', 'agitated', 'calmed', 'assign', 'settle', 'involve'] },
  { title: '处办记录', verbs: ['onSite', 'notice', 'refusal', 'meeting', 'complaint', 'leader', 'note', 'askWindow', 'windowAnswer'] },
  { title: '转办', verbs: ['draft', 'preview', 'transfer', 'ack', 'answer'] },
  { title: '办结、反馈、回访', verbs: ['resolve', 'feedback', 'reply', 'followUp', 'archive', 'withdraw'] },
  { title: '查询', verbs: ['list', 'overdue', 'mine', 'duty', 'stats', 'units', 'help'] },
  { title: '表单与报表', verbs: ['registrationForm', 'slipForm', 'ledger', 'performance'] },
];

export const helpZh = {
  title: '【办不成事 · 工作人员命令】',
  intro: '在事项编号前加 #，再写命令；命令与内容之间用空格分开。按钮和数字菜单发送的也是这些命令。',
  forYou: (roles: string) => `您的角色：${roles}。✓ 为您可用的命令，· 为其他角色的命令。`,
  allStaff: '全部工作人员',
  english: (en: string) => `英文：${en}`,
  aliases: (a: string) => `也可写：${a}`,
  who: (roles: string) => `可用：${roles}`,
  line: (p: { mark: string; name: string; example: string; does: string; extras: string }) =>
    `${p.mark} ${p.name}　${p.example}\n　　${p.does}（${p.extras}）`,
  outro: '文字内容按原样记录，不会被当作格式或指令。',
};

export const parseZh = {
  empty: '请输入命令。发送“帮助”查看全部命令。',
  unknownVerb: (word: string) => `看不懂“${word}”。发送“帮助”查看全部命令，或发送 #编号 查看事项。`,
  badNumber: (raw: string) => `“${raw}”不是有效的事项编号（如 #${EXAMPLE_NUMBER}）。`,
  needsNumber: (name: string, form: string, example: string) =>
    `“${name}”要写在事项编号后面。用法：${form}\n例：${example}`,
  noNumber: (name: string, form: string) => `“${name}”不针对单个事项，请去掉编号。用法：${form}`,
  usage: (problem: string, form: string, example: string) => `${problem}\n用法：${form}\n例：${example}`,
  missing: (what: string) => `请写明${what}。`,
  unknownWord: (what: string, word: string, options: string) => `“${word}”不是有效的${what}。可选：${options}。`,
  extra: (name: string, extra: string) => `“${name}”后面不需要其他内容（多出“${extra.slice(0, 20)}”）。`,
  badPage: (word: string) => `“${word}”不是有效的页码。`,
  /** The one-time notice's text when only the list of materials was typed. */
  noticeDefault: '经核实，需补齐以下材料',
  what: {
    category: '类别',
    reason: '不予受理范围的原因',
    outcome: '办结方式',
    satisfaction: '回访评价',
    measure: '会商措施',
    scope: '列表范围',
    channel: '登记渠道',
    period: '时间段',
    slipAction: '转办单操作',
    formOption: '登记表选项',
  },
  need: {
    category: '类别',
    reason: '原因（涉法、涉诉、涉访或政策不符）',
    staff: '工作人员编号',
    unit: '单位代码或名称（#单位 查看代码）',
    text: '具体内容',
    items: '需补齐的材料（各项用；或、分隔）',
    reason2: '不予受理的理由',
    basis: '政策法规依据（写在“依据”之后）',
    attendees: '参会科室和窗口（参会：A、B）',
    minutes: '会商纪要',
    answer: '处理及回复情况',
    windowQuestion: '进驻窗口（代码或名称）和要了解的情况',
    outcome: '办结方式',
    result: '办理结果',
    progress: '反馈的进度',
    satisfaction: '回访评价（满意、基本满意或不满意）',
    name: '反映人姓名',
    phone: '联系电话',
    matter: '办理事项（事项：…）',
    account: '问题描述（情况：…）',
  },
};

export const UNIT_KIND_ZH: Readonly<Record<UnitKind, string>> = {
  section: '中心内设科室',
  stationed_window: '进驻窗口',
  department: '未进驻部门',
  town_street: '镇（街道）',
  service_center: '市便民服务中心',
};

export const CHANNEL_ENTRY_ZH = { window: '窗口', hotline: '热线' } as const;

/** Screens: the case view, listings, statistics, duty, units. */
export const screenZh = {
  caseTitle: (p: { number: string; status: string }) => `【事项 ${p.number}】${p.status}`,
  category: (p: { category: string; suggested?: string }) => `类别：${p.category}${p.suggested ? `（建议：${p.suggested}）` : ''}`,
  agitated: '⚠ 诉求人情绪激动，效能督查科先行疏导',
  reporter: (p: { who: string; note: string }) => `反映人：${p.who}${p.note}`,
  reporterMasked: (n: string) => `（已部分隐藏；#${n} 身份 查看完整信息）`,
  reporterFull: '（完整信息，已留痕）',
  reporterHidden: '按规定不予显示',
  channel: (c: string) => `渠道：${c}`,
  matter: (m: string) => `事项：${m}`,
  account: (a: string) => `情况：${a}`,
  acceptedAt: (t: string) => `受理时间：${t}`,
  assignee: (s: string) => `处办人：${s}`,
  involvedUnit: (u: string) => `涉及单位：${u}`,
  involvedUnits: (p: { units: string; settled: boolean; words?: string; suggested?: string }) =>
    `被反映单位：${p.units || '无'}${p.settled ? '（已确认）' : '（待巡导员确认；确认前任何单位都看不到反映人信息）'}` +
    (p.words ? `\n诉求人所述：“${p.words}”${p.suggested ? `（匹配：${p.suggested}）` : '（名录中未找到）'}` : ''),
  deadlinesTitle: '时限：',
  deadline: (p: { label: string; due: string; state: string }) => `  · ${p.label}　${p.due}　${p.state}`,
  met: '已完成',
  pending: '未到期',
  overdue: (s: string) => `⏰ ${s}`,
  provisional: (note: string) => `（${note}）`,
  transfersTitle: '转办：',
  transfer: (p: { slip: string; unit: string; state: string; due: string }) => `  · 转办单 ${p.slip} → ${p.unit}（${p.state}），应反馈时间 ${p.due}`,
  transferReply: (r: string) => `    答复：${r}`,
  slipState: { issued: '已发出，待签收', acknowledged: '已签收', replied: '已答复' } as Record<string, string>,
  outcome: (p: { outcome: string; text: string; basis?: string; at: string }) =>
    `办理结果：${p.outcome}——${p.text}${p.basis ? `（依据：${p.basis}）` : ''}，${p.at}`,
  followUp: (p: { round: number; satisfaction: string; comment?: string }) =>
    `回访：第 ${p.round} 次 ${p.satisfaction}${p.comment ? `，意见：${p.comment}` : ''}`,
  handlingTitle: '处办记录：',
  handling: (p: { at: string; label: string; text: string }) => `  · ${p.at} ${p.label}：${p.text}`,
  handlingMaterials: (items: string[]) => `    需补齐材料：${items.map((x, i) => `${i + 1}. ${x}`).join('；')}`,
  handlingAttendees: (names: string[]) => `    参会：${names.join('、')}`,
  handlingMeasures: (names: string[]) => `    措施：${names.join('、')}`,
  handlingBasis: (b: string) => `    依据：${b}`,
  handlingKinds: {
    on_site: '现场处理',
    one_time_notice: '一次性告知',
    refusal_notice: '不予受理通知书',
    meeting: '一事一议',
    complaint_step: '投诉件办理',
    leader_informed: '向局领导汇报',
    note: '备注',
    calming: '情绪疏导',
    window_question: '询问进驻窗口',
    window_answer: '进驻窗口答复',
  } as Record<string, string>,
  windows: (names: string) => `涉及窗口：${names}`,
  leader: (at: string | null) => `向局领导汇报：${at ? `已汇报（${at}）` : '尚未汇报'}`,
  unreachable: (p: { at: string; reason: string }) => `⚠ 线上无法联系诉求人（${p.at}，${p.reason}），请电话联系`,
  timelineTitle: (shown: number, total: number) => (shown < total ? `最近记录（共 ${total} 条，显示最近 ${shown} 条）：` : '记录：'),
  timeline: (p: { at: string; by: string; text: string }) => `  ${p.at} ${p.by}：${p.text}`,
  nextTitle: '下一步：',
  nextNone: '下一步：该事项已结束。',
  nextNotYours: (labels: string) => `下一步（由其他角色办理）：${labels}`,
  nextTemplate: (cmd: string) => `  ${cmd}`,

  listTitle: (p: { scope: string; page: number; pages: number; total: number }) =>
    `【${p.scope}】共 ${p.total} 件${p.pages > 1 ? `，第 ${p.page}/${p.pages} 页` : ''}`,
  listEmpty: (scope: string) => `【${scope}】暂无事项。`,
  listRow: (p: { i: number; number: string; status: string; category: string; matter: string; accepted: string; overdue: string; next: string; agitated: boolean }) =>
    `${p.i}. ${p.number}　${p.status}　${p.category}${p.agitated ? '　⚠情绪激动' : ''}\n   ${p.matter}　受理 ${p.accepted}${p.next ? `\n   时限：${p.next}` : ''}${p.overdue ? `\n   ⏰ ${p.overdue}` : ''}`,
  listNext: (p: { label: string; due: string; provisional: boolean }) => `${p.label} ${p.due}${p.provisional ? '（暂定）' : ''}`,
  listMore: (cmd: string) => `下一页：${cmd}`,
  scopeTitle: { open: '在办事项', overdue: '超期事项', mine: '我的在办事项', all: '全部事项' } as Record<string, string>,
  openCase: (n: string) => `查看 ${n}`,
  nextPage: (page: number) => `下一页（第 ${page} 页）`,

  statsTitle: (p: { scope: string; at: string }) => `【统计】${p.scope}，截至 ${p.at}`,
  statsTotals: (p: { total: number; open: number; overdue: number }) => `共 ${p.total} 件，在办 ${p.open} 件，超期 ${p.overdue} 件`,
  statsByStatus: (s: string) => `按状态：${s}`,
  statsByCategory: (s: string) => `按类别：${s}`,
  statsItem: (label: string, n: number) => `${label} ${n}`,
  statsNone: '暂无事项。',
  statsTruncated: (n: number) => `（事项较多，仅统计最近受理的 ${n} 件）`,
  unitScope: (unit: string) => `转办给${unit}的事项`,
  siteScope: (site: string) => `${site}`,
  uncategorized: '未分类',

  dutyTitle: (day: string) => `【今日值班】${day}`,
  dutyOfficer: (p: { name: string; id: string; fallback: boolean }) =>
    `巡导员：${p.name}（${p.id}）${p.fallback ? '——排班表今日无人，由后备巡导员顶班' : ''}`,
  dutyNone: '今日排班表中没有巡导员，也没有后备巡导员，请管理员安排。',
  dutyRole: (p: { role: string; names: string }) => `${p.role}：${p.names}`,

  unitsTitle: (site: string) => `【单位】${site}`,
  unitsGroup: (kind: string) => `${kind}：`,
  unitLine: (p: { code: string; name: string; matters: string }) => `  ${p.code}　${p.name}${p.matters ? `　— ${p.matters}` : ''}`,
  unitsHint: (example: string) => `转办时写单位代码或名称，如：${example}`,
};

/** Confirmations after a change; `status` is the label of the status the case is now in. */
export const doneZh = {
  prefix: '✅ ',
  duplicate: '（这条命令此前已执行过，本次未重复执行。）',
  status: (s: string) => `当前状态：${s}。`,
  registered: (p: { number: string; accepted: string; feedbackBy: string }) =>
    `已登记，事项编号 ${p.number}。受理时间 ${p.accepted}，须于 ${p.feedbackBy} 前首次反馈诉求人。已通知今日巡导员分类。`,
  registeredDeferred: (at: string) => `非工作时间登记，${at} 起计时。`,
  scopeWarning: '⚠ 内容可能不属受理范围，请巡导员核实。',
  classified: (p: { number: string; category: string }) => `事项 ${p.number} 已分类为“${p.category}”。`,
  reclassified: (p: { number: string; category: string }) => `事项 ${p.number} 已改为“${p.category}”。`,
  outOfScope: (p: { number: string }) => `事项 ${p.number} 已认定不属受理范围，已告知诉求人去向。`,
  agitated: (p: { number: string }) => `事项 ${p.number} 已标记情绪激动，已通知效能督查科先行疏导。`,
  calmed: (p: { number: string }) => `事项 ${p.number} 诉求人情绪已平复，可以分类。`,
  assigned: (p: { number: string; name: string }) => `事项 ${p.number} 已指派给 ${p.name}。`,
  involved: (p: { number: string; unit: string }) => `事项 ${p.number} 涉及 ${p.unit}：该单位不会看到反映人的姓名和联系方式。`,
  uninvolved: (p: { number: string; unit: string }) => `事项 ${p.number} 已将 ${p.unit} 移出被反映单位（原因已记录）。`,
  settled: (p: { number: string; units: string }) => `事项 ${p.number} 的被反映单位已确认：${p.units}。`,
  unitsQuestion: (p: { number: string; words?: string; suggested: string }) =>
    `请答复被反映单位（答复前任何单位都看不到反映人信息）：${p.words ? `诉求人所述“${p.words}”` : '诉求人未说明'}${p.suggested ? `，建议：${p.suggested}` : ''}。#${p.number} 被反映单位 <单位代码…> 或 #${p.number} 被反映单位 无`,
  recorded: (p: { number: string; what: string }) => `事项 ${p.number} 已记录：${p.what}。`,
  transferred: (p: { number: string; slip: string; unit: string; due: string }) =>
    `事项 ${p.number} 已转办：转办单 ${p.slip} → ${p.unit}，应反馈时间 ${p.due}。`,
  acknowledged: (p: { number: string; unit: string; contactCitizen: boolean }) =>
    `${p.unit} 已签收事项 ${p.number} 的转办单，请于应反馈时间前${p.contactCitizen ? '联系诉求人并答复' : '将处理情况答复窗口（转办单不含诉求人信息，由窗口联系诉求人）'}。`,
  answered: (p: { number: string; unit: string; eligible: boolean }) =>
    `${p.unit} 已答复事项 ${p.number}（${p.eligible ? '已处办' : '不符合办理条件，已写明依据'}），窗口将核实后办结。`,
  resolved: (p: { number: string; outcome: string }) => `事项 ${p.number} 已办结：${p.outcome}。`,
  feedback: (p: { number: string }) => `已向诉求人反馈事项 ${p.number} 的进度。`,
  replied: (p: { number: string; due: string }) => `已向诉求人反馈事项 ${p.number} 的办理结果，请于 ${p.due} 前完成回访。`,
  byPhone: '诉求人不是线上渠道反映的，请电话告知。',
  followedUp: (p: { number: string; satisfaction: string }) => `已记录事项 ${p.number} 的回访：${p.satisfaction}。`,
  rehandling: (p: { due: string }) => `已转效能督查科会同有关单位于 ${p.due} 前分析处理。`,
  archived: (p: { number: string }) => `事项 ${p.number} 已备案。`,
  withdrawn: (p: { number: string }) => `事项 ${p.number} 已撤回。`,
  recordKinds: {
    on_site: '现场处理情况',
    one_time_notice: '一次性告知（已发给诉求人）',
    refusal_notice: '不予受理通知书（已发给诉求人）',
    meeting: '一事一议',
    complaint_step: '投诉件办理',
    leader_informed: '向局领导汇报（已通知局领导）',
    note: '备注',
  } as Record<string, string>,
  windowAsked: (p: { number: string; unit: string }) => `已向${p.unit}了解事项 ${p.number} 的情况，窗口联络员答复后会通知您。`,
  windowAnswered: (p: { number: string }) => `已答复事项 ${p.number} 的询问，巡导员会收到。`,
  items: (n: number) => `，共 ${n} 项材料`,
  viewChoice: (n: string) => `查看 ${n}`,
  revealChoice: '查看完整身份（留痕）',
};

export const errorZh = {
  prefix: '⚠️ ',
  noReports: '本服务未启用表单和报表。',
  unknownUnit: (word: string, codes: string) => `找不到单位“${word}”。可转办的单位：${codes}。发送“单位”查看全部。`,
  unknownAnyUnit: (word: string, codes: string) => `找不到单位“${word}”。单位代码：${codes}。`,
  commandsNow: (forms: string) => `\n现在可用的命令：${forms}`,
  ambiguousUnit: (word: string, names: string) => `“${word}”对应多个单位：${names}。请写单位代码。`,
};
