import { useEffect, useRef, useState } from 'react';
import type { StatePayload } from '../../../shared/events.js';
import type { ModerationAction, ModerationMode, Question, QuestionStatus } from '../../../shared/qa.js';
import { formatTime } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import type { LiveRoom } from '../../net/liveRoom.js';
import { qaErrorMessage } from './errors.js';
import { countByStatus, MODERATION_TABS, moderationList } from './fold.js';
import { useModerationShortcuts, type ModerationCommand } from './shortcuts.js';
import { useConfirm } from '../common/Confirm.js';

type Act = 'approve' | 'hide' | 'answer' | 'pin' | 'block';
interface Action {
  act: Act;
  key: string;
  label: MessageKey;
  moderation?: ModerationAction;
  primary?: boolean;
  /** A longer accessible name when the visible label is short. */
  name?: MessageKey;
  /** Shown as an icon (label as tooltip and name): keeps one question's actions on one line. */
  icon?: boolean;
}

/** The actions that make sense for a question in its current state, in button order. */
function actionsFor(q: Question): Action[] {
  const hide: Action = { act: 'hide', key: 'H', label: 'qa.hide', moderation: 'hide' };
  const block: Action[] = q.author?.blocked ? [] : [{ act: 'block', key: 'B', label: 'qa.block', icon: true }];
  switch (q.status) {
    case 'pending':
      return [{ act: 'approve', key: 'A', label: 'qa.approve', moderation: 'approve', primary: true }, hide, ...block];
    case 'visible':
      return [
        q.pinned
          ? { act: 'pin', key: 'P', label: 'qa.unpinShort', name: 'qa.unpin', moderation: 'unpin' }
          : { act: 'pin', key: 'P', label: 'qa.pin', moderation: 'pin', primary: true },
        { act: 'answer', key: 'R', label: 'qa.markAnswered', moderation: 'answer' },
        hide,
        ...block,
      ];
    case 'answered':
      return [hide, ...block];
    case 'hidden':
      return [{ act: 'approve', key: 'A', label: 'qa.restore', moderation: 'approve' }, ...block];
  }
}

