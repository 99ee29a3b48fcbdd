import { useCallback, useEffect, useState } from 'react';
import type { KeyLoss } from '../../../shared/keyLoss.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import { ApiError, dealerInbox, keyLossOf, type DealerView } from '../../net/api.js';
import { fragmentParam } from '../../net/identity.js';
import { TopBar } from '../common/Brand.js';
import { useBrandTheme } from '../brand/useBrandTheme.js';
import { Inbox } from './Inbox.js';
import './dealer.css';

/** `revoked` and `expired`: the link worked once (the studio replaced, revoked or dated it). */
type Failure = 'missingKey' | 'badKey' | 'revoked' | 'expired' | 'notFound' | 'network';

const FAILURE_TEXT: Record<Failure, MessageKey> = {
  missingKey: 'dealer.missingKey',
  badKey: 'dealer.badKey',
  revoked: 'access.revoked',
  expired: 'access.expired',
  notFound: 'dealer.notFound',
  network: 'error.network',
};

const lossFailure = (loss: KeyLoss): Failure => (loss === 'key_expired' ? 'expired' : 'revoked');

function failureOf(err: unknown): Failure {
  const loss = keyLossOf(err);
  if (loss) return lossFailure(loss);
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
  const keyLost = useCallback((loss: KeyLoss) => {
    setView(null);
    setFailure(lossFailure(loss));
  }, []);

  if (view && key) return <Inbox eventId={eventId} apiKey={key} view={view} onKeyLost={keyLost} />;
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
