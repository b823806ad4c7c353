// What citizens and staff read about a case, in Chinese. Functions, not format strings, so a
// missing parameter is a compile error. Staff copy is Chinese only; citizen copy has an English twin.
import type { Category, Satisfaction } from '../../../models/vocabulary.js';

export const CATEGORY_ZH: Record<Category, string> = {
  GENERAL: '一般性情形',
  COMPLEX: '较复杂情形',
  IRREGULAR_SERVICE: '服务不规范情形',
  NOT_STATIONED: '未进驻情形',
  AUTHORITY_UNCLEAR: '审批主体不明情形',
};

export const SATISFACTION_ZH: Record<Satisfaction, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};

export const OUT_OF_SCOPE_GUIDANCE_ZH = {
  legal: '涉及行政执法或法律程序的事项，请通过执法机关的法定程序或行政复议、行政诉讼等途径依法处理。',
  litigation: '已进入诉讼、仲裁程序的事项，请按司法程序处理，可咨询人民法院诉讼服务中心或法律援助中心（12348）。',
  petition: '信访事项请向信访部门反映，可通过当地信访局窗口、网上信访或 12345 热线转办。',
  contrary_to_policy: '您的诉求与现行政策法规不符，窗口无法办理。如对政策有意见建议，可通过 12345 热线反映。',
} as const;

/** What a citizen told "no" may do about it, with the statutory time limits. */
export const REMEDIES_ZH =
  '如对本决定不服，可以自知道该决定之日起六十日内依法申请行政复议，或者自知道该决定之日起六个月内依法向人民法院提起行政诉讼。';

/** Beside a date counted through a year whose 调休 is not published yet: said to citizens too. */
export const PROVISIONAL_ZH = '（暂定，以节假日安排公布后为准）';

/** Messages to the citizen. */
export const citizenZh = {
  deferredAcceptance: (p: { at: string }) => `现在是非工作时间，您的反映已记录，将于 ${p.at} 正式受理并开始计时。`,
  classified: (p: { number: string }) => `您反映的事项（编号 ${p.number}）已由大厅巡导员分析，正在协调处办。`,
  // What really happens: a unit that may not learn who reported answers through the window, and
  // the window contacts the citizen; only a unit the citizen did not complain about calls them.
  transferred: (p: { number: string; unit: string; due: string; unitContacts: boolean }) =>
    p.unitContacts
      ? `您反映的事项（编号 ${p.number}）涉及${p.unit}，已填写转办单转交办理。承办单位将直接与您联系，原则上于 ${p.due} 前答复。`
      : `您反映的事项（编号 ${p.number}）涉及${p.unit}，已填写转办单转交办理。按规定，您的姓名和联系方式不会提供给该单位；单位将办理情况答复窗口，由窗口与您联系，原则上于 ${p.due} 前答复。`,
  transferredToCenter: (p: { number: string; due: string }) =>
    `您反映的事项（编号 ${p.number}）已转交市便民服务中心按工单处办，结果将反馈给您，预计 ${p.due} 前答复。`,
  firstFeedback: (p: { number: string; text: string }) => `【进度反馈】事项 ${p.number}：${p.text}`,
  oneTimeNotice: (p: { number: string; items: string[]; text: string }) =>
    `【一次性告知】事项 ${p.number}：${p.text}\n需补齐的全部材料：\n${p.items.map((x, i) => `${i + 1}. ${x}`).join('\n')}\n材料备齐后即可办理，无需再次排队咨询。`,
  result: (p: { number: string; text: string; basis?: string }) =>
    `【办理结果】事项 ${p.number}：${p.text}${p.basis ? `\n依据：${p.basis}` : ''}`,
  // 不予受理通知书: the decision, its reason and basis, and the remedies with the time limits the
  // notice must state (《行政复议法》第二十条: 60 days; 《行政诉讼法》第四十六条: 6 months).
  refusalNotice: (p: { number: string; text: string; basis: string }) =>
    `【不予受理通知书】事项 ${p.number}\n经审查，您反映的事项不予受理。\n理由：${p.text}\n依据：${p.basis}\n${REMEDIES_ZH}`,
  ineligibleResult: (p: { number: string; text: string; basis: string }) =>
    `【办理结果】事项 ${p.number}：${p.text}\n依据：${p.basis}\n${REMEDIES_ZH}`,
  followUpAsk: (p: { number: string }) => `【回访】您反映的事项（编号 ${p.number}）已办结并反馈。请问您对处理结果是否满意？`,
  followUpThanks: (p: { number: string }) => `感谢您的评价！事项 ${p.number} 已完成回访。`,
  followUpDissatisfied: (p: { number: string; due: string }) =>
    `很抱歉没能让您满意。事项 ${p.number} 已转效能督查科会同有关单位分析处理，将于 ${p.due} 前回应您。`,
  withdrawn: (p: { number: string }) => `事项 ${p.number} 已按您的要求撤回。如需再次反映，随时发消息给我们。`,
  outOfScope: (p: { number: string; guidance: string }) => `事项 ${p.number} 经核实不属于“办不成事”窗口受理范围。${p.guidance}`,
  archived: (p: { number: string }) => `事项 ${p.number} 已办结归档。感谢您对政务服务工作的支持！`,
  supplementReceived: (p: { number: string }) => `补充内容已加入事项 ${p.number}，工作人员会一并处理。`,
};