export function ModerationPanel({ state, room, active }: { state: StatePayload; room: LiveRoom; active: boolean }) {
  const { t, locale } = useI18n();
  const confirm = useConfirm();
  const [tab, setTab] = useState<QuestionStatus>('pending');
  // The selection follows its id; when the question leaves the tab (approved, hidden…), the
  // one that took its place is selected, so a presenter can approve a queue by pressing A.
  const [selected, setSelected] = useState<{ id: string | null; index: number }>({ id: null, index: 0 });
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  const counts = countByStatus(state.questions);
  const list = moderationList(state.questions, tab);
  const current = list.find((q) => q.id === selected.id) ?? list[Math.min(selected.index, list.length - 1)] ?? null;
  const currentIndex = current ? list.indexOf(current) : -1;

  // Keyboard selection may move to an item scrolled out of the panel: bring it into view.
  const currentId = current?.id;
  useEffect(() => {
    if (currentId) listRef.current?.querySelector(`[data-qid="${CSS.escape(currentId)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [currentId]);

  const select = (q: Question | undefined, index: number) => setSelected({ id: q?.id ?? null, index: Math.max(0, index) });

  const run = async (q: Question, action: Action) => {
    select(q, list.indexOf(q));
    if (action.act === 'block') {
      if (!(await confirm({ message: t('qa.confirmBlock'), action: t('qa.block'), danger: true }))) return;
      const res = await room.send('viewer:block', { questionId: q.id });
      return setError(res.ok ? null : qaErrorMessage(t, 'moderate', res.error));
    }
    const res = await room.qa.moderate(q.id, action.moderation!);
    setError(res.ok ? null : qaErrorMessage(t, 'moderate', res.error));
  };

  const setMode = async (mode: ModerationMode) => {
    const res = await room.qa.setMode(mode);
    setError(res.ok ? null : qaErrorMessage(t, 'moderate', res.error));
  };

  const onCommand = (c: ModerationCommand) => {
    if (c.kind === 'tab') return setTab(c.status);
    if (c.kind === 'move') {
      const i = Math.min(list.length - 1, Math.max(0, currentIndex + c.by));
      return select(list[i], i);
    }
    const action = current && actionsFor(current).find((a) => a.act === c.act);
    if (current && action) void run(current, action);
  };
  useModerationShortcuts(onCommand, active);

  return (
    <div className="moderation">
      <fieldset className="segmented">
        <legend>{t('qa.mode')}</legend>
        <div className="segmented-options">
          {(['pre', 'open'] as const).map((m) => (
            <button key={m} type="button" aria-pressed={state.qa.mode === m} onClick={() => void setMode(m)}>
              {t(m === 'pre' ? 'qa.modePre' : 'qa.modeOpen')}
            </button>
          ))}
        </div>
      </fieldset>
      <p className="hint">{t(state.qa.mode === 'pre' ? 'qa.modePreHint' : 'qa.modeOpenHint')}</p>

      <div className="mod-tabs" role="tablist" aria-label={t('host.tabQa')}>
        {MODERATION_TABS.map((s) => (
          <button key={s} type="button" role="tab" id={`mod-tab-${s}`} aria-selected={tab === s} aria-controls="mod-list" onClick={() => setTab(s)}>
            {t(`qa.tab.${s}`)} <span className="mod-tab-n">{counts[s]}</span>
          </button>
        ))}
      </div>
      <p className="error" role="alert">{error}</p>

      <div id="mod-list" role="tabpanel" aria-labelledby={`mod-tab-${tab}`}>
        {list.length === 0 ? (
          <div className="q-empty">
            <p>{t(`qa.empty.${tab}`)}</p>
            {tab === 'pending' && counts.visible > 0 ? (
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setTab('visible')}>
                {t('qa.seeVisible', { n: counts.visible })}
              </button>
            ) : null}
          </div>
        ) : null}
        <ol className="mod-list" ref={listRef}>
          {list.map((q, i) => (
            <li
              key={q.id}
              data-qid={q.id}
              data-testid="mod-question"
              className={`mod-item${q === current ? ' mod-item-selected' : ''}${q.pinned ? ' mod-pinned' : ''}`}
              aria-current={q === current ? 'true' : undefined}
              onClick={() => select(q, i)}
            >
              <p className="q-text">{q.text}</p>
              <p className="q-meta">
                <span className="q-author">{q.name || t('qa.anonymous')}</span>
                <span>{formatTime(q.createdAt, locale)}</span>
                <span className="mod-votes">▲ {q.votes}</span>
                {q.pinned ? <span className="tag tag-live">{t('qa.pinned')}</span> : null}
                {q.author?.blocked ? <span className="tag tag-blocked">{t('qa.blocked')}</span> : null}
                {q.author && q.author.questions > 1 ? <span className="q-author-n">{t('qa.authorCount', { n: q.author.questions })}</span> : null}
              </p>
              <div className="mod-actions">
                {actionsFor(q).map((a) => (
                  <button
                    key={a.label}
                    type="button"
                    className={`btn btn-small${a.primary ? ' btn-primary' : ''}${a.act === 'block' ? ' btn-quiet' : ''}`}
                    aria-keyshortcuts={a.key}
                    aria-label={a.name ? t(a.name) : a.icon ? t(a.label) : undefined}
                    title={a.icon ? t(a.label) : undefined}
                    onClick={(e) => {
                      e.stopPropagation();
                      void run(q, a);
                    }}
                  >
                    {a.icon ? <BlockIcon /> : t(a.label)}
                  </button>
                ))}
              </div>
            </li>
          ))}
        </ol>
      </div>

      <section className="shortcuts" aria-label={t('qa.shortcuts')}>
        <dl>
          <div><dt><kbd>J</kbd><kbd>K</kbd> <kbd>↓</kbd><kbd>↑</kbd></dt><dd>{t('qa.keySelect')}</dd></div>
          <div><dt><kbd>1</kbd>–<kbd>4</kbd></dt><dd>{t('host.tabQa')}</dd></div>
          <div><dt><kbd>A</kbd></dt><dd>{t('qa.approve')}</dd></div>
          <div><dt><kbd>H</kbd></dt><dd>{t('qa.hide')}</dd></div>
          <div><dt><kbd>R</kbd></dt><dd>{t('qa.markAnswered')}</dd></div>
          <div><dt><kbd>P</kbd></dt><dd>{t('qa.pin')}</dd></div>
          <div><dt><kbd>B</kbd></dt><dd>{t('qa.block')}</dd></div>
        </dl>
      </section>
    </div>
  );
}

function BlockIcon() {
  return (
    <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M3.8 12.2l8.4-8.4" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}
