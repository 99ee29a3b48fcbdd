import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Ack } from '../../../shared/errors.js';
import type { ModerationMode, Question, QuestionAsk } from '../../../shared/qa.js';
import { NAME_MAX_CHARS, QUESTION_MAX_CHARS } from '../../../shared/qa.js';
import { useI18n } from '../../i18n/i18n.js';
import { isNetworkFailure, qaErrorMessage } from './errors.js';
import { newQuestionId } from './fold.js';

/** Shared with the name step of the viewer page: the name typed once is offered again. */
export const NAME_KEY = 'vitrine.name';

function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * The question being typed, the id of its last failed attempt, and whether it waits for the
 * network, kept for this tab and page: closing the questions sheet to watch the car (or a
 * reload) no longer loses what was typed, nor a question waiting to go out.
 */
interface Draft {
  text: string;
  attempt: { id: string; text: string } | null;
  waiting: boolean;
}
const draftKey = () => `vitrine.askDraft:${location.pathname}`;

function readDraft(): Draft {
  try {
    const raw = sessionStorage.getItem(draftKey());
    const d = raw ? (JSON.parse(raw) as Partial<Draft>) : null;
    const text = typeof d?.text === 'string' ? d.text : '';
    const attempt = d?.attempt && typeof d.attempt.id === 'string' && typeof d.attempt.text === 'string' ? d.attempt : null;
    return { text, attempt, waiting: d?.waiting === true && text.trim().length > 0 };
  } catch {
    return { text: '', attempt: null, waiting: false };
  }
}

function writeDraft(d: Draft): void {
  try {
    if (!d.text && !d.attempt) sessionStorage.removeItem(draftKey());
    else sessionStorage.setItem(draftKey(), JSON.stringify(d));
  } catch {
    /* private mode: the draft lasts while the page is open */
  }
}

/**
 * `pending`: the id of a question sent for review, whose notice changes once it is published.
 * `waiting`: the question could not go out (no network); it goes by itself on the next connection.
 */
type Notice = { kind: 'ok' | 'error' | 'waiting'; text: string; pending?: string } | null;

export interface Ask {
  text: string;
  setText: (text: string) => void;
  name: string;
  setName: (name: string) => void;
  busy: boolean;
  notice: Notice;
  submit: () => Promise<void>;
}

/**
 * The ask form's state, held by the Q&A dock (always mounted), not by the sheet: a question
 * waiting for the network goes out on the next connection even if the sheet was closed.
 *
 * `online`: the socket is connected; `epoch` counts the connection's `state`s (a new one is a
 * reconnection). Asked offline, a question is not handed to socket.io (which would send it
 * late or time it out after 10 s): it waits, says so, and goes with the same id when the next
 * `state` arrives. A question whose ack was lost waits the same way. The id of a failed attempt
 * is reused for the same text, so a question that did reach the server is stored once.
 */
