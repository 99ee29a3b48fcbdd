import { lazy, Suspense, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ValidationIssue } from '../../../shared/errors.js';
import type { EventCreated } from '../../../shared/event.js';
import { DEFAULT_VARIANT_ID, VehicleSetup, type Chapter, type Hotspot } from '../../../shared/vehicle.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, ApiIssuesError } from '../../net/api.js';
import { stagingApi, type StagingView } from '../../net/stagingApi.js';
import { ChaptersPanel } from './StagingChapters.js';
import { HotspotsPanel, type Placing } from './StagingHotspots.js';
import { PaintsPanel, PaintSwatch } from './StagingPaints.js';
import { StagingEditorProvider, type StagingEditorApi } from './StagingParts.js';
import { errorsByField, fieldKey, finishOf, issueMessageKey, newHotspot, sameSetup, sectionOf, variantChoices, type PreviewHandle, type SurfacePoint } from './staging.js';
import { useConfirm } from '../common/Confirm.js';

/** Its own chunk, loaded when the editor opens: three.js stays out of the studio's first load. */
const StudioPreview = lazy(() => import('../../scene/StudioPreview.js'));

type Kind = 'paints' | 'hotspots' | 'chapters';
const TABS: Kind[] = ['paints', 'hotspots', 'chapters'];
type Notice = { kind: 'ok' | 'error'; text: string } | null;

