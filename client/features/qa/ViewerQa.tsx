import { useEffect, useRef, useState } from 'react';
import type { Ack } from '../../../shared/errors.js';
import type { StatePayload } from '../../../shared/events.js';
import { useI18n } from '../../i18n/i18n.js';
import type { LiveRoom } from '../../net/liveRoom.js';
import { AskForm, useAsk } from './AskForm.js';
import { qaErrorMessage } from './errors.js';
import { holdOrder, viewerList } from './fold.js';
import { QuestionList } from './QuestionList.js';
import { ReactionBar } from './Reactions.js';

/** How long the list keeps its order after the viewer's last tap in it: long enough for a second vote. */
export const LIST_HOLD_MS = 2500;

/**
 * The viewer's Q&A: a dock (questions button, reactions) along the bottom of the stage and a
 * bottom sheet that leaves the top of the car in view, so the show goes on while one reads.
 */
export function ViewerQa({ room, state }: { room: LiveRoom; state: StatePayload }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [voteError, setVoteError] = useState<string | null>(null);
  const online = room.connection.phase === 'live';
  const ask = useAsk({ onAsk: room.qa.ask, online, epoch: room.epoch, questions: state.questions });
  const opener = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // While the viewer taps in the list, and for a moment after, it keeps its order (holdOrder).
  const holdUntil = useRef(0);
  const shownIds = useRef<string[]>([]);
  const holdTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [, settle] = useState(0);
  const sorted = viewerList(state.questions);
  const list = open && Date.now() < holdUntil.current ? holdOrder(sorted, shownIds.current) : sorted;
  shownIds.current = list.map((q) => q.id);
  const count = list.filter((q) => q.status !== 'pending').length;
  const hold = () => {
    holdUntil.current = Date.now() + LIST_HOLD_MS;
    clearTimeout(holdTimer.current);
    holdTimer.current = setTimeout(() => settle((n) => n + 1), LIST_HOLD_MS);
  };
  useEffect(() => () => clearTimeout(holdTimer.current), []);
  // Back online: an error about the lost connection is no longer true.
  useEffect(() => setVoteError(null), [room.epoch]);

  // Focus goes to the sheet's title, not the text box: a phone keyboard would cover the list.
  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };
  const vote = async (id: string, on: boolean): Promise<Ack<{ votes: number }>> => {
    hold();
    // Offline, a vote is not queued: it would count minutes later, or time out after 10 s.
    if (!online) {
      setVoteError(t('qa.offlineVote'));
      return { ok: false, error: { code: 'network', message: 'not connected' } };
    }
    const res = await room.qa.vote(id, on);
    setVoteError(res.ok ? null : qaErrorMessage(t, 'vote', res.error));
    return res;
  };

  return (
    <>
      <div className="qa-dock">
        <button ref={opener} type="button" className="qa-open" aria-expanded={open} aria-controls="qa-sheet" onClick={() => setOpen(true)}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4A2.5 2.5 0 0 1 4 13.5z" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
          </svg>
          <span className="qa-open-label">{t('qa.open')}</span>
          {count > 0 ? <span className="qa-count">{count}</span> : null}
        </button>
        <ReactionBar emojis={state.qa.emojis} online={online} onSend={(emoji) => room.send('reaction:send', { emoji })} />
      </div>
      {open ? (
        <section
          id="qa-sheet"
          className="sheet"
          role="dialog"
          aria-labelledby="qa-sheet-title"
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
        >
          <header className="sheet-head">
            <h2 id="qa-sheet-title" ref={heading} tabIndex={-1}>{t('qa.title')}</h2>
            <button type="button" className="sheet-close" aria-label={t('qa.close')} onClick={close}>
              <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M3 3l10 10M13 3L3 13" stroke="currentColor" strokeWidth="2" strokeLinecap="round" /></svg>
            </button>
          </header>
          <div className="sheet-body">
            <AskForm mode={state.qa.mode} ask={ask} published={(id) => list.some((q) => q.id === id && (q.status === 'visible' || q.status === 'answered'))} />
            <p className="error" role="alert">{voteError}</p>
            <div className="qa-list-hold" onPointerDown={hold}>
              <QuestionList questions={list} myVotes={state.qa.myVotes} onVote={vote} />
            </div>
          </div>
        </section>
      ) : null}
    </>
  );
}
