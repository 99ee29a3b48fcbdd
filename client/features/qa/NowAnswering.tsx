import type { Question } from '../../../shared/qa.js';
import { useI18n } from '../../i18n/i18n.js';

/**
 * The question the presenter is answering, over the stage on every screen. `aria-live` so a
 * screen reader hears the new question when the presenter moves on, without hunting for it.
 */
export function NowAnswering({ question }: { question: Question | null }) {
  const { t } = useI18n();
  return (
    <div className="now-answering-slot" aria-live="polite">
      {question ? (
        <section className="now-answering" key={question.id} data-testid="now-answering" aria-label={t('qa.nowAnswering')}>
          <p className="now-answering-label"><span className="now-answering-dot" aria-hidden="true" />{t('qa.nowAnswering')}</p>
          {/* User text: always a React text node, never HTML. */}
          <p className="now-answering-text">{question.text}</p>
          <p className="now-answering-by">— {question.name || t('qa.anonymous')}</p>
        </section>
      ) : null}
    </div>
  );
}
