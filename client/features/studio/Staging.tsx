import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { EventCreated } from '../../../shared/event.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, eventModel } from '../../net/api.js';
import { stagingApi, type StagingView } from '../../net/stagingApi.js';
import { StagingEditor } from './StagingEditor.js';
import './staging.css';
import { useConfirm } from '../common/Confirm.js';

/**
 * "Mise en scène" on an event's card: opens the staging editor (paints, hotspots, chapters)
 * with its 3D preview. Closed by default: nothing 3D loads until someone asks for it.
 */
export function StagingSection({ event, token }: { event: EventCreated; token: string }) {
  const { t } = useI18n();
  const confirm = useConfirm();
  const id = useId();
  const [open, setOpen] = useState(false);
  const dirty = useRef(false);
  const toggle = async () => {
    if (open && dirty.current && !(await confirm({ message: t('staging.discardConfirm'), action: t('staging.closeUnsaved'), danger: true }))) return;
    dirty.current = false;
    setOpen((o) => !o);
  };
  return (
    <section className="staging" aria-labelledby={`${id}-title`}>
      <div className="staging-head">
        <div>
          <h4 id={`${id}-title`}>{t('staging.title')}</h4>
          <p className="hint">{t('staging.summary')}</p>
        </div>
        <button type="button" className={`btn btn-small${open ? ' btn-ghost' : ''}`} aria-expanded={open} aria-controls={`${id}-panel`} onClick={() => void toggle()}>
          {open ? t('staging.close') : t('staging.open')}
        </button>
      </div>
      <div id={`${id}-panel`} hidden={!open}>
        {open ? <StagingLoader event={event} token={token} onDirty={(d) => (dirty.current = d)} /> : null}
      </div>
    </section>
  );
}

type Loaded = { phase: 'loading' } | { phase: 'failed'; message: string } | { phase: 'ready'; view: StagingView; defaultName: string };

function StagingLoader({ event, token, onDirty }: { event: EventCreated; token: string; onDirty: (dirty: boolean) => void }) {
  const { t } = useI18n();
  const [state, setState] = useState<Loaded>({ phase: 'loading' });
  const load = useCallback(async () => {
    setState({ phase: 'loading' });
    try {
      const view = await stagingApi.load(event.id, token);
      // The name viewers see when the studio gives none: the model's, or (the demo car) the launch's title.
      let defaultName = view.setup.name === null ? view.vehicle.name : event.title;
      if (view.setup.name !== null && view.vehicle.modelUrl) defaultName = (await eventModel(event.id, token).catch(() => null))?.model?.name ?? defaultName;
      setState({ phase: 'ready', view, defaultName });
    } catch (err) {
      setState({ phase: 'failed', message: err instanceof ApiError && err.code !== 'network' ? t(errorKey(err.code)) : t('error.network') });
    }
  }, [event.id, event.title, token, t]);
  useEffect(() => {
    void load();
  }, [load]);

  if (state.phase === 'loading') {
    return (
      <p className="staging-loading" role="status">
        <span className="spinner" aria-hidden="true" /> {t('staging.loading')}
      </p>
    );
  }
  if (state.phase === 'failed') {
    return (
      <div className="import-issues" role="alert">
        <p>{t('staging.loadFailed')}</p>
        <span>{state.message}</span>{' '}
        <button type="button" className="btn btn-small" onClick={() => void load()}>{t('common.retry')}</button>
      </div>
    );
  }
  return <StagingEditor event={event} token={token} initial={state.view} defaultName={state.defaultName} onDirty={onDirty} />;
}
