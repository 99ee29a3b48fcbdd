import { useCallback, useEffect, useRef, useState } from 'react';
import type { ModelView } from '../../../shared/model.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey, type MessageKey } from '../../i18n/messages.js';
import { ApiError } from '../../net/api.js';
import './poster.css';

type State = { phase: 'idle' } | { phase: 'rendering' } | { phase: 'saved' } | { phase: 'failed'; reason: string };

/** Our own server's path of an absolute URL: the studio may be open under another host name (CSP 'self'). */
const pathOf = (url: string) => new URL(url, location.href).pathname;

/** `PUT /api/events/:id/model/poster` with the picture as the body; answers the model with its new poster. */
async function putPoster(eventId: string, token: string, model: ModelView, poster: Blob): Promise<ModelView> {
  const file = pathOf(model.url).split('/').pop() ?? '';
  let res: Response;
  try {
    res = await fetch(`/api/events/${encodeURIComponent(eventId)}/model/poster?model=${encodeURIComponent(file)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': poster.type || 'image/png' },
      body: poster,
    });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  const body = (await res.json().catch(() => null)) as { model?: ModelView; error?: { code: string; message: string } } | null;
  if (!res.ok || !body?.model) throw new ApiError(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? res.statusText);
  return body.model;
}

/**
 * The model's poster in the studio: the picture viewers without WebGL see, rendered here from
 * the model in the showroom (three.js is loaded only for that), and made again on request.
 * `fresh`: the model was just uploaded; its poster is made at once.
 */
export function ModelPoster({ eventId, token, model, fresh, onModel }: { eventId: string; token: string; model: ModelView; fresh: boolean; onModel: (model: ModelView) => void }) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const rendered = useRef<string | null>(null);

  const make = useCallback(async () => {
    setState({ phase: 'rendering' });
    try {
      const { renderPoster } = await import('../../scene/posterRender.js');
      const blob = await renderPoster({ url: pathOf(model.url), bounds: model.bounds, pose: model.pose });
      onModel(await putPoster(eventId, token, model, blob));
      setState({ phase: 'saved' });
    } catch (err) {
      console.warn('poster not made', err);
      const reason = err instanceof ApiError ? t(errorKey(err.code)) : err instanceof Error ? err.message : String(err);
      setState({ phase: 'failed', reason });
    }
  }, [eventId, token, model, onModel, t]);

  // Once per uploaded model: a fresh upload without a poster gets one straight away.
  useEffect(() => {
    if (!fresh || model.posterUrl || rendered.current === model.url) return;
    rendered.current = model.url;
    void make();
  }, [fresh, model.posterUrl, model.url, make]);

  const busy = state.phase === 'rendering';
  const status: MessageKey | null = busy ? 'poster.rendering' : state.phase === 'saved' ? 'poster.saved' : null;
  return (
    <div className="model-poster" data-testid="model-poster" data-state={state.phase}>
      <div className="model-poster-frame">
        {model.posterUrl ? (
          <img src={pathOf(model.posterUrl)} alt={t('poster.thumbAlt', { name: model.name })} width={160} height={90} />
        ) : (
          <span className="model-poster-missing">{t('poster.missing')}</span>
        )}
      </div>
      <div className="model-poster-text">
        <p className="model-poster-title">{t('poster.title')}</p>
        <p className="hint">{t('poster.hint')}</p>
        {status ? (
          <p className="hint model-poster-status" role="status">
            {t(status)}
          </p>
        ) : null}
        {state.phase === 'failed' ? (
          <p className="error model-poster-status" role="alert">
            {t('poster.failed', { reason: state.reason })}
          </p>
        ) : null}
        <button type="button" className="btn btn-small btn-ghost" onClick={() => void make()} disabled={busy} aria-busy={busy}>
          {t('poster.regenerate')}
        </button>
      </div>
    </div>
  );
}
