import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import { ApiError, dealerInbox, type DealerView } from '../../net/api.js';
import { fragmentParam } from '../../net/identity.js';
import { TopBar } from '../common/Brand.js';
import { useBrandTheme } from '../brand/useBrandTheme.js';
import { Inbox } from './Inbox.js';
import './dealer.css';

type Failure = 'missingKey' | 'badKey' | 'notFound' | 'network';

const FAILURE_TEXT: Record<Failure, MessageKey> = {
  missingKey: 'dealer.missingKey',
  badKey: 'dealer.badKey',
  notFound: 'dealer.notFound',
  network: 'error.network',
};

function failureOf(err: unknown): Failure {
  if (!(err instanceof ApiError)) return 'network';
  if (err.status === 401 || err.status === 403) return 'badKey';
  if (err.status === 404) return 'notFound';
  return 'network';
}

/**
 * `/dealer/:id#key=…`: the lead inbox. The key is the event's dealer key (every lead), the host
 * key, or one dealer's own key (its leads only); the server says which in `scope`.
 */
export default function DealerPage({ eventId }: { eventId: string }) {
  const { t } = useI18n();
  // Read once: the link stays in the address bar so the dealer can bookmark it.
  const [key] = useState(() => fragmentParam('key') || null);
  const [view, setView] = useState<DealerView | null>(null);
  const [failure, setFailure] = useState<Failure | null>(key ? null : 'missingKey');

  const load = useCallback(() => {
    if (!key) return;
    setFailure(null);
    dealerInbox.view(eventId, key).then(setView, (err: unknown) => setFailure(failureOf(err)));
  }, [eventId, key]);
  useEffect(() => {
    load();
  }, [load]);
  useBrandTheme(view?.event.brand);

  if (view && key) return <Inbox eventId={eventId} apiKey={key} view={view} />;
  return (
    <div className="page page-dealer">
      <TopBar />
      <main className="center-page dealer-message">
        <p className="eyebrow">{t('dealer.space')}</p>
        <h1>{t('dealer.title')}</h1>
        {failure ? (
          <>
            <p className="error" role="alert">{t(FAILURE_TEXT[failure])}</p>
            {failure === 'network' ? <button type="button" className="btn" onClick={load}>{t('common.retry')}</button> : null}
          </>
        ) : (
          <div role="status">
            <span className="spinner" aria-hidden="true" />
            <span className="visually-hidden">{t('common.loading')}</span>
          </div>
        )}
      </main>
    </div>
  );
}
