import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyLoss } from '../../../shared/keyLoss.js';
import type { Pose } from '../../../shared/presentation.js';
import { DEFAULT_POSE } from '../../../shared/presentation.js';
import { variantOf } from '../../../shared/vehicle.js';
import { Loading } from '../../App.js';
import { formatDateTime } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey, type MessageKey } from '../../i18n/messages.js';
import { ApiError, hostView, keyLossOf, type HostView } from '../../net/api.js';
import { fragmentParam } from '../../net/identity.js';
import { useLiveRoom } from '../../net/liveRoom.js';
import { TopBar } from '../common/Brand.js';
import { useBrandTheme } from '../brand/useBrandTheme.js';
import { CopyButton, QrCode, StatusBadge } from '../common/widgets.js';
import { HostCtaControls } from '../leads/HostCtaControls.js';
import { HostAgenda } from '../presentation/HostAgenda.js';
import { HotspotCard } from '../presentation/HotspotCard.js';
import { StageAnnouncer } from '../presentation/StageAnnouncer.js';
import { useHotspotCard } from '../presentation/useHotspotCard.js';
import { countByStatus, pinnedQuestion } from '../qa/fold.js';
import { ModerationPanel } from '../qa/ModerationPanel.js';
import { NowAnswering } from '../qa/NowAnswering.js';
import { ReactionBursts } from '../qa/Reactions.js';

import { hasWebGL } from '../../scene/webgl.js';
import { NoWebGLStage } from '../../scene/NoWebGLStage.js';
import { useConfirm } from '../common/Confirm.js';

/** Further ahead of the announced time than this, "Démarrer le direct" says the launch was announced for later. */
const EARLY_START_MS = 15 * 60_000;

const Stage3D = lazy(() => import('../../scene/Stage3D.js'));
const Dashboard = lazy(() => import('../report/Dashboard.js'));

/** What the console says when its link opens nothing: "no longer valid" or "expired" when it once did. */
const refusalText = (loss: KeyLoss | null): MessageKey => (loss === 'key_revoked' ? 'access.revoked' : loss === 'key_expired' ? 'access.expired' : 'host.unauthorized');

export default function HostPage({ eventId }: { eventId: string }) {
  const { t } = useI18n();
  const key = fragmentParam('key');
  const [view, setView] = useState<HostView | null>(null);
  const [failure, setFailure] = useState<string | null>(key ? null : t('host.unauthorized'));

  useEffect(() => {
    if (!key) return;
    hostView(eventId, key).then(setView, (err: unknown) =>
      setFailure(err instanceof ApiError && [401, 403, 404].includes(err.status) ? t(refusalText(keyLossOf(err))) : t('error.network')),
    );
  }, [eventId, key, t]);

  if (failure) {
    return (
      <div className="page">
        <TopBar />
        <main className="center-page"><p className="error" role="alert">{failure}</p></main>
      </div>
    );
  }
  if (!view || !key) return <Loading />;
  return <Console eventId={eventId} view={view} hostKey={key} />;
}