export function StagingEditor({ event, token, initial, defaultName, onDirty }: { event: EventCreated; token: string; initial: StagingView; defaultName: string; onDirty: (dirty: boolean) => void }) {
  const { t } = useI18n();
  const confirm = useConfirm();
  const uid = useId();
  const [view, setView] = useState(initial);
  const [saved, setSaved] = useState(initial.setup);
  const [staged, setStaged] = useState(initial.staged);
  const [draft, setDraft] = useState(initial.setup);
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Map<string, string>>(new Map());
  const [tab, setTab] = useState<Kind>('paints');
  const [open, setOpen] = useState<Record<Kind, string | null>>({ paints: null, hotspots: null, chapters: null });
  const [previewId, setPreviewId] = useState<string | null>(null);
  const [activeHotspot, setActiveHotspot] = useState<string | null>(null);
  const [placing, setPlacing] = useState<Placing>(null);
  const [missed, setMissed] = useState(false);
  const [fresh, setFresh] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const preview = useRef<PreviewHandle | null>(null);
  const stage = useRef<HTMLDivElement>(null);

  const isDemo = !view.vehicle.modelUrl;
  const dirty = !sameSetup(draft, saved);
  // Keyed on what variants depend on, so typing elsewhere keeps the preview's paint (and its frame) as is.
  const { paints, modelVariants: ownVariantsOn } = draft;
  const choices = useMemo(() => variantChoices({ paints, modelVariants: ownVariantsOn }, view.modelVariants, isDemo), [paints, ownVariantsOn, view.modelVariants, isDemo]);
  const previewPaint = choices.find((v) => v.id === previewId) ?? choices.find((v) => v.id === DEFAULT_VARIANT_ID) ?? choices[0] ?? null;

  useEffect(() => {
    onDirty(dirty);
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, onDirty]);

  // ── Errors: the schema's (once a save was tried, then live as fields are fixed) and the server's.
  const localise = useCallback((issues: readonly ValidationIssue[]) => {
    const out = new Map<string, string>();
    for (const [k, message] of errorsByField(issues)) {
      const key = issueMessageKey(k.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
      out.set(k, key ? t(key) : message);
    }
    return out;
  }, [t]);
  const clientIssues = useMemo(() => {
    if (!attempted) return [];
    const r = VehicleSetup.safeParse(draft);
    return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message }));
  }, [attempted, draft]);
  const errors = useMemo(() => new Map([...serverErrors, ...localise(clientIssues)]), [serverErrors, clientIssues, localise]);

  // ── Stable React keys while unsaved ids follow their names.
  const keys = useRef(new Map<string, string>());
  const itemKey = useCallback((kind: Kind, id: string) => {
    const k = `${kind}:${id}`;
    if (!keys.current.has(k)) keys.current.set(k, `${k}#${keys.current.size}`);
    return keys.current.get(k)!;
  }, []);

  const change = useCallback((next: VehicleSetup, touched: string) => {
    setDraft((prev) => {
      for (const kind of TABS) {
        const before = prev[kind];
        const after = next[kind];
        if (before.length !== after.length) continue;
        const ids = new Set(before.map((x) => x.id));
        after.forEach((x, i) => {
          const old = before[i]!.id;
          if (x.id !== old && !ids.has(x.id)) keys.current.set(`${kind}:${x.id}`, itemKey(kind, old));
        });
      }
      return next;
    });
    setServerErrors((cur) => (cur.size ? new Map([...cur].filter(([k]) => k !== touched && !k.startsWith(`${touched}.`))) : cur));
    setNotice(null);
  }, [itemKey]);

  const lockedSets = useMemo(() => ({ paints: new Set(saved.paints.map((x) => x.id)), hotspots: new Set(saved.hotspots.map((x) => x.id)), chapters: new Set(saved.chapters.map((x) => x.id)) }), [saved]);
  const api: StagingEditorApi = { draft, errors, change, locked: (k) => lockedSets[k], preview, itemKey };

  // ── Placing a hotspot: the next click on the car.
  const startPlacing = (p: Placing) => {
    setPlacing(p);
    setMissed(false);
    if (p) stage.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  };
  useEffect(() => {
    if (!placing) return;
    const onKey = (e: globalThis.KeyboardEvent) => e.key === 'Escape' && setPlacing(null);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [placing]);

  const onPlace = useStableCallback((hit: SurfacePoint) => {
    if (!placing) return;
    setMissed(false);
    setPlacing(null);
    setTab('hotspots');
    if (placing.mode === 'new') {
      const h = newHotspot(draft, t('staging.newHotspotTitle', { n: draft.hotspots.length + 1 }), hit);
      change({ ...draft, hotspots: [...draft.hotspots, h] }, 'hotspots');
      setOpen((o) => ({ ...o, hotspots: h.id }));
      setFresh(h.id);
      setActiveHotspot(h.id);
    } else {
      const index = draft.hotspots.findIndex((h) => h.id === placing.id);
      if (index < 0) return;
      change({ ...draft, hotspots: draft.hotspots.map((h, i) => (i === index ? { ...h, ...hit } : h)) }, fieldKey('hotspots', index));
      setActiveHotspot(placing.id);
    }
  });
  const onMiss = useCallback(() => setMissed(true), []);
  const onCancel = useCallback(() => setPlacing(null), []);
  const onSelectHotspot = useCallback((id: string) => {
    setActiveHotspot(id);
    setTab('hotspots');
    setOpen((o) => ({ ...o, hotspots: id }));
  }, []);
  const hotspots = draft.hotspots;
  const hotspotLabel = useCallback((h: Hotspot) => `${hotspots.indexOf(h) + 1}. ${h.title}`, [hotspots]);

  const showChapter = (c: Chapter) => {
    preview.current?.flyTo(c.pose);
    if (c.variant) setPreviewId(c.variant);
    setActiveHotspot(c.hotspot ?? null);
  };

  /** Opens the tab and the item of the first field to fix. */
  function jumpTo(path: readonly (string | number)[]) {
    const section = sectionOf(path);
    if (section === 'vehicle') return document.getElementById(`${uid}-name`)?.focus();
    setTab(section);
    const index = path[1];
    if (section !== 'paints' || path[0] === 'paints') {
      const item = typeof index === 'number' ? (draft[section] as { id: string }[])[index] : undefined;
      if (item) setOpen((o) => ({ ...o, [section]: item.id }));
    }
  }

  async function save() {
    const parsed = VehicleSetup.safeParse(draft);
    setAttempted(true);
    if (!parsed.success) {
      const issues = parsed.error.issues;
      setNotice({ kind: 'error', text: t('staging.invalid', { n: new Set(issues.map((i) => i.path.join('.'))).size }) });
      jumpTo(issues[0]!.path.filter((p): p is string | number => typeof p !== 'symbol'));
      return;
    }
    setBusy(true);
    setNotice(null);
    try {
      const res = await stagingApi.save(event.id, token, parsed.data);
      setSaved(res.setup);
      setDraft((cur) => (cur === draft ? res.setup : cur));
      setStaged(res.staged);
      setView((v) => ({ ...v, vehicle: res.vehicle }));
      setServerErrors(new Map());
      setAttempted(false);
      setNotice({ kind: 'ok', text: t('staging.saved') });
    } catch (err) {
      if (err instanceof ApiIssuesError && err.issues.length) {
        setServerErrors(localise(err.issues));
        setNotice({ kind: 'error', text: t('staging.invalid', { n: err.issues.length }) });
        jumpTo(err.issues[0]!.path);
      } else {
        setNotice({ kind: 'error', text: err instanceof ApiError && err.code !== 'network' ? t(errorKey(err.code)) : t('staging.saveFailed') });
      }
    } finally {
      setBusy(false);
    }
  }

  async function reset() {
    if (!(await confirm({ message: t('staging.resetConfirm'), action: t('staging.reset'), danger: true }))) return;
    setBusy(true);
    try {
      const res = await stagingApi.reset(event.id, token);
      setSaved(res.setup);
      setDraft(res.setup);
      setStaged(res.staged);
      setView((v) => ({ ...v, vehicle: res.vehicle }));
      setServerErrors(new Map());
      setAttempted(false);
      setNotice({ kind: 'ok', text: t('staging.resetDone') });
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof ApiError && err.code !== 'network' ? t(errorKey(err.code)) : t('staging.saveFailed') });
    } finally {
      setBusy(false);
    }
  }

  function discard() {
    setDraft(saved);
    setServerErrors(new Map());
    setAttempted(false);
    setNotice(null);
    setPlacing(null);
  }

  const count: Record<Kind, number> = { paints: ownVariantsInUse(draft, view) ? view.modelVariants.length : draft.paints.length, hotspots: draft.hotspots.length, chapters: draft.chapters.length };
  const tabHasError = (k: Kind) => [...errors.keys()].some((key) => sectionOf(key.split('.')) === k);
  const onTabKey = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length]!;
    setTab(next);
    document.getElementById(`${uid}-tab-${next}`)?.focus();
  };
  const placingTitle = placing?.mode === 'move' ? (draft.hotspots.find((h) => h.id === placing.id)?.title ?? '') : t('staging.newHotspotTitle', { n: draft.hotspots.length + 1 });
  const nameError = errors.get('name');

  return (
    <StagingEditorProvider value={api}>
      <div className="staging-editor" data-testid="staging-editor">
        <div className="staging-stage" ref={stage}>
          <div className="staging-stage-frame">
            <Suspense fallback={<div className="studio-preview studio-preview-loading" />}>
              <StudioPreview
                vehicle={view.vehicle}
                paint={previewPaint}
                bodyMaterials={draft.bodyMaterials}
                hotspots={draft.hotspots}
                activeHotspot={activeHotspot}
                placing={placing !== null}
                onPlace={onPlace}
                onMiss={onMiss}
                onCancel={onCancel}
                onSelectHotspot={onSelectHotspot}
                handle={preview}
                label={t('staging.previewLabel', { vehicle: draft.name ?? defaultName })}
                hotspotLabel={hotspotLabel}
              />
            </Suspense>
            {placing ? (
              <div className="staging-placing" role="status">
                <strong>{t('staging.placeHint', { title: placingTitle })}</strong>
                <span className="staging-placing-keys">{missed ? t('staging.placeMissed') : t('staging.placeKeys')}</span>
                <button type="button" className="btn btn-small btn-ghost" onClick={() => setPlacing(null)}>{t('staging.placeCancel')}</button>
              </div>
            ) : null}
          </div>
          <div className="staging-stage-bar">
            {choices.length ? (
              <div className="staging-preview-paints" role="group" aria-label={t('staging.previewPaint')}>
                {choices.map((v) => (
                  <button key={v.id} type="button" className="staging-swatch-btn" aria-pressed={v.id === previewPaint?.id} title={v.name} aria-label={v.name} onClick={() => setPreviewId(v.id)}>
                    <PaintSwatch color={v.color} finish={v.modelVariant ? null : finishOf(v)} />
                  </button>
                ))}
              </div>
            ) : null}
            <span className="staging-stage-hint">{t('staging.previewHint')}</span>
          </div>
        </div>

        <div className="staging-form">
          <div className="field">
            <label htmlFor={`${uid}-name`}>{t('staging.vehicleName')}</label>
            <input
              id={`${uid}-name`}
              value={draft.name ?? ''}
              placeholder={defaultName}
              maxLength={80}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={`${uid}-name-hint`}
              onChange={(e) => change({ ...draft, name: e.target.value.trim() ? e.target.value : null }, 'name')}
            />
            <p className="hint" id={`${uid}-name-hint`}>{nameError ?? t('staging.vehicleNameHint', { name: defaultName })}</p>
          </div>
          <div className="staging-tabs" role="tablist" aria-label={t('staging.title')} onKeyDown={onTabKey}>
            {TABS.map((k) => (
              <button key={k} type="button" role="tab" id={`${uid}-tab-${k}`} aria-selected={tab === k} aria-controls={`${uid}-panel-${k}`} tabIndex={tab === k ? 0 : -1} onClick={() => setTab(k)}>
                {t(k === 'paints' ? 'staging.tabPaints' : k === 'hotspots' ? 'staging.tabHotspots' : 'staging.tabChapters')}
                <span className="staging-tab-count">{count[k]}</span>
                {tabHasError(k) ? <span className="staging-tab-error" title={t('staging.hasErrors')} aria-label={t('staging.hasErrors')} /> : null}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`${uid}-panel-${tab}`} aria-labelledby={`${uid}-tab-${tab}`} className="staging-panel">
            {tab === 'paints' ? (
              <PaintsPanel modelVariants={view.modelVariants} materials={view.materials} isDemo={isDemo} previewId={previewPaint?.id ?? null} onPreview={setPreviewId} openId={open.paints} onOpen={(id) => setOpen((o) => ({ ...o, paints: id }))} />
            ) : tab === 'hotspots' ? (
              <HotspotsPanel
                eventId={event.id}
                token={token}
                opens={view.hotspotOpens}
                placing={placing}
                onPlace={startPlacing}
                openId={open.hotspots}
                onOpen={(id) => {
                  setOpen((o) => ({ ...o, hotspots: id }));
                  if (id) setActiveHotspot(id);
                }}
                fresh={fresh}
              />
            ) : (
              <ChaptersPanel variants={choices} openId={open.chapters} onOpen={(id) => setOpen((o) => ({ ...o, chapters: id }))} onShow={showChapter} />
            )}
          </div>
        </div>

        <div className="staging-savebar">
          <p className={`staging-state${dirty ? ' is-dirty' : ''}`} data-testid="staging-state">
            <span className="staging-state-dot" aria-hidden="true" />
            {dirty ? t('staging.unsaved') : staged ? t('staging.upToDate') : t('staging.defaults')}
          </p>
          <p className={notice?.kind === 'error' ? 'staging-notice is-error' : 'staging-notice'} role={notice?.kind === 'error' ? 'alert' : 'status'}>
            {notice?.text}
          </p>
          <div className="staging-savebar-actions">
            <button type="button" className="btn btn-small btn-ghost staging-reset" onClick={() => void reset()} disabled={busy || (!staged && !dirty)}>
              {t('staging.reset')}
            </button>
            {dirty ? (
              <button type="button" className="btn btn-small" onClick={discard} disabled={busy}>
                {t('staging.discard')}
              </button>
            ) : null}
            <button type="button" className="btn btn-small btn-primary" onClick={() => void save()} disabled={busy || !dirty}>
              {busy ? t('staging.saving') : t('staging.save')}
            </button>
          </div>
        </div>
      </div>
    </StagingEditorProvider>
  );
}

/** A callback whose identity never changes but which always runs the latest render's code. */
function useStableCallback<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  const ref = useRef(fn);
  useLayoutEffect(() => {
    ref.current = fn;
  });
  return useCallback((...args: A) => ref.current(...args), []);
}

function ownVariantsInUse(draft: VehicleSetup, view: StagingView): boolean {
  return view.modelVariants.length > 0 && draft.modelVariants;
}
