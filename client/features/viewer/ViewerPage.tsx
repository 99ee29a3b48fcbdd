import { lazy, Suspense, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { EventPublic } from '../../../shared/event.js';
import type { LeadType } from '../../../shared/lead.js';
import { DEFAULT_POSE } from '../../../shared/presentation.js';
import { variantOf } from '../../../shared/vehicle.js';
import { Loading } from '../../App.js';
import { formatDateTime, formatNumber } from '../../i18n/format.js';
import { useEventLocale, useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, api } from '../../net/api.js';
import { viewerId } from '../../net/identity.js';
import { useLiveRoom } from '../../net/liveRoom.js';
import { TopBar } from '../common/Brand.js';
import { useBrandTheme } from '../brand/useBrandTheme.js';
import { StatusBadge } from '../common/widgets.js';
import { LeadCenter } from '../leads/LeadCenter.js';
import { RequestChoices } from '../leads/RequestChoices.js';
import { sentTypesOf, useLeadOutbox, useLeadSheet } from '../leads/useLeads.js';
import { NAME_KEY } from '../qa/AskForm.js';
import { pinnedQuestion } from '../qa/fold.js';
import { NowAnswering } from '../qa/NowAnswering.js';
import { ReactionBursts } from '../qa/Reactions.js';
import { ViewerQa } from '../qa/ViewerQa.js';
import { Agenda } from '../presentation/Agenda.js';
import { StageAnnouncer } from '../presentation/StageAnnouncer.js';
import { ViewerHotspotCard } from '../presentation/HotspotCard.js';
import { useHotspotCard } from '../presentation/useHotspotCard.js';
import { ArButton } from './ArButton.js';
import { Countdown, LATE_AFTER_MS, useReached } from './Countdown.js';

import { hasWebGL } from '../../scene/webgl.js';
import { NoWebGLStage } from '../../scene/NoWebGLStage.js';

const Stage3D = lazy(() => import('../../scene/Stage3D.js'));
const enteredKey = (code: string) => `vitrine.entered.${code}`;

export default function ViewerPage({ code }: { code: string }) {
  const { t } = useI18n();
  const [event, setEvent] = useState<EventPublic | null>(null);
  const [failure, setFailure] = useState<MessageKey | null>(null);
  const [entered, setEntered] = useState(() => sessionStorage.getItem(enteredKey(code.toUpperCase())) !== null);

  // Loaded once per code: the message is worded at render, so a change of language (the event's
  // own, applied as soon as it is known) does not fetch the event again.
  useEffect(() => {
    api.eventByCode(code).then(setEvent, (err: unknown) => setFailure(err instanceof ApiError && err.status === 404 ? 'viewer.notFound' : 'error.network'));
  }, [code]);
  useBrandTheme(event?.brand);
  useEventLocale(event?.locale);

  if (failure) {
    return (
      <div className="page">
        <TopBar />
        <main className="center-page">
          <p className="error" role="alert">{t(failure)}</p>
          <a className="btn" href="/">{t('join.title')}</a>
        </main>
      </div>
    );
  }
  if (!event) return <Loading />;
  // After the end there is nothing to join: straight to the closing card and its replay.
  if (!entered && event.status !== 'ended') {
    return (
      <NameStep
        title={event.title}
        onEnter={(name) => {
          if (name) localStorage.setItem(NAME_KEY, name);
          sessionStorage.setItem(enteredKey(event.code), '1');
          setEntered(true);
        }}
      />
    );
  }
  return <LiveView code={event.code} />;
}

function NameStep({ title, onEnter }: { title: string; onEnter: (name: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(() => localStorage.getItem(NAME_KEY) ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onEnter(name.trim().slice(0, 40));
  };
  return (
    <div className="page page-join">
      <TopBar />
      <main className="join">
        <p className="eyebrow">{t('viewer.welcome')}</p>
        <h1>{title}</h1>
        <form onSubmit={submit} className="join-form">
          <label htmlFor="name">{t('viewer.name')}</label>
          <input id="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={40} autoComplete="given-name" placeholder={t('viewer.namePlaceholder')} />
          <button className="btn btn-primary btn-block">{t('viewer.enter')}</button>
          <button type="button" className="btn btn-ghost btn-block" onClick={() => onEnter('')}>{t('viewer.anonymous')}</button>
        </form>
      </main>
    </div>
  );
}

function LiveView({ code }: { code: string }) {
  const { t, locale } = useI18n();
  const auth = useMemo(() => {
    const name = localStorage.getItem(NAME_KEY) || undefined;
    return { code, role: 'viewer' as const, viewerId: viewerId(), ...(name ? { name } : {}) };
  }, [code]);
  const room = useLiveRoom(auth);
  const [following, setFollowing] = useState(true);
  // Leads outlive a lost connection: the outbox resends after every reconnection.
  const leads = useLeadOutbox(code, room);
  const leadSheet = useLeadSheet();
  const { state, connection } = room;
  useBrandTheme(state?.event.brand);
  // A tap opens the card here and is counted for the report (best effort: no outbox for it).
  const card = useHotspotCard(state?.event.vehicle.hotspots, state?.presentation.hotspot ?? null, (id) => void room.send('hotspot:open', { id }));

  if (connection.phase === 'refused') {
    return (
      <main className="center-page">
        <p className="error" role="alert">{t(connection.reason === 'not_found' ? 'viewer.notFound' : errorKey(connection.reason))}</p>
      </main>
    );
  }
  if (!state) return <Loading />;
  const paint = variantOf(state.event.vehicle, state.presentation.variant);
  const status = state.event.status;
  const live = status === 'live';
  // Before the start and after the end a card covers the car: what is behind it is out of reach
  // (keyboard and screen readers too), the top bar (language, status) stays above it.
  const overlaid = status === 'scheduled' || status === 'ended';
  const sentTypes = sentTypesOf(leads.snapshot);

  return (
    <div className={`page page-stage has-leads${live ? ' has-dock' : ''}${connection.phase === 'reconnecting' ? ' is-reconnecting' : ''}`}>
      <div className="stage-behind" inert={overlaid}>
        {/* Without WebGL: the poster still, and every non-3D feature as usual. */}
        {hasWebGL() ? (
          <Suspense fallback={<div className="stage stage-loading" />}>
            <Stage3D
              mode="viewer"
              poses={room.poses}
              following={following}
              onFreeLook={() => setFollowing(false)}
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
      </div>
      <StageAnnouncer vehicle={state.event.vehicle} chapter={live ? state.presentation.chapter : null} paint={paint} />
      <TopBar>
        <StatusBadge status={status} />
        {/* Not a live region: with a crowd arriving it would speak over the launch every few seconds. */}
        {/* On a phone the count is a figure beside an icon, leaving the top bar to the brand. */}
        {status === 'live' ? (
          <span className="pill viewers-pill">
            <svg className="viewers-icon" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
              <circle cx="12" cy="8" r="4" />
              <path d="M4 21c0-4 3.6-7 8-7s8 3 8 7" />
            </svg>
            <span className="viewers-short" aria-hidden="true">{formatNumber(state.viewers, locale)}</span>
            <span className="viewers-long">{t('common.viewers', { n: state.viewers })}</span>
          </span>
        ) : null}
      </TopBar>
      {live ? <NowAnswering question={pinnedQuestion(state.questions)} /> : null}
      <ReactionBursts counts={state.reactions.counts} epoch={room.epoch} />
      <div className="stage-caption" inert={overlaid}>
        <h1 className="stage-title">{state.event.title}</h1>
        {/* An uploaded model is often named after the launch: never say the same thing twice. */}
        <p className="stage-sub">
          {[state.event.vehicle.name === state.event.title ? null : state.event.vehicle.name, paint?.name].filter(Boolean).join(' · ')}
        </p>
        <ArButton vehicle={state.event.vehicle} variant={paint} />
        {live ? <Agenda chapters={state.event.vehicle.chapters} current={state.presentation.chapter} /> : null}
      </div>
      <ViewerHotspotCard card={card} sheet={leadSheet} />
      {connection.phase === 'reconnecting' ? <div className="banner" role="status">{t('common.reconnecting')}</div> : null}
      {live ? <ViewerQa room={room} state={state} /> : null}
      <LeadCenter state={state} leads={leads} sheet={leadSheet} showInterest={live} ctaMode={live ? 'live' : 'off'} exploring={live && !following} reconnecting={connection.phase === 'reconnecting'} />
      {live && !following ? (
        <div className="follow-bar">
          <span className="follow-hint">{t('viewer.freeLook')}</span>
          <button type="button" className="btn btn-primary" onClick={() => setFollowing(true)}>{t('viewer.follow')}</button>
        </div>
      ) : null}
      {status === 'scheduled' ? (
        <WaitingRoom eventTitle={state.event.title} startsAt={state.event.startsAt}>
          <OverlayRequests vehicle={state.event.vehicle.name} sent={sentTypes} onPick={(type) => leadSheet.open({ kind: 'form', type })} />
        </WaitingRoom>
      ) : null}
      {status === 'ended' ? (
        <StatusOverlay id="ended-title" eventTitle={state.event.title} heading={t('viewer.endedTitle')}>
          <p className="lead">{t('viewer.endedBody')}</p>
          {state.event.startedAt ? <a className="btn btn-primary" href={`/replay/${encodeURIComponent(state.event.code)}`}>{t('replay.open')}</a> : null}
          <OverlayRequests vehicle={state.event.vehicle.name} sent={sentTypes} onPick={(type) => leadSheet.open({ kind: 'form', type })} />
        </StatusOverlay>
      ) : null}
    </div>
  );
}

/**
 * Before the start: the date and a countdown; at the date, "any moment now"; a quarter of an
 * hour later still not started, it says so rather than promising a start that is not coming.
 */
function WaitingRoom({ eventTitle, startsAt, children }: { eventTitle: string; startsAt: string | null; children: ReactNode }) {
  const { t, locale } = useI18n();
  const late = useReached(startsAt ? Date.parse(startsAt) + LATE_AFTER_MS : Infinity);
  return (
    <StatusOverlay id="waiting-title" eventTitle={eventTitle} heading={t(late ? 'viewer.lateTitle' : 'viewer.waitingTitle')}>
      {startsAt && !late ? (
        <>
          <p className="muted">{t('viewer.startsAt', { date: formatDateTime(startsAt, locale) })}</p>
          <Countdown to={startsAt} />
        </>
      ) : (
        <>
          {startsAt ? <p className="muted">{t('viewer.plannedAt', { date: formatDateTime(startsAt, locale) })}</p> : null}
          <p className="lead">{t('viewer.waitingNoDate')}</p>
        </>
      )}
      {children}
    </StatusOverlay>
  );
}

/**
 * Before the start and after the end, the four requests stay one tap away; those this device
 * already sent say so (a test drive booked during the launch is not offered as if new).
 */
function OverlayRequests({ vehicle, sent, onPick }: { vehicle: string; sent: readonly LeadType[]; onPick: (type: LeadType) => void }) {
  const { t } = useI18n();
  return (
    <div className="overlay-requests">
      <p className="overlay-requests-title">{t('lead.menuTitle', { vehicle })}</p>
      <RequestChoices hints={false} onPick={onPick} sentTypes={sent} />
    </div>
  );
}

/** Before the start and after the end: a card over the (still visible) car. */
function StatusOverlay({ id, eventTitle, heading, children }: { id: string; eventTitle: string; heading: string; children: ReactNode }) {
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby={id}>
      <div className="overlay-card">
        <p className="eyebrow">{eventTitle}</p>
        <h2 id={id}>{heading}</h2>
        {children}
      </div>
    </div>
  );
}
