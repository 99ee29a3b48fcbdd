import { useEffect, useId, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import type { EventCreated } from '../../../shared/event.js';
import { placedBounds, placement, type ModelStats, type ModelView } from '../../../shared/model.js';
import { formatBytes, formatNumber } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, ModelUploadError, eventModel, modelContentType, uploadModel, type ModelIssue } from '../../net/api.js';
import { ModelPoster } from './ModelPoster.js';
import './model.css';

type Upload =
  | { phase: 'idle' }
  | { phase: 'sending'; sent: number }
  | { phase: 'processing' }
  | { phase: 'done' }
  | { phase: 'failed'; message: string; issues: ModelIssue[] };

/** An event's 3D model in the studio: what is on stage now, and an upload that replaces it. */
export function ModelUpload({ event, token }: { event: EventCreated; token: string }) {
  const { t, locale } = useI18n();
  const inputId = useId();
  const [model, setModel] = useState<ModelView | null>(null);
  const [maxBytes, setMaxBytes] = useState<number | null>(null);
  const [upload, setUpload] = useState<Upload>({ phase: 'idle' });
  const abort = useRef<(() => void) | null>(null);

  useEffect(() => {
    let live = true;
    eventModel(event.id, token).then(
      (r) => {
        if (!live) return;
        setModel(r.model);
        setMaxBytes(r.maxBytes);
      },
      () => undefined, // the card still works without the figures; an upload will say what is wrong
    );
    return () => {
      live = false;
      abort.current?.();
    };
  }, [event.id, token]);

  const busy = upload.phase === 'sending' || upload.phase === 'processing';

  function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = ''; // choosing the same file again must upload again
    if (!file) return;
    if (!modelContentType(file.name)) return setUpload({ phase: 'failed', message: t('model.wrongType'), issues: [] });
    if (maxBytes !== null && file.size > maxBytes) {
      return setUpload({ phase: 'failed', message: t('model.tooLarge', { size: formatBytes(file.size, locale), max: formatBytes(maxBytes, locale) }), issues: [] });
    }
    setUpload({ phase: 'sending', sent: 0 });
    const request = uploadModel(event.id, token, file, (sent) => setUpload(sent < 1 ? { phase: 'sending', sent } : { phase: 'processing' }));
    abort.current = request.abort;
    request.done.then(
      (m) => {
        setModel(m);
        setUpload({ phase: 'done' });
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.code === 'aborted') return;
        setUpload({ phase: 'failed', ...failure(err) });
      },
    );
  }

  function failure(err: unknown): { message: string; issues: ModelIssue[] } {
    // The validator's findings are listed as it words them (codes and pointers a 3D artist can look up).
    if (err instanceof ModelUploadError && err.code === 'invalid_model') return { message: err.issues.length ? t('model.invalid') : `${t('model.invalid')} ${err.message}`, issues: err.issues };
    if (err instanceof ApiError && err.code === 'too_large') return { message: err.message, issues: [] };
    if (err instanceof ApiError && err.code === 'network') return { message: t('model.failed'), issues: [] };
    return { message: err instanceof ApiError ? t(errorKey(err.code)) : t('model.failed'), issues: [] };
  }

  return (
    <section className="model-upload" aria-labelledby={`${inputId}-title`}>
      <div className="model-upload-head">
        <h4 id={`${inputId}-title`}>{t('model.title')}</h4>
        <label className={`btn btn-small file-btn${busy ? ' file-btn-busy' : ''}`}>
          <input
            className="visually-hidden"
            type="file"
            accept=".glb,.gltf,model/gltf-binary,model/gltf+json"
            disabled={busy}
            onChange={onFile}
            aria-describedby={`${inputId}-hint`}
            data-testid="model-file"
          />
          {model ? t('model.replace') : t('model.choose')}
        </label>
      </div>
      <p className="hint" id={`${inputId}-hint`}>
        {model ? t('model.current', { name: model.name }) : t('model.none')} {maxBytes !== null ? t('model.hint', { max: formatBytes(maxBytes, locale) }) : null}
      </p>
      <UploadState upload={upload} />
      {model ? <Figures model={model} /> : null}
      {/* Poster for devices without WebGL: made right after an upload, and on request. */}
      {model ? <ModelPoster eventId={event.id} token={token} model={model} fresh={upload.phase === 'done'} onModel={setModel} /> : null}
    </section>
  );
}

function UploadState({ upload }: { upload: Upload }) {
  const { t } = useI18n();
  switch (upload.phase) {
    case 'idle':
      return null;
    case 'sending': {
      const percent = Math.round(upload.sent * 100);
      return (
        <div className="model-progress" role="status" aria-live="polite">
          <span>{t('model.uploading', { percent })}</span>
          <progress max={100} value={percent} aria-label={t('model.uploading', { percent })} />
        </div>
      );
    }
    case 'processing':
      return (
        <div className="model-progress" role="status" aria-live="polite">
          <span>{t('model.processing')}</span>
          <progress aria-label={t('model.processing')} />
        </div>
      );
    case 'done':
      return (
        <p className="manage-ok" role="status">
          {t('model.done')}
        </p>
      );
    case 'failed':
      return (
        <div className="import-issues" role="alert" data-testid="model-error">
          <p>{upload.message}</p>
          {upload.issues.length ? (
            <ul>
              {upload.issues.map((i, n) => (
                <li key={n}>
                  <code>{i.code}</code> {i.message} {i.pointer ? <span className="issue-detail">({i.pointer})</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      );
  }
}

/** Before/after optimisation: what the brand sent, and what each viewer downloads and draws. */
function Figures({ model }: { model: ModelView }) {
  const { t, locale } = useI18n();
  const { before, after } = model.stats;
  const textures = (s: ModelStats): ReactNode =>
    s.textures.length ? (
      <>
        {s.textures.length} × {formatNumber(Math.max(...s.textures.map((x) => Math.max(x.width, x.height))), locale)} px
        <span className="model-table-sub">{formatBytes(s.textures.reduce((a, x) => a + x.bytes, 0), locale)}</span>
      </>
    ) : (
      t('model.texturesNone')
    );
  const rows: [string, ReactNode, ReactNode][] = [
    [t('model.bytes'), formatBytes(before.bytes, locale), formatBytes(after.bytes, locale)],
    [t('model.triangles'), formatNumber(before.triangles, locale), formatNumber(after.triangles, locale)],
    [t('model.drawCalls'), formatNumber(before.drawCalls, locale), formatNumber(after.drawCalls, locale)],
    [t('model.materials'), formatNumber(before.materials, locale), formatNumber(after.materials, locale)],
    [t('model.textures'), textures(before), textures(after)],
  ];
  const saved = before.bytes > 0 ? Math.round((1 - after.bytes / before.bytes) * 100) : 0;
  const placed = placedBounds(model.bounds);
  const size = placed.max.map((v, i) => v - placed.min[i]!);
  const scaled = placement(model.bounds).scale !== 1;
  const metres = (v: number) => new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 }).format(v);
  return (
    <div className="model-figures">
      <table className="model-table" data-testid="model-figures">
        <caption>
          {t('model.figures')}
          {saved > 0 ? <strong> · {t('model.saved', { percent: saved })}</strong> : null}
        </caption>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{t('model.before')}</th>
            <th scope="col">{t('model.after')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, a, b]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{a}</td>
              <td>{b}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        {t('model.size', { dims: size.map((v) => metres(v)).join(' × ') })}
        {scaled ? ` — ${t('model.scaled', { length: metres(Math.max(...size)) })}` : ''}
      </p>
      {model.note ? <p className="hint">{model.note}</p> : null}
    </div>
  );
}
