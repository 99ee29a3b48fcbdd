import { useEffect, useMemo, useState } from 'react';
import type { KeyLoss } from '../../../shared/keyLoss.js';
import type { EventPublic } from '../../../shared/event.js';
import type { EventReport, FirstContact } from '../../../shared/report.js';
import { Loading } from '../../App.js';
import { formatDateTime, formatNumber, formatTime } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { ApiError, dealerInbox, keyLossOf } from '../../net/api.js';
import { fragmentParam } from '../../net/identity.js';
import { TopBar } from '../common/Brand.js';
import { StatusBadge } from '../common/widgets.js';
import { BrandMark, hasBrandMark } from '../brand/BrandMark.js';
import { useBrandTheme } from '../brand/useBrandTheme.js';
import { formatDuration, LeadTypeBars, Stat, TimelineCharts } from './ReportParts.js';
import { dealerRows, formatRate, formatScore } from './report.view.js';
import { useReport } from './useReport.js';
import './report.css';

/** What the page shows around the figures: the event, and the dealers' names (the report has ids). */
interface Context {
  event: EventPublic;
  dealerNames: Map<string, string>;
}

/**
 * `/report/:id#key=…` (the host key): the launch report, on screen and on paper. "Imprimer / PDF"
 * prints it on A4 (report.css: light paper, no buttons, charts redrawn for the page).
 */
