import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { StatePayload } from '../../../shared/events.js';
import { DEFAULT_POSE } from '../../../shared/presentation.js';
import type { Replay } from '../../../shared/replay.js';
import { variantOf } from '../../../shared/vehicle.js';
import { Loading } from '../../App.js';
import { useEventLocale, useI18n } from '../../i18n/i18n.js';
import { ApiError, api } from '../../net/api.js';
import { viewerId } from '../../net/identity.js';
import { useLiveRoom } from '../../net/liveRoom.js';
import { CHAPTER_FLY_MS } from '../../scene/interpolation.js';
import { flightMs, useReducedMotion } from '../../scene/motion.js';
import { hasWebGL } from '../../scene/webgl.js';
import { NoWebGLStage } from '../../scene/NoWebGLStage.js';
import { TopBar } from '../common/Brand.js';
import { useBrandTheme } from '../brand/useBrandTheme.js';
import { LeadCenter } from '../leads/LeadCenter.js';
import { useLeadOutbox, useLeadSheet } from '../leads/useLeads.js';
import { ViewerHotspotCard } from '../presentation/HotspotCard.js';
import { StageAnnouncer } from '../presentation/StageAnnouncer.js';
import { useHotspotCard } from '../presentation/useHotspotCard.js';
import { NowAnswering } from '../qa/NowAnswering.js';
import { ReplayControls } from './ReplayControls.js';
import { PlaybackClock, ReplayPoses, ReplayTimeline } from './timeline.js';
import './replay.css';

const Stage3D = lazy(() => import('../../scene/Stage3D.js'));

/** How often the page (not the camera, which reads the clock each frame) catches up with the playback. */
const TICK_MS = 250;

type Load = { phase: 'loading' } | { phase: 'ready'; replay: Replay } | { phase: 'failed'; message: string; live: boolean };

/**
 * `/replay/:code`: the presentation again, after the event. One request brings the whole
 * recording; it starts playing at once. Requests made here are leads like any other, tagged
 * `replay` by the server (the page's socket says it is a replay's).
 */
export default function ReplayPage({ code }: { code: string }) {
  const { t } = useI18n();
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  useEffect(() => {
    api.replay(code).then(
      (replay) => setLoad({ phase: 'ready', replay }),
      (err: unknown) => {
        const api = err instanceof ApiError ? err : null;
        const message =
          api?.code === 'not_live' ? t('replay.notEnded') : api?.code === 'no_replay' ? t('replay.nothing') : api?.status === 404 ? t('viewer.notFound') : t('error.network');
        setLoad({ phase: 'failed', message, live: api?.code === 'not_live' });
      },
    );
  }, [code, t]);
  useBrandTheme(load.phase === 'ready' ? load.replay.event.brand : undefined);

  if (load.phase === 'loading') return <Loading />;
  if (load.phase === 'failed') {
    return (
      <div className="page">
        <TopBar />
        <main className="center-page">
          <p className={load.live ? 'lead' : 'error'} role="alert">{load.message}</p>
          <a className="btn btn-primary" href={load.live ? `/e/${encodeURIComponent(code)}` : '/'}>{load.live ? t('replay.watchLive') : t('join.title')}</a>
        </main>
      </div>
    );
  }
  return <ReplayView replay={load.replay} />;
}

