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
    `工作日历缺少${year}年的调休安排：${year}年的法定节假日已按《全国年节及纪念日放假办法》计算，` +
    `但调休放假和调休上班日未知，涉及${year}年的期限对工作人员和群众都标为“暂定”。` +
    `${when}（在 config/calendar.json 的 notices 中加一行，用 npm run calendar -- check 核对，` +
    '方法见 services/calendar/README.md），然后重启服务。'
  );
}

/** The short note staff views show beside a provisional deadline. */
export function provisionalNote(missingYears: readonly number[]): string {
  if (missingYears.length === 0) return '';
  return `暂定：${missingYears.map((y) => `${y}年`).join('、')}节假日安排尚未录入，期限可能调整`;
}
