import { useId, useState } from 'react';
import type { Chapter, PaintVariant } from '../../../shared/vehicle.js';
import { useI18n } from '../../i18n/i18n.js';
import { FieldError, Icon, IconButton, ItemCard, fieldKey, fieldProps, hasErrorUnder, useStagingEditor } from './StagingParts.js';
import { PaintSwatch } from './StagingPaints.js';
import { MAX_CHAPTERS, moveItem, newChapter, removeItem, renameItem, suggestChapterTitle } from './staging.js';

interface Props {
  variants: PaintVariant[];
  openId: string | null;
  onOpen: (id: string | null) => void;
  /** "Voir": the preview flies to the chapter and shows its paint and hotspot. */
  onShow: (c: Chapter) => void;
}

export function ChaptersPanel({ variants, openId, onOpen, onShow }: Props) {
  const { t } = useI18n();
  const { draft, change, errors, preview, itemKey } = useStagingEditor();
  const uid = useId();
  const suggestions = [t('staging.suggest.exterior'), t('staging.suggest.interior'), t('staging.suggest.battery'), t('staging.suggest.price')];

  function add() {
    const pose = preview.current?.capture();
    if (!pose) return;
    const title = suggestChapterTitle(draft.chapters.map((c) => c.title), suggestions, (n) => t('staging.chapterNumbered', { n }));
    const chapter = newChapter(draft, title, pose);
    change({ ...draft, chapters: [...draft.chapters, chapter] }, 'chapters');
    onOpen(chapter.id);
  }

  return (
    <div className="staging-panel-body">
      <p className="hint staging-panel-hint">{t('staging.chaptersHint')}</p>
      <datalist id={`${uid}-titles`}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      {draft.chapters.length ? (
        <ol className="staging-list">
          {draft.chapters.map((c, i) => (
            <ChapterItem
              key={itemKey('chapters', c.id)}
              chapter={c}
              index={i}
              count={draft.chapters.length}
              variants={variants}
              titles={`${uid}-titles`}
              open={openId === c.id}
              onToggle={() => {
                onOpen(openId === c.id ? null : c.id);
                if (openId !== c.id) onShow(c);
              }}
              onRenamed={(id) => openId === c.id && onOpen(id)}
              onShow={() => onShow(c)}
            />
          ))}
        </ol>
      ) : (
        <p className="staging-empty">{t('staging.chaptersEmpty')}</p>
      )}
      <FieldError errors={errors} field="chapters" id={`${uid}-chapters`} />
      <button type="button" className="btn btn-small staging-add" onClick={add} disabled={draft.chapters.length >= MAX_CHAPTERS}>
        {Icon.plus} {t('staging.addChapter')}
      </button>
    </div>
  );
}

