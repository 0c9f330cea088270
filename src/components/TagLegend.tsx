import { TARGET_TAGS } from '../app/tags.ts';

/** Colour key of the highlights; the XBRL tag name is in each entry's title. */
export function TagLegend({ withOther }: { withOther: boolean }) {
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
