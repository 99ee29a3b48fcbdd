import { useState } from 'react';
import type { Ack } from '../../../shared/errors.js';
import type { Question } from '../../../shared/qa.js';
import { useI18n } from '../../i18n/i18n.js';

/**
 * The viewer's list. Every piece of user text is a React text node: a question reading
 * `<img src=x onerror=…>` shows those characters, it never becomes markup.
 */
export function QuestionList({ questions, myVotes, onVote }: {
  questions: Question[];
  myVotes: string[];
  onVote: (id: string, on: boolean) => Promise<Ack<{ votes: number }>>;
}) {
  const { t } = useI18n();
  if (questions.length === 0) return <p className="q-empty">{t('qa.empty')}</p>;
  return (
    <ol className="q-list" aria-label={t('qa.title')}>
      {questions.map((q) => (
        <li key={q.id} className={`q-card q-${q.status}${q.pinned ? ' q-pinned' : ''}`} data-testid="question">
          <div className="q-body">
            <p className="q-text">{q.text}</p>
            <p className="q-meta">
              <span className="q-author">{q.name || t('qa.anonymous')}</span>
              {q.mine ? <span className="tag tag-mine">{t('qa.mine')}</span> : null}
              {q.status === 'pending' ? <span className="tag tag-pending">{t('qa.awaiting')}</span> : null}
              {q.pinned ? <span className="tag tag-live">{t('qa.nowAnswering')}</span> : null}
              {q.status === 'answered' ? <span className="tag tag-answered">✓ {t('qa.answered')}</span> : null}
            </p>
          </div>
          {q.status === 'pending' ? null : <VoteButton question={q} voted={myVotes.includes(q.id)} onVote={onVote} />}
        </li>
      ))}
    </ol>
  );
}

function VoteButton({ question, voted, onVote }: { question: Question; voted: boolean; onVote: (id: string, on: boolean) => Promise<Ack<{ votes: number }>> }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  // An answered question keeps its score on show but is no longer in the running.
  const closed = question.status === 'answered';
  const toggle = async () => {
    if (busy) return;
    setBusy(true);
    await onVote(question.id, !voted);
    setBusy(false);
  };
  return (
    <button
      type="button"
      className="vote"
      aria-pressed={voted}
      aria-label={t('qa.vote', { n: question.votes })}
      disabled={closed}
      // Not disabled while the vote travels: that would drop the keyboard's focus to <body>.
      aria-disabled={busy || undefined}
      onClick={() => void toggle()}
    >
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M8 3l5.5 7h-11z" fill="currentColor" /></svg>
      <span className="vote-n">{question.votes}</span>
    </button>
  );
}
