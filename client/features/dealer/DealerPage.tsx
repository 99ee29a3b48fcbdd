import { useI18n } from '../../i18n/i18n.js';
import { fragmentParam } from '../../net/identity.js';
import { TopBar } from '../common/Brand.js';

/** The dealer lead inbox lands with the leads work (issue 4); the link already works. */
export default function DealerPage(_props: { eventId: string }) {
  const { t } = useI18n();
  const key = fragmentParam('key');
  return (
    <div className="page">
      <TopBar />
      <main className="center-page">
        <h1>{t('dealer.title')}</h1>
        <p className={key ? 'muted' : 'error'} role={key ? undefined : 'alert'}>{key ? t('dealer.empty') : t('dealer.missingKey')}</p>
      </main>
    </div>
  );
}