export function useAsk({ onAsk, online, epoch, questions }: { onAsk: (q: QuestionAsk) => Promise<Ack<Question>>; online: boolean; epoch: number; questions: readonly Question[] }): Ask {
  const { t } = useI18n();
  const [initial] = useState(readDraft);
  const [text, setTextState] = useState(initial.text);
  const [name, setName] = useState(storedName);
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState(initial.waiting);
  const [notice, setNotice] = useState<Notice>(initial.waiting ? { kind: 'waiting', text: t('qa.waiting') } : null);
  const attempt = useRef<{ id: string; text: string } | null>(initial.attempt);
  useEffect(() => writeDraft({ text, attempt: attempt.current, waiting }), [text, busy, waiting]);
  // The latest values, for the resend that runs from an effect.
  const latest = useRef({ text, name, busy, online, waiting });
  latest.current = { text, name, busy, online, waiting };

  const setText = (next: string) => {
    setTextState(next);
    if (notice?.kind === 'ok') setNotice(null);
    if (!next.trim() && waiting) {
      setWaiting(false);
      setNotice(null);
    }
  };

  /** The question went through: the box empties (unless typed on since) and the viewer is told. */
  const delivered = (q: Pick<Question, 'id' | 'status'>, asked: string, signed: string) => {
    attempt.current = null;
    setWaiting(false);
    setTextState((now) => (now.trim() === asked ? '' : now));
    if (signed) {
      try {
        localStorage.setItem(NAME_KEY, signed);
      } catch {
        /* private mode: the name lasts for this page only */
      }
    }
    setNotice(q.status === 'pending' ? { kind: 'ok', text: t('qa.sentPre'), pending: q.id } : { kind: 'ok', text: t('qa.sentOpen') });
  };

  const submit = async () => {
    const { text: typed, name: typedName, busy: sending, online: connected } = latest.current;
    const trimmed = typed.trim();
    if (sending || trimmed.length === 0 || trimmed.length > QUESTION_MAX_CHARS) return;
    const id = attempt.current?.text === trimmed ? attempt.current.id : newQuestionId();
    attempt.current = { id, text: trimmed };
    if (!connected) {
      setWaiting(true);
      setNotice({ kind: 'waiting', text: t('qa.waiting') });
      return;
    }
    const signed = typedName.trim().slice(0, NAME_MAX_CHARS);
    setBusy(true);
    latest.current.busy = true;
    const res = await onAsk({ id, text: trimmed, ...(signed ? { name: signed } : {}) });
    setBusy(false);
    latest.current.busy = false;
    if (!res.ok) {
      const offline = isNetworkFailure(res.error);
      setWaiting(offline);
      return setNotice(offline ? { kind: 'waiting', text: t('qa.waiting') } : { kind: 'error', text: qaErrorMessage(t, 'ask', res.error) });
    }
    // Anything typed while the question was on its way stays in the box.
    delivered({ id, status: res.data?.status ?? 'visible' }, trimmed, signed);
  };

  // Only its ack was lost (a slow link, not a cut one): the question itself reached the server,
  // which sends it to its author. Waiting for it is over.
  useEffect(() => {
    const sent = waiting && attempt.current ? questions.find((q) => q.id === attempt.current?.id) : undefined;
    if (sent) delivered(sent, attempt.current?.text ?? '', latest.current.name.trim().slice(0, NAME_MAX_CHARS));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `delivered` is remade each render; the list and the wait are what matter
  }, [questions, waiting]);

  // A new connection (its `state`): a waiting question goes now. Never a failure on a live
  // connection by itself, which would resend in a loop.
  const submitRef = useRef(submit);
  submitRef.current = submit;
  useEffect(() => {
    if (latest.current.waiting && online) void submitRef.current();
  }, [epoch, online]);

  return { text, setText, name, setName, busy, notice, submit };
}

/**
 * `published(id)`: whether the viewer's question is in the public list now. The "published
 * after review" notice then says it is published: it stayed, untrue, after the presenter's
 * approval (the review of 2026-11-25).
 */
export function AskForm({ mode, ask, published }: { mode: ModerationMode; ask: Ask; published?: (id: string) => boolean }) {
  const { t } = useI18n();
  const ids = useId();
  const { text, name, busy, notice } = ask;

  const trimmed = text.trim();
  const over = trimmed.length - QUESTION_MAX_CHARS;
  const canSend = !busy && trimmed.length > 0 && over <= 0;
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (canSend) void ask.submit();
  };
  const noticeText = notice?.pending && published?.(notice.pending) ? t('qa.sentOpen') : notice?.text;

  // Ctrl/Cmd+Enter sends from the keyboard; a plain Enter stays a new line.
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
  };

  return (
    <form className="ask-form" onSubmit={submit} noValidate>
      <label htmlFor={`${ids}-text`} className="visually-hidden">{t('qa.askLabel')}</label>
      <textarea
        id={`${ids}-text`}
        className="ask-text"
        value={text}
        rows={3}
        placeholder={t('qa.askPlaceholder')}
        aria-invalid={over > 0}
        aria-describedby={`${ids}-count`}
        onChange={(e) => ask.setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <span id={`${ids}-count`} className={`ask-count${over > 0 ? ' ask-count-over' : ''}`}>
        {over > 0 ? t('qa.tooLong', { n: over }) : t('qa.chars', { n: trimmed.length, max: QUESTION_MAX_CHARS })}
      </span>
      <div className="ask-row">
        <div className="ask-name">
          <label htmlFor={`${ids}-name`}>{t('qa.nameLabel')}</label>
          <input
            id={`${ids}-name`}
            value={name}
            maxLength={NAME_MAX_CHARS}
            autoComplete="given-name"
            placeholder={t('qa.namePlaceholder')}
            title={t('qa.nameHint')}
            onChange={(e) => ask.setName(e.target.value)}
          />
        </div>
        {/* aria-disabled, not disabled: a disabled button drops the keyboard's focus to <body> the moment it is pressed (busy, then emptied). */}
        <button className="btn btn-primary" aria-disabled={!canSend}>{busy ? t('qa.sending') : t('qa.send')}</button>
      </div>
      {mode === 'pre' ? <p className="hint">{t('qa.preHint')}</p> : null}
      <p className={notice?.kind === 'waiting' ? 'ask-ok ask-waiting' : 'ask-ok'} role="status">{notice?.kind === 'ok' || notice?.kind === 'waiting' ? noticeText : null}</p>
      <p className="error" role="alert">{notice?.kind === 'error' ? noticeText : null}</p>
    </form>
  );
}
