import type { MessageProblem, MessageRecord } from './message-records';

/** Problems listed in an answer at most; the record keeps them all. */
const SHOWN = 50;

const where = (p: MessageProblem) =>
  [
    p.file ? `${p.file}` : undefined,
    p.line ? (p.file ? `row ${p.line}` : `line ${p.line}`) : undefined,
    p.column ? `column ${p.column}` : undefined,
  ]
    .filter(Boolean)
    .join(', ') || 'the message';

/** The answer to a sender: the references of the orders created, or the problems by line. */
export function answerText(record: MessageRecord): { subject: string; text: string } {
  const original = (record.subject ?? '').slice(0, 100);
  const created = record.orders.length;
  const headline =
    record.outcome === 'failed'
      ? 'could not be processed yet'
      : created
        ? `${created} order(s) created${record.problems.length ? `, ${record.problems.length} problem(s)` : ''}`
        : 'no order created';
  const lines = [
    `Your message${record.messageId ? ` ${record.messageId}` : ''}${original ? ` ("${original}")` : ''} to ${record.to.join(', ')}: ${headline}.`,
    '',
  ];
  if (created) {
    lines.push('Orders created (their references):');
    for (const o of record.orders) lines.push(`  ${o.externalRef}`);
    lines.push('');
  }
  if (record.problems.length) {
    lines.push(
      record.outcome === 'failed'
        ? 'It will be looked at; you need not send it again:'
        : 'Not understood or refused:',
    );
    for (const p of record.problems.slice(0, SHOWN)) lines.push(`  ${where(p)}: ${p.message}`);
    if (record.problems.length > SHOWN)
      lines.push(`  … and ${record.problems.length - SHOWN} more`);
    lines.push('');
  }
  lines.push(`Reference of this message in Ordo: ${record.id}`);
  return { subject: `Re: ${original || 'your order'} — ${headline}`, text: lines.join('\n') };
}
