import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { hotspotPose, type Hotspot } from '../../../shared/vehicle.js';
import { CtaKind } from '../../../shared/presentation.js';
import { formatBytes } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import { ApiError } from '../../net/api.js';
import { stagingApi } from '../../net/stagingApi.js';
import { FieldError, Icon, IconButton, ItemCard, fieldKey, fieldProps, hasErrorUnder, useStagingEditor } from './StagingParts.js';
import { IMAGE_TYPES, MAX_HOTSPOTS, MAX_HOTSPOT_TEXT, MAX_IMAGE_BYTES, removeItem, renameItem } from './staging.js';

/** What the viewers' card offers: the issue's three, plus a call back. */
const CTAS = CtaKind.options;

export type Placing = { mode: 'new' } | { mode: 'move'; id: string } | null;

interface Props {
  eventId: string;
  token: string;
  opens: Record<string, { opens: number; viewers: number }>;
  placing: Placing;
  onPlace: (p: Placing) => void;
  openId: string | null;
  onOpen: (id: string | null) => void;
  /** The item just placed: its title gets the focus, ready to type. */
  fresh: string | null;
}

export function HotspotsPanel({ eventId, token, opens, placing, onPlace, openId, onOpen, fresh }: Props) {
  const { t } = useI18n();
  const { draft, itemKey } = useStagingEditor();
  const full = draft.hotspots.length >= MAX_HOTSPOTS;
  return (
    <div className="staging-panel-body">
      <p className="hint staging-panel-hint">{t('staging.hotspotsHint')}</p>
      {draft.hotspots.length ? (
        <ol className="staging-list">
          {draft.hotspots.map((h, i) => (
            <HotspotItem
              key={itemKey('hotspots', h.id)}
              hotspot={h}
              index={i}
              eventId={eventId}
              token={token}
              opens={opens[h.id]}
              open={openId === h.id}
              fresh={fresh === h.id}
              moving={placing?.mode === 'move' && placing.id === h.id}
              onToggle={() => onOpen(openId === h.id ? null : h.id)}
              onRenamed={(id) => openId === h.id && onOpen(id)}
              onMove={() => onPlace(placing?.mode === 'move' && placing.id === h.id ? null : { mode: 'move', id: h.id })}
            />
          ))}
        </ol>
      ) : (
        <p className="staging-empty">{t('staging.hotspotsEmpty')}</p>
      )}
      <button
        type="button"
        className={`btn btn-small staging-add${placing?.mode === 'new' ? ' is-active' : ''}`}
        aria-pressed={placing?.mode === 'new'}
        onClick={() => onPlace(placing?.mode === 'new' ? null : { mode: 'new' })}
        disabled={full}
      >
        {Icon.pin} {t('staging.addHotspot')}
      </button>
    </div>
  );
}

function HotspotItem(props: {
  hotspot: Hotspot;
  index: number;
  eventId: string;
  token: string;
  opens: { opens: number; viewers: number } | undefined;
  open: boolean;
  fresh: boolean;
  moving: boolean;
  onToggle: () => void;
  onRenamed: (id: string) => void;
  onMove: () => void;
}) {
  const { hotspot: h, index } = props;
  const { t } = useI18n();
  const { draft, change, errors, locked, preview } = useStagingEditor();
  const uid = useId();
  const title = useRef<HTMLInputElement>(null);
  const key = (f: string) => fieldKey('hotspots', index, f);
  const set = (patch: Partial<Hotspot>) => change({ ...draft, hotspots: draft.hotspots.map((x, i) => (i === index ? { ...x, ...patch } : x)) }, fieldKey('hotspots', index));
  const name = h.title.trim() || t('staging.newHotspotTitle', { n: index + 1 });
  const count = props.opens ? t('staging.opens', { opens: props.opens.opens, viewers: props.opens.viewers }) : t('staging.opensNone');

  useEffect(() => {
    if (props.fresh && props.open) title.current?.select();
  }, [props.fresh, props.open]);

  return (
    <ItemCard
      open={props.open}
      onToggle={props.onToggle}
      invalid={hasErrorUnder(errors, fieldKey('hotspots', index))}
      toggleLabel={`${t('staging.edit', { name })} — ${count}`}
      testId="hotspot-item"
      summary={
        <>
          <span className="staging-number" aria-hidden="true">{index + 1}</span>
          <span className="staging-item-text">
            <span className="staging-item-title">{name}</span>
            <span className="staging-item-meta" data-testid="hotspot-opens">{count}</span>
          </span>
        </>
      }
      actions={
        <>
          <IconButton label={`${t('staging.lookAt')} — ${name}`} onClick={() => preview.current?.flyTo(hotspotPose(h))}>
            {Icon.eye}
          </IconButton>
          <IconButton label={t('staging.deleteNamed', { name })} danger onClick={() => change(removeItem(draft, 'hotspots', h.id), 'hotspots')}>
            {Icon.trash}
          </IconButton>
        </>
      }
    >
      <div className="field">
        <label htmlFor={`${uid}-title`}>{t('staging.hotspotTitle')}</label>
        <input
          ref={title}
          {...fieldProps(errors, key('title'), `${uid}-title`)}
          value={h.title}
          maxLength={60}
          onChange={(e) => {
            const next = renameItem(draft, 'hotspots', index, e.target.value, locked('hotspots'));
            change(next, fieldKey('hotspots', index));
            const id = next.hotspots[index]!.id;
            if (id !== h.id) props.onRenamed(id);
          }}
        />
        <FieldError errors={errors} field={key('title')} id={`${uid}-title`} />
      </div>
      <div className="field">
        <div className="staging-label-row">
          <label htmlFor={`${uid}-text`}>{t('staging.hotspotText')}</label>
          <span className={`staging-count${h.text.length > MAX_HOTSPOT_TEXT ? ' is-over' : ''}`} aria-hidden="true">
            {t('staging.chars', { n: h.text.length, max: MAX_HOTSPOT_TEXT })}
          </span>
        </div>
        <textarea {...fieldProps(errors, key('text'), `${uid}-text`)} className="staging-textarea" value={h.text} rows={3} onChange={(e) => set({ text: e.target.value })} />
        <FieldError errors={errors} field={key('text')} id={`${uid}-text`} />
      </div>
      <div className="field">
        <label htmlFor={`${uid}-cta`}>{t('staging.cta')}</label>
        <select id={`${uid}-cta`} value={h.cta ?? ''} onChange={(e) => set({ cta: e.target.value ? CtaKind.parse(e.target.value) : undefined })}>
          <option value="">{t('staging.ctaNone')}</option>
          {CTAS.map((c) => (
            <option key={c} value={c}>{t(`staging.cta.${c}` as MessageKey)}</option>
          ))}
        </select>
      </div>
      <HotspotImage eventId={props.eventId} token={props.token} hotspot={h} onImage={(image) => set({ image })} error={errors.get(key('image'))} />
      <div className="staging-row">
        <button type="button" className={`btn btn-small${props.moving ? ' is-active' : ''}`} aria-pressed={props.moving} onClick={props.onMove}>
          {Icon.pin} {t('staging.replace')}
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => preview.current?.flyTo(hotspotPose(h))}>
          {Icon.eye} {t('staging.lookAt')}
        </button>
      </div>
      <FieldError errors={errors} field={key('normal')} id={`${uid}-normal`} />
      <FieldError errors={errors} field={key('position')} id={`${uid}-position`} />
    </ItemCard>
  );
}

