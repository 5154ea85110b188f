import type { Problem } from '@ordo/engine';
import { useTranslation } from 'react-i18next';

/**
 * The draft's problems, each at its path; picking one (click, or Enter on it) opens what it
 * is about in the inspector.
 */
export function ProblemsList({
  problems,
  onPick,
}: {
  problems: readonly Problem[];
  onPick(problem: Problem): void;
}) {
  const { t } = useTranslation();
  return (
    <ul className="problems" data-testid="problems">
      {problems.length === 0 && <li className="muted">{t('problems.none')}</li>}
      {problems.map((p, i) => (
        <li
          key={i}
          className={p.severity}
          tabIndex={0}
          onClick={() => onPick(p)}
          onKeyDown={(e) => e.key === 'Enter' && onPick(p)}
        >
          <code>{p.path || '/'}</code> {p.message}
        </li>
      ))}
    </ul>
  );
}
