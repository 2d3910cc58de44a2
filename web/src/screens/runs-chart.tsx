// Runs per day by status over the last 14 days: stacked SVG bars (colours from CSS classes) with the
// same numbers as a table for screen readers and keyboard users; and the automations list's summary
// (last run, success rate) from the same answer.
import { useId } from 'react';
import { StatusBadge } from '../components';
import { useI18n } from '../lib/i18n';
import { useDailyRuns } from '../lib/queries';
import { RUN_STATUSES, type DailyRuns, type RunStatus } from '../lib/types';

export const CHART_DAYS = 14;
// Bottom to top: the outcomes first, what is still open on top.
const STACK: RunStatus[] = ['succeeded', 'failed', 'running', 'scheduled'];
const SLOT = 20;
const BAR = 14;
const HEIGHT = 100;
const LABEL = 14;

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function dailyQuery(): string {
  return new URLSearchParams({ days: String(CHART_DAYS), timeZone: browserTimeZone() }).toString();
}

const total = (d: DailyRuns['days'][number]) => RUN_STATUSES.reduce((n, s) => n + d[s], 0);
/** A local calendar date as an instant Intl can format (local midnight). */
const dayIso = (date: string) => `${date}T00:00`;

export function RunsChart({ automationId }: { automationId: string }) {
  const { t, formatDate, formatNumber } = useI18n();
  const daily = useDailyRuns(automationId, dailyQuery());
  const id = useId();
  if (!daily.data) return null;
  const days = daily.data.days;
  const max = Math.max(1, ...days.map(total));
  const width = days.length * SLOT;
  return (
    <figure className="runs-chart">
      <figcaption id={`${id}-title`}>{t('chart.title', { days: CHART_DAYS })}</figcaption>
      <svg
        className="chart"
        viewBox={`0 0 ${width} ${HEIGHT + LABEL}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
      >
        <desc id={`${id}-desc`}>{t('chart.description')}</desc>
        <line className="chart-axis" x1={0} x2={width} y1={HEIGHT} y2={HEIGHT} />
        {days.map((d, i) => {
          let y = HEIGHT;
          const label = `${t('chart.day', { date: formatDate(dayIso(d.date)), count: total(d) })} (${STACK.filter(
            (s) => d[s] > 0,
          )
            .map((s) => `${t(`status.${s}`)}: ${formatNumber(d[s])}`)
            .join(', ')})`;
          return (
            <g key={d.date} className="chart-day">
              <title>{label}</title>
              {STACK.map((s) => {
                if (d[s] === 0) return null;
                const h = (d[s] / max) * (HEIGHT - 4);
                y -= h;
                return (
                  <rect
                    key={s}
                    className={`bar bar-${s}`}
                    x={i * SLOT + (SLOT - BAR) / 2}
                    y={y}
                    width={BAR}
                    height={h}
                  />
                );
              })}
              <text
                className="chart-label"
                x={i * SLOT + SLOT / 2}
                y={HEIGHT + LABEL - 3}
                textAnchor="middle"
              >
                {Number(d.date.slice(8))}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="chart-legend" aria-label={t('chart.legend')}>
        {STACK.map((s) => (
          <li key={s}>
            <span className={`swatch bar-${s}`} aria-hidden="true" /> {t(`status.${s}`)}
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('chart.table')}</summary>
        <div className="table-wrap">
          <table className="chart-table">
            <caption className="visually-hidden">{t('chart.title', { days: CHART_DAYS })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('chart.date')}</th>
                {RUN_STATUSES.map((s) => (
                  <th scope="col" className="num" key={s}>
                    <StatusBadge status={s} />
                  </th>
                ))}
                <th scope="col" className="num">
                  {t('chart.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{formatDate(dayIso(d.date))}</th>
                  {RUN_STATUSES.map((s) => (
                    <td className="num" key={s}>
                      {formatNumber(d[s])}
                    </td>
                  ))}
                  <td className="num">{formatNumber(total(d))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** The last run's time and the share of finished runs that succeeded over the chart's days. */
export function useRunSummary(automationId: string) {
  const daily = useDailyRuns(automationId, dailyQuery());
  if (!daily.data) return null;
  const succeeded = daily.data.days.reduce((n, d) => n + d.succeeded, 0);
  const failed = daily.data.days.reduce((n, d) => n + d.failed, 0);
  return {
    lastRunAt: daily.data.lastRunAt,
    successRate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed),
  };
}