function ReplayView({ replay }: { replay: Replay }) {
  const { t } = useI18n();
  const { event } = replay;
  // With reduced motion the recorded flights are cuts, as they are live.
  const reducedMotion = useReducedMotion();
  const timeline = useMemo(() => new ReplayTimeline(replay, flightMs(CHAPTER_FLY_MS, reducedMotion)), [replay, reducedMotion]);
  const clock = useMemo(() => new PlaybackClock(replay.durationMs), [replay]);
  const poses = useMemo(() => new ReplayPoses(timeline, clock), [timeline, clock]);
  const position = usePlayback(clock);
  const chapters = useMemo(
    () => timeline.chapterStarts().map((c) => ({ ...c, title: event.vehicle.chapters[c.chapter]?.title ?? String(c.chapter + 1) })),
    [timeline, event.vehicle.chapters],
  );
  const [following, setFollowing] = useState(true);

  // Only requests go through this socket: the server tags them `replay` and counts no viewer.
  const auth = useMemo(() => ({ code: event.code, role: 'viewer' as const, viewerId: viewerId(), replay: true as const }), [event.code]);
  const room = useLiveRoom(auth);
  useEventLocale(room.state?.event.locale);
  const leads = useLeadOutbox(event.code, room);
  const leadSheet = useLeadSheet();

  // It starts at once: no "press play" between the link and the presentation.
  useEffect(() => clock.play(performance.now()), [clock]);
  // (Apart: switching the language must not restart a paused or finished replay.)
  useEffect(() => {
    document.title = t('replay.docTitle', { title: event.title });
  }, [event.title, t]);

  const shown = timeline.presentationAt(position);
  const { pinned, answered } = timeline.questionsAt(position);
  const paint = variantOf(event.vehicle, shown.variant);
  const card = useHotspotCard(event.vehicle.hotspots, shown.hotspot, () => {});
  // The lead sheet offers what the presenter offered at that moment of the replay, and starts
  // on the paint on screen then (not the one the launch ended on).
  const state: StatePayload | null = room.state ? { ...room.state, presentation: { ...room.state.presentation, cta: shown.cta, variant: shown.variant } } : null;
  const now = () => performance.now();

  return (
    <div className="page page-stage has-leads has-dock page-replay">
      {hasWebGL() ? (
        <Suspense fallback={<div className="stage stage-loading" />}>
          <Stage3D
            mode="viewer"
            poses={poses}
            following={following}
            onFreeLook={() => setFollowing(false)}
            activeHotspot={card.open?.id ?? null}
            onHotspot={card.select}
            paint={paint}
            vehicle={event.vehicle}
            initialPose={timeline.poseAt(0) ?? DEFAULT_POSE}
            label={paint ? t('viewer.sceneLabel', { vehicle: event.vehicle.name, paint: paint.name }) : event.vehicle.name}
          />
        </Suspense>
      ) : (
        <NoWebGLStage vehicle={event.vehicle} paint={paint} />
      )}
      <StageAnnouncer vehicle={event.vehicle} chapter={shown.chapter} paint={paint} />
      <TopBar>
        <span className="pill pill-replay">{t('replay.badge')}</span>
      </TopBar>
      <NowAnswering question={pinned} />
      <div className="stage-caption">
        <h1 className="stage-title">{event.title}</h1>
        <p className="stage-sub">
          {[event.vehicle.name === event.title ? null : event.vehicle.name, event.vehicle.chapters[shown.chapter]?.title, paint?.name].filter(Boolean).join(' · ')}
        </p>
      </div>
      <ViewerHotspotCard card={card} sheet={leadSheet} />
      {!following ? (
        <div className="follow-bar">
          <span className="follow-hint">{t('viewer.freeLook')}</span>
          <button type="button" className="btn btn-primary" onClick={() => setFollowing(true)}>{t('viewer.follow')}</button>
        </div>
      ) : null}
      <ReplayControls
        clock={clock}
        position={position}
        chapters={chapters}
        current={shown.chapter}
        answered={answered}
        onSeek={(ms) => {
          clock.seek(ms, now());
          setFollowing(true);
        }}
      />
      {state ? <LeadCenter state={state} leads={leads} sheet={leadSheet} showInterest ctaMode="replay" reconnecting={room.connection.phase === 'reconnecting'} /> : null}
    </div>
  );
}

/**
 * The playback position for the page, a few times a second while playing, and a new render on
 * every seek, play, pause or speed change (even one that leaves the position where it was, as a
 * pause at the end does: the buttons must say so).
 */
function usePlayback(clock: PlaybackClock): number {
  const [{ position }, setShown] = useState({ position: 0, changes: 0 });
  useEffect(() => {
    const read = () => clock.position(performance.now());
    const update = () => {
      const position = read();
      setShown((s) => (s.position === position ? s : { ...s, position }));
    };
    const unsubscribe = clock.subscribe(() => setShown((s) => ({ position: read(), changes: s.changes + 1 })));
    const timer = setInterval(() => {
      if (!clock.playing) return;
      update();
      // At the end the clock stops by itself: the page shows "play again".
      if (clock.ended(performance.now())) clock.pause(performance.now());
    }, TICK_MS);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [clock]);
  return position;
}