/** Messages to staff rooms, staff members and unit liaisons. Never reporter identity. */
export const staffZh = {
  newCase: (p: { number: string; site: string; matter: string; channel: string; suggested: string; duty: string; deferred?: string; agitated?: boolean }) =>
    `【新事项】${p.number}（${p.site}）${p.agitated ? '\n⚠ 诉求人情绪激动：请效能督查科先行疏导，情绪平复后再分类' : ''}\n事项：${p.matter}\n渠道：${p.channel}　建议分类：${p.suggested}\n请今日巡导员 ${p.duty} 第一时间了解情况并分类（#${p.number} 分类 …）。${p.deferred ? `\n非工作时间提交，计时自 ${p.deferred} 起。` : ''}`,
  /** Added to the new-case message: the citizen's own words for the unit, the desk's guess, and the question to settle. */
  unitAsked: (p: { number: string; words?: string; suggested: string[]; picked?: string | null }) =>
    `\n诉求人所述单位：${p.words ? `“${p.words}”` : '（未说明）'}${p.suggested.length ? `，可能是：${p.suggested.join('、')}` : p.words ? '，名录中未找到对应单位' : ''}` +
    `${p.picked === undefined ? '' : p.picked === null ? '；诉求人选择“都不是”' : `；诉求人选定：${p.picked}`}` +
    `\n请巡导员分类时答复被反映单位（#${p.number} 被反映单位 <单位代码…> 或 #${p.number} 被反映单位 无）；答复前任何单位都看不到反映人信息。`,
  noDutyOfficer: (p: { number: string }) => `【注意】今日排班表中没有巡导员，事项 ${p.number} 暂无第一责任人，请管理员安排。`,
  agitated: (p: { number: string }) =>
    `【情绪激动】事项 ${p.number} 的诉求人情绪激动，请效能督查科立即疏导，情绪平复后再分类处办（#${p.number} 已平复）。`,
  classified: (p: { number: string; category: string; by: string }) => `事项 ${p.number} 已由${p.by}分类为“${p.category}”。`,
  complexMeeting: (p: { number: string }) =>
    `事项 ${p.number} 为较复杂情形，请巡导员会同业务协调科、效能督查科、行政审批制度改革科、政策法规科及相关窗口“一事一议”，并向局领导汇报（#${p.number} 报告领导 …）。`,
  windowQuestion: (p: { number: string; matter: string; account: string; question: string }) =>
    `【巡导员询问】事项 ${p.number}（${p.matter}）\n群众反映：${p.account}\n请窗口说明情况：${p.question}\n请回复：#${p.number} 回答 <情况说明>`,
  windowAnswered: (p: { number: string; unit: string; answer: string }) => `【窗口答复】事项 ${p.number}：${p.unit}答复——${p.answer}`,
  leaderReportPending: (p: { number: string }) =>
    `事项 ${p.number} 为较复杂情形，尚未向局领导汇报；采取告知承诺、容缺受理等措施办结前，须先汇报（#${p.number} 报告领导 …）。`,
  irregular: (p: { number: string }) => `事项 ${p.number} 反映服务不规范，请效能督查科启动投诉件办理机制核查处办。`,
  needTransfer: (p: { number: string; via: string }) => `事项 ${p.number} 需填写转办单，由${p.via}转办（#${p.number} 转办 <单位代码>）。`,
  transferred: (p: { number: string; slip: string; unit: string; due: string; provisional: boolean }) =>
    `事项 ${p.number} 已转办：转办单 ${p.slip} → ${p.unit}，应反馈时间 ${p.due}${p.provisional ? '（暂定：该年度节假日安排未发布）' : ''}。`,
  unitAcknowledged: (p: { number: string; unit: string }) => `${p.unit} 已签收事项 ${p.number} 的转办单。`,
  unitReplied: (p: { number: string; unit: string; eligible: boolean }) =>
    `${p.unit} 已答复事项 ${p.number}（${p.eligible ? '已处办' : '不符合办理条件，已写明依据'}）。请窗口核实后办结并反馈诉求人。`,
  resolved: (p: { number: string; outcome: string }) => `事项 ${p.number} 已办结：${p.outcome}。请向诉求人反馈结果。`,
  replied: (p: { number: string; due: string }) => `事项 ${p.number} 已反馈诉求人，请于 ${p.due} 前完成回访。`,
  dissatisfied: (p: { number: string; due: string; comment?: string }) =>
    `【回访不满意】事项 ${p.number}${p.comment ? `（诉求人意见：${p.comment}）` : ''}，请效能督查科会同相关单位于 ${p.due} 前分析问题并回应诉求。`,
  followUpComment: (p: { number: string; comment: string }) => `【回访意见】事项 ${p.number} 诉求人补充意见：${p.comment}`,
  verified: (p: { number: string; satisfaction: string }) => `事项 ${p.number} 回访结果：${p.satisfaction}。可以备案。`,
  archived: (p: { number: string }) => `事项 ${p.number} 已备案。`,
  withdrawn: (p: { number: string; by: string }) => `事项 ${p.number} 已由${p.by}撤回。`,
  outOfScope: (p: { number: string; reason: string }) => `事项 ${p.number} 认定不属受理范围（${p.reason}），已告知诉求人去向。`,
  leaderInformed: (p: { number: string; matter: string; text: string }) => `【报告】较复杂事项 ${p.number}（${p.matter}）：${p.text}`,
  supplement: (p: { number: string }) => `事项 ${p.number} 收到诉求人补充内容，请查看（#${p.number} 查看）。`,
  calmed: (p: { number: string }) => `事项 ${p.number} 的诉求人情绪已平复，请巡导员分类处办。`,
};

