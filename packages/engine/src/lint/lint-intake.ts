import type { Flow } from '../flow';
import { messageFormatProblems } from '../intake';
import { unsafeMessage, unsafeSegment } from '../json/safe-path';
import { at, type ProblemList } from './problem-list';

/**
 * `intake`: the message format (its line pattern, hostile paths, parts that units and aliases
 * name) and the e-mail intake (its mapping's paths; an address feeds one flow, checked by the
 * server across flows), and the chat intakes (each needs the message format).
 */
export function lintIntake(flow: Flow, out: ProblemList): void {
  const intake = flow.intake;
  if (!intake) return;
  if (intake.message)
    for (const p of messageFormatProblems(intake.message))
      out.error(at('intake', 'message', ...p.path), p.code, p.message);
  for (const [source, target] of Object.entries(intake.email?.mapping ?? {}))
    for (const path of [source, target ?? '']) {
      const segment = unsafeSegment(path.replace(/\[\]/g, ''));
      if (segment !== undefined)
        out.error(
          at('intake', 'email', 'mapping', source),
          'unsafe_path',
          unsafeMessage(path, segment),
        );
    }
  if (intake.email?.mapping && !Object.values(intake.email.mapping).includes('externalRef'))
    out.error(
      at('intake', 'email', 'mapping'),
      'missing_reference',
      'An e-mail intake\'s mapping must map a column to "externalRef": it is how a sheet\'s orders are never taken twice',
    );
  const imap = intake.email?.imap;
  if (imap?.processed !== undefined && imap.processed === (imap.folder ?? 'INBOX'))
    out.error(
      at('intake', 'email', 'imap', 'processed'),
      'same_folder',
      `The processed folder is the polled folder "${imap.processed}": name another folder, or leave processed out to mark messages seen`,
    );
  for (const chat of ['wecom', 'dingtalk'] as const)
    if (intake[chat] && !intake.message)
      out.error(
        at('intake', chat),
        'no_reader',
        `Chat messages reach this flow by ${chat === 'wecom' ? 'WeCom' : 'DingTalk'} but it has no message format (intake.message) to read their text: add one`,
      );
  if (intake.email && !intake.message && !intake.email.mapping)
    out.warning(
      at('intake', 'email'),
      'no_reader',
      'E-mail reaches this flow but it has neither a message format (intake.message) for bodies nor a mapping for attached sheets: every message will be answered with a problem',
    );
}
