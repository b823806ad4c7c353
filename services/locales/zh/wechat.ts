// What WeChat users and staff read that only the WeChat channel says: how a text menu is
// answered, what an Official Account cannot show, and why a message to a citizen did not go out.
export const wechatZh = {
  menuHint: '（回复序号或文字即可选择）',
  fileNotShown: (p: { name: string }) => `（附件“${p.name}”无法在公众号中发送，请到窗口领取或联系工作人员。）`,
  /** Dead-letter reasons (shown to staff, who then phone the citizen). */
  windowClosedNoTemplate: (p: { kind: string }) => `公众号48小时客服窗口已关闭或条数已用完，且“${p.kind}”类消息未配置模板消息`,
  templateFailed: (p: { errcode: number }) => `公众号48小时客服窗口已关闭或条数已用完，模板消息也未送达（错误码 ${p.errcode}）`,
  unsubscribed: '诉求人已取消关注公众号',
  rejected: (p: { errcode: number }) => `公众号拒收（错误码 ${p.errcode}）`,
  noOfficialAccount: '本系统未配置公众号，无法向公众号用户发送',
  noWechaty: '本系统未运行微信工作号（未设置 WECHATY_PUPPET），无法向微信群或联系人发送',
  /** A location the citizen shared, as the dialogue keeps it. */
  location: (p: { label: string; lat: string; lng: string }) => `【位置】${p.label || '未命名位置'}（纬度 ${p.lat}，经度 ${p.lng}）`,
};

export const wechatStaffZh = {
  /** Said once to someone in a staff room who is not in the directory, when they try a command. */
  notStaff: '您不在本中心工作人员名单中，不能在此操作事项。如需反映问题，请私聊本号。',
  /** A staff member writing privately without a command. */
  privateHint: '工作人员请发送“#编号 指令”操作事项，例如“#20261124001 签收”；发送“#帮助”查看全部指令。',
};