export default function ReportPage({ eventId }: { eventId: string }) {
  const { t } = useI18n();
  const [key] = useState(() => fragmentParam('key'));
  const [context, setContext] = useState<Context | null>(null);
  const [contextFailure, setContextFailure] = useState<'denied' | 'network' | null>(null);
  /** The link worked once: the studio replaced, revoked or dated it. */
  const [keyLoss, setKeyLoss] = useState<KeyLoss | null>(null);
  const { report, failure, reload } = useReport(eventId, key, null);

  useEffect(() => {
    if (!key) return;
    // The dealer page's view answers the host key with the event and every dealer's name.
    dealerInbox.view(eventId, key).then(
      (v) => setContext({ event: v.event, dealerNames: new Map(v.dealers.map((d) => [d.id, d.name])) }),
      (err: unknown) => {
        setKeyLoss(keyLossOf(err));
        setContextFailure(err instanceof ApiError && [401, 403, 404].includes(err.status) ? 'denied' : 'network');
      },
    );
  }, [eventId, key]);
  useBrandTheme(context?.event.brand);
  useEffect(() => {
    if (!context) return;
    const before = document.title;
    // A browser names the saved PDF after the page title.
    document.title = t('report.docTitle', { title: context.event.title });
    return () => {
      document.title = before;
    };
  }, [context, t]);

  const denied = !key || failure === 'denied' || contextFailure === 'denied';
  if (denied || ((failure || contextFailure) && !(report && context))) {
    return (
      <div className="page">
        <TopBar />
        <main className="center-page">
          <p className="error" role="alert">{keyLoss ? t(keyLoss === 'key_expired' ? 'access.expired' : 'access.revoked') : denied ? t('report.unauthorized') : t('error.network')}</p>
          {denied ? null : <button type="button" className="btn" onClick={() => window.location.reload()}>{t('common.retry')}</button>}
        </main>
      </div>
    );
  }
  if (!report || !context) return <Loading />;
  return (
    <div className="page page-report">
      <TopBar>
        <StatusBadge status={context.event.status} />
      </TopBar>
      <main className="report">
        <div className="report-toolbar" role="toolbar" aria-label={t('report.toolbar')}>
          <button type="button" className="btn btn-primary" onClick={() => window.print()} data-testid="report-print">
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d="M7 9V3h10v6M7 17H4v-7h16v7h-3M7 14h10v7H7z" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" /></svg>
            {t('report.print')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={reload}>{t('report.refresh')}</button>
          <p className="hint">{t('report.printHint')}</p>
        </div>
        <ReportDocument report={report} context={context} />
      </main>
    </div>
  );
}

function ReportDocument({ report, context }: { report: EventReport; context: Context }) {
  const { t, locale } = useI18n();
  const { event } = context;
  const n = (v: number) => formatNumber(v, locale);
  const end = report.endedAt ?? (report.startedAt ? report.generatedAt : null);
  const lasted = report.startedAt && end ? (Date.parse(end) - Date.parse(report.startedAt)) / 1000 : null;
  const rows = useMemo(() => dealerRows(report, context.dealerNames, t('report.unrouted'), locale), [report, context.dealerNames, t, locale]);

  return (
    <article className="report-doc" data-testid="report">
      <header className="report-head">
        <div className="report-head-text">
          <p className="eyebrow">{t('report.eyebrow')}</p>
          <h1>{event.title}</h1>
          <p className="report-meta">
            {report.startedAt ? <span>{t('report.startedAt', { date: formatDateTime(report.startedAt, locale) })}</span> : null}
            {report.endedAt ? <span>{t('report.endedAt', { date: formatDateTime(report.endedAt, locale) })}</span> : null}
            {lasted !== null ? <span>{t('report.lasted', { duration: formatDuration(lasted, t) })}</span> : null}
          </p>
        </div>
        {hasBrandMark(event.brand) ? <div className="report-brand"><BrandMark brand={event.brand} /></div> : null}
      </header>
      {event.status !== 'ended' ? <p className="report-notice">{t(event.status === 'live' ? 'report.live' : 'report.notStarted')}</p> : null}

      <section className="report-section" aria-labelledby="r-audience">
        <h2 id="r-audience">{t('report.audience')}</h2>
        <div className="report-figures">
          <Stat big value={n(report.uniqueViewers)} label={t('report.uniqueViewers', { n: report.uniqueViewers })} testId="report-unique" />
          <Stat
            big
            value={n(report.peakConcurrent)}
            label={t('report.peak')}
            detail={report.peakAt ? t('report.peakAt', { time: formatTime(report.peakAt, locale) }) : null}
            testId="report-peak"
          />
          <Stat
            big
            value={report.watchTime.averageSeconds === null ? '—' : formatDuration(report.watchTime.averageSeconds, t)}
            label={t('report.avgWatch')}
            detail={report.watchTime.medianSeconds === null ? null : t('report.medianWatch', { duration: formatDuration(report.watchTime.medianSeconds, t) })}
          />
          <Stat big value={formatDuration(report.watchTime.totalSeconds, t)} label={t('report.totalWatch')} />
        </div>
      </section>

      <section className="report-section" aria-labelledby="r-engagement">
        <h2 id="r-engagement">{t('report.engagement')}</h2>
        <div className="report-figures report-figures-5">
          <Stat value={formatRate(report.engagementRate, locale)} label={t('report.engagementRate')} detail={t('report.engagementHint')} />
          <Stat
            value={n(report.questions)}
            label={t('report.questions', { n: report.questions })}
            detail={t('report.answered', { n: report.answered, rate: formatRate(report.interactionRate, locale) })}
            testId="report-questions"
          />
          <Stat value={n(report.votes)} label={t('report.votes', { n: report.votes })} testId="report-votes" />
          <Stat value={n(report.reactions)} label={t('report.reactions', { n: report.reactions })} testId="report-reactions" />
          <Stat value={n(report.hotspotOpens)} label={t('report.hotspots', { n: report.hotspotOpens })} />
        </div>
      </section>

      <section className="report-section" aria-labelledby="r-leads">
        <h2 id="r-leads">{t('report.leads')}</h2>
        <div className="report-leads">
          <div className="report-figures report-figures-2">
            <Stat
              big
              value={n(report.leads.total)}
              label={t('report.leadsTotal', { n: report.leads.total })}
              testId="report-leads"
              detail={report.leads.fromReplay ? t('report.fromReplay', { n: n(report.leads.fromReplay) }) : undefined}
            />
            <Stat big value={formatRate(report.conversionRate, locale)} label={t('report.conversionRate')} detail={t('report.conversionHint')} />
          </div>
          <div className="report-types">
            <h3>{t('report.byType')}</h3>
            <LeadTypeBars byType={report.leads.byType} />
          </div>
        </div>
        <h3>{t('report.byDealer')}</h3>
        {rows.length === 0 ? (
          <p className="muted">{t('report.noLeads')}</p>
        ) : (
          <div className="table-scroll">
            <table className="report-table" data-testid="report-dealers">
              <thead>
                <tr>
                  <th scope="col">{t('report.dealer')}</th>
                  <th scope="col" className="num">{t('report.col.leads')}</th>
                  <th scope="col" className="num">{t('report.col.contacted')}</th>
                  <th scope="col" className="num">{t('report.col.median')}</th>
                  <th scope="col" className="num">{t('report.col.within10')}</th>
                  <th scope="col" className="num">{t('report.col.within24')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <ContactRow key={r.dealerId ?? ''} name={r.name} leads={r.leads} contact={r.contact} muted={r.dealerId === null} />
                ))}
              </tbody>
              <tfoot>
                <ContactRow name={t('report.overall')} leads={report.leads.total} contact={report.timeToFirstContact.overall} />
              </tfoot>
            </table>
          </div>
        )}
        <ContactBasis overall={report.timeToFirstContact.overall} />
      </section>

      <section className="report-section report-timeline" aria-labelledby="r-timeline">
        <h2 id="r-timeline">{t('report.timeline')}</h2>
        <TimelineCharts timeline={report.timeline} metrics={['viewers', 'joins', 'reactions', 'questions', 'votes', 'leads']} height={150} />
      </section>

      <section className="report-section" aria-labelledby="r-ambassadors">
        <h2 id="r-ambassadors">{t('report.ambassadors')}</h2>
        <p className="hint report-hint">{t('report.ambassadorsHint')}</p>
        {report.ambassadors.length === 0 ? (
          <p className="muted">{t('report.noAmbassadors')}</p>
        ) : (
          <div className="table-scroll">
            <table className="report-table" data-testid="report-ambassadors">
              <thead>
                <tr>
                  <th scope="col" className="num">#</th>
                  <th scope="col">{t('report.col.name')}</th>
                  <th scope="col" className="num">{t('report.col.score')}</th>
                  <th scope="col" className="num">{t('report.col.watch')}</th>
                  <th scope="col" className="num">{t('report.col.questions')}</th>
                  <th scope="col" className="num">{t('report.col.votes')}</th>
                  <th scope="col" className="num">{t('report.col.reactions')}</th>
                  <th scope="col" className="num">{t('report.col.hotspots')}</th>
                  <th scope="col" className="num">{t('report.col.leads')}</th>
                </tr>
              </thead>
              <tbody>
                {report.ambassadors.map((a, i) => (
                  <tr key={`${i}-${a.name}`}>
                    <td className="num rank">{i + 1}</td>
                    <th scope="row">{a.name}</th>
                    <td className="num strong">{formatScore(a.score, locale)}</td>
                    <td className="num">{formatDuration(a.watchSeconds, t)}</td>
                    <td className="num">{n(a.questions)}</td>
                    <td className="num">{n(a.votes)}</td>
                    <td className="num">{n(a.reactions)}</td>
                    <td className="num">{n(a.hotspotOpens)}</td>
                    <td className="num">{n(a.leads)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <footer className="report-foot">
        <p>{t('report.footer')}</p>
        <p>{t('report.generatedAt', { date: formatDateTime(report.generatedAt, locale) })}</p>
      </footer>
    </article>
  );
}

/**
 * What the two shares are over: a lead not contacted yet counts only once its window is over,
 * so right after a launch "100 %" may rest on two leads of five. Said under the table whenever
 * some leads are not counted yet.
 */
function ContactBasis({ overall }: { overall: FirstContact }) {
  const { t, locale } = useI18n();
  if (overall.leads === 0 || (overall.judged10Minutes === overall.leads && overall.judged24Hours === overall.leads)) return null;
  const waiting = overall.leads - overall.judged10Minutes;
  return (
    <p className="hint report-hint" data-testid="report-contact-basis">
      {t('report.contactBasis', { in10: overall.judged10Minutes, in24: formatNumber(overall.judged24Hours, locale), leads: formatNumber(overall.leads, locale) })}
      {waiting > 0 ? ` ${t('report.contactWaiting', { n: waiting })}` : null}
    </p>
  );
}

function ContactRow({ name, leads, contact, muted = false }: { name: string; leads: number; contact: FirstContact | null; muted?: boolean }) {
  const { t, locale } = useI18n();
  const dash = <span className="muted">—</span>;
  return (
    <tr className={muted ? 'row-muted' : undefined}>
      <th scope="row">{name}</th>
      <td className="num strong">{formatNumber(leads, locale)}</td>
      <td className="num">{contact ? formatNumber(contact.contacted, locale) : dash}</td>
      <td className="num">{contact?.medianSeconds != null ? formatDuration(contact.medianSeconds, t) : dash}</td>
      <td className="num">{contact ? formatRate(contact.within10Minutes, locale) : dash}</td>
      <td className="num">{contact ? formatRate(contact.within24Hours, locale) : dash}</td>
    </tr>
  );
}