function Console({ eventId, view, hostKey }: { eventId: string; view: HostView; hostKey: string }) {
  const { t, locale } = useI18n();
  const confirm = useConfirm();
  const auth = useMemo(() => ({ code: view.event.code, role: 'host' as const, key: hostKey }), [view.event.code, hostKey]);
  const room = useLiveRoom(auth);
  const [showQr, setShowQr] = useState(false);
  const qrToggle = useRef<HTMLButtonElement>(null);
  // Escape closes the showroom QR code, as it closes every other overlay.
  useEffect(() => {
    if (!showQr) return;
    const toggle = qrToggle.current;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setShowQr(false);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      toggle?.focus(); // back to the button that opened it
    };
  }, [showQr]);
  const [panel, setPanel] = useState<'stage' | 'qa' | 'dashboard'>('stage');
  const [error, setError] = useState<string | null>(null);
  const { socket, state, send } = room;
  useBrandTheme(state?.event.brand ?? view.event.brand);

  // Never buffer poses while offline: socket.io would replay a stale backlog on reconnect.
  // The current pose is sent again after each fresh `state` (see `epoch`).
  const onPose = useCallback((pose: Pose) => {
    if (socket?.connected) socket.emit('camera:set', pose);
  }, [socket]);
  const run = async (p: Promise<{ ok: boolean; error?: { code: string } }>) => {
    const res = await p;
    setError(res.ok ? null : t(errorKey(res.error?.code)));
  };
  // A marker clicked on the presenter's stage is shown to everyone.
  const card = useHotspotCard(state?.event.vehicle.hotspots, state?.presentation.hotspot ?? null, (id) => void run(send('hotspot:focus', { id })));

  // The studio rotated, revoked or dated this link while the console was open: the server closed
  // the socket, and the reconnection is refused with the reason.
  if (room.connection.phase === 'refused') {
    return <main className="center-page"><p className="error" role="alert">{t(refusalText(room.connection.keyLoss))}</p></main>;
  }
  if (!state) return <Loading />;
  const status = state.event.status;
  /** Going live more than a quarter of an hour before the announced time: the console says so. */
  const early = status === 'scheduled' && state.event.startsAt !== null && Date.parse(state.event.startsAt) - Date.now() > EARLY_START_MS;
  const paint = variantOf(state.event.vehicle, state.presentation.variant);
  const pending = countByStatus(state.questions).pending;

  return (
    <div className="page page-host">
      <TopBar>
        <StatusBadge status={status} />
        <span className="pill" data-testid="viewer-count">{t('common.viewers', { n: state.viewers })}</span>
      </TopBar>
      <div className="host-layout">
        <section className="host-stage">
          {/* Without WebGL: the poster still, and every non-3D feature as usual. */}
          {hasWebGL() ? (
            <Suspense fallback={<div className="stage stage-loading" />}>
              <Stage3D
                mode="host"
                onPose={onPose}
                epoch={room.epoch}
                poses={room.poses}
                activeHotspot={card.open?.id ?? null}
                onHotspot={card.select}
                paint={paint}
                vehicle={state.event.vehicle}
                initialPose={state.presentation.pose ?? DEFAULT_POSE}
                label={paint ? t('viewer.sceneLabel', { vehicle: state.event.vehicle.name, paint: paint.name }) : state.event.vehicle.name}
              />
            </Suspense>
          ) : (
            <NoWebGLStage vehicle={state.event.vehicle} paint={paint} />
          )}
          <StageAnnouncer vehicle={state.event.vehicle} chapter={status === 'live' ? state.presentation.chapter : null} paint={paint} />
          <NowAnswering question={pinnedQuestion(state.questions)} />
          {card.open ? (
            <HotspotCard hotspot={card.open} byPresenter={card.byPresenter} onClose={() => (state.presentation.hotspot === card.open?.id ? void run(send('hotspot:blur', {})) : card.close())} />
          ) : null}
          <ReactionBursts counts={state.reactions.counts} epoch={room.epoch} />
          {room.connection.phase === 'reconnecting' ? <div className="banner" role="status">{t('common.reconnecting')}</div> : null}
        </section>
        <aside className="host-panel" aria-label={t('host.title')}>
          <p className="eyebrow">{t('host.title')}</p>
          <h1 className="panel-title">{state.event.title}</h1>
          <div className="panel-tabs" role="tablist" aria-label={t('host.title')}>
            <button type="button" role="tab" id="tab-stage" aria-selected={panel === 'stage'} aria-controls="panel-stage" onClick={() => setPanel('stage')}>
              {t('host.tabStage')}
            </button>
            <button type="button" role="tab" id="tab-qa" aria-selected={panel === 'qa'} aria-controls="panel-qa" onClick={() => setPanel('qa')}>
              {t('host.tabQa')}
              {/* The waiting queue shows from the other tab too: nobody's question sits unseen. */}
              {pending > 0 ? <span className="tab-badge" data-testid="pending-count">{pending}</span> : null}
            </button>
            <button type="button" role="tab" id="tab-dashboard" aria-selected={panel === 'dashboard'} aria-controls="panel-dashboard" onClick={() => setPanel('dashboard')}>
              {t('host.tabDashboard')}
            </button>
          </div>
          <div id="panel-dashboard" role="tabpanel" aria-labelledby="tab-dashboard" hidden={panel !== 'dashboard'}>
            {/* Mounted only while shown: a hidden dashboard asks the server nothing. */}
            {panel === 'dashboard' ? (
              <Suspense fallback={null}>
                <Dashboard eventId={eventId} hostKey={hostKey} viewersNow={state.viewers} />
              </Suspense>
            ) : null}
          </div>
          <div id="panel-qa" role="tabpanel" aria-labelledby="tab-qa" hidden={panel !== 'qa'}>
            <ModerationPanel state={state} room={room} active={panel === 'qa' && !showQr} />
          </div>
          <div id="panel-stage" role="tabpanel" aria-labelledby="tab-stage" className="panel-stack" hidden={panel !== 'stage'}>
            <div className="panel-actions">
              {status === 'scheduled' ? (
                <>
                  <button type="button" className="btn btn-primary btn-block" onClick={() => void run(send('event:start', {}))} aria-describedby={early ? 'host-start-early' : undefined}>
                    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M4 2.5v11l9-5.5z" fill="currentColor" /></svg>
                    {t('host.start')}
                  </button>
                  {early ? (
                    // Going live well before the announced time is allowed (a rehearsal, a change of plan), said plainly.
                    <p className="hint hint-warning" id="host-start-early">{t('host.startEarly', { date: formatDateTime(state.event.startsAt!, locale) })}</p>
                  ) : null}
                </>
              ) : null}
              {status === 'live' ? (
                // Outlined, with a stop square: it never looks like "Démarrer" under a red brand accent.
                <button type="button" className="btn btn-danger-outline btn-block" onClick={() => void confirm({ message: t('host.confirmEnd'), action: t('host.end'), danger: true }).then((ok) => (ok ? run(send('event:end', {})) : undefined))}>
                  <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true"><rect x="3" y="3" width="10" height="10" rx="1.5" fill="currentColor" /></svg>
                  {t('host.end')}
                </button>
              ) : null}
              {status === 'ended' ? (
                <>
                  <p className="muted">{t('host.ended')}</p>
                  {state.event.startedAt ? (
                    <a className="btn btn-block" href={`/replay/${encodeURIComponent(state.event.code)}`} target="_blank" rel="noreferrer">
                      {t('replay.open')}
                    </a>
                  ) : null}
                </>
              ) : null}
              <p className="error" role="alert">{error}</p>
            </div>
            {/* Rehearsed before the start, run during it; after the end nobody is left to show anything to. */}
            {status !== 'ended' ? (
              <>
                <HostAgenda
                  vehicle={state.event.vehicle}
                  chapter={state.presentation.chapter}
                  variant={state.presentation.variant}
                  hotspot={state.presentation.hotspot}
                  send={send}
                  run={run}
                />
                <HostCtaControls open={state.presentation.cta} send={send} />
              </>
            ) : null}
            <div className="panel-block">
              <div className="link-row">
                <span className="link-label">{t('host.viewerLink')}</span>
                <code className="link-url">{view.links.viewer}</code>
                <CopyButton text={view.links.viewer} label={t('host.viewerLink')} />
              </div>
              <p className="code-big" aria-label={t('studio.code')}>{state.event.code}</p>
              <button ref={qrToggle} type="button" className="btn btn-ghost btn-block" aria-expanded={showQr} onClick={() => setShowQr((s) => !s)}>
                {showQr ? t('host.qrHide') : t('host.qrShow')}
              </button>
            </div>
            {/* The lead inbox opened with the host key: every lead, and erasure on request. */}
            <a className="btn btn-ghost btn-block" href={`/dealer/${encodeURIComponent(eventId)}#key=${encodeURIComponent(hostKey)}`} target="_blank" rel="noopener">
              {t('lead.host.inbox')} <span className="visually-hidden">{t('lead.newTab')}</span>
              <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M9 3h4v4M13 3 7.5 8.5M12 9.5V13H3V4h3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" /></svg>
            </a>
            <a className="btn btn-ghost btn-block" href={`/report/${encodeURIComponent(eventId)}#key=${encodeURIComponent(hostKey)}`} target="_blank" rel="noopener">
              {t('report.open')} <span className="visually-hidden">{t('lead.newTab')}</span>
              <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M9 3h4v4M13 3 7.5 8.5M12 9.5V13H3V4h3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" /></svg>
            </a>
            <p className="hint">{t('host.hint')}</p>
          </div>
        </aside>
      </div>
      {showQr ? (
        <div className="overlay" role="dialog" aria-modal="true" aria-label={t('host.qr')} onClick={() => setShowQr(false)}>
          <div className="overlay-card qr-card">
            <button type="button" className="qr-close" aria-label={t('host.qrHide')} title={t('host.qrHide')} ref={(el) => el?.focus()} onClick={() => setShowQr(false)}>
              <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M3 3l10 10M13 3L3 13" stroke="currentColor" strokeWidth="2" strokeLinecap="round" /></svg>
            </button>
            <h2>{state.event.title}</h2>
            <QrCode url={view.links.viewer} size={300} label={t('host.qr')} />
            <p className="code-big">{state.event.code}</p>
            <p className="muted">{view.links.viewer}</p>
            <a className="btn btn-small" href={`/e/${encodeURIComponent(state.event.code)}/poster`} target="_blank" rel="noopener" data-testid="poster-link">{t('brand.poster')}</a>
          </div>
        </div>
      ) : null}
    </div>
  );
}