/** 填写转办单: the composed 诉求内容 and its preview. */
export const draftZh = {
  kinds: { phone: '电话号码', number: '号码', id_card: '身份证号', email: '电子邮箱', wechat: '微信号', qq: 'QQ号', address: '住址', name: '诉求人姓名', chat_id: '聊天账号' } as Record<string, string>,
  stillIdentifies: (hits: { kind: string; written: string }[]) =>
    `诉求内容仍含有可识别诉求人的信息，不能发给该单位：${hits.map((h) => `${draftZh.kinds[h.kind] ?? h.kind}“${h.written}”`).join('、')}。请删去后重写（可写“诉求人”代替姓名，联系方式不写，由窗口联系）。`,
  draftedTimeline: (p: { unit: string; edited: boolean }) => `${p.edited ? '修改' : '拟写'}致${p.unit}的转办单诉求内容`,
  needsPreview: (p: { number: string; unit: string }) => `发往${p.unit}的转办单还没有预览过，请先核对单位将看到的内容。`,
  previewTitle: (p: { unit: string; shared: boolean }) =>
    `【转办单预览】以下是${p.unit}将收到的全文${p.shared ? '（该单位不是被反映单位，将看到诉求人姓名和联系方式）' : '（不含诉求人姓名和联系方式）'}；转办时间、应反馈时间以实际发送时为准。`,
  previewNext: (p: { send: string; edit: string }) => `核对无误后发送：${p.send}\n修改诉求内容：${p.edit}`,
};

