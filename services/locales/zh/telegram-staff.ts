// What staff and unit liaisons read in Telegram: the case card of a staff-group topic, the
// answers to button presses, and the liaison's buttons on a transfer slip. Chinese only, like
// all staff copy.

export const cardZh = {
  title: (p: { number: string; status: string }) => `【事项 ${p.number}】${p.status}`,
  agitated: '⚠ 诉求人情绪激动：请效能督查科先行疏导，平复后再分类处办',
  matter: (m: string) => `事项：${m}`,
  category: (c: string) => `类别：${c}`,
  suggested: (s: string) => `类别：待分类（建议：${s}）`,
  unclassified: '类别：待分类',
  channel: (c: string) => `渠道：${c}`,
  reporter: (p: { name: string }) => `诉求人：${p.name}　联系电话：工作群中不显示（有权限的工作人员私聊机器人发送“#编号 身份”查看）`,
  acceptedAt: (t: string) => `受理时间：${t}`,
  involvedUnits: (p: { units: string; settled: boolean }) => `被反映单位：${p.units || '无'}${p.settled ? '（已确认）' : '（待确认）'}`,
  unitsUnsettled: '被反映单位：待巡导员确认（确认前任何单位都看不到反映人信息）',
  noSubject: '被反映单位：无',
  transfer: (p: { slip: string; unit: string; state: string; due: string }) => `转办：${p.slip} → ${p.unit}（${p.state}，应于 ${p.due} 前答复）`,
  transferStates: { issued: '待签收', acknowledged: '已签收', replied: '已答复' } as Record<string, string>,
  deadlines: (items: string) => `时限：${items}`,
  deadline: (p: { label: string; at: string; overdue: boolean }) => `${p.label} ${p.at} 前${p.overdue ? '（已超期）' : ''}`,
  deadlineLabels: { classify: '分类', firstFeedback: '首次反馈', unitReply: '单位答复', followUp: '回访', rehandling: '不满意再处理' } as Record<string, string>,
  outcome: (o: string) => `办理结果：${o}`,
  summary: (s: string) => `摘要：${s}`,
  more: (n: string) => `……（全文：#${n} 查看）`,
  howTo: '在本话题直接发消息＝以窗口名义回复诉求人；“//”开头为内部备注；“#指令”办理本事项（如“#备案”），“#帮助”查看全部指令。',
  howToPlain: '回复本卡片＝以窗口名义回复诉求人；“//”开头为内部备注；回复“#指令”办理本事项（如“#备案”）。',
  ended: '本事项已结束，话题已关闭。',
  view: '查看详情',
  template: (label: string) => `${label}…`,
  templateLabels: { settle: '被反映单位', involve: '加登被反映单位', notice: '一次性告知', refusal: '不予受理', resolve: '办结' } as Record<string, string>,
};

export const staffGroupZh = {
  /** Said once to someone in the staff group who is not in the directory. */
  notStaff: '您不在本中心工作人员名单中（或未登记 Telegram 账号），不能在此操作事项。',
  notStaffAlert: '您不在工作人员名单中，不能操作。',
  forged: '按钮无效或已过期，未执行任何操作。',
  templateAlert: (form: string) => `请在本话题发送：${form}`,
  noteKept: '已作为内部备注记录，不发给诉求人。',
  relayedPrefix: '已发给诉求人：',
  citizenSupplement: (p: { number: string; text: string; files: number }) =>
    `【诉求人补充】事项 ${p.number}：${p.text}${p.files ? `（附件 ${p.files} 个，见下）` : ''}`,
  citizenFile: (p: { number: string; n: number; of: number; name?: string }) => `【诉求人补充附件 ${p.n}/${p.of}】事项 ${p.number}${p.name ? `：${p.name}` : ''}`,
  fileUnavailable: '（文件未能取回，请到事项记录中查看）',
  unitReplyText: (p: { unit: string; text: string; basis?: string }) => `${p.unit}答复：${p.text}${p.basis ? `\n依据：${p.basis}` : ''}`,
  noCaseHere: '本话题没有对应的事项。请用“#编号 指令”。',
};

export const liaisonZh = {
  ack: '签收',
  answer: '答复办理结果',
  answerIneligible: '答复：不符合办理条件',
  acked: (n: string) => `已签收事项 ${n} 的转办单。`,
  askAnswer: (n: string) => `请直接发送事项 ${n} 的处理及回复情况（不少于 10 个字）。`,
  askIneligible: (n: string) =>
    `请直接发送事项 ${n} 的处理情况和政策法规依据，格式：<处理情况> 依据 <政策法规依据>。`,
  hint: '请用转办单下方的按钮签收、答复，或发送“#编号 签收”“#编号 答复 <处理情况>”；发送“#帮助”查看全部指令。',
};