function ChapterItem(props: {
  chapter: Chapter;
  index: number;
  count: number;
  variants: PaintVariant[];
  titles: string;
  open: boolean;
  onToggle: () => void;
  onRenamed: (id: string) => void;
  onShow: () => void;
}) {
  const { chapter: c, index, variants } = props;
  const { t } = useI18n();
  const { draft, change, errors, locked, preview } = useStagingEditor();
  const uid = useId();
  const [taken, setTaken] = useState(false);
  const key = (f: string) => fieldKey('chapters', index, f);
  const set = (patch: Partial<Chapter>) => {
    const chapters = draft.chapters.map((x, i) => {
      if (i !== index) return x;
      const next: Chapter = { ...x, ...patch };
      // An emptied select removes the field: the schema wants it absent, not "".
      if (!next.variant) delete next.variant;
      if (!next.hotspot) delete next.hotspot;
      return next;
    });
    change({ ...draft, chapters }, fieldKey('chapters', index));
  };
  const name = c.title.trim() || t('staging.chapterNumbered', { n: index + 1 });
  const variant = variants.find((v) => v.id === c.variant);
  const hotspotNo = draft.hotspots.findIndex((h) => h.id === c.hotspot);

  function takeCurrentView() {
    const pose = preview.current?.capture();
    if (!pose) return;
    set({ pose });
    setTaken(true);
  }

  return (
    <ItemCard
      open={props.open}
      onToggle={props.onToggle}
      invalid={hasErrorUnder(errors, fieldKey('chapters', index))}
      toggleLabel={t('staging.edit', { name })}
      testId="chapter-item"
      summary={
        <>
          <span className="staging-number" aria-hidden="true">{index + 1}</span>
          <span className="staging-item-title">{name}</span>
          <span className="staging-item-meta">
            {variant ? <PaintSwatch color={variant.color} /> : null}
            {hotspotNo >= 0 ? <span className="staging-pin-tag">{Icon.pin}{hotspotNo + 1}</span> : null}
          </span>
        </>
      }
      actions={
        <>
          <IconButton label={t('staging.moveUp', { name })} disabled={index === 0} onClick={() => change({ ...draft, chapters: moveItem(draft.chapters, index, -1) }, 'chapters')}>
            {Icon.up}
          </IconButton>
          <IconButton label={t('staging.moveDown', { name })} disabled={index === props.count - 1} onClick={() => change({ ...draft, chapters: moveItem(draft.chapters, index, 1) }, 'chapters')}>
            {Icon.down}
          </IconButton>
          <IconButton label={t('staging.deleteNamed', { name })} danger onClick={() => change(removeItem(draft, 'chapters', c.id), 'chapters')}>
            {Icon.trash}
          </IconButton>
        </>
      }
    >
      <div className="field">
        <label htmlFor={`${uid}-title`}>{t('staging.chapterTitle')}</label>
        <input
          {...fieldProps(errors, key('title'), `${uid}-title`)}
          list={props.titles}
          value={c.title}
          maxLength={40}
          onChange={(e) => {
            const next = renameItem(draft, 'chapters', index, e.target.value, locked('chapters'));
            change(next, fieldKey('chapters', index));
            const id = next.chapters[index]!.id;
            if (id !== c.id) props.onRenamed(id);
          }}
        />
        <FieldError errors={errors} field={key('title')} id={`${uid}-title`} />
      </div>
      <div className="field">
        <span className="staging-label">{t('staging.chapterView')}</span>
        <div className="staging-row">
          <button type="button" className="btn btn-small" onClick={takeCurrentView}>
            {Icon.camera} {t('staging.useView')}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={props.onShow}>
            {Icon.eye} {t('staging.lookAt')}
          </button>
          {taken ? <span className="staging-ok" role="status">{t('staging.viewTaken')}</span> : null}
        </div>
        <FieldError errors={errors} field={key('pose')} id={`${uid}-pose`} />
      </div>
      <div className="staging-grid">
        <div className="field">
          <label htmlFor={`${uid}-variant`}>{t('staging.chapterVariant')}</label>
          <select {...fieldProps(errors, key('variant'), `${uid}-variant`)} value={c.variant ?? ''} onChange={(e) => set({ variant: e.target.value || undefined })}>
            <option value="">{t('staging.chapterVariantNone')}</option>
            {variants.map((v) => (
              <option key={v.id} value={v.id}>{v.name}</option>
            ))}
            {/* A paint that is gone still shows, so the error next to it makes sense. */}
            {c.variant && !variant ? <option value={c.variant}>{c.variant}</option> : null}
          </select>
          <FieldError errors={errors} field={key('variant')} id={`${uid}-variant`} />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-hotspot`}>{t('staging.chapterHotspot')}</label>
          <select {...fieldProps(errors, key('hotspot'), `${uid}-hotspot`)} value={c.hotspot ?? ''} onChange={(e) => set({ hotspot: e.target.value || undefined })}>
            <option value="">{t('staging.chapterHotspotNone')}</option>
            {draft.hotspots.map((h, i) => (
              <option key={h.id} value={h.id}>{`${i + 1}. ${h.title || h.id}`}</option>
            ))}
            {c.hotspot && hotspotNo < 0 ? <option value={c.hotspot}>{c.hotspot}</option> : null}
          </select>
          <FieldError errors={errors} field={key('hotspot')} id={`${uid}-hotspot`} />
        </div>
      </div>
    </ItemCard>
  );
}
