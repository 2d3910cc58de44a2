// Runs per day by status over the last 14 days: stacked SVG bars (colours from CSS classes) on a count
// axis with round ticks (d3-array) and a day axis that names the months (Intl), from lib/chart-axes.ts; a sentence summing them up as the chart's text alternative, and the same numbers
// as a table; and the automations list's summary (last run, success rate) from the same answer.
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { StatusBadge } from '../components';
import { countAxis, dayLabels, localMidnight } from '../lib/chart-axes';
import { useI18n, type I18n } from '../lib/i18n';
import { useDailyRuns } from '../lib/queries';
import { RUN_STATUSES, type DailyRuns, type RunStatus } from '../lib/types';

export const CHART_DAYS = 14;
// Bottom to top: the outcomes first, what is still open on top.
const STACK: RunStatus[] = ['succeeded', 'failed', 'running', 'scheduled'];
// In CSS pixels: the SVG is drawn at the width it is shown, so its text keeps the page's size.
const PLOT_HEIGHT = 140;
const MARGIN = { top: 10, right: 8, bottom: 38, left: 40 };
/** Below this width per day, only every other day is numbered (months are always named). */
const MIN_LABELLED_SLOT = 22;
/** The share of a day's slot its bar takes. */
const BAR_SHARE = 0.7;

type Day = DailyRuns['days'][number];

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

const total = (d: Day) => RUN_STATUSES.reduce((n, s) => n + d[s], 0);
/** A day's non-empty statuses in stacking order, each with the counts it spans. */
function stacked(d: Day): [RunStatus, number, number][] {
  let from = 0;
  return STACK.filter((s) => d[s] > 0).map((s) => [s, from, (from += d[s])]);
}
const dayIso = (date: string) => localMidnight(date).toISOString();

/** The element's content width in CSS pixels, kept current as the layout changes (0 until measured). */
function useWidth<T extends Element>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.getBoundingClientRect().width);
    const observer = new ResizeObserver(([entry]) => setWidth(entry!.contentRect.width));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, Math.floor(width)] as const;
}

/** The chart in one sentence: the total by status and the busiest day (its text alternative). */
function summaryOf(days: Day[], { t, formatDate, formatNumber }: I18n): string {
  const all = days.reduce((n, d) => n + total(d), 0);
  if (all === 0) return t('chart.empty', { days: CHART_DAYS });
  const statuses = STACK.map((s) => [s, days.reduce((n, d) => n + d[s], 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${t(`status.${s}`)}: ${formatNumber(n)}`)
    .join(', ');
  const busiest = days.reduce((best, d) => (total(d) > total(best) ? d : best));
  return `${t('chart.summary', { count: all, days: CHART_DAYS, statuses })} ${t('chart.busiest', {
    date: formatDate(dayIso(busiest.date)),
    count: total(busiest),
  })}`;
}

export function RunsChart({ automationId }: { automationId: string }) {
  const i18n = useI18n();
  const { t, formatDate, formatNumber, locale } = i18n;
  const daily = useDailyRuns(automationId, dailyQuery());
  const id = useId();
  const [box, width] = useWidth<HTMLDivElement>();
  const days = daily.data?.days ?? [];
  return (
    <figure className="runs-chart">
      <figcaption id={`${id}-title`}>{t('chart.title', { days: CHART_DAYS })}</figcaption>
      {daily.data && (
        <p className="chart-summary" id={`${id}-summary`}>
          {summaryOf(days, i18n)}
        </p>
      )}
      <div ref={box} className="chart-box">
        {daily.data && width > 0 && (
          <ChartSvg
            days={days}
            width={width}
            labelledBy={`${id}-title`}
            describedBy={`${id}-summary ${id}-desc`}
            descId={`${id}-desc`}
            locale={locale}
          />
        )}
      </div>
      {daily.data && (
        <>
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
        </>
      )}
    </figure>
  );
}

function ChartSvg({
  days,
  width,
  labelledBy,
  describedBy,
  descId,
  locale,
}: {
  days: Day[];
  width: number;
  labelledBy: string;
  describedBy: string;
  descId: string;
  locale: string;
}) {
  const { t, formatDate, formatNumber } = useI18n();
  const bottom = MARGIN.top + PLOT_HEIGHT;
  const { y, ticks } = countAxis(Math.max(0, ...days.map(total)), [bottom, MARGIN.top]);
  const slot = (width - MARGIN.left - MARGIN.right) / Math.max(1, days.length);
  const bar = slot * BAR_SHARE;
  const left = (i: number) => MARGIN.left + i * slot + (slot - bar) / 2;
  const centre = (i: number) => MARGIN.left + (i + 0.5) * slot;
  const labels = dayLabels(
    days.map((d) => d.date),
    locale,
  );
  const everyOther = slot < MIN_LABELLED_SLOT;
  return (
    <svg
      className="chart"
      width={width}
      height={bottom + MARGIN.bottom}
      // Drawn at the size it is shown (the viewBox only bridges a resize until it is measured again),
      // so its text keeps the page's size.
      viewBox={`0 0 ${width} ${bottom + MARGIN.bottom}`}
      role="img"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
    >
      <desc id={descId}>{t('chart.description')}</desc>
      <g className="chart-y-axis">
        {ticks.map((n) => (
          <g key={n} transform={`translate(0,${y(n)})`}>
            <line
              className={n === 0 ? 'chart-axis' : 'chart-grid'}
              x1={MARGIN.left}
              x2={width - MARGIN.right}
            />
            <text className="chart-tick" x={MARGIN.left - 6} dy="0.32em" textAnchor="end">
              {formatNumber(n)}
            </text>
          </g>
        ))}
      </g>
      {days.map((d, i) => (
        <g key={d.date} className="chart-day">
          <title>
            {`${t('chart.day', { date: formatDate(dayIso(d.date)), count: total(d) })}${
              total(d) > 0
                ? ` (${STACK.filter((s) => d[s] > 0)
                    .map((s) => `${t(`status.${s}`)}: ${formatNumber(d[s])}`)
                    .join(', ')})`
                : ''
            }`}
          </title>
          {/* A full-height strip so the day's tooltip shows over empty days too. */}
          <rect
            className="chart-hit"
            x={MARGIN.left + i * slot}
            y={MARGIN.top}
            width={slot}
            height={PLOT_HEIGHT}
          />
          {stacked(d).map(([s, from, to]) => (
            <rect
              key={s}
              className={`bar bar-${s}`}
              x={left(i)}
              y={y(to)}
              width={bar}
              height={y(from) - y(to)}
            />
          ))}
        </g>
      ))}
      <g className="chart-x-axis" aria-hidden="true">
        {labels.map((l, i) => (
          <text key={l.date} className="chart-tick" x={centre(i)} y={bottom + 15} textAnchor="middle">
            <tspan className="chart-date">
              {/* Numbered back from today, so today always is. */}
              {everyOther && l.month === null && (days.length - 1 - i) % 2 === 1 ? '' : l.day}
            </tspan>
            {l.month && (
              <tspan className="chart-month" x={centre(i)} dy="1.25em">
                {l.month}
              </tspan>
            )}
          </text>
        ))}
      </g>
    </svg>
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
