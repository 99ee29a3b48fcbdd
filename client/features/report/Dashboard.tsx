import { formatNumber, formatTime } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { LeadTypeBars, Stat, TimelineCharts } from './ReportParts.js';
import { livePeak } from './report.view.js';
import { useReport } from './useReport.js';
import './report.css';

/** How often the open dashboard asks for the report (it is computed from the store each time). */
export const DASHBOARD_REFRESH_MS = 5_000;

/**
 * The presenter console's live dashboard. "Now" is the live audience the console already has
 * from the room; everything else is the report, asked again every 5 s while the tab is open and
 * the page visible. Mounted only while its tab is shown: a hidden dashboard asks nothing.
 */
export default function Dashboard({ eventId, hostKey, viewersNow }: { eventId: string; hostKey: string; viewersNow: number }) {
  const { t, locale } = useI18n();
  const { report, failure, receivedAt } = useReport(eventId, hostKey, DASHBOARD_REFRESH_MS);
  const n = (v: number) => formatNumber(v, locale);
  const reportHref = `/report/${encodeURIComponent(eventId)}#key=${encodeURIComponent(hostKey)}`;

  return (
    <div className="dashboard" data-testid="dashboard">
      <div className="dash-hero">
        <Stat big value={n(viewersNow)} label={t('dash.now')} testId="dash-now" />
        <Stat
          big
          value={report ? n(livePeak(report.peakConcurrent, viewersNow)) : '…'}
          label={t('dash.peak')}
          detail={report?.peakAt ? t('dash.peakAt', { time: formatTime(report.peakAt, locale) }) : null}
          testId="dash-peak"
        />
      </div>
      {report ? (
        <>
          <div className="dash-figures">
            <Stat value={n(report.uniqueViewers)} label={t('dash.unique')} testId="dash-unique" />
            <Stat value={n(report.questions)} label={t('dash.questions', { n: report.questions })} testId="dash-questions" />
            <Stat value={n(report.votes)} label={t('report.votes', { n: report.votes })} testId="dash-votes" />
            <Stat value={n(report.reactions)} label={t('report.reactions', { n: report.reactions })} testId="dash-reactions" />
          </div>
          <TimelineCharts timeline={report.timeline} metrics={['viewers', 'joins', 'questions', 'votes', 'reactions']} height={120} />
          <section className="dash-leads" aria-labelledby="dash-leads-title">
            <h2 id="dash-leads-title" className="dash-title">
              {t('report.leads')} <span className="dash-title-n" data-testid="dash-leads">{n(report.leads.total)}</span>
            </h2>
            <LeadTypeBars byType={report.leads.byType} />
          </section>
        </>
      ) : failure === 'denied' ? (
        <p className="error" role="alert">{t('host.unauthorized')}</p>
      ) : failure ? null : (
        <div className="dash-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          <span className="visually-hidden">{t('common.loading')}</span>
        </div>
      )}
      <div className="dash-foot">
        <p className="hint dash-updated">
          {failure === 'network' ? t('dash.stale') : receivedAt ? t('dash.updatedAt', { time: new Date(receivedAt).toLocaleTimeString(locale === 'fr' ? 'fr-FR' : 'en-GB') }) : '\u00a0'}
        </p>
        <a className="btn btn-ghost btn-small" href={reportHref} target="_blank" rel="noopener" data-testid="report-link">
          {t('dash.fullReport')} <span className="visually-hidden">{t('lead.newTab')}</span>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M9 3h4v4M13 3 7.5 8.5M12 9.5V13H3V4h3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" /></svg>
        </a>
      </div>
    </div>
  );
}
