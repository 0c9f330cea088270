import { useAppStore } from '../store.ts';

/**
 * Shown instead of tagging when the text does not look like English prose
 * (src/app/language.ts): the model knows English 10-Ks only, so its entities
 * on other text are noise. "Tag anyway" tags it.
 */
export function LanguageNotice() {
  const gate = useAppStore((s) => s.languageGate);
  const tagAnyway = useAppStore((s) => s.tagAnyway);
  const dismiss = useAppStore((s) => s.dismissLanguageGate);
  if (!gate) return null;
  return (
    <div className="notice language-notice" role="status" data-testid="language-notice">
      <p>
        <strong>This text does not look like English:</strong> {gate.check.reason}. The model was trained on English 10-K
        filings only; on other languages it tags punctuation and words as amounts or rates.
      </p>
      <div className="language-notice-buttons">
        <button type="button" onClick={() => void tagAnyway()}>
          {gate.mode === 'tag' ? 'Tag anyway' : 'Compare anyway'}
        </button>
        <button type="button" onClick={dismiss}>
          Don’t tag
        </button>
      </div>
    </div>
  );
}
