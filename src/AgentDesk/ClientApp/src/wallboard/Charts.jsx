// Today's two charts from WallboardView.intervals: service level per interval (line) and calls per
// interval (offered, answered, abandoned), over a rolling window the supervisor picks (the last 4 hours
// unless changed; remembered in this browser). The charts are made once and updated in place.
import { useEffect, useRef, useState } from 'preact/hooks';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { lang, t, useLang } from '../common/i18n.js';

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const colors = { sl: '#2563eb', offered: '#94a3b8', answered: '#16a34a', abandoned: '#dc2626' };

function label(start) {
  return new Date(start).toLocaleTimeString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
}

function useChart(canvas, make) {
  const chart = useRef(null);
  useEffect(() => {
    chart.current = new Chart(canvas.current, make());
    return () => chart.current.destroy();
  }, []);
  return chart;
}

const common = {
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
};

/** The windows offered, in hours; 0 is the whole day. */
export const chartWindows = [1, 2, 4, 8, 0];
const windowKey = 'callcenter.chartWindow';

function savedWindow() {
  const raw = globalThis.localStorage?.getItem(windowKey);
  const saved = raw === null || raw === undefined || raw === '' ? NaN : Number(raw);
  return chartWindows.includes(saved) ? saved : 4;
}

export function Charts({ intervals: all, now }) {
  const current = useLang();
  const [hours, setHours] = useState(savedWindow);
  const choose = (e) => {
    const next = Number(e.currentTarget.value);
    localStorage.setItem(windowKey, String(next));
    setHours(next);
  };
  const since = (now ?? Date.now()) - hours * 3600 * 1000;
  // An interval is shown when any part of it lies in the window.
  const intervals = hours === 0 ? all : all.filter((i, n) => new Date(all[n + 1]?.start ?? Date.now() + 1).getTime() > since);
  const slCanvas = useRef(null);
  const callsCanvas = useRef(null);
  const sl = useChart(slCanvas, () => ({
    type: 'line',
    data: { labels: [], datasets: [{ label: '', data: [], borderColor: colors.sl, backgroundColor: colors.sl, spanGaps: true, tension: 0.25, pointRadius: 2 }] },
    options: { ...common, scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } } },
  }));
  const calls = useChart(callsCanvas, () => ({
    type: 'bar',
    data: {
      labels: [],
      datasets: ['offered', 'answered', 'abandoned'].map((key) => ({ key, label: '', data: [], backgroundColor: colors[key] })),
    },
    options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  }));

  const signature = JSON.stringify(intervals) + current;
  useEffect(() => {
    const labels = intervals.map((i) => label(i.start));
    const s = sl.current;
    s.data.labels = labels;
    s.data.datasets[0].label = t('serviceLevel');
    s.data.datasets[0].data = intervals.map((i) => (i.serviceLevel === null || i.serviceLevel === undefined ? null : Math.round(i.serviceLevel * 1000) / 10));
    s.update('none');
    const c = calls.current;
    c.data.labels = labels;
    for (const set of c.data.datasets) {
      set.label = t(set.key);
      set.data = intervals.map((i) => i[set.key]);
    }
    c.update('none');
  }, [signature]);

  return (
    <>
      <div class="chart-window">
        <label class="inline">
          <span>{t('chartWindow')}</span>
          <select data-testid="chart-window" value={hours} onChange={choose}>
            {chartWindows.map((h) => <option value={h}>{h === 0 ? t('chartWholeDay') : `${t('chartLast')} ${h} ${t('chartHours')}`}</option>)}
          </select>
        </label>
      </div>
      <section class="panel chart">
        <h2>{t('chartSl')}</h2>
        <div class="chart-box"><canvas ref={slCanvas} data-testid="chart-sl" /></div>
      </section>
      <section class="panel chart">
        <h2>{t('chartCalls')}</h2>
        <div class="chart-box"><canvas ref={callsCanvas} data-testid="chart-calls" /></div>
      </section>
    </>
  );
}
