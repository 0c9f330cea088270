import { TARGET_TAGS } from '@finer-lens/core/ner/tags.ts';

interface Props {
  withOther: boolean;
  /**
   * With this, each type is a checkbox that shows or hides its entities, and
   * its short label and definition are shown (the Tag text screen).
   */
  toggles?: { hidden: ReadonlySet<string>; onToggle: (tag: string) => void };
}

/** Colour key of the highlights; the XBRL tag name is in each entry's title. */
export function TagLegend({ withOther, toggles }: Props) {
  if (toggles) return <TypeToggles {...toggles} />;
  return (
    <ul className="tag-legend" aria-label="Highlight colours">
      {TARGET_TAGS.map((t) => (
        <li key={t.tag} title={`us-gaap:${t.tag}`}>
          <span className={`swatch tag-${t.id}`} aria-hidden="true" />
          {t.displayName}
        </li>
      ))}
      {withOther && (
        <li title="Any of the other 135 FiNER-139 tags">
          <span className="swatch tag-0" aria-hidden="true" />
          Other FiNER-139 tag
        </li>
      )}
    </ul>
  );
}

/** The four types with colour, short label and definition, each a checkbox: shown in the text and the table, or not. */
function TypeToggles({ hidden, onToggle }: { hidden: ReadonlySet<string>; onToggle: (tag: string) => void }) {
  return (
    <fieldset className="tag-legend tag-toggles">
      <legend>Entity types shown</legend>
      {TARGET_TAGS.map((t) => (
        <div key={t.tag} className="tag-toggle" title={`us-gaap:${t.tag}`}>
          <label>
            <input type="checkbox" checked={!hidden.has(t.tag)} onChange={() => onToggle(t.tag)} aria-describedby={`tag-definition-${t.id}`} />
            <span className={`swatch tag-${t.id}`} aria-hidden="true" />
            {t.displayName}{' '}
            <span className="entity-abbr" aria-hidden="true">
              {t.abbreviation}
            </span>
          </label>
          <p id={`tag-definition-${t.id}`} className="tag-definition">
            {t.definition}
          </p>
        </div>
      ))}
    </fieldset>
  );
}
