// The console channel's own words: labels for who a printed message is for, and its help.

export const consoleZh = {
  banner: (p: { site: string; staff: string }) =>
    [
      `办不成事 反映窗口（终端演示）— ${p.site}`,
      '直接输入文字，就是以群众身份发消息（输入数字选择菜单项）。',
      `以 # 开头的是工作人员命令，当前身份：${p.staff}。例如：#列表、#20261124001 分类 一般、#帮助；#2 选择上一条工作人员菜单的第 2 项。`,
      '/as <工作人员代码> 切换工作人员身份，/who 查看当前身份和可用身份，/help 查看本说明，/quit 退出。',
    ].join('\n'),
  toCitizen: '【发给群众】',
  fromDesk: '【窗口回复】',
  toRoom: (room: string) => `【工作人员群 ${room}】`,
  toStaff: (name: string) => `【私信 → ${name}】`,
  actingAs: (p: { name: string; id: string; roles: string }) => `当前工作人员身份：${p.name}（${p.id}，${p.roles}）`,
  staffList: '可切换的身份：',
  siteHeading: (site: string) => `${site}：`,
  unknownStaff: (id: string) => `没有工作人员“${id}”。输入 /who 查看可用身份。`,
  unknownSlash: (cmd: string) => `不认识的终端命令“${cmd}”。可用：/as、/who、/help、/quit。`,
  file: (p: { name: string; kb: number }) => `[文件] ${p.name}（${p.kb} KB）`,
  savedTo: (path: string) => `已保存到 ${path}`,
  error: (msg: string) => `⚠️ ${msg}`,
  bye: '再见。',
};