/** The transfer slip (转办单, attachment 3 of the source). */
export const slipZh = {
  title: '“办不成事”反映事项转办单',
  privacy: '注：任何人不得将举报人的姓名及其联系方式泄漏给被举报单位，违者后果自负。',
  hidden: '（按规定不向被反映单位提供）',
  fields: {
    number: '编号',
    unit: '承办单位',
    requestType: '诉求类型',
    receivedAt: '受理时间',
    transferredAt: '转办时间',
    requester: '诉求人',
    contact: '联系方式',
    replyDue: '应反馈时间',
    content: '诉求内容',
    transferredBy: '转办人',
    reply: '诉求处理及回复情况',
    handledBy: '处办人',
    remarks: '备注',
  },
  replyHint: (p: { number: string; contactCitizen: boolean }) =>
    `${p.contactCitizen ? '请直接联系诉求人办理，' : '按规定本转办单不提供诉求人姓名和联系方式：请将处理情况答复窗口，由窗口联系诉求人；'}并于应反馈时间前答复：#${p.number} 签收；#${p.number} 答复 <处理情况>；不符合办理条件的：#${p.number} 答复 不符合 <处理情况> 依据 <政策法规依据>`,
};

/** 被反映单位 and 涉及: what staff read when they record, settle or take back the units a case complains about. */
export const involvementZh = {
  closed: (n: string) => `事项 ${n} 已结束，不能再修改被反映单位。`,
  needUnits: '请写明被反映的单位代码或名称（可写多个，用空格分开），或写“无”。',
  tooMany: '被反映单位最多 20 个。',
  reasonLabel: '移除原因',
  already: (units: string) => `${units} 已登记为被反映单位。`,
  addedTimeline: (units: string) => `涉及（被反映单位）：${units}（不得获知反映人信息）`,
  lateTimeline: (p: { unit: string; slips: string }) => `${p.unit} 在登记为被反映单位前已收到载有反映人信息的转办单 ${p.slips}（无法收回），此后不再向其提供任何反映人信息`,
  lateAlert: (p: { number: string; unit: string; slips: string }) =>
    `【注意】事项 ${p.number}：${p.unit} 被补登为被反映单位，但此前已收到载有反映人信息的转办单 ${p.slips}。请效能督查科跟进，防止打击报复。`,
  settled: (units: string) => `被反映单位已确认：${units}`,
  settledNone: '被反映单位已确认：无（本事项不针对任何单位）',
  noneWhileSet: (p: { number: string; units: string; first: string }) =>
    `事项 ${p.number} 已登记被反映单位：${p.units}，不能答复“无”。确属该单位请写 #${p.number} 被反映单位 ${p.first}；确不涉及的，先移除并说明原因：#${p.number} 涉及 移除 ${p.first} 原因：<原因>。`,
  notInSet: (unit: string) => `${unit} 不在本事项的被反映单位中。`,
  received: (unit: string) => `${unit} 已收到本事项的转办单，不能再移出被反映单位。`,
  removedTimeline: (p: { unit: string; reason: string }) => `移出被反映单位：${p.unit}（原因：${p.reason}）`,
};
