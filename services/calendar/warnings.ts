// Texts that tell people a deadline rests on guesswork. The operator can fix it (add the year);
// staff must know the date may move. Both name the year so nobody has to look it up.

/**
 * The start-up and staff-channel warning for one year without a published schedule. Before
 * November of the year before, the notice is normally not out yet, so the text says when to look.
 */
export function missingYearWarning(year: number, nowYear: number, nowMonth: number): string {
  const when =
    nowYear >= year || (nowYear === year - 1 && nowMonth >= 11)
      ? `国务院办公厅的${year}年部分节假日安排通知通常已于${year - 1}年11月发布，请尽快补录`
      : `国务院办公厅通常在${year - 1}年11月发布${year}年部分节假日安排通知，届时请补录`;
  return (
    `工作日历缺少${year}年的法定节假日和调休安排：涉及${year}年的期限暂时只按周末和 config/calendar.json 计算，` +
    `在工作人员视图中标为“暂定”。${when}（把放假日期加入 holidays、调休上班日期加入 workdays、${year} 加入 years，` +
    '方法见 services/calendar/README.md），然后重启服务。'
  );
}

/** The short note staff views show beside a provisional deadline. */
export function provisionalNote(missingYears: readonly number[]): string {
  if (missingYears.length === 0) return '';
  return `暂定：${missingYears.map((y) => `${y}年`).join('、')}节假日安排尚未录入，期限可能调整`;
}
