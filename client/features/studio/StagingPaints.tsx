import { useId } from 'react';
import { HexColor } from '../../../shared/vehicle.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import { FieldError, Icon, IconButton, ItemCard, UnitSlider, fieldKey, fieldProps, hasErrorUnder, useStagingEditor } from './StagingParts.js';
import { FINISHES, MAX_PAINTS, finishOf, newPaint, removeItem, renameItem, type FinishId, type Paint, type Swatch } from './staging.js';

const FINISH_IDS = Object.keys(FINISHES) as FinishId[];

/** A swatch that hints at the finish: a metallic paint gets a sheen, a matte one none. */
export function PaintSwatch({ color, finish }: { color: string; finish?: FinishId | null }) {
  return <span className={`staging-swatch staging-swatch-${finish ?? 'plain'}`} style={{ backgroundColor: color }} aria-hidden="true" />;
}

interface Props {
  modelVariants: Swatch[];
  materials: Swatch[];
  isDemo: boolean;
  previewId: string | null;
  onPreview: (id: string) => void;
  openId: string | null;
  onOpen: (id: string | null) => void;
}

/** Paints: the model's own variants, or named paints with their finish, and what they repaint. */
export function PaintsPanel({ modelVariants, materials, isDemo, previewId, onPreview, openId, onOpen }: Props) {
  const { t } = useI18n();
  const { draft, change, errors, itemKey } = useStagingEditor();
  const uid = useId();
  const useOwn = modelVariants.length > 0 && draft.modelVariants;

  function add() {
    const paint = newPaint(draft, t('staging.newPaintName'));
    change({ ...draft, paints: [...draft.paints, paint] }, 'paints');
    onOpen(paint.id);
    onPreview(paint.id);
  }

  return (
    <div className="staging-panel-body">
      {modelVariants.length > 0 ? (
        <div className="staging-switch-block">
          <label className="staging-switch">
            <input type="checkbox" role="switch" checked={draft.modelVariants} onChange={(e) => change({ ...draft, modelVariants: e.target.checked }, 'modelVariants')} />
            <span className="staging-switch-track" aria-hidden="true" />
            {t('staging.useModelVariants')}
          </label>
          <p className="hint">{t(useOwn ? 'staging.modelVariantsHint' : 'staging.modelVariantsOff', { n: modelVariants.length })}</p>
          {useOwn ? (
            <ul className="staging-variants">
              {modelVariants.map((v, i) => (
                <li key={`${v.name}-${i}`}>
                  <PaintSwatch color={v.color} />
                  <span>{v.name || `Variante ${i + 1}`}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {useOwn ? null : (
        <>
          <p className="hint staging-panel-hint">{t('staging.paintsHint')}</p>
          {draft.paints.length ? (
            <ol className="staging-list">
              {draft.paints.map((p, i) => (
                <PaintItem key={itemKey('paints', p.id)} paint={p} index={i} open={openId === p.id} previewed={previewId === p.id} onToggle={() => {
                  onOpen(openId === p.id ? null : p.id);
                  onPreview(p.id);
                }} onRenamed={(id) => {
                  if (openId === p.id) onOpen(id);
                  if (previewId === p.id) onPreview(id);
                }} />
              ))}
            </ol>
          ) : (
            <p className="staging-empty">{isDemo ? t('staging.paintsDemoEmpty') : t('staging.paintsModelEmpty')}</p>
          )}
          <FieldError errors={errors} field="paints" id={`${uid}-paints`} />
          <button type="button" className="btn btn-small staging-add" onClick={add} disabled={draft.paints.length >= MAX_PAINTS}>
            {Icon.plus} {t('staging.addPaint')}
          </button>
          {isDemo ? <p className="hint">{t('staging.demoBody')}</p> : <BodyMaterials materials={materials} />}
        </>
      )}
    </div>
  );
}

function PaintItem({ paint, index, open, previewed, onToggle, onRenamed }: { paint: Paint; index: number; open: boolean; previewed: boolean; onToggle: () => void; onRenamed: (id: string) => void }) {
  const { t } = useI18n();
  const { draft, change, errors, locked } = useStagingEditor();
  const uid = useId();
  const key = (f: string) => fieldKey('paints', index, f);
  const finish = finishOf(paint);
  const set = (patch: Partial<Paint>) => change({ ...draft, paints: draft.paints.map((p, i) => (i === index ? { ...p, ...patch } : p)) }, fieldKey('paints', index));
  const name = paint.name.trim() || t('staging.newPaintName');

  return (
    <ItemCard
      open={open}
      onToggle={onToggle}
      invalid={hasErrorUnder(errors, fieldKey('paints', index))}
      toggleLabel={t('staging.edit', { name })}
      testId="paint-item"
      summary={
        <>
          <PaintSwatch color={HexColor.safeParse(paint.color).success ? paint.color : '#000000'} finish={finish} />
          <span className="staging-item-title">{name}</span>
          <span className="staging-item-meta">
            {t(`staging.finish.${finish}` as MessageKey)}
            {previewed ? <span className="staging-dot" title={t('staging.previewPaint')} /> : null}
          </span>
        </>
      }
      actions={
        <IconButton label={t('staging.deleteNamed', { name })} danger onClick={() => change(removeItem(draft, 'paints', paint.id), 'paints')}>
          {Icon.trash}
        </IconButton>
      }
    >
      <div className="staging-grid">
        <div className="field">
          <label htmlFor={`${uid}-name`}>{t('staging.paintName')}</label>
          <input
            {...fieldProps(errors, key('name'), `${uid}-name`)}
            value={paint.name}
            maxLength={40}
            onChange={(e) => {
              const next = renameItem(draft, 'paints', index, e.target.value, locked('paints'));
              change(next, fieldKey('paints', index));
              const id = next.paints[index]!.id;
              if (id !== paint.id) onRenamed(id);
            }}
          />
          <FieldError errors={errors} field={key('name')} id={`${uid}-name`} />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-color`}>{t('staging.paintColor')}</label>
          <div className="staging-color">
            <input id={`${uid}-color`} type="color" value={HexColor.safeParse(paint.color).success ? paint.color.toLowerCase() : '#000000'} onChange={(e) => set({ color: e.target.value })} />
            <input
              {...fieldProps(errors, key('color'), `${uid}-hex`)}
              aria-label={t('staging.paintHex')}
              className="staging-hex"
              value={paint.color}
              maxLength={7}
              spellCheck={false}
              onChange={(e) => set({ color: e.target.value.trim() })}
            />
          </div>
          <FieldError errors={errors} field={key('color')} id={`${uid}-hex`} />
        </div>
      </div>
      <fieldset className="segmented staging-finish">
        <legend>{t('staging.finish')}</legend>
        <div className="segmented-options">
          {FINISH_IDS.map((f) => (
            <button key={f} type="button" aria-pressed={finish === f} onClick={() => set(FINISHES[f])}>
              {t(`staging.finish.${f}` as MessageKey)}
            </button>
          ))}
        </div>
      </fieldset>
      <div className="staging-sliders">
        <UnitSlider id={`${uid}-metal`} label={t('staging.metalness')} value={paint.metalness} onChange={(v) => set({ metalness: v })} />
        <UnitSlider id={`${uid}-rough`} label={t('staging.roughness')} value={paint.roughness} onChange={(v) => set({ roughness: v })} />
        <UnitSlider id={`${uid}-coat`} label={t('staging.clearcoat')} value={paint.clearcoat} onChange={(v) => set({ clearcoat: v })} />
      </div>
    </ItemCard>
  );
}

/** An uploaded model: which of its materials are the body a paint repaints. */
function BodyMaterials({ materials }: { materials: Swatch[] }) {
  const { t } = useI18n();
  const { draft, change, errors } = useStagingEditor();
  const uid = useId();
  const chosen = new Set(draft.bodyMaterials);
  const toggle = (name: string, on: boolean) =>
    change({ ...draft, bodyMaterials: on ? [...draft.bodyMaterials, name] : draft.bodyMaterials.filter((n) => n !== name) }, 'bodyMaterials');
  const unknown = draft.bodyMaterials.filter((n) => !materials.some((m) => m.name === n));
  return (
    <fieldset className="staging-materials" aria-describedby={`${uid}-hint`}>
      <legend>{t('staging.bodyMaterials')}</legend>
      <p className="hint" id={`${uid}-hint`}>{t('staging.bodyMaterialsHint')}</p>
      {materials.length === 0 ? <p className="staging-empty">{t('staging.noMaterials')}</p> : null}
      <div className="staging-material-grid">
        {materials.map((m) => (
          <label key={m.name} className="staging-material">
            <input type="checkbox" checked={chosen.has(m.name)} onChange={(e) => toggle(m.name, e.target.checked)} />
            <PaintSwatch color={m.color} />
            <span>{m.name}</span>
          </label>
        ))}
        {/* A name the model no longer has (a new upload): shown so it can be unticked. */}
        {unknown.map((name) => (
          <label key={name} className="staging-material is-invalid">
            <input type="checkbox" checked onChange={() => toggle(name, false)} />
            <span>{name}</span>
          </label>
        ))}
      </div>
      {draft.paints.length > 0 && draft.bodyMaterials.length === 0 && materials.length > 0 ? <p className="staging-warning">{t('staging.bodyMaterialsNone')}</p> : null}
      {[...errors.entries()].filter(([k]) => k.startsWith('bodyMaterials')).slice(0, 1).map(([k, msg]) => (
        <p key={k} className="staging-field-error">{msg}</p>
      ))}
    </fieldset>
  );
}
