// The forms, the period ledger and the performance report in Chinese: titles and field labels as
// printed on the source document's attachments 1-3, and the words of the report commands.

export const registrationZh = {
  title: '“办不成事”事项登记表',
  number: '编号',
  name: '反映人姓名',
  phone: '联系电话',
  receivedBy: '受理人员',
  receivedAt: '受理时间',
  account: '反映情况记录',
  onSite: '现场处理情况',
  unit: '责任窗口（单位）',
  reply: '回复、处理情况',
  signature: '经办人员签字：',
  date: '日期：',
  online: (channel: string) => `线上受理（${channel}）`,
  hidden: '（按规定不予显示）',
  none: '—',
};

export const ledgerZh = {
  title: '“办不成事”问题清单表',
  note: '（本周期内未办结的诉求请在下个周期补充填写）',
  columns: ['序号', '受理时间', '受理窗口', '诉求人', '联系电话', '反映渠道', '具体问题诉求', '处办及回复详细情况（处理中请标明）', '处办依据', '备注（若为上周期内未办结事项请备注“是”）'],
  window: '“办不成事”窗口',
  open: '处理中',
  carried: '是',
  withdrawn: '已撤回',
  hidden: '（按规定不予显示）',
  period: (label: string) => `统计周期：${label}`,
  scope: (s: string) => `范围：${s}`,
  summary: (p: { label: string; total: number; carried: number; open: number }) =>
    `【问题清单表】${p.label}：共 ${p.total} 件（其中上周期未办结 ${p.carried} 件），周期末仍在处理中 ${p.open} 件。`,
};

export const performanceZh = {
  title: '“办不成事”窗口交办事项处办效率考核',
  unitSheet: '承办单位',
  siteSheet: '站点',
  unitColumns: ['承办单位', '收到转办单', '按时签收', '按时签收率', '已答复', '按时答复', '逾期答复', '按时办结率', '平均答复用时（工作日）', '90%答复用时（工作日）', '超期未答复', '已回访', '满意', '满意率', '不满意发回重办', '发回重办率'],
  siteRows: {
    total: '受理事项',
    outOfScope: '不属受理范围',
    byCategory: '按情形',
    byChannel: '按反映渠道',
    sameDay: '当日首次反馈率',
    followUp: '5个工作日内回访率',
  },
  uncategorized: '未分类',
  title2: (p: { label: string; scope: string }) => `【考核评价】${p.scope}　${p.label}`,
  unitLine: (p: {
    unit: string;
    received: number;
    ackRate: string;
    onTime: number;
    late: number;
    onTimeRate: string;
    avg: string;
    p90: string;
    overdue: number;
    satisfied: string;
    rehandled: string;
  }) =>
    `${p.unit}：转办单 ${p.received}，按时签收率 ${p.ackRate}，按时答复 ${p.onTime}、逾期 ${p.late}（按时办结率 ${p.onTimeRate}），平均 ${p.avg}、90% ${p.p90} 个工作日，超期未答复 ${p.overdue}，满意率 ${p.satisfied}，发回重办率 ${p.rehandled}`,
  noUnits: '本期没有转办单。',
  siteLine: (p: { site: string; total: number; outOfScope: number; sameDay: string; followUp: string }) =>
    `${p.site}：受理 ${p.total} 件，不属受理范围 ${p.outOfScope} 件，当日首次反馈率 ${p.sameDay}，5个工作日内回访率 ${p.followUp}`,
  breakdown: (title: string, items: string) => `  ${title}：${items}`,
  notes:
    '口径：按时签收＝转办后 1 个工作日内签收；按时答复＝应反馈时间前答复；按时办结率＝按时答复 ÷（已答复＋超期未答复）；用时按工作日（节假日、调休）计；满意率＝最近一次回访满意或基本满意 ÷ 已回访；发回重办率＝回访不满意 ÷ 已回访。',
  chartRates: '各承办单位按时签收率与按时办结率',
  chartWeekly: '每周受理事项',
  ackRate: '按时签收率',
  onTimeRate: '按时办结率',
  cases: '受理事项',
  na: '—',
};

export const reportCommandZh = {
  slipNone: (n: string) => `事项 ${n} 还没有转办单。`,
  slipNotYours: (n: string) => `事项 ${n} 没有转办给您所在单位的转办单。`,
  noForms: '承办单位联络员只能获取本单位的转办单和考核数据。',
  resent: (p: { slip: string; unit: string }) => `已向 ${p.unit} 重新发送转办单 ${p.slip}。`,
  registrationCaption: (n: string) => `事项 ${n} 登记表`,
  slipCaption: (slip: string) => `转办单 ${slip}`,
  ledgerCaption: (label: string) => `问题清单表 ${label}`,
  performanceCaption: (label: string) => `考核评价 ${label}`,
  scheduledLedger: (p: { site: string; label: string }) => `【定期报表】${p.site} 问题清单表（${p.label}）`,
  scheduledPerformance: (p: { site: string; label: string }) => `【定期报表】${p.site} 考核评价（${p.label}）`,
};
