import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Ack } from '../../../shared/errors.js';
import type { ModerationMode, Question, QuestionAsk } from '../../../shared/qa.js';
import { NAME_MAX_CHARS, QUESTION_MAX_CHARS } from '../../../shared/qa.js';
import { useI18n } from '../../i18n/i18n.js';
import { qaErrorMessage } from './errors.js';
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
 * The question being typed, and the id of its last failed attempt, kept for this tab and page:
 * closing the questions sheet to watch the car (or a reload) no longer loses what was typed.
 */
interface Draft {
  text: string;
  attempt: { id: string; text: string } | null;
}
const draftKey = () => `vitrine.askDraft:${location.pathname}`;

function readDraft(): Draft {
  try {
    const raw = sessionStorage.getItem(draftKey());
    const d = raw ? (JSON.parse(raw) as Partial<Draft>) : null;
    return { text: typeof d?.text === 'string' ? d.text : '', attempt: d?.attempt && typeof d.attempt.id === 'string' && typeof d.attempt.text === 'string' ? d.attempt : null };
  } catch {
    return { text: '', attempt: null };
  }
}

function writeDraft(d: Draft): void {
  try {
    if (!d.text && !d.attempt) sessionStorage.removeItem(draftKey());
    else sessionStorage.setItem(draftKey(), JSON.stringify(d));
  } catch {
    /* private mode: the draft lasts while the sheet is open */
  }
}

/** `pending`: the id of a question sent for review, whose notice changes once it is published. */
type Notice = { kind: 'ok' | 'error'; text: string; pending?: string } | null;

/**
 * `published(id)`: whether the viewer's question is in the public list now. The "published
 * after review" notice then says it is published: it stayed, untrue, after the presenter's
 * approval (the review of 2026-11-25).
 */
export function AskForm({ mode, onAsk, published }: { mode: ModerationMode; onAsk: (q: QuestionAsk) => Promise<Ack<Question>>; published?: (id: string) => boolean }) {
  const { t } = useI18n();
  const ids = useId();
  const [initial] = useState(readDraft);
  const [text, setText] = useState(initial.text);
  const [name, setName] = useState(storedName);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  // The id of the last attempt: resending the same text after a failure reuses it, so a
  // question that did reach the server (only its ack was lost) is not stored twice.
  const attempt = useRef<{ id: string; text: string } | null>(initial.attempt);
  useEffect(() => writeDraft({ text, attempt: attempt.current }), [text, busy]);

  const trimmed = text.trim();
  const over = trimmed.length - QUESTION_MAX_CHARS;
  const canSend = !busy && trimmed.length > 0 && over <= 0;

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!canSend) return;
    const id = attempt.current?.text === trimmed ? attempt.current.id : newQuestionId();
    attempt.current = { id, text: trimmed };
    const signed = name.trim().slice(0, NAME_MAX_CHARS);
    setBusy(true);
    const res = await onAsk({ id, text: trimmed, ...(signed ? { name: signed } : {}) });
    setBusy(false);
    if (!res.ok) return setNotice({ kind: 'error', text: qaErrorMessage(t, 'ask', res.error) });
    attempt.current = null;
    setText('');
    if (signed) {
      try {
        localStorage.setItem(NAME_KEY, signed);
      } catch {
        /* private mode: the name lasts for this page only */
      }
    }
    if (res.data?.status === 'pending') setNotice({ kind: 'ok', text: t('qa.sentPre'), pending: id });
    else setNotice({ kind: 'ok', text: t('qa.sentOpen') });
  };
  const noticeText = notice?.pending && published?.(notice.pending) ? t('qa.sentOpen') : notice?.text;

  // Ctrl/Cmd+Enter sends from the keyboard; a plain Enter stays a new line.
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
  };

  return (
    <form className="ask-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={`${ids}-text`} className="visually-hidden">{t('qa.askLabel')}</label>
      <textarea
        id={`${ids}-text`}
        className="ask-text"
        value={text}
        rows={3}
        placeholder={t('qa.askPlaceholder')}
        aria-invalid={over > 0}
        aria-describedby={`${ids}-count`}
        onChange={(e) => {
          setText(e.target.value);
          if (notice?.kind === 'ok') setNotice(null);
        }}
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
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        {/* aria-disabled, not disabled: a disabled button drops the keyboard's focus to <body> the moment it is pressed (busy, then emptied). */}
        <button className="btn btn-primary" aria-disabled={!canSend}>{busy ? t('qa.sending') : t('qa.send')}</button>
      </div>
      {mode === 'pre' ? <p className="hint">{t('qa.preHint')}</p> : null}
      <p className="ask-ok" role="status">{notice?.kind === 'ok' ? noticeText : null}</p>
      <p className="error" role="alert">{notice?.kind === 'error' ? noticeText : null}</p>
    </form>
  );
}