type ImageState = { phase: 'idle' } | { phase: 'uploading' } | { phase: 'failed'; message: string };

/** An optional picture on the hotspot's card, uploaded to our own server. */
function HotspotImage({ eventId, token, hotspot, onImage, error }: { eventId: string; token: string; hotspot: Hotspot; onImage: (url: string | undefined) => void; error: string | undefined }) {
  const { t, locale } = useI18n();
  const uid = useId();
  const [state, setState] = useState<ImageState>({ phase: 'idle' });

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = ''; // the same file again must upload again
    if (!file) return;
    if (!(IMAGE_TYPES as readonly string[]).includes(file.type)) return setState({ phase: 'failed', message: t('staging.imageWrongType') });
    if (file.size > MAX_IMAGE_BYTES) return setState({ phase: 'failed', message: t('staging.imageTooLarge', { size: formatBytes(file.size, locale) }) });
    setState({ phase: 'uploading' });
    try {
      const media = await stagingApi.uploadImage(eventId, token, file);
      onImage(media.url);
      setState({ phase: 'idle' });
    } catch (err) {
      setState({ phase: 'failed', message: imageError(err) });
    }
  }

  function imageError(err: unknown): string {
    if (!(err instanceof ApiError) || err.code === 'network') return t('staging.imageFailed');
    if (err.status === 404 && err.code === 'not_found') return t('staging.imageUnavailable');
    if (err.code === 'too_large') return t('staging.imageRefused', { reason: err.message });
    if (err.status === 400 || err.status === 415) return t('staging.imageRefused', { reason: err.message });
    return t('staging.imageFailed');
  }

  const message = state.phase === 'failed' ? state.message : error;
  return (
    <div className="field staging-image">
      <span className="staging-label" id={`${uid}-label`}>{t('staging.image')}</span>
      <div className="staging-image-row">
        {hotspot.image ? <img className="staging-thumb" src={hotspot.image} alt={t('staging.imageAlt', { title: hotspot.title })} /> : null}
        <div className="staging-image-actions">
          <label className={`btn btn-small file-btn${state.phase === 'uploading' ? ' file-btn-busy' : ''}`}>
            <input
              className="visually-hidden"
              type="file"
              accept={IMAGE_TYPES.join(',')}
              disabled={state.phase === 'uploading'}
              onChange={(e) => void onFile(e)}
              aria-describedby={`${uid}-hint${message ? ` ${uid}-error` : ''}`}
              data-testid="hotspot-image"
            />
            {state.phase === 'uploading' ? t('staging.imageUploading') : hotspot.image ? t('staging.imageReplace') : t('staging.imageChoose')}
          </label>
          {hotspot.image ? (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => onImage(undefined)}>
              {t('staging.imageRemove')}
            </button>
          ) : null}
        </div>
      </div>
      <p className="hint" id={`${uid}-hint`}>{t('staging.imageHint')}</p>
      {message ? (
        <p className="staging-field-error" id={`${uid}-error`} role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}
