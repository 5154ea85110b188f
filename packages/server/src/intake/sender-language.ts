import type { ParsedMail } from 'mailparser';

/** The languages Ordo answers a sender in. */
export type AnswerLanguage = 'en' | 'zh-CN';

const HAN = /\p{Script=Han}/u;

/**
 * The language to answer a sender in: its `Content-Language` when it declares one, else
 * Chinese when it writes Chinese (in the subject or the body), else English.
 */
export function senderLanguage(
  mail: Pick<ParsedMail, 'headers' | 'subject' | 'text'>,
): AnswerLanguage {
  const declared = mail.headers.get('content-language');
  if (typeof declared === 'string' && declared.trim())
    return /^\s*zh\b/i.test(declared) ? 'zh-CN' : 'en';
  return HAN.test(`${mail.subject ?? ''}\n${mail.text ?? ''}`) ? 'zh-CN' : 'en';
}
