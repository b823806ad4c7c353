// Chart images without a browser: chart.js drawing on @napi-rs/canvas (prebuilt, no system
// libraries), with the report font registered so the Chinese labels render.
import { GlobalFonts, createCanvas } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration, registerables } from 'chart.js';
import { performanceZh } from '../locales/zh/reports.js';
import { reportFont } from './fonts.js';
import type { PerformanceReport } from './performance.js';

const FAMILY = 'DeskReportCJK';
let ready = false;
function setup() {
  if (ready) return;
  Chart.register(...registerables);
  const f = reportFont();
  GlobalFonts.registerFromPath(f.path, FAMILY);
  Chart.defaults.font.family = FAMILY;
  Chart.defaults.font.size = 14;
  Chart.defaults.color = '#222';
  ready = true;
}

/** chart.js leaves the canvas transparent; a PNG pasted into a chat or a sheet needs a background. */
const whiteBackground = {
  id: 'whiteBackground',
  beforeDraw(chart: Chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

async function render(config: ChartConfiguration, width = 900, height = 450): Promise<Buffer> {
  setup();
  const canvas = createCanvas(width, height);
  const chart = new Chart(canvas as unknown as ConstructorParameters<typeof Chart>[0], {
    ...config,
    options: { ...config.options, responsive: false, animation: false, devicePixelRatio: 1 },
    plugins: [whiteBackground, ...(config.plugins ?? [])],
  });
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}

const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

export function onTimeChart(p: PerformanceReport): Promise<Buffer> {
  const z = performanceZh;
  return render({
    type: 'bar',
    data: {
      labels: p.units.map((u) => u.name),
      datasets: [
        { label: z.ackRate, data: p.units.map((u) => pct(u.signRate)), backgroundColor: '#4e79a7', maxBarThickness: 60 },
        { label: z.onTimeRate, data: p.units.map((u) => pct(u.onTimeRate)), backgroundColor: '#59a14f', maxBarThickness: 60 },
      ],
    },
    options: {
      plugins: { title: { display: true, text: `${z.chartRates}（${p.period.label}）`, font: { size: 18 } } },
      scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
    },
  });
}

export function weeklyChart(p: PerformanceReport): Promise<Buffer> {
  const z = performanceZh;
  return render({
    type: 'line',
    data: {
      labels: p.weekly.map((w) => `${w.week.from.slice(5)}~${w.week.to.slice(5)}`),
      datasets: [{ label: z.cases, data: p.weekly.map((w) => w.cases), borderColor: '#e15759', backgroundColor: '#e15759', tension: 0.2 }],
    },
    options: {
      plugins: { title: { display: true, text: `${z.chartWeekly}（${p.scope}）`, font: { size: 18 } } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}
